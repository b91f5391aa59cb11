/**
 * The tables `lbsim compare` prints: per sweep point, each metric as mean ± 95%
 * half-width per variant, and the paired difference to the first variant, marked `*`
 * when its interval excludes zero (with the seeds it needed).
 */
import Table from "cli-table3";
import type { Comparison, Difference, Estimate } from "../experiment/comparison.js";
import { METRICS } from "../experiment/metrics.js";

const num = (x: number): string =>
  Math.abs(x) >= 1000 || x === 0 ? String(Math.round(x * 100) / 100) : x.toPrecision(4);

function showEstimate(e: Estimate | null): string {
  if (!e) return "-";
  return e.halfWidth === null ? num(e.mean) : `${num(e.mean)} ± ${num(e.halfWidth)}`;
}

function showDifference(d: Difference | null): string {
  if (!d) return "";
  const sign = d.mean > 0 ? "+" : "";
  const body =
    d.halfWidth === null ? `${sign}${num(d.mean)}` : `${sign}${num(d.mean)} ± ${num(d.halfWidth)}`;
  return d.significant ? `${body} * (${d.seedsNeeded} seeds)` : body;
}

export function comparisonTables(c: Comparison): string {
  const out: string[] = [];
  const name = (v: string | null): string => v ?? c.scenario;
  for (const point of c.results) {
    const title =
      c.sweep === null
        ? `${c.scenario}: ${c.seeds} seeds`
        : `${c.scenario}: ${c.sweep.param} = ${JSON.stringify(point.sweepValue)}, ${c.seeds} seeds`;
    const head = [
      "metric",
      ...point.variants.map((v, i) =>
        i === 0 ? name(v.variant) : `${name(v.variant)} (Δ vs ${name(point.variants[0]!.variant)})`,
      ),
    ];
    const table = new Table({ head, style: { head: [], border: [] } });
    for (const metricName of c.metrics) {
      const m = METRICS.find((x) => x.name === metricName)!;
      if (point.variants.every((v) => v.metrics[metricName]?.estimate === null)) continue;
      table.push([
        `${m.label}${m.unit ? ` (${m.unit})` : ""}`,
        ...point.variants.map((v, i) => {
          const r = v.metrics[metricName]!;
          return i === 0
            ? showEstimate(r.estimate)
            : `${showEstimate(r.estimate)}\n${showDifference(r.difference)}`;
        }),
      ]);
    }
    out.push(title, table.toString());
  }
  out.push(
    "mean ± 95% half-width over seeds; Δ: paired difference to the first variant, * where its interval excludes 0",
  );
  if (c.truncated) out.push(`TRUNCATED: ${c.runs.length} of ${c.plannedRuns} runs`);
  return `${out.join("\n")}\n`;
}
