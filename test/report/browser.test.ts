/**
 * report.html end to end in headless Chromium (Debian's chromium, driven by
 * playwright-core): the report of a run with a fault and of a comparison with a sweep,
 * as the command line writes them, open from file:// with every other request blocked
 * and recorded. Every chart must draw (one canvas per chart, with coloured pixels on
 * it), nothing may be logged as an error, nothing requested from a network, and a
 * screenshot goes to test-output/. Skipped, saying so, where /usr/bin/chromium is absent
 * (.ci/run installs it).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Comparison } from "../../src/experiment/comparison.js";
import { packageRoot } from "../../src/package-info.js";
import { lbsim } from "../cli/cli.js";
import { SCENARIOS, ZONE_OUTAGE_SHORT } from "./helpers.js";

const CHROMIUM = "/usr/bin/chromium";
const present = existsSync(CHROMIUM);
const SKIP = present ? "" : ` [SKIPPED: ${CHROMIUM} is absent; apt-get install chromium]`;
if (!present)
  console.warn(
    `test/report/browser.test.ts: the end-to-end report tests are SKIPPED: ${CHROMIUM} is absent (apt-get install chromium; .ci/run installs it)`,
  );

const OUTPUT = join(packageRoot(), "test-output");
const tmp = (): string => mkdtempSync(join(tmpdir(), "lbsim-browser-"));

interface PageCheck {
  charts: number;
  drawn: number;
  canvases: { width: number; height: number; coloured: number }[];
  errors: string[];
  requests: string[];
}

/** Counts, per canvas, the pixels of a saturated colour (series; axes and text are grey). */
const COLOURED_PIXELS = `[...document.querySelectorAll("canvas")].map((c) => {
  const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  let coloured = 0;
  for (let i = 0; i < d.length; i += 4)
    if (d[i + 3] > 0 && Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 60) coloured++;
  return { width: c.width, height: c.height, coloured };
})`;

async function open(browser: Browser, file: string, screenshot: string): Promise<PageCheck> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  page.on("request", (r) => {
    if (!r.url().startsWith("file:")) requests.push(r.url());
  });
  await context.route("**/*", (route) =>
    route.request().url().startsWith("file:") ? route.continue() : route.abort(),
  );
  await page.goto(`file://${file}`, { waitUntil: "load" });
  await page.waitForFunction("document.body.dataset.chartsDrawn !== undefined", null, {
    timeout: 15_000,
  });
  const charts = Number(await page.evaluate("document.body.dataset.charts"));
  const drawn = Number(await page.evaluate("document.body.dataset.chartsDrawn"));
  const canvases = (await page.evaluate(COLOURED_PIXELS)) as PageCheck["canvases"];
  mkdirSync(OUTPUT, { recursive: true });
  await page.screenshot({ path: join(OUTPUT, screenshot), fullPage: true });
  await context.close();
  return { charts, drawn, canvases, errors, requests };
}

function expectDrawn(check: PageCheck, expected: number): void {
  expect(check.errors).toEqual([]);
  expect(check.requests).toEqual([]);
  expect(check.charts).toBe(expected);
  expect(check.drawn).toBe(expected);
  expect(check.canvases).toHaveLength(expected);
  for (const c of check.canvases) {
    expect(c.width).toBeGreaterThan(200);
    expect(c.height).toBeGreaterThan(150);
    expect(c.coloured).toBeGreaterThan(100);
  }
}

/** The charts a comparison report must have: see comparison-report.ts. */
function expectedComparisonCharts(c: Comparison): number {
  const signal = (name: string): boolean =>
    c.results.some((p) => p.variants.some((v) => (v.metrics[name]?.estimate?.mean ?? 0) !== 0));
  const metrics = c.metrics.filter(signal).length;
  const swept = ["latencyMs.p99", "errorRatio", "coldStartRatio", "hosts.activeHostHours"].filter(
    (m) => c.metrics.includes(m) && signal(m),
  ).length;
  const points = c.sweep ? c.sweep.values.length : 1;
  // Over time: per point, each of these timeseries.csv columns that is not 0 throughout.
  const columns = ["p99_ms", "failed", "cold_starts", "sandboxes", "hosts_active"];
  let overTime = 0;
  for (let p = 0; p < points; p++) {
    const runs = c.runs.filter((r) => r.point === (c.sweep ? p : -1));
    const rows = runs.flatMap((r) => r.timeseriesCsv.trim().split("\n"));
    const header = (runs[0]?.timeseriesCsv ?? "").split("\n")[0]!.split(",");
    for (const col of columns) {
      const j = header.indexOf(col);
      if (rows.some((row) => !row.startsWith("t_s") && Number(row.split(",")[j]) !== 0)) overTime++;
    }
  }
  return metrics * (c.variants.length > 1 ? 2 : 1) + points + swept + overTime;
}

describe("report.html in headless Chromium", () => {
  let browser: Browser;
  let runDir: string;
  let compareDir: string;

  beforeAll(async () => {
    if (!present) return;
    runDir = tmp();
    compareDir = tmp();
    const [run, comparison] = await Promise.all([
      lbsim(["run", ...ZONE_OUTAGE_SHORT, "--out", runDir]),
      lbsim([
        "compare",
        join(SCENARIOS, "placement-policies.yaml"),
        "--seeds",
        "2",
        "--variants",
        "p2c,best-fit",
        "--sweep",
        "workload.scale=0.5,1",
        "--set",
        "duration=20s",
        "--set",
        "warmup=20s",
        "--jobs",
        "2",
        "--quiet",
        "--no-expect",
        "--out",
        compareDir,
      ]),
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(comparison.code, comparison.stderr).toBe(0);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    for (const dir of [runDir, compareDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!present)(
    `the report of a run with a zone outage draws its 9 charts, offline, without errors${SKIP}`,
    async () => {
      const check = await open(browser, join(runDir, "report.html"), "report-run.png");
      expectDrawn(check, 9);
      expect(readFileSync(join(runDir, "report.html"), "utf8")).toContain('"label":"zone-outage"');
    },
  );

  it.skipIf(!present)(
    `the report of a comparison with a sweep draws every chart, offline, without errors${SKIP}`,
    async () => {
      const c = JSON.parse(readFileSync(join(compareDir, "comparison.json"), "utf8")) as Comparison;
      const expected = expectedComparisonCharts(c);
      expect(expected).toBeGreaterThanOrEqual(2 * 5 + 2 + 3);
      const check = await open(browser, join(compareDir, "report.html"), "report-comparison.png");
      expectDrawn(check, expected);
    },
  );
});
