/**
 * The library's entry points over a scenario: `loadScenario` (the command line's
 * loader, from a file or from an object), `simulate` (one run, with the user's own
 * watchers and an AbortSignal) and `compare` (the command line's comparison).
 */
import { join, resolve } from "node:path";
import { type CompareOptions, compare as compareRuns } from "../experiment/compare.js";
import type { Comparison } from "../experiment/comparison.js";
import { ObserverFanOut, type SimulationObserver } from "../experiment/observers.js";
import { Run } from "../experiment/run.js";
import { inSteps } from "../experiment/run-spec.js";
import type { Summary } from "../metrics/summary.js";
import type { TimeseriesRow } from "../metrics/timeseries.js";
import { loadPlugins } from "../policies/plugins/load.js";
import { parseTimeseriesCsv } from "../report/timeseries-csv.js";
import { loadScenario as loadFile, loadScenarioText } from "../scenario/load.js";
import type { ResolvedScenario } from "../scenario/types.js";

/** Options of {@link loadScenario}. */
export interface LoadScenarioOptions {
  /** `path=value` overrides, as `--set` (applied after the variant). */
  readonly set?: readonly string[];
  /** A name from the scenario's `variants`. */
  readonly variant?: string;
  /** Replaces the scenario's seed (as `--seed`). */
  readonly seed?: number;
  /**
   * For a scenario given as an object: the directory its relative paths (policy modules,
   * traces, `extends`) are read from. Default: the working directory.
   */
  readonly baseDir?: string;
}

/** How to load a scenario again with another seed (what `simulate`'s `seed` does). */
const reloaders = new WeakMap<ResolvedScenario, (seed: number) => ResolvedScenario>();

/**
 * Reads, validates and resolves a scenario exactly as the command line does: a file
 * path (YAML or JSON), or the scenario as an object. Synchronous: it locates and hashes
 * the policy modules the scenario names but does not import them (`simulate` and
 * `compare` do).
 *
 * @throws ScenarioError listing every problem, each with file, field path and line.
 */
export function loadScenario(
  pathOrObject: string | object,
  options: LoadScenarioOptions = {},
): ResolvedScenario {
  const load = (seed: number | undefined): ResolvedScenario => {
    const common = { sets: options.set, variant: options.variant, seed };
    if (typeof pathOrObject === "string") return loadFile(pathOrObject, common);
    const name = join(resolve(options.baseDir ?? "."), "scenario-object.json");
    return loadScenarioText(JSON.stringify(pathOrObject), name, common);
  };
  const scenario = load(options.seed);
  reloaders.set(scenario, (seed) => load(seed));
  return scenario;
}

/** Options of {@link simulate}. */
export interface SimulateOptions {
  /**
   * Runs with this root seed instead of the scenario's. For a scenario from
   * `loadScenario`, it is loaded again with the seed (as `--seed`: a population drawn
   * from the seed changes with it); otherwise only the seed field changes.
   */
  readonly seed?: number;
  /** Your own watchers of the model's events (read-only: they cannot steer the run). */
  readonly observers?: readonly SimulationObserver[];
  /** Aborting stops the run at its current simulated time: the summary says `truncated`. */
  readonly signal?: AbortSignal;
  /** Recorded in the summary's `variant` field. */
  readonly variant?: string | null;
  /** Hears of each policy module loaded, with its SHA-256. */
  readonly onPluginLoad?: (file: string, sha256: string) => void;
}

/** What {@link simulate} returns. */
export interface SimulationResult {
  /** summary.json's content (SPEC 5). */
  readonly summary: Summary;
  /** The time series, one row per metrics interval (timeseries.csv's columns). */
  readonly timeseries: TimeseriesRow[];
  /** The same, as timeseries.csv's text. */
  readonly timeseriesCsv: string;
}

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * Runs one simulation: loads the scenario's policy modules, builds the world, runs it
 * to the end (or until `signal` aborts) and returns the summary and time series. The
 * same scenario and seed always give the same result. Gives the event loop a turn
 * between steps, so that an abort is seen.
 *
 * @throws ScenarioError or PluginError (bad input), PluginError from a module's
 *   decision at run time, InvariantViolation when the model broke an invariant.
 */
export async function simulate(
  scenario: ResolvedScenario,
  options: SimulateOptions = {},
): Promise<SimulationResult> {
  const s =
    options.seed === undefined
      ? scenario
      : (reloaders.get(scenario)?.(options.seed) ?? { ...scenario, seed: options.seed });
  await loadPlugins(s, options.onPluginLoad);
  const observers = options.observers?.length ? new ObserverFanOut(options.observers) : undefined;
  const run = new Run(s, { variant: options.variant ?? null, observers });
  const { signal } = options;
  for (const _ of inSteps(run)) {
    if (signal?.aborted) break;
    await turn();
    if (signal?.aborted) break;
  }
  const result = run.finish(0);
  return {
    summary: result.summary,
    timeseries: parseTimeseriesCsv(result.timeseriesCsv),
    timeseriesCsv: result.timeseriesCsv,
  };
}

/** Options of {@link compare}: those of `lbsim compare`, by name. */
export type CompareScenarioOptions = Partial<Omit<CompareOptions, "file">>;

/**
 * Runs every variant (and sweep point) of a scenario file over seeds, on `jobs` worker
 * threads (default 1: in this thread), and returns the comparison (comparison.json's
 * content): means with 95% intervals and paired differences to the first variant.
 * Policy modules are loaded here first, then by each worker.
 */
export function compare(file: string, options: CompareScenarioOptions = {}): Promise<Comparison> {
  return compareRuns({ ...options, file, seeds: options.seeds ?? 5, jobs: options.jobs ?? 1 });
}
