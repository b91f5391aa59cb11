/**
 * What a run records beyond the summary, for the report (report.html) to draw: the
 * resolved scenario, the latency distribution, the host memory utilisation
 * distribution, per-interval series the CSV does not carry (its columns are fixed by
 * SPEC 5) and the windows when faults acted. `run --out` writes it into summary.json as
 * one added field, `detail`, after every SPEC field.
 */
import { FAILURE_CAUSES, type FailureCause } from "../model/observer.js";
import type { ResolvedScenario } from "../scenario/types.js";
import type { FaultOccurrence } from "./fault-impact.js";
import { round } from "./histogram.js";
import type { Recorder } from "./recorder.js";

/** Functions of the resolved scenario kept in the detail (a population can hold thousands). */
export const DETAIL_FUNCTIONS_MAX = 50;
/** Fault windows kept (random host crashes can make many). */
export const FAULT_WINDOWS_MAX = 200;

export interface FaultWindow {
  readonly kind: string;
  readonly startSeconds: number;
  readonly endSeconds: number;
}

export interface RunDetail {
  /** The resolved scenario (times in µs, null for unlimited), the first functions only. */
  readonly scenario: Record<string, unknown>;
  /** Functions of the scenario left out of `scenario.functions`. */
  readonly functionsOmitted: number;
  /** End-to-end latencies in µs as [bucket, count] pairs (log-buckets.ts). */
  readonly latencyBuckets: [number, number][];
  /** Samples of up hosts' memory use, one per host per interval, per whole percent. */
  readonly hostUtilizationPercent: number[];
  /** Per interval, in the CSV's row order. */
  readonly intervals: {
    readonly failuresByCause: Record<FailureCause, number[]>;
    readonly orphanedSandboxes: number[];
    readonly initializingSandboxes: number[];
  };
  /** When faults acted, scheduled faults exactly and random crashes to the interval. */
  readonly faultWindows: FaultWindow[];
  /** Windows left out past FAULT_WINDOWS_MAX. */
  readonly faultWindowsOmitted: number;
}

export function buildDetail(
  r: Recorder,
  scenario: ResolvedScenario,
  occurrences: readonly FaultOccurrence[],
  endUs: number,
): RunDetail {
  const latencyBuckets: [number, number][] = [];
  r.latency.buckets.forEach((i, c) => {
    latencyBuckets.push([i, c]);
  });
  const extra = r.timeseries.extra;
  const windows = faultWindows(occurrences, r.timeseries.rows, endUs);
  // Through JSON, as summary.json holds it: Infinity (unlimited) becomes null.
  const resolved = { ...scenario, functions: scenario.functions.slice(0, DETAIL_FUNCTIONS_MAX) };
  return {
    scenario: JSON.parse(JSON.stringify(resolved)) as Record<string, unknown>,
    functionsOmitted: Math.max(0, scenario.functions.length - DETAIL_FUNCTIONS_MAX),
    latencyBuckets,
    hostUtilizationPercent: [...r.hostUtilizationPercent],
    intervals: {
      failuresByCause: Object.fromEntries(
        FAILURE_CAUSES.map((cause, i) => [cause, [...extra.failuresByCause[i]!]]),
      ) as Record<FailureCause, number[]>,
      orphanedSandboxes: [...extra.orphanedSandboxes],
      initializingSandboxes: [...extra.initializingSandboxes],
    },
    faultWindows: windows.slice(0, FAULT_WINDOWS_MAX),
    faultWindowsOmitted: Math.max(0, windows.length - FAULT_WINDOWS_MAX),
  };
}

/**
 * Fault windows: each scheduled fault from its onset to when it stops acting (clamped to
 * the run), and, for what the time series' `fault` column names but no scheduled fault
 * explains (random host crashes), the runs of consecutive intervals naming it.
 */
export function faultWindows(
  occurrences: readonly FaultOccurrence[],
  rows: readonly { t_s: number | string; fault: number | string }[],
  endUs: number,
): FaultWindow[] {
  const windows: FaultWindow[] = occurrences.map((o) => ({
    kind: o.kind,
    startSeconds: round(o.atUs / 1e6),
    endSeconds: round(Math.min(Math.max(o.endUs, o.atUs), endUs) / 1e6),
  }));
  const open = new Map<string, { start: number; end: number }>();
  const close = (kind: string): void => {
    const w = open.get(kind);
    if (w) windows.push({ kind: `random ${kind}`, startSeconds: w.start, endSeconds: w.end });
    open.delete(kind);
  };
  rows.forEach((row, i) => {
    const start = Number(row.t_s);
    const next = rows[i + 1];
    const end = next ? Number(next.t_s) : round(endUs / 1e6);
    const unexplained = String(row.fault)
      .split("+")
      .filter((kind) => kind !== "" && !explained(kind, start, end, occurrences));
    for (const kind of [...open.keys()]) if (!unexplained.includes(kind)) close(kind);
    for (const kind of unexplained) {
      const w = open.get(kind);
      if (w) w.end = end;
      else open.set(kind, { start, end });
    }
  });
  for (const kind of [...open.keys()]) close(kind);
  return windows;
}

function explained(
  kind: string,
  startS: number,
  endS: number,
  occurrences: readonly FaultOccurrence[],
): boolean {
  return occurrences.some(
    (o) => o.kind === kind && o.atUs < endS * 1e6 && Math.max(o.endUs, o.atUs + 1) > startS * 1e6,
  );
}

/**
 * summary.json's text: the summary's fields as SPEC 5 lists them (indented), then the
 * detail as one added field on a single line, so the summary stays easy to read.
 */
export function summaryJsonText(summary: object, detail: RunDetail): string {
  const pretty = JSON.stringify(summary, null, 2);
  return `${pretty.slice(0, -2)},\n  "detail": ${JSON.stringify(detail)}\n}\n`;
}
