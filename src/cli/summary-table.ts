/**
 * The readable summary `lbsim run` prints: the numbers a platform engineer looks at
 * first, formatted as everywhere else (report/format.ts: about 4 significant digits,
 * thousands separators, ratios in percent). `--format csv` prints every numeric field
 * instead, by its dotted path, unformatted.
 */
import Table from "cli-table3";
import {
  numericLeaves,
  parsePath,
  SUMMARY_FIELDS,
  templateOf,
} from "../experiment/summary-fields.js";
import { csvCell } from "../experiment/tidy-csv.js";
import type { DistributionMs } from "../metrics/histogram.js";
import type { Summary } from "../metrics/summary.js";
import { num, pct } from "../report/format.js";
import { componentLabel } from "../report/run-charts.js";
import { TERMINAL_WIDTH } from "./fit-table.js";

const ms = (d: DistributionMs): string =>
  `mean ${num(d.mean)}  p50 ${num(d.p50)}  p90 ${num(d.p90)}  p99 ${num(d.p99)}  p99.9 ${num(d.p999)}  max ${num(d.max)}`;

/** The mean latency's components with time in them, largest first. */
function breakdown(s: Summary): string {
  const parts = Object.entries(s.latencyBreakdownMs)
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1]);
  if (parts.length === 0) return "none completed";
  return parts.map(([name, v]) => `${componentLabel(name)} ${num(v)}`).join(", ");
}

export function summaryTable(s: Summary): string {
  const rows: [string, string][] = [];
  const r = s.requests;
  const failures = Object.entries(s.failures)
    .filter(([, n]) => n > 0)
    .map(([cause, n]) => `${cause} ${num(n)}`)
    .join(", ");
  rows.push(
    [
      "scenario",
      `${s.scenario}${s.variant ? ` (${s.variant})` : ""}, seed ${s.seed}${s.truncated ? ", TRUNCATED" : ""}`,
    ],
    [
      "simulated",
      `${num(s.simulatedSeconds)} s in ${num(s.wallSeconds)} s wall, ${num(s.events)} events`,
    ],
    [
      "requests",
      `${num(r.arrived)} arrived, ${num(r.completed)} completed, ${num(r.failed)} failed, ${num(r.inFlightAtEnd)} in flight`,
    ],
    ["errors", `${pct(s.errorRatio)}${failures ? ` (${failures})` : ""}`],
    [
      "cold starts",
      `${num(s.coldStarts)} (${pct(s.coldStartRatio)} of executions), ${num(s.coldStartCache.hits)} with the package cached`,
    ],
    ["latency (ms)", ms(s.latencyMs)],
    ["latency by part (ms)", breakdown(s)],
    ["wait (ms)", ms(s.waitMs)],
    [
      "sandboxes",
      `${num(s.sandboxes.created)} created, ${num(s.sandboxes.reclaimed)} reclaimed, peak ${num(s.sandboxes.peak)}, idle ${num(s.sandboxes.idleGbSeconds)} GB·s`,
    ],
    [
      "hosts",
      `${num(s.hosts.activeHostHours)} active host-hours, memory ${pct(s.hosts.memoryUtilizationMean)} mean / ${pct(s.hosts.memoryUtilizationP99)} p99, imbalance ${num(s.hosts.imbalance)}`,
    ],
    [
      "balancer",
      `busiest leader ${pct(s.balancer.utilizationMax)}, queue wait p99 ${num(s.balancer.queueWaitMsP99)} ms`,
    ],
  );
  // Fits the terminal (120 columns): long values wrap at spaces.
  const labelWidth = Math.max(...rows.map(([label]) => label.length)) + 2;
  const valueWidth = Math.min(
    Math.max(...rows.map(([, value]) => value.length)) + 2,
    TERMINAL_WIDTH - labelWidth - 3,
  );
  const table = new Table({
    head: ["metric", "value"],
    colWidths: [labelWidth, valueWidth],
    wordWrap: true,
    style: { head: [], border: [] },
  });
  table.push(...rows);
  return table.toString();
}

/** Every numeric field of the summary as `field,unit,value` rows (ratios as fractions). */
export function summaryCsv(s: Summary): string {
  const unitOf = (path: string): string => {
    const steps = parsePath(path);
    return (steps && SUMMARY_FIELDS[templateOf(steps)]?.unit) || "";
  };
  const lines = ["field,unit,value"];
  for (const [path, value] of numericLeaves(s))
    lines.push(
      [csvCell(path), csvCell(unitOf(path)), value === null ? "" : String(value)].join(","),
    );
  return `${lines.join("\n")}\n`;
}
