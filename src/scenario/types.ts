/**
 * The resolved scenario: what the simulator runs. Every default is filled in, every
 * unit converted (times in integer microseconds, rates per second, memory in MB),
 * the population expanded into functions and `workload.scale` applied to every rate.
 * It is plain data: it can be printed back, hashed and recorded in results.
 * "Unlimited" is Number.POSITIVE_INFINITY (printed as null in JSON).
 */
import type { DistSpec } from "../kernel/dist-spec.js";
import type { PolicyModulePath } from "./schema-values.js";

export type { PolicyModulePath } from "./schema-values.js";

/** A policy module's own options, as the scenario gives them (`options:`). */
export type PolicyOptions = Readonly<Record<string, unknown>>;

export type ArrivalSpec =
  | { readonly process: "poisson"; readonly rate: number }
  | { readonly process: "constant"; readonly rate: number }
  /** Piecewise-constant Poisson rates: each step holds from `atUs` to the next. */
  | {
      readonly process: "steps";
      readonly steps: ReadonlyArray<{ readonly atUs: number; readonly rate: number }>;
    }
  /** Two-state Markov-modulated Poisson: each state lasts an exponential time of mean meanUs. */
  | {
      readonly process: "onoff";
      readonly on: { readonly rate: number; readonly meanUs: number };
      readonly off: { readonly rate: number; readonly meanUs: number };
    }
  /** Poisson with rate mean * (1 + amplitude * cos(2π (t − peakAt) / period)), by thinning. */
  | {
      readonly process: "diurnal";
      readonly mean: number;
      readonly amplitude: number;
      readonly periodUs: number;
      readonly peakAtUs: number;
    };

/**
 * A function replayed from `workload.trace` with its own arrivals: `index` is its
 * place in the trace's function list (the data is reached through `workload.trace`).
 */
export interface TraceArrivalSpec {
  readonly process: "trace";
  readonly index: number;
}

/**
 * The trace a scenario replays (SPEC 7), as recorded in results: what was read and
 * what of it is replayed. The data itself is not part of it (it would be megabytes):
 * `digest` identifies it, and the loaded trace travels with this object out of sight
 * of JSON (see src/scenario/trace.ts).
 */
export interface ResolvedTrace {
  readonly format: "azure2019" | "azure2021" | "lbsim";
  /** The files as the scenario names them. */
  readonly files: readonly string[];
  /** SHA-256 of the files' contents (first 16 hex digits). */
  readonly digest: string;
  /** The minutes replayed, inclusive, in the trace's numbering; the first starts at time 0. */
  readonly minutes: readonly [number, number];
  /** "all", "top N" or "sample N". */
  readonly selection: string;
  readonly arrivals: "exact" | "poisson";
  readonly functions: number;
  /** Invocations in the window (before workload.scale). */
  readonly invocations: number;
}

/** Why an attempt failed (SPEC 2.4). */
export type FailureCause =
  | "throttled"
  | "capacity"
  | "host-crash"
  | "unreachable"
  | "balancer-unavailable"
  | "timeout";

/**
 * A scheduled or random fault (SPEC 2.4), times in microseconds. `zone: null` means any
 * zone; `repairUs: Infinity` means the hosts stay down.
 */
export type FaultSpec =
  | {
      readonly kind: "host-crash";
      readonly atUs: number;
      readonly count: number;
      readonly zone: string | null;
      readonly repairUs: number;
    }
  | {
      readonly kind: "zone-outage";
      readonly atUs: number;
      readonly zone: string;
      readonly durationUs: number;
    }
  | {
      readonly kind: "network-partition";
      readonly atUs: number;
      readonly zone: string;
      readonly durationUs: number;
    }
  /** Exactly one of `partition` (that partition's leader) and `zone` (every leader there) is set. */
  | {
      readonly kind: "balancer-crash";
      readonly atUs: number;
      readonly partition: number | null;
      readonly zone: string | null;
    }
  | {
      readonly kind: "slow-hosts";
      readonly atUs: number;
      readonly count: number;
      readonly factor: number;
      readonly durationUs: number;
      readonly zone: string | null;
    }
  | {
      readonly kind: "random-host-crashes";
      readonly mtbfUs: number;
      readonly repairUs: number;
      readonly zone: string | null;
    };

/** Client behaviour (SPEC 2.4). Infinity means no timeout / no retry budget. */
export interface ClientsSpec {
  readonly timeoutUs: number;
  readonly retry: {
    readonly policy: "none" | "immediate" | "backoff" | PolicyModulePath;
    /** Including the first attempt; 1 when `policy` is none. */
    readonly maxAttempts: number;
    readonly baseUs: number;
    readonly capUs: number;
    readonly jitter: "none" | "full" | "equal" | "decorrelated";
    /** Retries may be at most this fraction of first attempts (token bucket); Infinity: no budget. */
    readonly budget: number;
    readonly retryOn: readonly FailureCause[];
    /** Present only when given (a policy module's options). */
    readonly options?: PolicyOptions;
  };
}

/**
 * The functions a population generated: `functions[first .. first + count)`. They share
 * one duration and cold-start distribution, so the workload may draw for all of them
 * at once (src/workload/population.ts).
 */
export interface PopulationRange {
  readonly first: number;
  readonly count: number;
  readonly process: "poisson" | "constant";
}

export interface ResolvedFunction {
  readonly name: string;
  readonly memoryMb: number;
  readonly codeMb: number;
  /** vCPUs a busy sandbox demands (default memoryMb / 1769). */
  readonly cpu: number;
  readonly duration: DistSpec;
  readonly coldStartCached: DistSpec;
  readonly coldStartUncached: DistSpec;
  readonly arrivals: ArrivalSpec | TraceArrivalSpec;
  readonly maxSandboxes: number;
  readonly minSandboxes: number;
  readonly slots: number;
  /** Local FIFO queue per sandbox; Infinity for unlimited. */
  readonly queue: number;
}

export type RoutingPolicyName =
  | "mru"
  | "lru"
  | "random"
  | "round-robin"
  | "least-outstanding"
  | "p2c";

export type PlacementPolicyName =
  | "random"
  | "round-robin"
  | "first-fit"
  | "best-fit"
  | "worst-fit"
  | "p2c"
  | "consistent-hash"
  | "cache-affinity";

/** One of `expect:` (SPEC 4): a bound on a summary number; null where no bound is given. */
export interface Expectation {
  /** A path into summary.json (src/metrics/summary-path.ts). */
  readonly metric: string;
  readonly min: number | null;
  readonly max: number | null;
}

export interface ResolvedScenario {
  readonly name: string;
  readonly description: string;
  readonly seed: number;
  readonly durationUs: number;
  readonly warmupUs: number;
  readonly metricsIntervalUs: number;
  readonly cluster: {
    readonly zones: readonly string[];
    readonly hostsPerZone: number;
    readonly host: {
      readonly memoryMb: number;
      readonly cpus: number;
      readonly codeCacheMb: number;
    };
    readonly failureDetectionUs: number;
    readonly orphanTimeoutUs: number;
    readonly contention: boolean;
  };
  readonly network: {
    /** One-way latencies. */
    readonly sameZone: DistSpec;
    readonly crossZone: DistSpec;
    readonly connectTimeoutUs: number;
  };
  readonly balancer: {
    readonly partitions: number;
    readonly replicas: number;
    readonly replication: "none" | "async" | "sync";
    readonly replicationLagUs: number;
    readonly serviceTimeUs: number;
    readonly routing: {
      readonly policy: RoutingPolicyName | PolicyModulePath;
      readonly d: number;
      readonly options?: PolicyOptions;
    };
    readonly overflow: "throttle" | "queue";
    readonly queue: { readonly maxLength: number; readonly maxWaitUs: number };
    readonly failover: { readonly detectionUs: number; readonly electionUs: number };
  };
  readonly placement: {
    readonly policy: PlacementPolicyName | PolicyModulePath;
    readonly d: number;
    readonly zoneBalance: boolean;
    readonly latencyUs: number;
    readonly boundedLoad: number;
    readonly fallback: PlacementPolicyName;
    readonly options?: PolicyOptions;
  };
  readonly keepAlive: {
    readonly policy: KeepAlivePolicyName | PolicyModulePath;
    readonly ttlUs: number;
    readonly options?: PolicyOptions;
  };
  readonly functions: readonly ResolvedFunction[];
  readonly workload: {
    readonly scale: number;
    /** Present when the scenario replays a trace. */
    readonly trace?: ResolvedTrace;
    /** Present when the scenario has a population: where its functions are in `functions`. */
    readonly population?: PopulationRange;
  };
  readonly faults: readonly FaultSpec[];
  /** null when the scenario has no `clients` section: no timeouts, no retries. */
  readonly clients: ClientsSpec | null;
  /** The answer the scenario states, checked on its summary (the variant's own, if it has one). */
  readonly expect: readonly Expectation[];
  readonly variants: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly sweep: { readonly param: string; readonly values: readonly unknown[] } | null;
  /**
   * The policy modules the scenario loads (SPEC 12), present only when there is one:
   * recorded in results and hashed with the scenario, so shards with different module
   * files never merge.
   */
  readonly plugins?: readonly ResolvedPlugin[];
}

export type KeepAlivePolicyName = "fixed" | "none" | "hybrid";

/** Which policy a module implements: the scenario field that names it decides. */
export type PluginRole = "placement" | "routing" | "keepAlive" | "retry";

/** A policy module, as recorded in results. */
export interface ResolvedPlugin {
  readonly role: PluginRole;
  /** The path as the scenario writes it. */
  readonly path: PolicyModulePath;
  /** SHA-256 of the file's bytes (hex). */
  readonly sha256: string;
}
