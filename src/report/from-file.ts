/**
 * `lbsim report <json>`: a report from a comparison.json or a summary.json (with the
 * timeseries.csv beside it, if there is one). What is missing is said on the page.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Comparison } from "../experiment/comparison.js";
import type { RunDetail } from "../metrics/detail.js";
import type { Summary } from "../metrics/summary.js";
import type { TimeseriesRow } from "../metrics/timeseries.js";
import { comparisonReportHtml } from "./comparison-report.js";
import { runReportHtml } from "./run-report.js";
import { parseTimeseriesCsv } from "./timeseries-csv.js";

/** The input cannot be read as a result (exit 2). */
export class ReportInputError extends Error {}

export function reportFromFile(file: string): { html: string; kind: "run" | "comparison" } {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new ReportInputError(`${file}: not found`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ReportInputError(`${file}: not valid JSON`);
  }
  if (isComparison(json)) return { html: comparisonReportHtml(json), kind: "comparison" };
  if (isSummary(json)) return { html: runReportFromSummary(json, file), kind: "run" };
  throw new ReportInputError(
    `${file}: neither a summary.json (lbsim run --out) nor a comparison.json (lbsim compare --out)`,
  );
}

function runReportFromSummary(json: Summary & { detail?: unknown }, file: string): string {
  const { detail, ...summary } = json;
  const notes: string[] = [];
  const csv = join(dirname(file), "timeseries.csv");
  let rows: TimeseriesRow[] | null = null;
  if (existsSync(csv)) {
    try {
      rows = parseTimeseriesCsv(readFileSync(csv, "utf8"));
    } catch (error) {
      notes.push(
        `timeseries.csv next to the summary could not be read: ${(error as Error).message}.`,
      );
    }
  }
  return runReportHtml({ summary, detail: isDetail(detail) ? detail : null, rows, notes });
}

function isComparison(x: unknown): x is Comparison {
  const c = x as Partial<Comparison> | null;
  return (
    typeof c === "object" &&
    c !== null &&
    c.kind === "lbsim-comparison" &&
    Array.isArray(c.runs) &&
    Array.isArray(c.results) &&
    Array.isArray(c.variants) &&
    Array.isArray(c.metrics)
  );
}

function isSummary(x: unknown): x is Summary {
  const s = x as Partial<Summary> | null;
  return (
    typeof s === "object" &&
    s !== null &&
    typeof s.scenario === "string" &&
    typeof s.requests === "object" &&
    typeof s.latencyMs === "object" &&
    typeof s.failures === "object" &&
    typeof s.hosts === "object" &&
    typeof s.sandboxes === "object" &&
    Array.isArray(s.faults) &&
    Array.isArray(s.functions)
  );
}

function isDetail(x: unknown): x is RunDetail {
  const d = x as Partial<RunDetail> | null | undefined;
  return (
    typeof d === "object" &&
    d !== null &&
    Array.isArray(d.latencyBuckets) &&
    Array.isArray(d.hostUtilizationPercent) &&
    Array.isArray(d.faultWindows) &&
    typeof d.intervals === "object" &&
    typeof d.scenario === "object"
  );
}
