/**
 * Running one planned run of a comparison: load the scenario with the run's variant,
 * sweep value and seed, load its policy modules, simulate it, and keep what the
 * comparison needs. Used in the main thread (--jobs 1) and in worker threads alike.
 */
import { PluginError } from "../policies/plugins/errors.js";
import { loadPlugins } from "../policies/plugins/load.js";
import { loadScenario } from "../scenario/load.js";
import { pluginLocation } from "../scenario/plugins.js";
import type { ResolvedPlugin } from "../scenario/types.js";
import type { RunRecord } from "./comparison.js";
import type { RunSpec } from "./plan.js";
import { Run } from "./run.js";

export interface RunTask {
  readonly file: string;
  readonly sets: readonly string[];
  readonly sweepParam: string | null;
  readonly spec: RunSpec;
  /** The policy modules the comparison recorded: a run must load exactly these files. */
  readonly plugins: readonly ResolvedPlugin[];
}

/** Builds the run of a task, ready to advance (after loading its policy modules). */
export async function startRun(task: RunTask): Promise<Run> {
  const { spec } = task;
  const scenario = loadScenario(task.file, {
    sets: task.sets,
    variant: spec.variant ?? undefined,
    overrides:
      task.sweepParam !== null && spec.point >= 0 ? [[task.sweepParam, spec.sweepValue]] : [],
    seed: spec.seed,
  });
  for (const p of scenario.plugins ?? []) {
    const recorded = task.plugins.some(
      (q) => q.path === p.path && q.role === p.role && q.sha256 === p.sha256,
    );
    if (!recorded)
      throw new PluginError(
        pluginLocation(p).file,
        "the file changed while the comparison ran",
        false,
      );
  }
  await loadPlugins(scenario);
  return new Run(scenario, { variant: spec.variant });
}

/** About this many events per step: a few tens of milliseconds at a few million events/s. */
const STEP_EVENTS = 100_000;

/**
 * Advances `run` in steps, yielding after each one that does not reach the end, so that
 * the caller can report progress or stop (and then call finish(), for a truncated run).
 * A step's length in simulated time follows the number of events it took (halved when
 * far above STEP_EVENTS, doubled when far below), so a step stays short in wall time
 * without reading a clock. Where the steps fall never changes the result: events up
 * to a step's end are all executed before it returns.
 */
export function* inSteps(run: Run): Generator<void, void> {
  const longest = Math.max(1, Math.floor(run.endUs / 100));
  let slice = Math.min(longest, 1000);
  for (;;) {
    const before = run.events;
    if (run.advance(run.nowUs + slice)) return;
    yield;
    const took = run.events - before;
    if (took > 2 * STEP_EVENTS) slice = Math.max(1, Math.floor(slice / 2));
    else if (took < STEP_EVENTS / 2) slice = Math.min(longest, slice * 2);
  }
}

/** Closes the run's books (at its end, or where it was stopped) into the comparison's record. */
export function recordOf(task: RunTask, run: Run): RunRecord {
  const result = run.finish(0);
  // No wall-clock time in a comparison: it must not depend on --jobs or the machine.
  return {
    ...task.spec,
    summary: { ...result.summary, wallSeconds: 0 },
    latencyBuckets: result.latencyBuckets,
    timeseriesCsv: result.timeseriesCsv,
    faultWindows: result.detail.faultWindows,
  };
}
