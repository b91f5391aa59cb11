/**
 * One row per metrics interval over the measured window: counts of what happened in
 * the interval, latency percentiles of requests that completed in it, and gauges
 * sampled at its end. Rows are kept (a run has few intervals) and written as CSV.
 */
import { msFromUs } from "../kernel/time.js";
import { FAILURE_CAUSES } from "../model/observer.js";
import type { IntervalStats } from "./fault-impact.js";
import { LatencyHistogram, round } from "./histogram.js";

export const TIMESERIES_COLUMNS = [
  "t_s",
  "arrivals",
  "completed",
  "failed",
  "throttled",
  "cold_starts",
  "p50_ms",
  "p99_ms",
  "sandboxes",
  "busy_sandboxes",
  "idle_sandboxes",
  "hosts_up",
  "hosts_active",
  "memory_used_gb",
  "fault",
] as const;

export type TimeseriesRow = Record<(typeof TIMESERIES_COLUMNS)[number], number | string>;

export interface Gauges {
  sandboxes: number;
  busySandboxes: number;
  idleSandboxes: number;
  hostsUp: number;
  hostsActive: number;
  memoryUsedMb: number;
  /** Not in the CSV (its columns are fixed by SPEC 5): kept in `extra` for the report. */
  orphanedSandboxes: number;
  initializingSandboxes: number;
}

/**
 * Per-interval series the CSV does not carry (its columns are fixed), kept for the
 * report: failed attempts by cause (index into FAILURE_CAUSES) and sandbox gauges.
 */
export interface ExtraSeries {
  readonly failuresByCause: number[][];
  readonly orphanedSandboxes: number[];
  readonly initializingSandboxes: number[];
}

export class Timeseries {
  readonly rows: TimeseriesRow[] = [];
  /** The same intervals with their latency buckets, for the fault-impact metrics. */
  readonly intervals: IntervalStats[] = [];
  arrivals = 0;
  completed = 0;
  failed = 0;
  throttled = 0;
  coldStarts = 0;
  latency = new LatencyHistogram();
  /** Failed attempts of the open interval by cause (index into FAILURE_CAUSES). */
  readonly failuresByCause = new Float64Array(FAILURE_CAUSES.length);
  readonly extra: ExtraSeries = {
    failuresByCause: FAILURE_CAUSES.map(() => []),
    orphanedSandboxes: [],
    initializingSandboxes: [],
  };

  /** Closes the interval [startUs, endUs). */
  close(startUs: number, endUs: number, gauges: Gauges, fault: string): void {
    this.intervals.push({
      startUs,
      endUs,
      completed: this.completed,
      failed: this.failed,
      coldStarts: this.coldStarts,
      latency: this.latency.buckets,
    });
    this.rows.push({
      t_s: round(startUs / 1e6),
      arrivals: this.arrivals,
      completed: this.completed,
      failed: this.failed,
      throttled: this.throttled,
      cold_starts: this.coldStarts,
      p50_ms: round(msFromUs(this.latency.percentileUs(50))),
      p99_ms: round(msFromUs(this.latency.percentileUs(99))),
      sandboxes: gauges.sandboxes,
      busy_sandboxes: gauges.busySandboxes,
      idle_sandboxes: gauges.idleSandboxes,
      hosts_up: gauges.hostsUp,
      hosts_active: gauges.hostsActive,
      memory_used_gb: round(gauges.memoryUsedMb / 1024),
      fault,
    });
    this.failuresByCause.forEach((n, cause) => {
      this.extra.failuresByCause[cause]!.push(n);
    });
    this.failuresByCause.fill(0);
    this.extra.orphanedSandboxes.push(gauges.orphanedSandboxes);
    this.extra.initializingSandboxes.push(gauges.initializingSandboxes);
    this.arrivals = 0;
    this.completed = 0;
    this.failed = 0;
    this.throttled = 0;
    this.coldStarts = 0;
    this.latency = new LatencyHistogram();
  }

  toCsv(): string {
    const lines = [TIMESERIES_COLUMNS.join(",")];
    for (const row of this.rows)
      lines.push(TIMESERIES_COLUMNS.map((c) => csvCell(row[c])).join(","));
    return `${lines.join("\n")}\n`;
  }
}

function csvCell(v: number | string): string {
  if (typeof v === "number") return String(v);
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
