/**
 * The result of a comparison (comparison.json): every run's summary and latency buckets,
 * and per sweep point and variant each metric's mean over seeds with its 95% Student-t
 * half-width, and the paired difference to the first variant (same seed: common random
 * numbers). The statistics are recomputed from the runs, so a result merged from shards
 * is identical to an unsharded one.
 */
import type { FaultWindow } from "../metrics/detail.js";
import type { Summary } from "../metrics/summary.js";
import type { ResolvedPlugin } from "../scenario/types.js";
import type { ComparedMetric } from "./metrics.js";
import type { RunSpec, Shard } from "./plan.js";
import { confidenceHalfWidth, mean } from "./stats.js";

export interface RunRecord extends RunSpec {
  readonly summary: Summary;
  readonly latencyBuckets: [number, number][];
  /** The run's timeseries.csv (SPEC 5 columns), for the stacked export and the report. */
  readonly timeseriesCsv: string;
  /** When faults acted (as in a run's report), for shading the time series. */
  readonly faultWindows: FaultWindow[];
}

export interface Estimate {
  readonly mean: number;
  /** 95% half-width; null with fewer than two seeds. */
  readonly halfWidth: number | null;
  readonly n: number;
}

export interface Difference extends Estimate {
  /** The interval excludes zero. */
  readonly significant: boolean;
  /** Fewest seeds from which the difference stays significant (null if it never is). */
  readonly seedsNeeded: number | null;
}

export interface MetricResult {
  /** Over the runs that have a value. */
  readonly estimate: Estimate | null;
  readonly difference: Difference | null;
  /** Runs where the value is null (a fault never recovered from): worse than any value. */
  readonly never: number;
}

export interface VariantResult {
  readonly variant: string | null;
  readonly metrics: Record<string, MetricResult>;
}

export interface PointResult {
  readonly point: number;
  readonly sweepValue: unknown;
  readonly variants: VariantResult[];
}

export interface Comparison {
  readonly kind: "lbsim-comparison";
  readonly version: string;
  readonly scenario: string;
  /** Hash of the resolved scenario (seed aside): shards of different scenarios never merge. */
  readonly scenarioHash: string;
  /**
   * The policy modules the compared variants load, each with its file's SHA-256 (SPEC
   * 12); absent when none does. Shards whose modules differ never merge.
   */
  readonly plugins?: readonly ResolvedPlugin[];
  readonly baseSeed: number;
  readonly seeds: number;
  readonly variants: (string | null)[];
  readonly sweep: { param: string; values: unknown[] } | null;
  readonly metrics: string[];
  /** The planned number of runs, and the shard this file holds (null: all of them). */
  readonly plannedRuns: number;
  readonly shard: Shard | null;
  readonly truncated: boolean;
  readonly runs: RunRecord[];
  readonly results: PointResult[];
}

const round = (x: number): number => Number(x.toPrecision(6));

function estimate(xs: number[]): Estimate | null {
  if (xs.length === 0) return null;
  const hw = confidenceHalfWidth(xs);
  return { mean: round(mean(xs)), halfWidth: Number.isNaN(hw) ? null : round(hw), n: xs.length };
}

function difference(diffs: number[]): Difference | null {
  const e = estimate(diffs);
  if (!e) return null;
  const significantWith = (xs: number[]): boolean => {
    if (xs.length < 2) return false;
    const hw = confidenceHalfWidth(xs);
    return Math.abs(mean(xs)) > hw;
  };
  let seedsNeeded: number | null = null;
  for (let k = diffs.length; k >= 2 && significantWith(diffs.slice(0, k)); k--) seedsNeeded = k;
  return { ...e, significant: significantWith(diffs), seedsNeeded };
}

/** The per-point, per-variant statistics of `runs` (any order; sorted by seed here). */
export function tabulate(
  runs: readonly RunRecord[],
  variants: readonly (string | null)[],
  sweep: Comparison["sweep"],
  metrics: readonly ComparedMetric[],
): PointResult[] {
  const points = sweep ? sweep.values.map((v, i) => [i, v] as const) : [[-1, null] as const];
  return points.map(([point, sweepValue]) => {
    const bySeed = (variant: string | null): Map<number, Summary> =>
      new Map(
        runs
          .filter((r) => r.point === point && r.variant === variant)
          .sort((a, b) => a.seed - b.seed)
          .map((r) => [r.seed, r.summary]),
      );
    const first = bySeed(variants[0] ?? null);
    return {
      point,
      sweepValue,
      variants: variants.map((variant, vi) => {
        const mine = bySeed(variant);
        const entries = metrics.map((m) => {
          const values: number[] = [];
          const diffs: number[] = [];
          let never = 0;
          for (const [seed, s] of mine) {
            const x = m.read(s);
            if (x === null) never++;
            if (x === null || x === undefined) continue;
            values.push(x);
            const base = first.get(seed);
            const y = base ? m.read(base) : null;
            if (y !== null && y !== undefined) diffs.push(x - y);
          }
          const result: MetricResult = {
            estimate: estimate(values),
            difference: vi === 0 ? null : difference(diffs),
            never,
          };
          return [m.name, result] as const;
        });
        return { variant, metrics: Object.fromEntries(entries) };
      }),
    };
  });
}
