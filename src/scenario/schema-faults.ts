/**
 * Schemas of `faults` and `clients` (SPEC 2.4), resolved to microseconds as they
 * validate. Whether a named zone or partition exists is checked later, across fields
 * (checks.ts): the schema sees one fault at a time.
 */
import * as z from "zod";
import {
  nonEmptyString,
  nonNegativeInt,
  numberOrUnlimited,
  policyOptions,
  policyValue,
  positiveInt,
  positiveNumber,
  time,
  timeOrUnlimited,
} from "./schema-values.js";
import type { ClientsSpec, FailureCause, FaultSpec } from "./types.js";

export const FAILURE_CAUSES = [
  "throttled",
  "capacity",
  "host-crash",
  "unreachable",
  "balancer-unavailable",
  "timeout",
] as const satisfies readonly FailureCause[];

const hostCrash = z
  .object({
    kind: z.literal("host-crash"),
    at: time(),
    /** Hosts that crash, picked with the faults stream; default 1. */
    count: positiveInt().prefault(1),
    /** Pick only in this zone; default any zone. */
    zone: nonEmptyString().optional(),
    /** Hosts come back empty after this; default never. */
    repair: timeOrUnlimited({ positive: true }).prefault("unlimited"),
  })
  .strict()
  .transform(
    (f): FaultSpec => ({
      kind: f.kind,
      atUs: f.at,
      count: f.count,
      zone: f.zone ?? null,
      repairUs: f.repair,
    }),
  );

const zoneFault = <K extends "zone-outage" | "network-partition">(kind: K) =>
  z
    .object({
      kind: z.literal(kind),
      at: time(),
      zone: nonEmptyString(),
      duration: time({ positive: true }),
    })
    .strict()
    .transform(
      (f): FaultSpec => ({ kind: f.kind, atUs: f.at, zone: f.zone, durationUs: f.duration }),
    );

const balancerCrash = z
  .object({
    kind: z.literal("balancer-crash"),
    at: time(),
    /** The partition whose leader dies; give this or `zone`. */
    partition: nonNegativeInt().optional(),
    /** Every leader in this zone dies; give this or `partition`. */
    zone: nonEmptyString().optional(),
  })
  .strict()
  .transform(
    (f): FaultSpec => ({
      kind: f.kind,
      atUs: f.at,
      partition: f.partition ?? null,
      zone: f.zone ?? null,
    }),
  );

const slowHosts = z
  .object({
    kind: z.literal("slow-hosts"),
    at: time(),
    /** Default 1. */
    count: positiveInt().prefault(1),
    /** Executions starting on a slow host take this many times longer. */
    factor: positiveNumber(),
    duration: time({ positive: true }),
    zone: nonEmptyString().optional(),
  })
  .strict()
  .transform(
    (f): FaultSpec => ({
      kind: f.kind,
      atUs: f.at,
      count: f.count,
      factor: f.factor,
      durationUs: f.duration,
      zone: f.zone ?? null,
    }),
  );

const randomHostCrashes = z
  .object({
    kind: z.literal("random-host-crashes"),
    /** Mean time between failures of each host (exponential). */
    mtbf: time({ positive: true }),
    repair: time({ positive: true }),
    zone: nonEmptyString().optional(),
  })
  .strict()
  .transform(
    (f): FaultSpec => ({ kind: f.kind, mtbfUs: f.mtbf, repairUs: f.repair, zone: f.zone ?? null }),
  );

export const faultSchema = z.discriminatedUnion(
  "kind",
  [
    hostCrash,
    zoneFault("zone-outage"),
    zoneFault("network-partition"),
    balancerCrash,
    slowHosts,
    randomHostCrashes,
  ],
  { error: "expected a fault such as {kind: host-crash, at: 1min, count: 2}" },
);

const retrySchema = z
  .object({
    /** Default none: a scenario without retries measures the platform alone. */
    policy: policyValue(["none", "immediate", "backoff"]).prefault("none"),
    /** A policy module's own options. */
    options: policyOptions().optional(),
    /** Attempts including the first; default 3 (1 when policy is none). */
    maxAttempts: positiveInt().prefault(3),
    /** First backoff; default 100ms (the AWS SDKs' standard mode). */
    base: time().prefault("100ms"),
    /** Largest backoff; default 20s (the AWS SDKs' standard mode). */
    cap: time().prefault("20s"),
    /** Default full (the AWS SDKs' default). */
    jitter: z.enum(["none", "full", "equal", "decorrelated"]).prefault("full"),
    /** Retries at most this fraction of first attempts; default unlimited. */
    budget: numberOrUnlimited().prefault("unlimited"),
    /** Causes that are retried; default every cause but throttled. */
    retryOn: z
      .array(z.enum(FAILURE_CAUSES))
      .prefault(FAILURE_CAUSES.filter((c) => c !== "throttled")),
  })
  .strict();

export const clientsSchema = z
  .object({
    /** An attempt without an answer by then fails with `timeout`; default unlimited. */
    timeout: timeOrUnlimited({ positive: true }).prefault("unlimited"),
    retry: retrySchema.prefault({}),
  })
  .strict()
  .transform(
    (c): ClientsSpec => ({
      timeoutUs: c.timeout,
      retry: {
        policy: c.retry.policy,
        maxAttempts: c.retry.policy === "none" ? 1 : c.retry.maxAttempts,
        baseUs: c.retry.base,
        capUs: c.retry.cap,
        jitter: c.retry.jitter,
        budget: c.retry.budget,
        retryOn: c.retry.retryOn,
        ...(c.retry.options === undefined ? {} : { options: c.retry.options }),
      },
    }),
  );
