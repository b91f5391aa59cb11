/**
 * Running one planned run of a comparison: load the scenario with the run's variant,
 * sweep value and seed, simulate it, and keep what the comparison needs. Used in the
 * main thread (--jobs 1) and in worker threads alike.
 */
import { loadScenario } from "../scenario/load.js";
import type { RunRecord } from "./comparison.js";
import type { RunSpec } from "./plan.js";
import { Run } from "./run.js";

export interface RunTask {
  readonly file: string;
  readonly sets: readonly string[];
  readonly sweepParam: string | null;
  readonly spec: RunSpec;
}

export function executeRun(task: RunTask): RunRecord {
  const { spec } = task;
  const scenario = loadScenario(task.file, {
    sets: task.sets,
    variant: spec.variant ?? undefined,
    overrides:
      task.sweepParam !== null && spec.point >= 0 ? [[task.sweepParam, spec.sweepValue]] : [],
    seed: spec.seed,
  });
  const run = new Run(scenario, { variant: spec.variant });
  run.runToEnd();
  const result = run.finish(0);
  // No wall-clock time in a comparison: it must not depend on --jobs or the machine.
  return {
    ...spec,
    summary: { ...result.summary, wallSeconds: 0 },
    latencyBuckets: result.latencyBuckets,
    timeseriesCsv: result.timeseriesCsv,
    faultWindows: result.detail.faultWindows,
  };
}
