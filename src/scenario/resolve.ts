/**
 * Schema output → ResolvedScenario: fills the defaults that depend on other fields,
 * expands zones and the population, adds the functions of a replayed trace (loaded by
 * the caller: see trace.ts) and applies `workload.scale` to every rate.
 * Pure and deterministic: the same input always gives the same scenario.
 */
import type { LoadedTrace } from "../workload/traces/trace.js";
import { expandPopulation, MB_PER_VCPU } from "./population.js";
import type { ScenarioOutput } from "./schema.js";
import { isModulePath } from "./schema-values.js";
import { resolvedTrace, traceFunctions } from "./trace.js";
import type { ArrivalSpec, ResolvedFunction, ResolvedScenario } from "./types.js";

const SECOND_US = 1_000_000;
/** Replicas per partition when not given (capped at the number of zones). */
const DEFAULT_REPLICAS = 3;

/** `trace` is the data `s.workload.trace` names, when it names one. */
export function resolveScenario(s: ScenarioOutput, trace?: LoadedTrace): ResolvedScenario {
  const zones = zoneNames(s.cluster.zones);
  const scale = s.workload.scale;
  const explicit = s.functions.map((f) => resolveFunction(f, scale));
  const generated = s.population === undefined ? [] : expandPopulation(s.population, s.seed, scale);
  const t = s.workload.trace;
  if (t !== undefined && trace === undefined)
    throw new Error("resolveScenario: the trace is not loaded");
  const replayed = t !== undefined && trace !== undefined ? traceFunctions(t, trace, scale) : [];
  const r = s.balancer.routing;
  const routing =
    typeof r === "string" ? { policy: r, d: 2 } : { policy: r.policy, d: r.d, ...optionsOf(r) };
  const balancer = s.balancer;
  const clients = s.clients ?? null;
  return {
    name: s.name,
    description: s.description,
    seed: s.seed,
    durationUs: s.duration,
    warmupUs: s.warmup,
    metricsIntervalUs: s.metricsInterval ?? Math.max(SECOND_US, Math.round(s.duration / 100)),
    cluster: {
      zones,
      hostsPerZone: s.cluster.hostsPerZone,
      host: s.cluster.host,
      failureDetectionUs: s.cluster.failureDetection,
      orphanTimeoutUs: s.cluster.orphanTimeout,
      contention: s.cluster.contention,
    },
    network: {
      sameZone: s.network.sameZone,
      crossZone: s.network.crossZone,
      connectTimeoutUs: s.network.connectTimeout,
    },
    balancer: {
      partitions: balancer.partitions,
      replicas: balancer.replicas ?? Math.min(DEFAULT_REPLICAS, zones.length),
      replication: balancer.replication,
      replicationLagUs: balancer.replicationLag,
      serviceTimeUs: balancer.serviceTime,
      routing,
      overflow: balancer.overflow,
      queue: { maxLength: balancer.queue.maxLength, maxWaitUs: balancer.queue.maxWait },
      failover: {
        detectionUs: balancer.failover.detection,
        electionUs: balancer.failover.election,
      },
    },
    placement: {
      policy: s.placement.policy,
      d: s.placement.d,
      zoneBalance: s.placement.zoneBalance,
      latencyUs: s.placement.latency,
      boundedLoad: s.placement.boundedLoad,
      fallback: s.placement.fallback,
      ...optionsOf(s.placement),
    },
    keepAlive: { policy: s.keepAlive.policy, ttlUs: s.keepAlive.ttl, ...optionsOf(s.keepAlive) },
    functions: [...explicit, ...generated, ...replayed],
    workload: {
      scale,
      ...(t !== undefined && trace !== undefined ? { trace: resolvedTrace(t, trace) } : {}),
      ...(s.population !== undefined
        ? {
            population: {
              first: explicit.length,
              count: generated.length,
              process: s.population.process,
            },
          }
        : {}),
    },
    faults: s.faults,
    clients:
      clients === null || isModulePath(clients.retry.policy)
        ? clients
        : { ...clients, retry: withoutOptions(clients.retry) },
    expect: s.expect,
    variants: s.variants,
    sweep: s.sweep ?? null,
  };
}

/**
 * A policy module's `options`, only when given and the policy is a module: a built-in
 * has none (a variant switching to one leaves the base's options unread), and a
 * scenario without them resolves (and hashes) as it did before options existed.
 */
function optionsOf(section: { policy: string; options?: Record<string, unknown> | undefined }): {
  options?: Readonly<Record<string, unknown>>;
} {
  return section.options === undefined || !isModulePath(section.policy)
    ? {}
    : { options: section.options };
}

function withoutOptions<T extends { options?: unknown }>(retry: T): Omit<T, "options"> {
  const { options: _unread, ...rest } = retry;
  return rest;
}

/** 3 → z1, z2, z3; a list is kept as written. */
export function zoneNames(zones: number | readonly string[]): string[] {
  return typeof zones === "number"
    ? Array.from({ length: zones }, (_, i) => `z${i + 1}`)
    : [...zones];
}

function resolveFunction(f: ScenarioOutput["functions"][number], scale: number): ResolvedFunction {
  return {
    name: f.name,
    memoryMb: f.memoryMb,
    codeMb: f.codeMb ?? f.memoryMb / 4,
    cpu: f.cpu ?? f.memoryMb / MB_PER_VCPU,
    duration: f.duration,
    coldStartCached: f.coldStart.cached,
    coldStartUncached: f.coldStart.uncached,
    arrivals: scaleArrivals(f.arrivals, scale),
    maxSandboxes: f.maxSandboxes,
    minSandboxes: f.minSandboxes,
    slots: f.slots,
    queue: f.queue,
  };
}

export function scaleArrivals(a: ArrivalSpec, scale: number): ArrivalSpec {
  if (scale === 1) return a;
  switch (a.process) {
    case "poisson":
    case "constant":
      return { ...a, rate: a.rate * scale };
    case "steps":
      return { ...a, steps: a.steps.map((s) => ({ atUs: s.atUs, rate: s.rate * scale })) };
    case "onoff":
      return {
        ...a,
        on: { ...a.on, rate: a.on.rate * scale },
        off: { ...a.off, rate: a.off.rate * scale },
      };
    case "diurnal":
      return { ...a, mean: a.mean * scale };
  }
}
