/**
 * A comparison as tidy tables, for pandas or R: runs.csv (one row per run: `variant`,
 * the sweep parameter when there is a sweep, `seed`, then every numeric field of the
 * run's summary by its dotted path) and timeseries.csv (every run's time series stacked,
 * with the same identifying columns first). Built from the comparison's runs alone, so a
 * merged comparison gives the same bytes as an unsharded one.
 */
import { TIMESERIES_COLUMNS } from "../metrics/timeseries.js";
import type { Comparison, RunRecord } from "./comparison.js";
import { numericLeaves } from "./summary-fields.js";

/** The variant column's value for the scenario as written (no variants). */
export const BASELINE = "baseline";

export function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function sweepCell(value: unknown): string {
  if (typeof value === "string") return value;
  return JSON.stringify(value) ?? "";
}

/** The identifying columns of a run, in the order of `idHeader`. */
function idCells(c: Comparison, run: RunRecord): string[] {
  return [
    run.variant ?? BASELINE,
    ...(c.sweep ? [sweepCell(run.sweepValue)] : []),
    String(run.seed),
  ].map(csvCell);
}

function idHeader(c: Comparison): string[] {
  return ["variant", ...(c.sweep ? [c.sweep.param] : []), "seed"].map(csvCell);
}

/**
 * runs.csv. Columns are the union of the runs' numeric fields in first-seen order (runs
 * in index order), so runs that list different functions or faults share one header; a
 * field a run lacks, or that is null (never recovered), is an empty cell.
 */
export function runsCsv(c: Comparison): string {
  const leaves = c.runs.map((r) => new Map(numericLeaves(r.summary)));
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const fields of leaves)
    for (const path of fields.keys())
      if (!seen.has(path)) {
        seen.add(path);
        columns.push(path);
      }
  const lines = [[...idHeader(c), ...columns.map(csvCell)].join(",")];
  c.runs.forEach((run, i) => {
    const fields = leaves[i]!;
    const values = columns.map((path) => {
      const v = fields.get(path);
      return v === null || v === undefined ? "" : String(v);
    });
    lines.push([...idCells(c, run), ...values].join(","));
  });
  return `${lines.join("\n")}\n`;
}

/** timeseries.csv: each run's rows (SPEC 5 columns) after its identifying columns. */
export function stackedTimeseriesCsv(c: Comparison): string {
  const lines = [[...idHeader(c), ...TIMESERIES_COLUMNS].join(",")];
  for (const run of c.runs) {
    // Comparisons written before the time series were kept have none.
    const rows = (run.timeseriesCsv ?? "").split("\n").slice(1);
    const prefix = idCells(c, run).join(",");
    for (const row of rows) if (row !== "") lines.push(`${prefix},${row}`);
  }
  return `${lines.join("\n")}\n`;
}
