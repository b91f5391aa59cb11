/**
 * The report of a comparison (comparison.json): what was compared, per metric the means
 * with 95% intervals and the paired differences (charts and a table), the latency CDFs
 * of all variants, their time series overlaid (fault windows shaded), and with a sweep
 * the main metrics against the swept value.
 */
import type { Comparison } from "../experiment/comparison.js";
import { METRIC_ALIASES } from "../experiment/metrics.js";
import { cdfOverlay, differenceBars, metricBars, sweepLines } from "./comparison-charts.js";
import {
  axisLabel,
  hasData,
  hasSignal,
  type MetricView,
  metricView,
  pointLabels,
  valueText,
  variantName,
} from "./comparison-data.js";
import { comparisonTimeCharts } from "./comparison-timeseries.js";
import { escapeHtml, num } from "./format.js";
import { Charts, note, renderPage, table } from "./page.js";
import type { Figure } from "./run-charts.js";

/** The metrics drawn against the swept value (those the comparison has). */
const SWEPT = ["latencyMs.p99", "errorRatio", "coldStartRatio", "hosts.activeHostHours"];
const isSwept = (name: string): boolean => SWEPT.includes(METRIC_ALIASES[name] ?? name);

export function comparisonReportHtml(c: Comparison): string {
  const charts = new Charts();
  const grid = (list: readonly (Figure | null)[]): string => {
    const figures = list.filter((f): f is Figure => f !== null);
    return figures.length === 0
      ? ""
      : `<div class="grid">\n${figures.map((f) => charts.figure(f.spec, f.shows)).join("\n")}\n</div>`;
  };
  const views = c.metrics.map((name) => metricView(c, name));
  const sections = [header(c), `<h2 id="metrics">Metrics</h2>`];
  for (const m of views) {
    sections.push(`<h3 id="metric-${escapeHtml(m.name)}">${escapeHtml(m.label)}</h3>`);
    if (!hasData(m))
      sections.push(
        note("No run has this metric (recovery needs a fault that the run recovered from)."),
      );
    else if (!hasSignal(m)) sections.push(`<p>0 in every run of every variant.</p>`);
    else sections.push(grid([metricBars(c, m), differenceBars(c, m)]));
    if (hasData(m)) sections.push(metricTable(c, m));
  }
  sections.push(`<h2 id="latency">Latency distributions</h2>`);
  const cdfs = (c.sweep ? c.sweep.values : [null]).map((_, p) => cdfOverlay(c, p));
  sections.push(cdfs.some((f) => f !== null) ? grid(cdfs) : note("No run completed a request."));
  sections.push(...timeSections(c, grid));
  if (c.sweep) {
    sections.push(`<h2 id="sweep">Against ${escapeHtml(c.sweep.param)}</h2>`);
    const swept = views.filter((m) => isSwept(m.name) && hasData(m));
    const flat = swept.filter((m) => !hasSignal(m)).map((m) => m.label);
    const lines = swept.filter(hasSignal).map((m) => sweepLines(c, m));
    if (flat.length > 0)
      sections.push(
        `<p>${escapeHtml(flat.join(", "))}: 0 at every point for every variant (not drawn).</p>`,
      );
    if (lines.length > 0) sections.push(grid(lines));
    else if (flat.length === 0)
      sections.push(
        note(
          "None of latency p99, error ratio, cold-start ratio or active host-hours was compared.",
        ),
      );
  }
  return renderPage({
    title: `lbsim comparison: ${c.scenario}`,
    body: sections.join("\n"),
    charts,
  });
}

/** "Over time": per sweep point, the time series of every variant overlaid. */
function timeSections(c: Comparison, grid: (list: readonly Figure[]) => string): string[] {
  const out = [`<h2 id="time">Over time</h2>`];
  const points = c.sweep ? c.sweep.values.map((_, p) => p) : [-1];
  const labels = pointLabels(c);
  let any = false;
  for (const p of points) {
    const t = comparisonTimeCharts(c, p);
    if (!t) continue;
    any = true;
    if (c.sweep) out.push(`<h3 id="time-${p}">At ${escapeHtml(labels[p]!)}</h3>`);
    if (t.flat.length > 0)
      out.push(
        `<p>${escapeHtml(t.flat.join(", "))}: 0 throughout for every variant (not drawn).</p>`,
      );
    if (t.figures.length > 0) out.push(grid(t.figures));
  }
  if (!any)
    out.push(
      note(
        "No time series: this comparison.json keeps none (comparisons written by earlier versions of lbsim).",
      ),
    );
  return out;
}

function header(c: Comparison): string {
  const seeds = c.seeds === 1 ? `${c.baseSeed}` : `${c.baseSeed} to ${c.baseSeed + c.seeds - 1}`;
  const facts: [string, string][] = [
    ["scenario", escapeHtml(c.scenario)],
    ["variants", c.variants.map((v) => escapeHtml(variantName(v))).join(", ")],
    [
      "sweep",
      c.sweep
        ? `${escapeHtml(c.sweep.param)} = ${c.sweep.values.map((v) => escapeHtml(valueText(v))).join(", ")}`
        : "none",
    ],
    [
      "seeds",
      `${c.seeds} per variant${c.sweep ? " and point" : ""} (${seeds}); seed k of every variant sees the same workload`,
    ],
    [
      "runs",
      `${c.runs.length} of ${c.plannedRuns}${c.shard ? ` (shard ${c.shard.index}/${c.shard.count})` : ""}`,
    ],
    ["lbsim version", escapeHtml(c.version)],
    ["scenario hash", escapeHtml(c.scenarioHash)],
  ];
  const missing =
    c.truncated || c.runs.length < c.plannedRuns
      ? note(
          `Only ${c.runs.length} of the ${c.plannedRuns} planned runs are here: the statistics cover those.`,
        )
      : "";
  return `<header>
<h1>lbsim comparison report: ${escapeHtml(c.scenario)}</h1>
<p class="lede">Each metric is the mean over seeds with its 95% Student-t interval; differences are paired by seed (common random numbers), so they are more precise than the intervals of the means suggest.</p>
<dl class="facts">${facts.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join("")}</dl>
${missing}
<nav aria-label="contents"><ul><li><a href="#metrics">Metrics</a></li><li><a href="#latency">Latency distributions</a></li><li><a href="#time">Over time</a></li>${c.sweep ? `<li><a href="#sweep">Against ${escapeHtml(c.sweep.param)}</a></li>` : ""}</ul></nav>
</header>`;
}

function metricTable(c: Comparison, m: MetricView): string {
  const points = pointLabels(c);
  const head = [
    ...(c.sweep ? [escapeHtml(c.sweep.param)] : []),
    "variant",
    `mean (${escapeHtml(m.unit || "value")})`,
    "± 95%",
    "seeds",
    `Δ to ${escapeHtml(variantName(c.variants[0]!))}`,
    "± 95%",
    "interval excludes 0",
  ];
  const rows: string[][] = [];
  points.forEach((label, p) => {
    c.variants.forEach((v, vi) => {
      const e = m.estimates[p]?.[vi] ?? null;
      const d = m.differences[p]?.[vi] ?? null;
      const never = m.never[p]?.[vi] ?? 0;
      const k = m.scale;
      const n = e?.n ?? 0;
      rows.push([
        ...(c.sweep ? [escapeHtml(label.slice(c.sweep.param.length + 1))] : []),
        escapeHtml(variantName(v)),
        e ? num(e.mean * k) : never > 0 ? "never" : "–",
        num(e?.halfWidth == null ? null : e.halfWidth * k),
        never > 0
          ? `${n}/${n + never} ${escapeHtml(m.presentWord ?? "with a value")}`
          : e
            ? String(n)
            : "–",
        vi === 0 ? "" : num(d ? d.mean * k : null),
        vi === 0 ? "" : num(d?.halfWidth == null ? null : d.halfWidth * k),
        vi === 0 || !d
          ? ""
          : d.significant
            ? `<span class="sig">yes</span> (from ${d.seedsNeeded} seeds)`
            : "no",
      ]);
    });
  });
  // The first column is the row header: with a sweep, the point; else the variant.
  return table(`${m.label}: ${axisLabel(m)} per ${c.sweep ? "point and " : ""}variant`, head, rows);
}
