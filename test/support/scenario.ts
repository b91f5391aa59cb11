/**
 * Resolved scenarios built in code for model and theory tests: the degenerate
 * configuration of SPEC 9 (no network, no balancer service time, exponential
 * durations, Poisson arrivals), with overrides.
 */
import type { ResolvedFunction, ResolvedScenario } from "../../src/scenario/types.js";

const zero = { dist: "constant", value: 0 } as const;

export function fn(overrides: Partial<ResolvedFunction> = {}): ResolvedFunction {
  return {
    name: "f",
    memoryMb: 128,
    codeMb: 32,
    cpu: 128 / 1769,
    duration: { dist: "exponential", mean: 1000 },
    coldStartCached: zero,
    coldStartUncached: zero,
    arrivals: { process: "poisson", rate: 500 },
    maxSandboxes: Number.POSITIVE_INFINITY,
    minSandboxes: 0,
    slots: 1,
    queue: 0,
    ...overrides,
  };
}

type Overrides = {
  [K in keyof ResolvedScenario]?: ResolvedScenario[K] extends object
    ? Partial<ResolvedScenario[K]>
    : ResolvedScenario[K];
};

export function scenario(overrides: Overrides = {}): ResolvedScenario {
  const base: ResolvedScenario = {
    name: "test",
    description: "",
    seed: 1,
    durationUs: 60e6,
    warmupUs: 0,
    metricsIntervalUs: 1e6,
    cluster: {
      zones: ["z1"],
      hostsPerZone: 4,
      host: { memoryMb: 32768, cpus: 16, codeCacheMb: 0 },
      failureDetectionUs: 3e6,
      orphanTimeoutUs: 900e6,
      contention: false,
    },
    network: { sameZone: zero, crossZone: zero, connectTimeoutUs: 1e6 },
    balancer: {
      partitions: 1,
      replicas: 1,
      replication: "none",
      replicationLagUs: 100e3,
      serviceTimeUs: 0,
      routing: { policy: "mru", d: 2 },
      overflow: "throttle",
      queue: { maxLength: Number.POSITIVE_INFINITY, maxWaitUs: Number.POSITIVE_INFINITY },
      failover: { detectionUs: 1e6, electionUs: 300e3 },
    },
    placement: {
      policy: "first-fit",
      d: 2,
      zoneBalance: false,
      latencyUs: 0,
      boundedLoad: 1.25,
      fallback: "random",
    },
    keepAlive: { policy: "fixed", ttlUs: 600e6 },
    functions: [fn()],
    workload: { scale: 1 },
    faults: [],
    clients: null,
    expect: [],
    variants: {},
    sweep: null,
  };
  const merged: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(overrides)) {
    const b = (base as unknown as Record<string, unknown>)[k];
    merged[k] =
      v && typeof v === "object" && !Array.isArray(v) && b && typeof b === "object"
        ? { ...b, ...v }
        : v;
  }
  return merged as unknown as ResolvedScenario;
}
