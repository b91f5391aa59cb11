/**
 * report.html from the command line: `run --out` and `compare --out` write it,
 * `lbsim report` rebuilds the same bytes from summary.json (with timeseries.csv beside
 * it) or comparison.json, says what a bare summary lacks, and refuses what is not a
 * result (exit 2).
 */
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../../src/package-info.js";
import { lbsim } from "../cli/cli.js";
import { ZONE_OUTAGE_SHORT } from "./helpers.js";

const scenarios = join(packageRoot(), "scenarios");
const tmp = (): string => mkdtempSync(join(tmpdir(), "lbsim-report-"));
const read = (path: string): string => readFileSync(path, "utf8");

describe("lbsim run --out and lbsim report <summary.json>", () => {
  it("write the same report.html, and the same again on a second run", async () => {
    const [a, b] = [tmp(), tmp()];
    for (const out of [a, b])
      expect((await lbsim(["run", ...ZONE_OUTAGE_SHORT, "--out", out])).code).toBe(0);
    const report = read(join(a, "report.html"));
    expect(report).toContain("lbsim run report: zone-outage");
    expect(read(join(b, "report.html"))).toBe(report); // wallSeconds differs; the page does not
    const again = join(tmp(), "again.html");
    const r = await lbsim(["report", join(a, "summary.json"), "-o", again]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(again);
    expect(read(again)).toBe(report);
  });

  it("says on the page what a summary without its time series lacks", async () => {
    const out = tmp();
    expect(
      (await lbsim(["run", ...ZONE_OUTAGE_SHORT, "--set", "duration=1min", "--out", out])).code,
    ).toBe(0);
    const alone = tmp();
    copyFileSync(join(out, "summary.json"), join(alone, "summary.json"));
    const r = await lbsim(["report", join(alone, "summary.json")]);
    expect(r.code).toBe(0);
    const page = read(join(alone, "report.html"));
    expect(page).toMatch(/No time series: timeseries.csv was not found/);
    expect(page).toContain("Latency distribution (CDF)"); // from the summary's detail
  });
});

describe("lbsim compare --out and lbsim report <comparison.json>", () => {
  it("write the same report.html; a run's summary from runs/ gets a report that says what it lacks", async () => {
    const out = tmp();
    const c = await lbsim([
      "compare",
      join(scenarios, "power-of-two.yaml"),
      "--seeds",
      "2",
      "--set",
      "duration=2s",
      "--quiet",
      "--no-expect",
      "--out",
      out,
    ]);
    expect(c.code).toBe(0);
    const written = read(join(out, "report.html"));
    expect(written).toContain("lbsim comparison report: power-of-two");
    const r = await lbsim(["report", join(out, "comparison.json")]);
    expect(r.code).toBe(0);
    expect(read(join(out, "report.html"))).toBe(written);
    const run = readdirSync(join(out, "runs"))[0]!;
    expect((await lbsim(["report", join(out, "runs", run)])).code).toBe(0);
    const page = read(join(out, "runs", "report.html"));
    expect(page).toMatch(/latency distribution is not in this summary/);
    expect(page).toMatch(/No time series/);
  });
});

describe("lbsim report refuses what is not a result", () => {
  it.each([
    ["a missing file", null, /not found/],
    ["a file that is not JSON", "{ nope", /not valid JSON/],
    [
      "JSON that is neither summary nor comparison",
      '{"kind": "something"}',
      /neither a summary.json/,
    ],
  ])("%s: exit 2, a message, no file written", async (_what, text, message) => {
    const dir = tmp();
    const file = join(dir, "input.json");
    if (text !== null) writeFileSync(file, text);
    const r = await lbsim(["report", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain(file);
    expect(r.stdout).toBe("");
    expect(existsSync(join(dir, "report.html"))).toBe(false);
  });
});
