/**
 * The run summary of SPEC 5, built from what the recorder kept. Field order is fixed
 * (it is part of the byte-for-byte determinism of summary.json).
 */
import { msFromUs } from "../kernel/time.js";
import { FAILURE_CAUSES } from "../model/observer.js";
import { BREAKDOWN_COMPONENTS, type BreakdownComponent } from "../model/requests.js";
import { type DistributionMs, round } from "./histogram.js";
import type { Recorder } from "./recorder.js";

export interface FaultSummary {
  kind: string;
  atSeconds: number;
  failedDuring: number;
  extraColdStarts: number;
  recoverySeconds: number | null;
}

export interface FunctionSummary {
  name: string;
  arrived: number;
  coldStartRatio: number;
  latencyMs: { p50: number; p99: number };
}

export interface Summary {
  scenario: string;
  seed: number;
  variant: string | null;
  version: string;
  simulatedSeconds: number;
  wallSeconds: number;
  events: number;
  /**
   * Events of the fault-free twin run that fault impacts are measured against (0 without
   * faults): the price of the counterfactual.
   */
  counterfactualEvents: number;
  truncated: boolean;
  requests: {
    arrived: number;
    completed: number;
    failed: number;
    inFlightAtEnd: number;
    attempts: number;
    retries: number;
  };
  failures: Record<(typeof FAILURE_CAUSES)[number], number>;
  errorRatio: number;
  /** Execution time spent on attempts whose client had already given up (timed out). */
  wastedExecutionSeconds: number;
  coldStarts: number;
  coldStartRatio: number;
  /**
   * Cold starts (of requests that arrived after the warmup) on a host whose code cache
   * held the function's package (hits) or not (misses): hits + misses = coldStarts, and
   * hitRatio = hits / coldStarts (0 without cold starts). Without a cache
   * (`codeCacheMb: 0`) every cold start is a miss: hits 0, misses = coldStarts.
   */
  coldStartCache: { hits: number; misses: number; hitRatio: number };
  latencyMs: DistributionMs;
  /**
   * The mean time of completed requests in each component (SPEC 2.1): they add up to
   * latencyMs.mean (up to rounding). All 0 when nothing completed.
   */
  latencyBreakdownMs: Record<BreakdownComponent, number>;
  waitMs: DistributionMs;
  sandboxes: {
    created: number;
    reclaimed: number;
    lost: number;
    orphaned: number;
    peak: number;
    idleGbSeconds: number;
    orphanedGbSeconds: number;
  };
  hosts: {
    activeHostHours: number;
    memoryUtilizationMean: number;
    memoryUtilizationP99: number;
    imbalance: number;
  };
  balancer: { utilizationMax: number; queueWaitMsP99: number };
  faults: FaultSummary[];
  functions: FunctionSummary[];
}

export interface SummaryContext {
  scenario: string;
  seed: number;
  variant: string | null;
  version: string;
  /** Simulated time covered by the metrics (the measured window, shorter if truncated). */
  measuredUs: number;
  wallSeconds: number;
  events: number;
  counterfactualEvents: number;
  truncated: boolean;
  inFlightAtEnd: number;
  peakSandboxes: number;
  faults: FaultSummary[];
  /** How many functions to list (the busiest first); Infinity for all. */
  functionLimit: number;
}

const ratio = (a: number, b: number): number => (b > 0 ? round(a / b) : 0);

export function buildSummary(r: Recorder, c: SummaryContext): Summary {
  const failures = Object.fromEntries(
    FAILURE_CAUSES.map((name, i) => [name, r.failures[i]!]),
  ) as Summary["failures"];
  const measuredS = c.measuredUs / 1e6;
  let busiest = 0;
  for (const busy of r.balancerBusyUs) busiest = Math.max(busiest, busy);
  return {
    scenario: c.scenario,
    seed: c.seed,
    variant: c.variant,
    version: c.version,
    simulatedSeconds: round(measuredS),
    wallSeconds: round(c.wallSeconds),
    events: c.events,
    counterfactualEvents: c.counterfactualEvents,
    truncated: c.truncated,
    requests: {
      arrived: r.count.arrived,
      completed: r.count.completed,
      failed: r.count.failed,
      inFlightAtEnd: c.inFlightAtEnd,
      attempts: r.count.attempts,
      retries: r.count.retries,
    },
    failures,
    errorRatio: ratio(r.count.failed, r.count.completed + r.count.failed),
    wastedExecutionSeconds: round(r.wastedUs / 1e6),
    coldStarts: r.count.coldStarts,
    coldStartRatio: ratio(r.count.coldStarts, r.count.started),
    coldStartCache: {
      hits: r.count.coldStartCacheHits,
      misses: r.count.coldStarts - r.count.coldStartCacheHits,
      hitRatio: ratio(r.count.coldStartCacheHits, r.count.coldStarts),
    },
    latencyMs: r.latency.summaryMs(),
    latencyBreakdownMs: breakdown(r),
    waitMs: r.wait.summaryMs(),
    sandboxes: {
      created: r.sandboxesCreated,
      reclaimed: r.sandboxesReclaimed,
      lost: r.sandboxesLost,
      orphaned: r.sandboxesOrphaned,
      peak: c.peakSandboxes,
      idleGbSeconds: round(r.idleMemory.area / 1024 / 1e6),
      orphanedGbSeconds: round(r.orphanedMemory.area / 1024 / 1e6),
    },
    hosts: {
      activeHostHours: round(r.activeHosts.area / 3.6e9),
      memoryUtilizationMean: round(r.hostUtilization.meanUs() / 10_000),
      memoryUtilizationP99: round(r.hostUtilization.percentileUs(99) / 10_000),
      imbalance: r.imbalanceSamples > 0 ? round(r.imbalanceSum / r.imbalanceSamples) : 0,
    },
    balancer: {
      utilizationMax: c.measuredUs > 0 ? round(busiest / c.measuredUs) : 0,
      queueWaitMsP99: round(msFromUs(r.balancerQueue.percentileUs(99))),
    },
    faults: c.faults,
    functions: functionSummaries(r, c.functionLimit),
  };
}

function breakdown(r: Recorder): Summary["latencyBreakdownMs"] {
  const n = r.count.completed;
  return Object.fromEntries(
    BREAKDOWN_COMPONENTS.map((name, i) => [
      name,
      n > 0 ? round(msFromUs(r.breakdownUs[i]! / n)) : 0,
    ]),
  ) as Summary["latencyBreakdownMs"];
}

function functionSummaries(r: Recorder, limit: number): FunctionSummary[] {
  const fns = r.functions;
  const order = Array.from({ length: fns.count }, (_, i) => i)
    .sort((a, b) => fns.arrived(b) - fns.arrived(a) || a - b)
    .slice(0, limit);
  return order.map((i) => {
    const latency = fns.latency(i);
    return {
      name: fns.names[i]!,
      arrived: fns.arrived(i),
      coldStartRatio: ratio(fns.coldStarts(i), fns.started(i)),
      latencyMs: {
        p50: round(msFromUs(latency.percentileUs(50))),
        p99: round(msFromUs(latency.percentileUs(99))),
      },
    };
  });
}
