/**
 * The scenario file format (SPEC 3) as one zod schema: it validates, fills defaults
 * and converts units; `lbsim schema` prints it as JSON Schema. Every object is strict,
 * so a misspelt field is an error rather than a setting silently ignored. Defaults
 * that depend on other fields (replicas, metricsInterval, codeMb, cpu) are filled in
 * resolve.ts and documented here.
 */
import * as z from "zod";
import { arrivalSchema, coldStartSchema, distSchema } from "./schema-dist.js";
import { clientsSchema, faultSchema } from "./schema-faults.js";
import { traceSchema } from "./schema-trace.js";
import {
  countOrUnlimited,
  nonEmptyString,
  nonNegativeInt,
  nonNegativeNumber,
  policyOptions,
  policyValue,
  positiveInt,
  positiveNumber,
  rate,
  time,
  timeOrUnlimited,
} from "./schema-values.js";
import type { PlacementPolicyName, RoutingPolicyName } from "./types.js";

export const ROUTING_POLICIES = [
  "mru",
  "lru",
  "random",
  "round-robin",
  "least-outstanding",
  "p2c",
] as const satisfies readonly RoutingPolicyName[];

export const PLACEMENT_POLICIES = [
  "random",
  "round-robin",
  "first-fit",
  "best-fit",
  "worst-fit",
  "p2c",
  "consistent-hash",
  "cache-affinity",
] as const satisfies readonly PlacementPolicyName[];

export const KEEPALIVE_POLICIES = ["fixed", "none", "hybrid"] as const;

/** Limits that keep a typo (hostsPerZone: 1e9) from exhausting memory before a run starts. */
const MAX_ZONES = 1000;
const MAX_HOSTS_PER_ZONE = 1_000_000;
export const MAX_POPULATION = 1_000_000;

const clusterSchema = z
  .object({
    /** Zone names, or a count: 3 → z1, z2, z3. Default 1. */
    zones: z
      .union([positiveInt().max(MAX_ZONES), z.array(nonEmptyString()).min(1).max(MAX_ZONES)], {
        error: "expected a number of zones or a list of zone names",
      })
      .prefault(1),
    /** Default 10. */
    hostsPerZone: positiveInt().max(MAX_HOSTS_PER_ZONE).prefault(10),
    host: z
      .object({
        /** Default 32768. */
        memoryMb: positiveNumber().prefault(32768),
        /** Default 16. */
        cpus: positiveNumber().prefault(16),
        /** Code cache size; default 0 (no cache: every cold start is uncached). */
        codeCacheMb: nonNegativeNumber().prefault(0),
      })
      .strict()
      .prefault({}),
    /** Time until the balancer learns a host is down; default 3s. */
    failureDetection: time().prefault("3s"),
    /** Hosts reclaim sandboxes nobody routes to after this; default 15min. */
    orphanTimeout: time().prefault("15min"),
    /** CPU contention stretches executions on overcommitted hosts; default true. */
    contention: z.boolean().prefault(true),
  })
  .strict();

const networkSchema = z
  .object({
    /** One-way latency inside a zone; default 0. */
    sameZone: distSchema.prefault(0),
    /** One-way latency between zones; default 0. */
    crossZone: distSchema.prefault(0),
    /** An attempt to an unreachable or crashed peer fails after this; default 1s. */
    connectTimeout: time().prefault("1s"),
  })
  .strict();

const routingName = policyValue(ROUTING_POLICIES);

const balancerSchema = z
  .object({
    /** Default 1. */
    partitions: positiveInt().max(100_000).prefault(1),
    /** Nodes per partition; default 3, or the number of zones if fewer. */
    replicas: positiveInt().max(100).optional(),
    /** Default none. */
    replication: z.enum(["none", "async", "sync"]).prefault("none"),
    /** State changes of this last span are lost on failover with async replication; default 100ms. */
    replicationLag: time().prefault("100ms"),
    /** Cost of each operation on a leader; default 0. */
    serviceTime: time().prefault(0),
    /** A policy name or module path, or {policy, d, options}; default mru, d 2. */
    routing: z
      .union([
        routingName,
        z
          .object({
            policy: routingName,
            d: positiveInt().prefault(2),
            /** A policy module's own options. */
            options: policyOptions().optional(),
          })
          .strict(),
      ])
      .prefault("mru"),
    /** Default throttle. */
    overflow: z.enum(["throttle", "queue"]).prefault("throttle"),
    /** Bounds of the partition queue (overflow: queue); default unlimited. */
    queue: z
      .object({
        maxLength: countOrUnlimited().prefault("unlimited"),
        maxWait: timeOrUnlimited().prefault("unlimited"),
      })
      .strict()
      .prefault({}),
    /** Default detection 1s, election 300ms. */
    failover: z
      .object({ detection: time().prefault("1s"), election: time().prefault("300ms") })
      .strict()
      .prefault({}),
  })
  .strict();

const placementName = z.enum(PLACEMENT_POLICIES);

const placementSchema = z
  .object({
    /** A built-in name or a policy module's path (./, ../ or /); default p2c. */
    policy: policyValue(PLACEMENT_POLICIES).prefault("p2c"),
    /** A policy module's own options. */
    options: policyOptions().optional(),
    /** Hosts sampled by p2c; default 2. */
    d: positiveInt().prefault(2),
    /** Pick the zone with fewest sandboxes of the function first; default false. */
    zoneBalance: z.boolean().prefault(false),
    /** Time the placement service takes per decision; default 0. */
    latency: time().prefault(0),
    /** consistent-hash skips hosts above this × the mean load; default 1.25. */
    boundedLoad: z.number().min(1, { error: "expected a number >= 1" }).prefault(1.25),
    /** What cache-affinity falls back to; default random. */
    fallback: placementName.prefault("random"),
  })
  .strict();

const keepAliveSchema = z
  .object({
    /** A built-in name or a policy module's path (./, ../ or /); default fixed. */
    policy: policyValue(KEEPALIVE_POLICIES).prefault("fixed"),
    /** A policy module's own options. */
    options: policyOptions().optional(),
    /** Idle time before reclaim (fixed), the fallback of hybrid; default 10min. */
    ttl: time().prefault("10min"),
  })
  .strict();

/** Per-function limits shared by explicit functions and the population. */
const limits = {
  /** Default unlimited. */
  maxSandboxes: countOrUnlimited().prefault("unlimited"),
  /** Requests a sandbox runs at once; default 1. */
  slots: positiveInt().prefault(1),
  /** Local FIFO queue per sandbox: a number or unlimited; default 0. */
  queue: countOrUnlimited().prefault(0),
};

const functionSchema = z
  .object({
    name: nonEmptyString(),
    /** Default 128 (Lambda's default). */
    memoryMb: positiveNumber().prefault(128),
    /** Code package size for the cache; default memoryMb / 4. */
    codeMb: nonNegativeNumber().optional(),
    /** vCPUs a busy sandbox demands; default memoryMb / 1769 (the Lambda ratio). */
    cpu: positiveNumber().optional(),
    /** Execution time (required). */
    duration: distSchema,
    /** Default 250ms, cached and uncached alike. */
    coldStart: coldStartSchema.prefault("250ms"),
    /** Arrival process (required). */
    arrivals: arrivalSchema,
    /** Provisioned at time 0 and never reclaimed; default 0. */
    minSandboxes: nonNegativeInt().prefault(0),
    ...limits,
  })
  .strict();

const populationSchema = z
  .object({
    /** Functions generated, named fn-001, fn-002, ... (required). */
    count: positiveInt().max(MAX_POPULATION),
    /** Sum of the functions' rates (required). */
    totalRate: rate({ positive: true }),
    /** Rate of the i-th function ∝ 1 / i^zipf; default zipf 1. */
    popularity: z
      .object({ zipf: nonNegativeNumber().prefault(1) })
      .strict()
      .prefault({}),
    /** One size, or sizes drawn by weight (seeded); default 128. */
    memoryMb: z
      .union([
        positiveNumber(),
        z
          .object({
            values: z.array(positiveNumber()).min(1),
            weights: z.array(nonNegativeNumber()).optional(),
          })
          .strict(),
      ])
      .prefault(128),
    /** Execution time of every function (required). */
    duration: distSchema,
    /** Default 250ms. */
    coldStart: coldStartSchema.prefault("250ms"),
    /** Default poisson. */
    process: z.enum(["poisson", "constant"]).prefault("poisson"),
    ...limits,
  })
  .strict();

const workloadSchema = z
  .object({
    /** Multiplies every arrival rate; default 1. */
    scale: positiveNumber().prefault(1),
    /** Trace replay (SPEC 7): its functions join the explicit ones and the population. */
    trace: traceSchema.optional(),
  })
  .strict();

export const scenarioSchema = z
  .object({
    /** Required. */
    name: nonEmptyString(),
    /** Default empty. */
    description: z.string().prefault(""),
    /** Root of every random stream; default 1 (`--seed` overrides). */
    seed: nonNegativeInt().prefault(1),
    /** Simulated time after warmup (required). */
    duration: time({ positive: true }),
    /** Requests arriving before this are not measured; default 0. */
    warmup: time().prefault(0),
    /** Time-series bucket; default max(1s, duration / 100). */
    metricsInterval: time({ positive: true }).optional(),
    /** A file this one is merged over (path relative to this file). */
    extends: z.string().optional(),
    cluster: clusterSchema.prefault({}),
    network: networkSchema.prefault({}),
    balancer: balancerSchema.prefault({}),
    placement: placementSchema.prefault({}),
    keepAlive: keepAliveSchema.prefault({}),
    /** Explicit functions; at least one function or a population is required. */
    functions: z.array(functionSchema).prefault([]),
    population: populationSchema.optional(),
    workload: workloadSchema.prefault({}),
    /** Default none. */
    faults: z.array(faultSchema).prefault([]),
    /** Default: no timeouts, no retries. */
    clients: clientsSchema.optional(),
    /** Named overrides: maps of dotted paths to values. */
    variants: z.record(z.string(), z.record(z.string(), z.unknown())).prefault({}),
    /** One parameter (a dotted path) and the values a comparison sweeps. */
    sweep: z
      .object({ param: nonEmptyString(), values: z.array(z.unknown()).min(1) })
      .strict()
      .optional(),
  })
  .strict();

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ScenarioOutput = z.output<typeof scenarioSchema>;

/** JSON Schema of scenario files (their input form), for editors. */
export function scenarioJsonSchema(): object {
  const schema = z.toJSONSchema(scenarioSchema, { io: "input", unrepresentable: "any" });
  return { ...schema, title: "lbsim scenario" };
}
