/**
 * The time series of a run as columns, ready to chart: timeseries.csv's rows plus the
 * per-interval series of the detail, merged k intervals at a time when there are too
 * many to draw (counts add up; latency percentiles keep the worst interval; gauges keep
 * the last sample).
 */
import type { RunDetail } from "../metrics/detail.js";
import type { TimeseriesRow } from "../metrics/timeseries.js";

/** Most points a time-series chart draws. */
export const MAX_POINTS = 1500;

export interface Frame {
  /** Start of each interval, simulated seconds. */
  readonly t: number[];
  /** Length of each interval, seconds. */
  readonly len: number[];
  readonly arrivals: number[];
  readonly completed: number[];
  readonly failed: number[];
  readonly throttled: number[];
  readonly coldStarts: number[];
  readonly p50: number[];
  readonly p99: number[];
  readonly sandboxes: number[];
  readonly busy: number[];
  readonly idle: number[];
  readonly hostsUp: number[];
  readonly hostsActive: number[];
  readonly orphaned: number[] | null;
  readonly initializing: number[] | null;
  readonly causes: Record<string, number[]> | null;
  /** Intervals merged into each point (1: none). */
  readonly merged: number;
}

const num = (row: TimeseriesRow, col: keyof TimeseriesRow): number => Number(row[col]);

/** `endSeconds`: the end of the last interval (simulated seconds since time 0). */
export function buildFrame(
  rows: readonly TimeseriesRow[],
  detail: RunDetail | null,
  endSeconds: number,
): Frame {
  const n = rows.length;
  const k = Math.max(1, Math.ceil(n / MAX_POINTS));
  // An interval ends where the next starts; the last at the end of the run.
  const len = rows.map((row, i) => {
    const end = i + 1 < n ? num(rows[i + 1]!, "t_s") : endSeconds;
    return Math.max(1e-6, end - num(row, "t_s"));
  });
  const intervals = detail?.intervals;
  const fits = (xs: readonly number[] | undefined): xs is number[] => xs?.length === n;
  const col = (c: keyof TimeseriesRow): number[] => rows.map((r) => num(r, c));
  const sum = (xs: number[]): number[] => groups(xs, k, (g) => g.reduce((a, b) => a + b, 0));
  const max = (xs: number[]): number[] => groups(xs, k, (g) => Math.max(...g));
  const last = (xs: number[]): number[] => groups(xs, k, (g) => g[g.length - 1]!);
  const causes =
    intervals && Object.values(intervals.failuresByCause).every(fits)
      ? Object.fromEntries(Object.entries(intervals.failuresByCause).map(([c, xs]) => [c, sum(xs)]))
      : null;
  return {
    t: groups(col("t_s"), k, (g) => g[0]!),
    len: sum(len),
    arrivals: sum(col("arrivals")),
    completed: sum(col("completed")),
    failed: sum(col("failed")),
    throttled: sum(col("throttled")),
    coldStarts: sum(col("cold_starts")),
    p50: max(col("p50_ms")),
    p99: max(col("p99_ms")),
    sandboxes: last(col("sandboxes")),
    busy: last(col("busy_sandboxes")),
    idle: last(col("idle_sandboxes")),
    hostsUp: last(col("hosts_up")),
    hostsActive: last(col("hosts_active")),
    orphaned: fits(intervals?.orphanedSandboxes) ? last(intervals.orphanedSandboxes) : null,
    initializing: fits(intervals?.initializingSandboxes)
      ? last(intervals.initializingSandboxes)
      : null,
    causes,
    merged: k,
  };
}

function groups(xs: readonly number[], k: number, f: (g: number[]) => number): number[] {
  const out: number[] = [];
  for (let i = 0; i < xs.length; i += k) out.push(f(xs.slice(i, i + k)));
  return out;
}

/** Per-second rate of counts over the frame's intervals. */
export function perSecond(frame: Frame, counts: readonly number[]): number[] {
  return counts.map((c, i) => c / frame.len[i]!);
}

/** Index of the largest value (the first if tied); -1 if empty. */
export function argMax(xs: readonly number[]): number {
  let best = -1;
  xs.forEach((x, i) => {
    if (best < 0 || x > xs[best]!) best = i;
  });
  return best;
}

export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
