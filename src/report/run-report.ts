/**
 * The report of one run: what ran (the resolved scenario, collapsible, and the seed),
 * the summary as tables, the latency CDF, the time series with fault windows shaded,
 * and the host memory utilisation distribution. What the inputs lack is said on the
 * page rather than left out silently.
 */
import type { FaultWindow, RunDetail } from "../metrics/detail.js";
import { faultWindows } from "../metrics/detail.js";
import type { Summary } from "../metrics/summary.js";
import type { TimeseriesRow } from "../metrics/timeseries.js";
import { escapeHtml, num } from "./format.js";
import { buildFrame } from "./frame.js";
import { Charts, note, renderPage } from "./page.js";
import {
  type Figure,
  latencyBreakdown,
  latencyCdf,
  timeCharts,
  utilisation,
} from "./run-charts.js";
import { functionsSection, runTables } from "./run-tables.js";
import { readableScenario } from "./scenario-text.js";

export interface RunReportInput {
  readonly summary: Summary;
  /** summary.json's `detail` (null: a summary without it, e.g. a comparison's run). */
  readonly detail: RunDetail | null;
  /** timeseries.csv's rows (null: not available). */
  readonly rows: readonly TimeseriesRow[] | null;
  /** What could not be read, said on the page. */
  readonly notes: readonly string[];
}

export function runReportHtml(input: RunReportInput): string {
  const { summary: s, detail, rows } = input;
  const charts = new Charts();
  const figures = (list: readonly (Figure | null)[]): string =>
    `<div class="grid">\n${list
      .filter((f): f is Figure => f !== null)
      .map((f) => charts.figure(f.spec, f.shows))
      .join("\n")}\n</div>`;
  const notes = [...input.notes];
  const windows = rows ? windowsOf(s, detail, rows) : [];
  const sections: string[] = [header(s), scenarioSection(s, detail), runTables(s, windows)];

  sections.push(`<h2 id="latency">Latency</h2>`);
  if (detail && detail.latencyBuckets.length > 0)
    sections.push(figures([latencyCdf(detail.latencyBuckets, s), latencyBreakdown(s)]));
  else
    sections.push(
      note(
        detail
          ? "No request completed: there is no latency distribution to draw."
          : "The latency distribution is not in this summary (the summary.json that <code>lbsim run --out</code> writes carries it in <code>detail</code>); its percentiles are in the table above.",
      ),
    );

  sections.push(`<h2 id="time">Over time</h2>`);
  if (rows && rows.length > 0) {
    const end = Number(rows[0]!.t_s) + s.simulatedSeconds;
    const frame = buildFrame(rows, detail, end);
    if (!frame.causes)
      notes.push(
        "Failures by cause per interval and orphaned sandboxes per interval are not in this summary: the charts show what timeseries.csv holds.",
      );
    sections.push(figures(timeCharts(frame, s, windows)));
  } else
    sections.push(
      note(
        "No time series: timeseries.csv was not found next to the summary (<code>lbsim run --out DIR</code> writes both), so arrivals, latency, errors, cold starts, sandboxes and hosts over time are not shown.",
      ),
    );

  sections.push(`<h2 id="hosts">Host memory utilisation</h2>`);
  const util = detail ? utilisation(detail.hostUtilizationPercent, s) : null;
  if (util) sections.push(figures([util]));
  else
    sections.push(
      note(
        detail
          ? "No host was sampled."
          : `The distribution of host memory utilisation is not in this summary; its mean (${num(s.hosts.memoryUtilizationMean)}) and p99 (${num(s.hosts.memoryUtilizationP99)}) are in the table above.`,
      ),
    );
  sections.push(functionsSection(s));
  if (notes.length > 0)
    sections.push(`<h2 id="notes">Notes</h2>\n${notes.map((n) => note(escapeHtml(n))).join("\n")}`);
  return renderPage({
    title: `lbsim run: ${s.scenario}${s.variant ? ` (${s.variant})` : ""}, seed ${s.seed}`,
    body: sections.join("\n"),
    charts,
  });
}

function windowsOf(
  s: Summary,
  detail: RunDetail | null,
  rows: readonly TimeseriesRow[],
): FaultWindow[] {
  if (detail) return detail.faultWindows;
  // Without the detail, the windows come from the CSV's fault column (to the interval).
  const end = (Number(rows[0]?.t_s) || 0) + s.simulatedSeconds;
  return faultWindows([], rows, end * 1e6).map((w) => ({
    ...w,
    kind: w.kind.replace(/^random /, ""),
  }));
}

function header(s: Summary): string {
  const facts: [string, string][] = [
    ["scenario", escapeHtml(s.scenario)],
    ["variant", s.variant === null ? "none" : escapeHtml(s.variant)],
    ["seed", String(s.seed)],
    ["simulated (measured window)", `${num(s.simulatedSeconds)} s`],
    ["events", num(s.events)],
    ["lbsim version", escapeHtml(s.version)],
  ];
  const truncated = s.truncated
    ? note(
        "This run was stopped early (truncated): the numbers cover only the simulated time it reached.",
      )
    : "";
  return `<header>
<h1>lbsim run report: ${escapeHtml(s.scenario)}${s.variant ? ` — ${escapeHtml(s.variant)}` : ""}</h1>
<dl class="facts">${facts.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join("")}</dl>
${truncated}
<nav aria-label="contents"><ul><li><a href="#scenario">Scenario</a></li><li><a href="#summary">Summary</a></li><li><a href="#latency">Latency</a></li><li><a href="#time">Over time</a></li><li><a href="#hosts">Host memory</a></li>${s.functions.length > 0 ? `<li><a href="#functions">Functions</a></li>` : ""}</ul></nav>
</header>`;
}

function scenarioSection(s: Summary, detail: RunDetail | null): string {
  if (!detail)
    return `<h2 id="scenario">Scenario</h2>\n${note(`The resolved scenario is not in this summary: rerun with <code>lbsim run SCENARIO --seed ${s.seed} --out DIR</code> to get it.`)}`;
  const description =
    typeof detail.scenario.description === "string" ? detail.scenario.description : "";
  const omitted =
    detail.functionsOmitted > 0
      ? `<p>The first ${num((detail.scenario.functions as unknown[]).length)} functions are listed; ${num(detail.functionsOmitted)} more are left out.</p>`
      : "";
  return `<h2 id="scenario">Scenario</h2>
${description ? `<p>${escapeHtml(description)}</p>` : ""}
<details>
<summary>Resolved scenario (every default filled in, seed ${s.seed})</summary>
<p>Durations with units; distributions of times are in microseconds (lognormal: mu and sigma of ln µs).</p>
${omitted}<pre>${escapeHtml(readableScenario(detail.scenario))}</pre>
</details>`;
}
