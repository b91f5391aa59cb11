/**
 * Schemas of `faults` and `clients` (SPEC 2.4), resolved to microseconds as they
 * validate. Whether a named zone or partition exists is checked later, across fields
 * (checks.ts): the schema sees one fault at a time.
 */
import * as z from "zod";
import {
  intBetween,
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

const kind = <K extends string>(name: K, what: string) =>
  z.literal(name).describe(`${name}: ${what}`);
const at = () =>
  time().describe("When the fault strikes: a duration from time 0 (the warmup included).");
const inZone = (what: string) =>
  nonEmptyString().optional().describe(`Pick the ${what} only in this zone. Default any zone.`);

const hostCrash = z
  .object({
    kind: kind("host-crash", "hosts crash, losing their sandboxes and the requests on them."),
    at: at(),
    count: positiveInt()
      .prefault(1)
      .describe(
        "Hosts that crash, a seeded choice among those up (at most the hosts there). Default 1.",
      ),
    zone: inZone("hosts"),
    repair: timeOrUnlimited({ positive: true })
      .prefault("unlimited")
      .describe(
        "The hosts come back, empty, this long after the crash: a duration or unlimited. Default unlimited (never).",
      ),
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

const ZONE_FAULTS = {
  "zone-outage":
    "a whole zone goes down (its hosts, frontends and balancer nodes), then comes back.",
  "network-partition": "a zone is cut off from the others (it keeps running inside), then rejoins.",
} as const;

const faultDuration = () =>
  time({ positive: true }).describe("How long the fault lasts: a positive duration.");

const zoneFault = <K extends keyof typeof ZONE_FAULTS>(name: K) =>
  z
    .object({
      kind: kind(name, ZONE_FAULTS[name]),
      at: at(),
      zone: nonEmptyString().describe(
        name === "zone-outage"
          ? "The zone that goes down. Required."
          : "The zone cut off. Required.",
      ),
      duration: faultDuration(),
    })
    .strict()
    .transform(
      (f): FaultSpec => ({ kind: f.kind, atUs: f.at, zone: f.zone, durationUs: f.duration }),
    );

const balancerCrash = z
  .object({
    kind: kind("balancer-crash", "balancer leaders die; their followers elect new ones."),
    at: at(),
    partition: nonNegativeInt()
      .optional()
      .describe("The partition whose leader dies (numbered from 0); give this or zone."),
    zone: nonEmptyString()
      .optional()
      .describe("Every leader in this zone dies; give this or partition."),
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
    kind: kind("slow-hosts", "a brownout: hosts run slower for a while."),
    at: at(),
    count: positiveInt()
      .prefault(1)
      .describe("Hosts slowed, a seeded choice among those up. Default 1."),
    factor: positiveNumber().describe(
      "Executions starting on a slow host take this many times longer (3: three times). Required.",
    ),
    duration: faultDuration(),
    zone: inZone("slow hosts"),
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
    kind: kind(
      "random-host-crashes",
      "each host crashes at random times and is repaired, over and over (no summary entry).",
    ),
    mtbf: time({ positive: true }).describe(
      "Mean time between failures of each host (exponential): a positive duration. Required.",
    ),
    repair: time({ positive: true }).describe(
      "A crashed host comes back, empty, after this: a positive duration. Required.",
    ),
    zone: inZone("hosts that crash"),
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

/** Attempts of one request at most: beyond, a retry policy is a storm generator, not a setting. */
export const MAX_ATTEMPTS = 100;

const retrySchema = z
  .object({
    // Default none: a scenario without retries measures the platform alone.
    policy: policyValue(["none", "immediate", "backoff"])
      .prefault("none")
      .describe(
        "How a failed attempt is retried (a built-in name or a policy module's path): none, immediate (at once) or backoff (exponential, with jitter). Default none.",
      ),
    options: policyOptions()
      .optional()
      .describe("A retry policy module's own options (checked by its `options` schema)."),
    maxAttempts: intBetween(1, MAX_ATTEMPTS)
      .prefault(3)
      .describe(
        `Attempts of one request including the first, 1 to ${MAX_ATTEMPTS}. Default 3 (1 when policy is none).`,
      ),
    base: time()
      .prefault("100ms")
      .describe(
        "First backoff, doubled at each retry: a duration. Default 100ms (the AWS SDKs' standard mode).",
      ),
    cap: time()
      .prefault("20s")
      .describe("Largest backoff, >= base: a duration. Default 20s (the AWS SDKs' standard mode)."),
    jitter: z
      .enum(["none", "full", "equal", "decorrelated"])
      .prefault("full")
      .describe(
        "Randomisation of the backoff: none, full (uniform from 0), equal (half fixed, half random) or decorrelated. Default full (the AWS SDKs').",
      ),
    budget: numberOrUnlimited()
      .prefault("unlimited")
      .describe(
        "Retries at most this fraction of first attempts (a token bucket: 0.1 for 10%), or unlimited. Default unlimited.",
      ),
    retryOn: z
      .array(z.enum(FAILURE_CAUSES))
      .prefault(FAILURE_CAUSES.filter((c) => c !== "throttled"))
      .describe(
        `The failure causes that are retried, of ${FAILURE_CAUSES.join(", ")}. Default every cause but throttled.`,
      ),
  })
  .strict();

export const clientsSchema = z
  .object({
    timeout: timeOrUnlimited({ positive: true })
      .prefault("unlimited")
      .describe(
        "A client gives up on an attempt without an answer after this (cause timeout; the work goes on, wasted): a duration or unlimited. Default unlimited.",
      ),
    retry: retrySchema.prefault({}).describe("What a client does after a failed attempt."),
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
