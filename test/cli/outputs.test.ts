/**
 * What `compare` and `run` print and export: runs.csv and timeseries.csv (columns, one
 * row per run, values equal to the runs' summaries), tables no wider than 120 columns
 * for a scenario with many variants, and --format csv|json (json: exactly the file).
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Comparison } from "../../src/experiment/comparison.js";
import { numericLeaves } from "../../src/experiment/summary-fields.js";
import { TIMESERIES_COLUMNS } from "../../src/metrics/timeseries.js";
import { packageRoot } from "../../src/package-info.js";
import { splitCsvLine } from "../../src/report/timeseries-csv.js";
import { lbsim } from "./cli.js";

const scenarios = join(packageRoot(), "scenarios");
const tmp = (): string => mkdtempSync(join(tmpdir(), "lbsim-outputs-"));
const read = (path: string): string => readFileSync(path, "utf8");

/** Splits simple CSV (cells quoted when they hold a comma or quote). */
const parseCsv = (text: string): string[][] => text.trimEnd().split("\n").map(splitCsvLine);

describe("compare --out: runs.csv and timeseries.csv", () => {
  it("one row per run with every numeric summary field; every run's series stacked", async () => {
    const out = tmp();
    const r = await lbsim([
      "compare",
      "--no-expect",
      join(scenarios, "zone-outage.yaml"),
      "--seeds",
      "2",
      "--sweep",
      "workload.scale=0.5,1",
      "--set",
      "duration=2min",
      "--set",
      "warmup=20s",
      "--set",
      "faults=[{at: 50s, kind: zone-outage, zone: b, duration: 30s}]",
      "--quiet",
      "--out",
      out,
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const c = JSON.parse(read(join(out, "comparison.json"))) as Comparison;
    expect(c.runs.length).toBe(2 * c.variants.length * 2);

    const [header, ...rows] = parseCsv(read(join(out, "runs.csv")));
    expect(header!.slice(0, 3)).toEqual(["variant", "workload.scale", "seed"]);
    expect(rows).toHaveLength(c.runs.length);
    expect(header).toContain("latencyMs.mean");
    expect(header).toContain("faults[0].recoverySeconds");
    expect(header).toContain("functions[checkout].latencyMs.p99");
    expect(new Set(header).size).toBe(header!.length);
    c.runs.forEach((run, i) => {
      const row = rows[i]!;
      expect(row.slice(0, 3)).toEqual([run.variant, String(run.sweepValue), String(run.seed)]);
      for (const [path, value] of numericLeaves(run.summary)) {
        const cell = row[header!.indexOf(path)];
        if (value === null) expect(cell, path).toBe("");
        else expect(Number(cell), path).toBe(value);
      }
    });

    const [tsHeader, ...tsRows] = parseCsv(read(join(out, "timeseries.csv")));
    expect(tsHeader).toEqual(["variant", "workload.scale", "seed", ...TIMESERIES_COLUMNS]);
    const perRun = c.runs.map((run) => run.timeseriesCsv.trimEnd().split("\n").length - 1);
    expect(perRun.every((n) => n > 0)).toBe(true);
    expect(tsRows).toHaveLength(perRun.reduce((a, b) => a + b, 0));
    // The first run's rows are its own timeseries.csv, after its identifying columns.
    const first = c.runs[0]!;
    const own = parseCsv(first.timeseriesCsv).slice(1);
    expect(tsRows.slice(0, own.length)).toEqual(
      own.map((row) => [first.variant, String(first.sweepValue), String(first.seed), ...row]),
    );
    expect(read(join(out, "report.html"))).toContain('"label":"zone-outage"');
    expect(readdirSync(out).sort()).toEqual([
      "comparison.json",
      "report.html",
      "runs",
      "runs.csv",
      "timeseries.csv",
    ]);
  });
});

describe("compare's table", () => {
  it("fits 120 columns for a scenario with many variants", async () => {
    const r = await lbsim([
      "compare",
      "--no-expect",
      join(scenarios, "placement-policies.yaml"),
      "--seeds",
      "2",
      "--sweep",
      "workload.scale=1",
      "--set",
      "duration=10s",
      "--set",
      "warmup=5s",
      "--quiet",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split("\n");
    const widest = Math.max(...lines.map((l) => [...l].length));
    expect(widest).toBeLessThanOrEqual(120);
    // All 8 variants are still there, each with its difference to the first.
    for (const v of ["random", "round-robin", "first-fit", "best-fit", "worst-fit"])
      expect(r.stdout).toContain(v);
    expect(r.stdout.match(/Δ vs p2c/g)?.length).toBe(7);
    expect(r.stdout).toMatch(/latency p99 \(ms\)/);
    expect(r.stdout).toMatch(/idle \(GB·s\)/);
    expect(r.stdout).toMatch(/error ratio \(%\)/);
  });
});

describe("--format", () => {
  const compareArgs = [
    "compare",
    "--no-expect",
    join(scenarios, "power-of-two.yaml"),
    "--seeds",
    "2",
    "--set",
    "duration=1s",
    "--quiet",
    "--jobs",
    "1",
  ];

  it("compare --format json is exactly --json; csv has a row per variant and metric", async () => {
    const json = await lbsim([...compareArgs, "--format", "json"]);
    const alias = await lbsim([...compareArgs, "--json"]);
    expect(json.code).toBe(0);
    expect(json.stdout).toBe(alias.stdout);
    const c = JSON.parse(json.stdout) as Comparison;
    const csv = await lbsim([
      ...compareArgs,
      "--format",
      "csv",
      "--metric",
      "latencyMs.mean,errorRatio",
    ]);
    expect(csv.code, csv.stderr).toBe(0);
    const [header, ...rows] = parseCsv(csv.stdout);
    expect(header!.slice(0, 5)).toEqual(["variant", "metric", "unit", "mean", "half_width"]);
    expect(rows).toHaveLength(c.variants.length * 2);
    expect(rows.map((r) => r[1])).toEqual(
      c.variants.flatMap(() => ["latencyMs.mean", "errorRatio"]),
    );
    expect(rows[0]![2]).toBe("ms");
    const mean = c.results[0]!.variants[0]!.metrics["latencyMs.mean"]!.estimate!.mean;
    expect(Number(rows[0]![3])).toBe(mean);
  });

  it("run --format json is exactly --json; csv lists every numeric field by path", async () => {
    const args = [
      "run",
      join(scenarios, "power-of-two.yaml"),
      "--set",
      "duration=1s",
      "--quiet",
      "--no-expect",
    ];
    const json = await lbsim([...args, "--format", "json"]);
    const alias = await lbsim([...args, "--json"]);
    expect(json.code).toBe(0);
    const strip = (t: string) => t.replace(/"wallSeconds": [\d.e-]+/, "");
    expect(strip(json.stdout)).toBe(strip(alias.stdout));
    const summary = JSON.parse(json.stdout);
    const csv = await lbsim([...args, "--format", "csv"]);
    expect(csv.code).toBe(0);
    const [header, ...rows] = parseCsv(csv.stdout);
    expect(header).toEqual(["field", "unit", "value"]);
    const byPath = new Map(rows.map((r) => [r[0], r]));
    expect(Number(byPath.get("latencyMs.p99")![2])).toBe(summary.latencyMs.p99);
    expect(byPath.get("errorRatio")![1]).toBe("ratio");
    expect(Number(byPath.get("requests.arrived")![2])).toBe(summary.requests.arrived);
    const table = await lbsim(args);
    expect(table.stdout).toMatch(/latency \(ms\)/);
    expect(Math.max(...table.stdout.split("\n").map((l) => [...l].length))).toBeLessThanOrEqual(
      120,
    );
  });

  it("refuses an unknown format and a conflict with --json", async () => {
    const bad = await lbsim(["run", "--format", "yaml"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format: expected one of table, csv, json/);
    const both = await lbsim(["run", "--json", "--format", "csv"]);
    expect(both.code).toBe(2);
    expect(both.stdout).toBe("");
  });
});
