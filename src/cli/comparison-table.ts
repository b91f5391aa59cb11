/**
 * The tables `lbsim compare` prints: per sweep point, each metric (a row, its unit in
 * the label; ratios in percent) as mean ± 95% half-width per variant (a column), and
 * under it the paired difference to the first variant, marked `*` when its interval
 * excludes zero (with the seeds it needed). Runs that never got a value (a fault never
 * recovered from) are counted: `never (0/5)`, `84 ± 3 (3/5 recovered)`. Tables wider
 * than 120 columns are wrapped, a few variants at a time. `--format csv` prints the same
 * cells unformatted, one row per point, variant and metric.
 */
import type { Comparison } from "../experiment/comparison.js";
import { metricByName } from "../experiment/metrics.js";
import { BASELINE, csvCell } from "../experiment/tidy-csv.js";
import {
  axisLabel,
  estimateText,
  hasData,
  type MetricView,
  metricView,
} from "../report/comparison-data.js";
import { num, signed } from "../report/format.js";
import { fittedTables } from "./fit-table.js";

function differenceText(m: MetricView, point: number, v: number): string {
  const d = m.differences[point]?.[v] ?? null;
  if (!d) return "";
  const k = m.scale;
  const body =
    d.halfWidth === null ? signed(d.mean * k) : `${signed(d.mean * k)} ± ${num(d.halfWidth * k)}`;
  return d.significant ? `${body} * (${d.seedsNeeded} seeds)` : body;
}

export function comparisonTables(c: Comparison): string {
  const out: string[] = [];
  const name = (v: string | null): string => v ?? c.scenario;
  const views = c.metrics.map((metric) => metricView(c, metric)).filter(hasData);
  c.results.forEach((point, p) => {
    const title =
      c.sweep === null
        ? `${c.scenario}: ${c.seeds} seeds`
        : `${c.scenario}: ${c.sweep.param} = ${JSON.stringify(point.sweepValue)}, ${c.seeds} seeds`;
    const first = name(point.variants[0]?.variant ?? null);
    const head = [
      "metric",
      ...point.variants.map((v, i) =>
        i === 0 ? name(v.variant) : `${name(v.variant)}\nΔ vs ${first}`,
      ),
    ];
    const rows = views
      .filter((m) => point.variants.some((_, v) => estimateText(m, p, v) !== "–"))
      .map((m) => [
        axisLabel(m),
        ...point.variants.map((_, v) =>
          v === 0 ? estimateText(m, p, v) : `${estimateText(m, p, v)}\n${differenceText(m, p, v)}`,
        ),
      ]);
    out.push(title, ...fittedTables(head, rows));
  });
  out.push(
    "mean ± 95% half-width over seeds; Δ: paired difference to the first variant, * where its interval excludes 0",
  );
  if (c.truncated) out.push(`TRUNCATED: ${c.runs.length} of ${c.plannedRuns} runs`);
  return `${out.join("\n")}\n`;
}

/**
 * The table's cells as CSV, in the summary's units (ratios as fractions): one row per
 * sweep point, variant and metric; empty cells where there is no value.
 */
export function comparisonCsv(c: Comparison): string {
  const header = [
    ...(c.sweep ? [c.sweep.param] : []),
    "variant",
    "metric",
    "unit",
    "mean",
    "half_width",
    "seeds",
    "never",
    "diff_mean",
    "diff_half_width",
    "diff_significant",
    "diff_seeds_needed",
  ];
  const cell = (x: number | boolean | null | undefined): string =>
    x === null || x === undefined ? "" : String(x);
  const lines = [header.map(csvCell).join(",")];
  for (const point of c.results)
    for (const v of point.variants)
      for (const metric of c.metrics) {
        const r = v.metrics[metric];
        const e = r?.estimate;
        const d = r?.difference;
        const sweep =
          typeof point.sweepValue === "string"
            ? point.sweepValue
            : JSON.stringify(point.sweepValue);
        lines.push(
          [
            ...(c.sweep ? [sweep ?? ""] : []),
            v.variant ?? BASELINE,
            metric,
            metricByName(metric)?.unit ?? "",
            cell(e?.mean),
            cell(e?.halfWidth),
            cell(e?.n ?? 0),
            cell(r?.never ?? 0),
            cell(d?.mean),
            cell(d?.halfWidth),
            cell(d?.significant),
            cell(d?.seedsNeeded),
          ]
            .map(csvCell)
            .join(","),
        );
      }
  return `${lines.join("\n")}\n`;
}
