/**
 * The time series of a comparison: per sweep point, a few of timeseries.csv's columns
 * over simulated time, one line per variant (the mean over its seeds, interval by
 * interval: seed k of every variant sees the same workload), fault windows shaded as in
 * a run's report. A series that is 0 throughout for every variant is named, not drawn.
 */
import type { Comparison, RunRecord } from "../experiment/comparison.js";
import type { FaultWindow } from "../metrics/detail.js";
import type { TimeseriesRow } from "../metrics/timeseries.js";
import type { BandSpec, SeriesSpec } from "./chart-spec.js";
import { variantName } from "./comparison-data.js";
import { compact, num, timeUnit } from "./format.js";
import { colour, dash } from "./palette.js";
import type { Figure } from "./run-charts.js";
import { parseTimeseriesCsv } from "./timeseries-csv.js";

/** Most points per line (longer series are averaged k intervals at a time). */
const MAX_POINTS = 600;
/** Most fault windows shaded (random crashes differ seed by seed). */
const MAX_BANDS = 12;

interface Column {
  readonly title: string;
  readonly yLabel: string;
  /** The value of one interval of one run. */
  value(row: TimeseriesRow, lengthSeconds: number): number;
}

/** The columns drawn, in the order of a run's report. */
export const TIME_COLUMNS: readonly Column[] = [
  {
    title: "Latency p99 per interval",
    yLabel: "latency p99 (ms)",
    value: (r) => Number(r.p99_ms),
  },
  {
    title: "Failed requests",
    yLabel: "failed requests per second",
    value: (r, len) => Number(r.failed) / len,
  },
  {
    title: "Cold starts",
    yLabel: "cold starts per second",
    value: (r, len) => Number(r.cold_starts) / len,
  },
  { title: "Sandboxes", yLabel: "sandboxes", value: (r) => Number(r.sandboxes) },
  {
    title: "Active hosts (holding a sandbox)",
    yLabel: "hosts",
    value: (r) => Number(r.hosts_active),
  },
];

/** One run's series: interval starts, and per column its values. */
interface RunSeries {
  readonly t: number[];
  readonly columns: number[][];
}

function runSeries(run: RunRecord): RunSeries | null {
  let rows: TimeseriesRow[];
  try {
    rows = parseTimeseriesCsv(run.timeseriesCsv ?? "");
  } catch {
    return null;
  }
  if (rows.length === 0) return null;
  const t = rows.map((r) => Number(r.t_s));
  const end = t[0]! + run.summary.simulatedSeconds;
  const len = t.map((start, i) => Math.max(1e-6, (t[i + 1] ?? end) - start));
  return { t, columns: TIME_COLUMNS.map((c) => rows.map((r, i) => c.value(r, len[i]!))) };
}

/** Element-wise mean over runs, to the shortest of them. */
function meanOf(series: readonly number[][]): number[] {
  const n = Math.min(...series.map((s) => s.length));
  return Array.from({ length: n }, (_, i) => series.reduce((a, s) => a + s[i]!, 0) / series.length);
}

/** Averages k consecutive values (k = 1: unchanged). */
function thin(xs: readonly number[], k: number, pick: "first" | "mean"): number[] {
  const out: number[] = [];
  for (let i = 0; i < xs.length; i += k) {
    const g = xs.slice(i, i + k);
    out.push(pick === "first" ? g[0]! : g.reduce((a, b) => a + b, 0) / g.length);
  }
  return out;
}

function bandsOf(runs: readonly RunRecord[], unitSeconds: number): BandSpec[] {
  const seen = new Map<string, FaultWindow>();
  for (const r of runs)
    for (const w of r.faultWindows ?? [])
      seen.set(`${w.kind}@${w.startSeconds}-${w.endSeconds}`, w);
  return [...seen.values()]
    .sort((a, b) => a.startSeconds - b.startSeconds)
    .slice(0, MAX_BANDS)
    .map((w) => ({
      from: w.startSeconds / unitSeconds,
      to: w.endSeconds / unitSeconds,
      label: w.kind,
    }));
}

export interface TimeFigures {
  readonly figures: Figure[];
  /** Titles of the columns that are 0 throughout (not drawn). */
  readonly flat: string[];
}

/** The time-series charts at sweep point `point` (-1 without a sweep); null: no series kept. */
export function comparisonTimeCharts(c: Comparison, point: number): TimeFigures | null {
  const runs = c.runs.filter((r) => r.point === point);
  const perVariant = c.variants.map((v) =>
    runs
      .filter((r) => r.variant === v)
      .map(runSeries)
      .filter((s): s is RunSeries => s !== null),
  );
  const reference = perVariant.find((s) => s.length > 0)?.[0];
  if (!reference) return null;
  const n = Math.min(
    ...perVariant.filter((s) => s.length > 0).flatMap((s) => s.map((x) => x.t.length)),
  );
  const k = Math.max(1, Math.ceil(n / MAX_POINTS));
  const t = thin(reference.t.slice(0, n), k, "first");
  const span = (reference.t[n - 1] ?? 0) - (reference.t[0] ?? 0) || 1;
  const unit = timeUnit(span);
  const bands = bandsOf(runs, unit.seconds);
  const figures: Figure[] = [];
  const flat: string[] = [];
  const seeds = Math.max(...perVariant.map((s) => s.length));
  TIME_COLUMNS.forEach((column, j) => {
    const lines = perVariant.map((series) =>
      series.length === 0
        ? null
        : thin(meanOf(series.map((s) => s.columns[j]!.slice(0, n))), k, "mean"),
    );
    if (lines.every((l) => l === null || l.every((x) => x === 0))) {
      flat.push(column.title);
      return;
    }
    const series: SeriesSpec[] = lines.map((values, vi) => ({
      label: variantName(c.variants[vi]!),
      colour: colour(vi),
      dash: dash(vi),
      values: (values ?? t.map(() => null)).map((x) => compact(x)),
    }));
    figures.push({
      spec: {
        kind: "lines",
        title: `${column.title}, mean over ${seeds} seeds per variant`,
        xLabel: `simulated time (${unit.label})`,
        yLabel: column.yLabel,
        x: t.map((x) => compact(x / unit.seconds)!),
        series,
        bands,
      },
      shows: peaksText(c, lines, t, unit, k),
    });
  });
  return { figures, flat };
}

function peaksText(
  c: Comparison,
  lines: readonly (number[] | null)[],
  t: readonly number[],
  unit: { label: string; seconds: number },
  k: number,
): string {
  const peaks = lines
    .map((l, vi) => {
      if (!l || l.length === 0) return null;
      let at = 0;
      l.forEach((x, i) => {
        if (x > l[at]!) at = i;
      });
      return { vi, value: l[at]!, at };
    })
    .filter((p) => p !== null)
    .sort((a, b) => b.value - a.value || a.vi - b.vi);
  const when = (i: number) => `t = ${num(t[i]! / unit.seconds)} ${unit.label}`;
  const top = peaks[0]!;
  const low = peaks[peaks.length - 1]!;
  const name = (vi: number) => variantName(c.variants[vi]!);
  let text =
    peaks.length === 1
      ? `The mean over seeds peaks at ${num(top.value)} (${when(top.at)}).`
      : `Highest peak: ${name(top.vi)}, ${num(top.value)} at ${when(top.at)}; lowest peak: ${name(low.vi)}, ${num(low.value)} at ${when(low.at)}.`;
  if (k > 1) text += ` Each point averages ${k} metrics intervals.`;
  return text;
}
