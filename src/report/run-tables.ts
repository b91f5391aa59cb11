/** The summary of a run as tables (real <table> elements, so they copy into a spreadsheet). */
import type { FaultWindow } from "../metrics/detail.js";
import type { Summary } from "../metrics/summary.js";
import { escapeHtml, num, pct } from "./format.js";
import { table } from "./page.js";
import { componentLabel } from "./run-charts.js";

/** Summary fields shown by the tables below; any other field is listed as it is. */
const SHOWN = new Set([
  "scenario",
  "seed",
  "variant",
  "version",
  "simulatedSeconds",
  "wallSeconds",
  "events",
  "truncated",
  "requests",
  "failures",
  "errorRatio",
  "wastedExecutionSeconds",
  "coldStarts",
  "coldStartRatio",
  "latencyMs",
  "latencyBreakdownMs",
  "waitMs",
  "sandboxes",
  "hosts",
  "balancer",
  "faults",
  "functions",
  "detail",
]);

export function runTables(s: Summary, windows: readonly FaultWindow[]): string {
  const r = s.requests;
  const parts = [
    table(
      "Requests",
      ["", "value"],
      [
        ["arrived", num(r.arrived)],
        ["completed", num(r.completed)],
        ["failed", num(r.failed)],
        ["in flight at the end", num(r.inFlightAtEnd)],
        ["attempts", num(r.attempts)],
        ["retries", num(r.retries)],
        ["error ratio", pct(s.errorRatio)],
        ["cold starts", num(s.coldStarts)],
        ["cold-start ratio", pct(s.coldStartRatio)],
        ["wasted execution (s)", num(s.wastedExecutionSeconds)],
      ],
    ),
    table(
      "Failed attempts by cause",
      ["cause", "attempts"],
      Object.entries(s.failures).map(([cause, n]) => [escapeHtml(cause), num(n)]),
    ),
    table(
      "Sandboxes",
      ["", "value"],
      [
        ["created", num(s.sandboxes.created)],
        ["reclaimed", num(s.sandboxes.reclaimed)],
        ["lost", num(s.sandboxes.lost)],
        ["orphaned", num(s.sandboxes.orphaned)],
        ["peak", num(s.sandboxes.peak)],
        ["idle GB-seconds", num(s.sandboxes.idleGbSeconds)],
        ["orphaned GB-seconds", num(s.sandboxes.orphanedGbSeconds)],
      ],
    ),
    table(
      "Hosts and balancer",
      ["", "value"],
      [
        ["active host-hours", num(s.hosts.activeHostHours)],
        ["memory utilisation, mean", pct(s.hosts.memoryUtilizationMean)],
        ["memory utilisation, p99", pct(s.hosts.memoryUtilizationP99)],
        ["imbalance (max / mean)", num(s.hosts.imbalance)],
        ["busiest leader's utilisation", pct(s.balancer.utilizationMax)],
        ["leader queue wait p99 (ms)", num(s.balancer.queueWaitMsP99)],
      ],
    ),
  ];
  const dist = (name: string, d: Summary["latencyMs"]): string[] => [
    name,
    ...[d.mean, d.p50, d.p90, d.p99, d.p999, d.max].map((x) => num(x)),
  ];
  const latency = table(
    "Latency of completed requests and wait of started attempts (ms)",
    ["", "mean", "p50", "p90", "p99", "p99.9", "max"],
    [dist("latency", s.latencyMs), dist("wait", s.waitMs)],
  );
  return [
    `<h2 id="summary">Summary</h2>`,
    `<div class="tables">\n${parts.join("\n")}\n</div>`,
    latency,
    breakdownTable(s),
    faultTables(s, windows),
    otherFields(s),
  ].join("\n");
}

/** The mean latency by component (SPEC 2.1), with each one's share; "" without it. */
function breakdownTable(s: Summary): string {
  const b = s.latencyBreakdownMs as Summary["latencyBreakdownMs"] | undefined;
  if (!b) return "";
  const total = Object.values(b).reduce((a, v) => a + v, 0);
  return table(
    "Where the time of completed requests goes (mean, ms)",
    ["component", "mean (ms)", "share"],
    [
      ...Object.entries(b).map(([name, v]) => [
        escapeHtml(componentLabel(name)),
        num(v),
        total > 0 ? pct(v / total) : "–",
      ]),
      ["all (latency mean)", num(s.latencyMs.mean), total > 0 ? pct(1) : "–"],
    ],
  );
}

/** The busiest functions (a long table: the page puts it last). */
export function functionsSection(s: Summary): string {
  if (s.functions.length === 0) return "";
  return `<h2 id="functions">Functions</h2>\n${functionsTable(s)}`;
}

function faultTables(s: Summary, windows: readonly FaultWindow[]): string {
  const out: string[] = [];
  if (s.faults.length > 0)
    out.push(
      table(
        "Faults and their impact",
        ["fault", "onset (s)", "failed during", "extra cold starts", "recovery (s)"],
        s.faults.map((f) => [
          escapeHtml(f.kind),
          num(f.atSeconds),
          num(f.failedDuring),
          num(f.extraColdStarts),
          f.recoverySeconds === null ? "not recovered" : num(f.recoverySeconds),
        ]),
      ),
    );
  if (windows.length > 0)
    out.push(
      table(
        "Fault windows (shaded in the charts over time)",
        ["fault", "from (s)", "to (s)", "lasting (s)"],
        windows.map((w) => [
          escapeHtml(w.kind),
          num(w.startSeconds),
          num(w.endSeconds),
          num(w.endSeconds - w.startSeconds),
        ]),
      ),
    );
  return out.length > 0 ? `<div class="tables">\n${out.join("\n")}\n</div>` : "";
}

function functionsTable(s: Summary): string {
  return table(
    `Functions (the ${s.functions.length} busiest)`,
    ["function", "arrived", "cold-start ratio", "latency p50 (ms)", "latency p99 (ms)"],
    s.functions.map((f) => [
      escapeHtml(f.name),
      num(f.arrived),
      pct(f.coldStartRatio),
      num(f.latencyMs.p50),
      num(f.latencyMs.p99),
    ]),
  );
}

/** Fields this report does not know (added after it was written), listed path by path. */
function otherFields(s: Summary): string {
  const rows: string[][] = [];
  const walk = (path: string, v: unknown): void => {
    if (v !== null && typeof v === "object" && !Array.isArray(v))
      for (const [k, x] of Object.entries(v)) walk(`${path}.${k}`, x);
    else
      rows.push([escapeHtml(path), escapeHtml(typeof v === "number" ? num(v) : JSON.stringify(v))]);
  };
  for (const [key, value] of Object.entries(s)) if (!SHOWN.has(key)) walk(key, value);
  return rows.length > 0 ? table("Other fields of the summary", ["field", "value"], rows) : "";
}
