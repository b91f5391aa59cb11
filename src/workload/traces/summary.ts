/**
 * A trace in a few lines, for `lbsim trace convert`: what was read, how many functions
 * and invocations are replayed (and what was left out), the rate over time as a
 * sparkline, and the busiest functions.
 */
import { quantile } from "../../kernel/distributions.js";
import type { LoadedTrace, TraceFunction } from "./trace.js";

const SPARK = "▁▂▃▄▅▆▇█";
const SPARK_WIDTH = 72;
const BUSIEST = 10;

const int = (x: number): string => Math.round(x).toLocaleString("en-US");

export interface TraceSummaryJson {
  format: string;
  files: readonly string[];
  digest: string;
  minutes: [number, number];
  functions: number;
  invocations: number;
  meanPerSecond: number;
  peakPerSecond: number;
  peakMinute: number;
  leftOut: LoadedTrace["leftOut"];
  defaultMemory: number;
  perMinute: number[];
  busiest: {
    name: string;
    key: string;
    invocations: number;
    memoryMb: number;
    durationMs: { p50: number; p99: number };
  }[];
}

export function summaryJson(trace: LoadedTrace): TraceSummaryJson {
  const minutes = trace.lastMinute - trace.firstMinute + 1;
  let peak = 0;
  let peakAt = 0;
  trace.perMinute.forEach((n, i) => {
    if (n > peak) {
      peak = n;
      peakAt = i;
    }
  });
  return {
    format: trace.format,
    files: trace.files,
    digest: trace.digest,
    minutes: [trace.firstMinute, trace.lastMinute],
    functions: trace.functions.length,
    invocations: trace.invocations,
    meanPerSecond: trace.invocations / (minutes * 60),
    peakPerSecond: peak / 60,
    peakMinute: trace.firstMinute + peakAt,
    leftOut: trace.leftOut,
    defaultMemory: trace.defaultMemory,
    perMinute: [...trace.perMinute],
    busiest: busiest(trace.functions).map((f) => ({
      name: f.name,
      key: f.key,
      invocations: f.invocations,
      memoryMb: f.memoryMb,
      durationMs: { p50: quantile(f.duration, 0.5) / 1000, p99: quantile(f.duration, 0.99) / 1000 },
    })),
  };
}

export function summaryText(trace: LoadedTrace): string {
  const s = summaryJson(trace);
  const minutes = s.minutes[1] - s.minutes[0] + 1;
  const lines = [
    `${s.format} trace: ${s.files.join(", ")} (digest ${s.digest})`,
    `  minutes      ${s.minutes[0]}..${s.minutes[1]} (${span(minutes)}); the first starts at simulated time 0`,
    `  functions    ${int(s.functions)} replayed`,
    `  invocations  ${int(s.invocations)}: ${rate(s.meanPerSecond)}/s on average, ${rate(s.peakPerSecond)}/s at the peak (minute ${s.peakMinute})`,
  ];
  for (const left of s.leftOut)
    lines.push(
      `  left out     ${int(left.functions)} function(s), ${int(left.invocations)} invocations: ${left.reason}`,
    );
  if (s.defaultMemory > 0)
    lines.push(`  memory       ${int(s.defaultMemory)} function(s) got the default memory size`);
  lines.push("", ...sparkline(trace.perMinute, s.minutes[0]), "", ...busiestTable(s));
  return lines.join("\n");
}

function span(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const h = minutes / 60;
  return `${Number.isInteger(h) ? h : h.toFixed(1)} h`;
}

function rate(x: number): string {
  return x >= 100 ? int(x) : x.toPrecision(3);
}

/** Invocations per second over the window, one mark per group of minutes. */
function sparkline(perMinute: Float64Array, first: number): string[] {
  const n = perMinute.length;
  if (n === 0) return [];
  const group = Math.ceil(n / SPARK_WIDTH);
  const values: number[] = [];
  for (let i = 0; i < n; i += group) {
    let sum = 0;
    const end = Math.min(n, i + group);
    for (let j = i; j < end; j++) sum += perMinute[j]!;
    values.push(sum / ((end - i) * 60));
  }
  // Scaled from the lowest to the highest, so that the shape shows even on a high floor.
  const max = Math.max(...values);
  const min = Math.min(...values);
  const level = (v: number): number =>
    max === min
      ? 3
      : Math.min(SPARK.length - 1, Math.floor(((v - min) / (max - min)) * SPARK.length));
  const marks = values.map((v) => SPARK[level(v)]).join("");
  const last = String(first + n - 1);
  const each = group === 1 ? "one mark per minute" : `one mark per ${group} minutes`;
  return [
    `invocations per second (${each}; from ${rate(min)}/s ▁ to ${rate(max)}/s █)`,
    `  ${marks}`,
    `  ${String(first).padEnd(Math.max(1, marks.length - last.length))}${last}`,
  ];
}

function busiest(functions: readonly TraceFunction[]): TraceFunction[] {
  return [...functions].sort((a, b) => b.invocations - a.invocations).slice(0, BUSIEST);
}

function busiestTable(s: TraceSummaryJson): string[] {
  const header = `busiest functions (${Math.min(BUSIEST, s.functions)} of ${int(s.functions)})`;
  const rows = s.busiest.map((f, i) =>
    [
      String(i + 1).padStart(4),
      f.name.padEnd(14),
      int(f.invocations).padStart(12),
      `${((100 * f.invocations) / Math.max(1, s.invocations)).toFixed(1)}%`.padStart(7),
      int(f.memoryMb).padStart(7),
      (f.durationMs.p50 === f.durationMs.p99
        ? `mean ${ms(f.durationMs.p50)}`
        : ms(f.durationMs.p50)
      ).padStart(10),
      (f.durationMs.p50 === f.durationMs.p99 ? "" : ms(f.durationMs.p99)).padStart(10),
    ].join("  "),
  );
  const titles = [
    "   #",
    "function".padEnd(14),
    "invocations".padStart(12),
    "share".padStart(7),
    "MB".padStart(7),
    "p50".padStart(10),
    "p99".padStart(10),
  ];
  return [header, titles.join("  "), ...rows];
}

function ms(x: number): string {
  if (x >= 1000) return `${(x / 1000).toPrecision(3)} s`;
  return `${x < 10 ? x.toPrecision(2) : Math.round(x)} ms`;
}
