/**
 * `lbsim compare`: every variant x every sweep point x seeds, run on worker threads,
 * tabulated with confidence intervals. Also what `lbsim merge` needs to put shards back
 * together: the result is assembled from its runs by one function whether they came
 * from one process or many.
 */
import { createHash } from "node:crypto";
import { packageVersion } from "../package-info.js";
import { loadPlugins } from "../policies/plugins/load.js";
import { loadScenario } from "../scenario/load.js";
import type { ResolvedPlugin, ResolvedScenario } from "../scenario/types.js";
import { type Comparison, type RunRecord, tabulate } from "./comparison.js";
import { checkMetricNames, defaultMetricNames, metricByName, metricContext } from "./metrics.js";
import { inShard, planRuns, type RunSpec, type Shard } from "./plan.js";
import { runAll } from "./pool.js";
import type { RunTask } from "./run-spec.js";

/** A usage problem of compare or merge (exit 2). */
export class CompareUsageError extends Error {}

export interface CompareOptions {
  readonly file: string;
  readonly sets?: readonly string[];
  readonly seed?: number;
  readonly seeds: number;
  readonly jobs: number;
  readonly variants?: readonly string[];
  readonly sweep?: { param: string; values: unknown[] } | null;
  readonly shard?: Shard | null;
  /** Metric paths (--metric); default: the set that follows the scenario (metrics.ts). */
  readonly metrics?: readonly string[];
  readonly onDone?: (record: RunRecord, total: number) => void;
  /** Called before the first run, when a run starts, after each step of one, and when one ends. */
  readonly onProgress?: (progress: CompareProgress) => void;
  /**
   * Aborting stops the runs in flight at their current simulated time (their summaries
   * say `truncated`) and starts no more; the comparison is then marked truncated.
   */
  readonly signal?: AbortSignal;
  /** Hears of each policy module loaded (in this thread, before any run), with its hash. */
  readonly onPluginLoad?: (file: string, sha256: string) => void;
}

/** Where a comparison stands: runs done, and the simulated time of those in flight. */
export interface CompareProgress {
  readonly total: number;
  readonly done: number;
  /** By run index. */
  readonly inFlight: readonly RunInFlight[];
}

export interface RunInFlight {
  readonly spec: RunSpec;
  readonly nowUs: number;
  readonly endUs: number;
}

/** Everything that identifies a comparison apart from its runs. */
export type ComparisonMeta = Omit<Comparison, "runs" | "results" | "truncated" | "shard">;

export async function compare(options: CompareOptions): Promise<Comparison> {
  const sets = options.sets ?? [];
  const base = loadScenario(options.file, { sets, seed: options.seed });
  const variants = chooseVariants(base, options.variants);
  const sweep =
    options.sweep ??
    (base.sweep ? { param: base.sweep.param, values: [...base.sweep.values] } : null);
  if (options.sweep) {
    // A sweep from the command line is validated here, point by point, before any run.
    for (const value of options.sweep.values)
      loadScenario(options.file, { sets, overrides: [[options.sweep.param, value]] });
  }
  const scenarios = variants.map((v) =>
    v === null ? base : loadScenario(options.file, { sets, variant: v, seed: base.seed }),
  );
  if (sweep && /^(placement|balancer|keepAlive|clients)\b/.test(sweep.param))
    for (const value of sweep.values)
      for (const v of variants)
        scenarios.push(
          loadScenario(options.file, {
            sets,
            variant: v ?? undefined,
            overrides: [[sweep.param, value]],
          }),
        );
  const plugins = await loadAllPlugins(scenarios, options.onPluginLoad);
  const context = metricContext(scenarios.slice(0, variants.length));
  let metrics: string[];
  try {
    metrics = options.metrics
      ? checkMetricNames(options.metrics, context).map((m) => m.name)
      : defaultMetricNames(context);
  } catch (error) {
    throw new CompareUsageError((error as Error).message);
  }
  const meta: ComparisonMeta = {
    kind: "lbsim-comparison",
    version: packageVersion(),
    scenario: base.name,
    scenarioHash: scenarioHash(base, variants, sweep),
    ...(plugins.length > 0 ? { plugins } : {}),
    baseSeed: base.seed,
    seeds: options.seeds,
    variants,
    sweep,
    metrics,
    plannedRuns: 0,
  };
  const plan = planRuns({ variants, sweep, baseSeed: base.seed, seeds: options.seeds });
  const shard = options.shard ?? null;
  const tasks: RunTask[] = plan
    .filter((r) => inShard(r, shard))
    .map((spec) => ({ file: options.file, sets, sweepParam: sweep?.param ?? null, spec, plugins }));
  const progress = new ProgressTracker(tasks, options.onProgress);
  const records = await runAll(tasks, {
    jobs: options.jobs,
    onDone: (r) => {
      progress.done(r.index);
      options.onDone?.(r, tasks.length);
    },
    onProgress: (p) => progress.step(p.index, p.nowUs, p.endUs),
    signal: options.signal,
  });
  const truncated = records.length < tasks.length || records.some((r) => r.summary.truncated);
  return assemble({ ...meta, plannedRuns: plan.length }, records, shard, truncated);
}

/** Keeps the runs done and in flight, and tells `listener` after each change. */
class ProgressTracker {
  private doneCount = 0;
  private readonly inFlight = new Map<number, RunInFlight>();
  private readonly specs: Map<number, RunSpec>;

  constructor(
    tasks: readonly RunTask[],
    private readonly listener: ((progress: CompareProgress) => void) | undefined,
  ) {
    this.specs = new Map(tasks.map((t) => [t.spec.index, t.spec]));
    this.tell();
  }

  step(index: number, nowUs: number, endUs: number): void {
    const spec = this.specs.get(index);
    if (spec) this.inFlight.set(index, { spec, nowUs, endUs });
    this.tell();
  }

  done(index: number): void {
    this.inFlight.delete(index);
    this.doneCount++;
    this.tell();
  }

  private tell(): void {
    if (!this.listener) return;
    const inFlight = [...this.inFlight.values()].sort((a, b) => a.spec.index - b.spec.index);
    this.listener({ total: this.specs.size, done: this.doneCount, inFlight });
  }
}

/** Builds a comparison from its runs: the same bytes however the runs were produced. */
export function assemble(
  meta: ComparisonMeta,
  runs: readonly RunRecord[],
  shard: Shard | null,
  truncated: boolean,
): Comparison {
  const sorted = [...runs].sort((a, b) => a.index - b.index);
  const metrics = meta.metrics.map((name) => {
    const m = metricByName(name);
    if (!m) throw new CompareUsageError(`unknown metric ${JSON.stringify(name)} in the result`);
    return m;
  });
  return {
    ...meta,
    shard,
    truncated,
    runs: sorted,
    results: tabulate(sorted, meta.variants, meta.sweep, metrics),
  };
}

/**
 * Loads (and so checks) every policy module the runs will load, here before any run,
 * and lists each once: the record of which code the comparison ran.
 */
async function loadAllPlugins(
  scenarios: readonly ResolvedScenario[],
  onLoad: ((file: string, sha256: string) => void) | undefined,
): Promise<ResolvedPlugin[]> {
  const seen = new Map<string, ResolvedPlugin>();
  for (const s of scenarios) {
    await loadPlugins(s, (file, sha256) => {
      if (![...seen.values()].some((p) => p.sha256 === sha256)) onLoad?.(file, sha256);
    });
    for (const p of s.plugins ?? []) seen.set(`${p.role} ${p.path} ${p.sha256}`, p);
  }
  return [...seen.values()].sort((a, b) =>
    a.role === b.role ? (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) : a.role < b.role ? -1 : 1,
  );
}

function chooseVariants(
  base: ResolvedScenario,
  picked: readonly string[] | undefined,
): (string | null)[] {
  const all = Object.keys(base.variants);
  if (!picked || picked.length === 0) return all.length > 0 ? all : [null];
  for (const name of picked)
    if (!all.includes(name))
      throw new CompareUsageError(
        `--variants: no variant "${name}" in the scenario (it has: ${all.join(", ") || "none"})`,
      );
  return [...picked];
}

/**
 * Hash of what the runs depend on (the seed aside: it is recorded on its own): the
 * resolved scenario, each compared variant with its definition (its overrides, a
 * variant's `expect` among them: a name alone would let a changed variant pass for the
 * old one) and the sweep. `merge` recomputes it from a scenario file to know that the
 * file is the one the shards ran before checking their expectations against it.
 */
export function scenarioHash(
  base: ResolvedScenario,
  variants: readonly (string | null)[],
  sweep: unknown,
): string {
  const compared = variants.map((v) => (v === null ? null : [v, base.variants[v] ?? null]));
  const text = JSON.stringify({ ...base, seed: 0, variants: compared, sweep }, (_k, v) =>
    typeof v === "number" && !Number.isFinite(v) ? String(v) : v,
  );
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}
