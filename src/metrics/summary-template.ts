/**
 * A summary of the shape a run of a scenario produces, every number 0: what a path of
 * `expect:` (or `compare --metric`) is checked against before anything runs. Its type
 * is the summary's own, so a field added to Summary fails the typecheck here until it
 * is added (and a test compares its paths with a real run's).
 */
import { BREAKDOWN_COMPONENTS } from "../model/requests.js";
import { FAILURE_CAUSES } from "../scenario/schema-faults.js";
import type { DistributionMs } from "./histogram.js";
import type { FunctionSummary, Summary } from "./summary.js";
import { numericPaths } from "./summary-path.js";

const distribution = (): DistributionMs => ({ mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 });

/**
 * `functionNames`: the functions to list (a run lists the 50 busiest: pass those an
 * expectation names); `faultKinds`: one per entry of the summary's `faults` (the
 * scenario's scheduled faults, in order; random host crashes have none).
 */
export function summaryTemplate(
  functionNames: readonly string[],
  faultKinds: readonly string[],
): Summary {
  return {
    scenario: "",
    seed: 0,
    variant: null,
    version: "",
    simulatedSeconds: 0,
    wallSeconds: 0,
    events: 0,
    counterfactualEvents: 0,
    truncated: false,
    requests: { arrived: 0, completed: 0, failed: 0, inFlightAtEnd: 0, attempts: 0, retries: 0 },
    failures: Object.fromEntries(FAILURE_CAUSES.map((c) => [c, 0])) as Summary["failures"],
    errorRatio: 0,
    wastedExecutionSeconds: 0,
    coldStarts: 0,
    coldStartRatio: 0,
    coldStartCache: { hits: 0, misses: 0, hitRatio: 0 },
    latencyMs: distribution(),
    latencyBreakdownMs: Object.fromEntries(
      BREAKDOWN_COMPONENTS.map((c) => [c, 0]),
    ) as Summary["latencyBreakdownMs"],
    waitMs: distribution(),
    sandboxes: {
      created: 0,
      reclaimed: 0,
      lost: 0,
      orphaned: 0,
      peak: 0,
      idleGbSeconds: 0,
      orphanedGbSeconds: 0,
    },
    hosts: { activeHostHours: 0, memoryUtilizationMean: 0, memoryUtilizationP99: 0, imbalance: 0 },
    balancer: { utilizationMax: 0, queueWaitMsP99: 0 },
    faults: faultKinds.map((kind) => ({
      kind,
      atSeconds: 0,
      failedDuring: 0,
      extraColdStarts: 0,
      recoverySeconds: 0,
    })),
    functions: functionNames.map(
      (name): FunctionSummary => ({
        name,
        arrived: 0,
        coldStartRatio: 0,
        latencyMs: { p50: 0, p99: 0 },
      }),
    ),
  };
}

/** Every numeric path a summary with these functions and faults has. */
export function summaryPaths(
  functionNames: readonly string[] = [],
  faultKinds: readonly string[] = [],
): string[] {
  return numericPaths(summaryTemplate(functionNames, faultKinds));
}
