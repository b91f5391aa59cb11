/**
 * The charts of a comparison, each with a sentence from the numbers: per metric the
 * means with their 95% intervals and the paired differences to the first variant; the
 * latency CDFs of all variants (their runs' buckets pooled exactly) per sweep point; and
 * with a sweep, the main metrics against the swept value, one line per variant.
 */
import type { Comparison } from "../experiment/comparison.js";
import type { ChartSpec, SeriesSpec } from "./chart-spec.js";
import {
  axisLabel,
  bestAt,
  estimateText,
  type MetricView,
  numericSweep,
  pointLabels,
  valueText,
  variantName,
  withUnit,
  worstAt,
} from "./comparison-data.js";
import { compact, num, relative } from "./format.js";
import { cdfAt, edgeGrid, percentileUs, poolBuckets } from "./latency.js";
import { colour, dash } from "./palette.js";
import type { Figure } from "./run-charts.js";

const scaled = (x: number | null | undefined, k: number): number | null =>
  x === null || x === undefined ? null : compact(x * k);

/** A y range holding every value and interval end, and 0, with a little headroom. */
function rangeOf(series: readonly SeriesSpec[]): [number, number] {
  let lo = 0;
  let hi = 0;
  for (const s of series)
    for (const xs of [s.values, s.lo ?? [], s.hi ?? []])
      for (const x of xs)
        if (x !== null) {
          lo = Math.min(lo, x);
          hi = Math.max(hi, x);
        }
  const pad = (hi - lo) * 0.08 || 1;
  return [lo < 0 ? lo - pad : 0, hi > 0 ? hi + pad : pad];
}

const unitText = (x: number | null, m: MetricView): string => withUnit(num(x), m);

/** Means ± 95% CI: categories are the sweep points (or one), one bar per variant. */
export function metricBars(c: Comparison, m: MetricView): Figure {
  // With a sweep the axis names the parameter: categories are its values.
  const categories = c.sweep ? c.sweep.values.map(valueText) : [m.label];
  const series: SeriesSpec[] = c.variants.map((v, vi) => {
    const est = m.estimates.map((row) => row[vi] ?? null);
    return {
      label: variantName(v),
      colour: colour(vi),
      values: est.map((e) => scaled(e?.mean, m.scale)),
      lo: est.map((e) => (e?.halfWidth == null ? null : scaled(e.mean - e.halfWidth, m.scale))),
      hi: est.map((e) => (e?.halfWidth == null ? null : scaled(e.mean + e.halfWidth, m.scale))),
    };
  });
  const spec: ChartSpec = {
    kind: "bars",
    title: `${m.label}: mean over ${c.seeds} seeds with 95% confidence intervals`,
    xLabel: c.sweep ? c.sweep.param : "variant",
    yLabel: axisLabel(m),
    categories,
    x: categories.map((_, i) => i),
    series,
    yRange: rangeOf(series),
  };
  return { spec, shows: barsText(c, m) };
}

function barsText(c: Comparison, m: MetricView): string {
  const last = m.estimates.length - 1;
  const best = bestAt(m, last);
  const worst = worstAt(m, last);
  if (best < 0) return "No run has this metric.";
  const at = c.sweep ? ` at ${pointLabels(c)[last]}` : "";
  // A variant that never got a value (never recovered) reads "never (0/5)", and ranks last.
  const fmt = (v: number) => estimateText(m, last, v, true);
  let text =
    c.variants.length === 1
      ? `${variantName(c.variants[0]!)}: ${fmt(0)}${at}.`
      : `${m.lowerIsBetter ? "Lowest" : "Highest"}${at}: ${variantName(c.variants[best]!)} (${fmt(best)}); ${m.lowerIsBetter ? "highest" : "lowest"}: ${variantName(c.variants[worst]!)} (${fmt(worst)}).`;
  if (c.sweep && c.variants.length > 1) {
    const wins = m.estimates.map((_, p) => bestAt(m, p));
    const counts = c.variants.map((_, v) => wins.filter((w) => w === v).length);
    const top = counts.indexOf(Math.max(...counts));
    text += ` ${variantName(c.variants[top]!)} is best at ${counts[top]} of ${wins.length} sweep points.`;
  }
  return text;
}

/** Paired differences to the first variant ± 95% CI; pale bars: the interval includes 0. */
export function differenceBars(c: Comparison, m: MetricView): Figure | null {
  if (c.variants.length < 2) return null;
  // With a sweep the axis names the parameter: categories are its values.
  const categories = c.sweep ? c.sweep.values.map(valueText) : [m.label];
  const series: SeriesSpec[] = c.variants.slice(1).map((v, i) => {
    const vi = i + 1;
    const d = m.differences.map((row) => row[vi] ?? null);
    return {
      label: `${variantName(v)} − ${variantName(c.variants[0]!)}`,
      colour: colour(vi),
      values: d.map((x) => scaled(x?.mean, m.scale)),
      lo: d.map((x) => (x?.halfWidth == null ? null : scaled(x.mean - x.halfWidth, m.scale))),
      hi: d.map((x) => (x?.halfWidth == null ? null : scaled(x.mean + x.halfWidth, m.scale))),
      pale: d.map((x) => !x?.significant),
    };
  });
  const spec: ChartSpec = {
    kind: "bars",
    title: `${m.label}: paired difference to ${variantName(c.variants[0]!)} (same seeds)`,
    xLabel: c.sweep ? c.sweep.param : "variant",
    yLabel: `Δ ${axisLabel(m)}`,
    categories,
    x: categories.map((_, i) => i),
    series,
    yRange: rangeOf(series),
    zeroLine: true,
  };
  return { spec, shows: differenceText(c, m) };
}

function differenceText(c: Comparison, m: MetricView): string {
  const base = variantName(c.variants[0]!);
  const last = m.differences.length - 1;
  const lead = c.sweep ? `At ${pointLabels(c)[last]}, ` : "";
  const parts: string[] = [];
  c.variants.forEach((v, vi) => {
    if (vi === 0) return;
    const d = m.differences[last]![vi];
    const e = m.estimates[last]![vi];
    const b = m.estimates[last]![0];
    if (!d || !e || !b) return;
    const size = `${relative(e.mean, b.mean)} (${d.mean > 0 ? "+" : ""}${unitText(d.mean * m.scale, m)}${d.halfWidth == null ? "" : ` ± ${num(d.halfWidth * m.scale)}`})`;
    parts.push(
      d.significant
        ? `${variantName(v)} is ${size}, a real difference (the interval excludes 0 from ${d.seedsNeeded ?? d.n} seeds)`
        : `${variantName(v)} is ${size}, not distinguishable from ${base} with ${d.n} seeds`,
    );
  });
  if (parts.length === 0) return "No paired difference could be computed.";
  return `${lead}${parts.join("; ")}. Pale bars: the 95% interval includes 0.`;
}

/** Latency CDFs of all variants at one sweep point, each pooled over its runs. */
export function cdfOverlay(c: Comparison, point: number): Figure | null {
  const pooled = c.variants.map((v) =>
    poolBuckets(
      c.runs
        .filter((r) => r.point === (c.sweep ? point : -1) && r.variant === v)
        .map((r) => r.latencyBuckets),
    ),
  );
  const edges = edgeGrid(pooled);
  if (edges.length === 0) return null;
  const series: SeriesSpec[] = pooled.map((b, vi) => ({
    label: variantName(c.variants[vi]!),
    colour: colour(vi),
    dash: dash(vi),
    values: cdfAt(b, edges).map((f) => compact(f * 100)),
  }));
  const p = (q: number) => pooled.map((b) => percentileUs(b, q));
  const p99 = p(99);
  const p50 = p(50);
  const where = c.sweep ? ` at ${pointLabels(c)[point]}` : "";
  let shows: string;
  if (c.variants.length === 1)
    shows = `Pooled over ${c.seeds} seeds${where}: p50 ${ms(p50[0]!)}, p99 ${ms(p99[0]!)}.`;
  else {
    const present = p99.map((x, i) => [x, i] as const).filter(([x]) => x !== null) as [
      number,
      number,
    ][];
    present.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const [fast, slow] = [present[0]!, present[present.length - 1]!];
    const p50s = p50.filter((x): x is number => x !== null);
    shows = `Each variant's runs pooled (${c.seeds} seeds)${where}: at p99 ${variantName(c.variants[fast[1]]!)} is fastest (${ms(fast[0])}) and ${variantName(c.variants[slow[1]]!)} slowest (${ms(slow[0])}); medians range from ${ms(Math.min(...p50s))} to ${ms(Math.max(...p50s))}.`;
  }
  return {
    spec: {
      kind: "lines",
      title: `Latency distribution (CDF) per variant${where}`,
      xLabel: "latency (ms, log scale)",
      yLabel: "requests at or below (%)",
      xLog: true,
      x: edges.map((us) => compact(us / 1000)!),
      series,
      yRange: [0, 100],
    },
    shows,
  };
}

function ms(us: number | null): string {
  return us === null ? "–" : `${num(us / 1000)} ms`;
}

/** One metric against the swept value, one line per variant with 95% whiskers. */
export function sweepLines(c: Comparison, m: MetricView): Figure | null {
  if (!c.sweep) return null;
  const numeric = numericSweep(c);
  const labels = pointLabels(c).map((l) => l.slice(c.sweep!.param.length + 1));
  const series: SeriesSpec[] = c.variants.map((v, vi) => {
    const est = m.estimates.map((row) => row[vi] ?? null);
    return {
      label: variantName(v),
      colour: colour(vi),
      dash: dash(vi),
      points: true,
      values: est.map((e) => scaled(e?.mean, m.scale)),
      lo: est.map((e) => (e?.halfWidth == null ? null : scaled(e.mean - e.halfWidth, m.scale))),
      hi: est.map((e) => (e?.halfWidth == null ? null : scaled(e.mean + e.halfWidth, m.scale))),
    };
  });
  const spec: ChartSpec = {
    kind: "lines",
    title: `${m.label} against ${c.sweep.param}`,
    xLabel: c.sweep.param,
    yLabel: axisLabel(m),
    ...(numeric ? {} : { categories: labels }),
    x: numeric ?? labels.map((_, i) => i),
    series,
    yRange: rangeOf(series),
  };
  return { spec, shows: sweepText(c, m, labels) };
}

function sweepText(c: Comparison, m: MetricView, labels: string[]): string {
  const first = 0;
  const last = labels.length - 1;
  const trend = c.variants
    .map((v, vi) => {
      const a = estimateText(m, first, vi, true);
      const b = estimateText(m, last, vi, true);
      return a !== "–" && b !== "–" ? `${variantName(v)} ${a} → ${b}` : null;
    })
    .filter((x) => x !== null)
    .slice(0, 4);
  const best = bestAt(m, last);
  const worst = worstAt(m, last);
  let text = `From ${c.sweep!.param} = ${labels[first]} to ${labels[last]}: ${trend.join("; ")}${c.variants.length > 4 ? "; …" : ""}.`;
  const b = m.estimates[last]?.[best];
  const w = m.estimates[last]?.[worst];
  const neverAtWorst = (m.never[last]?.[worst] ?? 0) > 0;
  if (best >= 0 && b && c.variants.length > 1) {
    const than = `than ${variantName(c.variants[worst]!)}`;
    text +=
      w && b.mean === w.mean && !neverAtWorst
        ? ` At ${labels[last]} all variants are equal.`
        : ` At ${labels[last]} ${variantName(c.variants[best]!)} is best (${estimateText(m, last, best, true)}), ${w && !neverAtWorst ? `${relative(b.mean, w.mean)} ${than}` : `against ${estimateText(m, last, worst, true)} for ${variantName(c.variants[worst]!)}`}.`;
  }
  return text;
}
