/**
 * The report as a file: self-contained (no address on a network, uPlot and the data
 * inlined), small (under 2 MB for 8 variants x 5 sweep points), deterministic, its
 * script valid, its tables real tables, and honest about what its input lacks.
 */
import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/experiment/run.js";
import { loadAssets, toScript } from "../../src/report/assets.js";
import { comparisonReportHtml } from "../../src/report/comparison-report.js";
import { TIME_COLUMNS } from "../../src/report/comparison-timeseries.js";
import { runReportHtml } from "../../src/report/run-report.js";
import { parseTimeseriesCsv } from "../../src/report/timeseries-csv.js";
import { loadScenarioText } from "../../src/scenario/load.js";
import { externalReferences } from "./helpers.js";
import { syntheticComparison } from "./synthetic.js";

const SCENARIO = `name: html-test
description: "A test scenario <with> markup & quotes: \\"</script>\\""
duration: 30s
warmup: 5s
cluster: { zones: [a, b], hostsPerZone: 2, failureDetection: 1s }
functions:
  - name: "f</script><b>"
    duration: 20ms
    arrivals: { process: poisson, rate: 100/s }
faults:
  - { at: 15s, kind: zone-outage, zone: a, duration: 5s }
`;

const chartCount = (html: string): number => Number(/<body data-charts="(\d+)"/.exec(html)?.[1]);

describe("the comparison report", () => {
  const comparison = syntheticComparison(8, 5, 5);
  const html = comparisonReportHtml(comparison);

  it("stays under 2 MB for 8 variants x 5 sweep points x 5 seeds", () => {
    const bytes = Buffer.byteLength(html);
    console.log(`report.html of 8 variants x 5 points x 5 seeds: ${(bytes / 1024).toFixed(0)} KiB`);
    expect(comparison.runs).toHaveLength(200);
    expect(bytes).toBeLessThan(2 * 1024 * 1024);
  });

  it("refers to nothing on a network and inlines uPlot and its data", () => {
    expect(externalReferences(html)).toEqual([]);
    expect(html).not.toMatch(/<script[^>]*\ssrc=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).toContain(loadAssets().uplotJs.slice(0, 200));
    expect(html).toMatch(/Content-Security-Policy" content="default-src 'none'/);
  });

  it("has every chart of a comparison with a sweep, each with a sentence", () => {
    // 8 metrics x (means + differences) + 5 CDFs + 4 metrics against the sweep
    // + at each of the 5 points, each time series with variants overlaid.
    const charts = 8 * 2 + 5 + 4 + 5 * TIME_COLUMNS.length;
    expect(chartCount(html)).toBe(charts);
    expect(html.match(/<figure class="chart">/g)).toHaveLength(charts);
    expect(html.match(/What this shows:/g)).toHaveLength(charts);
    expect(html).toMatch(/policy-1 is best at 5 of 5 sweep points/);
    expect(html).toMatch(/at p99 policy-1 is fastest/);
    expect(html.match(/<table>/g)).toHaveLength(8);
  });

  it("is the same page every time: no date, no random id", () => {
    expect(comparisonReportHtml(syntheticComparison(8, 5, 5))).toBe(html);
    expect(html).not.toMatch(/20\d\d-\d\d-\d\d/);
  });

  it("says when no run has a metric or it is 0 everywhere, and draws no empty chart", () => {
    const noFaults = comparisonReportHtml(
      syntheticComparison(2, 3, 2, (s) => {
        s.faults = [];
      }),
    );
    expect(noFaults).toMatch(/No run has this metric/);
    expect(chartCount(noFaults)).toBe(7 * 2 + 3 + 4 + 3 * TIME_COLUMNS.length);
    const noErrors = comparisonReportHtml(
      syntheticComparison(2, 3, 2, (s) => {
        s.errorRatio = 0;
      }),
    );
    expect(noErrors).toMatch(/0 in every run of every variant/);
    expect(noErrors).toMatch(/error ratio: 0 at every point for every variant/);
    expect(chartCount(noErrors)).toBe(7 * 2 + 3 + 3 + 3 * TIME_COLUMNS.length);
  });
});

describe("the run report", () => {
  const result = runScenario(loadScenarioText(SCENARIO, "html-test.yaml"));
  const rows = parseTimeseriesCsv(result.timeseriesCsv);
  const html = runReportHtml({ summary: result.summary, detail: result.detail, rows, notes: [] });

  it("draws the CDF, the latency breakdown, six time series and the utilisation distribution", () => {
    expect(chartCount(html)).toBe(9);
    for (const title of [
      "Latency distribution (CDF)",
      "Where the time of a completed request goes (mean)",
      "Where the time of completed requests goes (mean, ms)",
      "Arrivals, completions and failures",
      "Latency per interval",
      "Failed attempts by cause",
      "Cold starts",
      "Sandboxes",
      "Hosts up and active",
      "Host memory utilisation distribution",
    ])
      expect(html).toContain(title);
    expect(html).toMatch(/"stacked":true/);
    expect(html).toMatch(
      /The mean latency of [\d.,]+ ms, split by the steps of a request&#39;s life: execution/,
    );
    expect(html).toMatch(/<details>\s*<summary>Resolved scenario/);
    expect(html).toContain("zone-outage");
    expect(html).toMatch(/"bands":\[\{"from":15,"to":20,"label":"zone-outage"\}\]/);
  });

  it("escapes what came from the scenario, in the page and in the embedded data", () => {
    expect(html).not.toContain("f</script><b>");
    expect(html).toContain("f&lt;/script&gt;&lt;b&gt;");
    expect(html.match(/<\/script>/gi)).toHaveLength(3); // data, uPlot, the page's script
    expect(externalReferences(html)).toEqual([]);
  });

  it("says what is missing when the summary has no detail and no time series beside it", () => {
    const bare = runReportHtml({ summary: result.summary, detail: null, rows: null, notes: [] });
    expect(chartCount(bare)).toBe(0);
    expect(bare).toMatch(/No time series: timeseries.csv was not found/);
    expect(bare).toMatch(/latency distribution is not in this summary/);
    expect(bare).toMatch(/resolved scenario is not in this summary/);
    const csvOnly = runReportHtml({ summary: result.summary, detail: null, rows, notes: [] });
    expect(chartCount(csvOnly)).toBe(6);
    expect(csvOnly).toContain("Failed requests and throttled attempts");
    expect(csvOnly).toMatch(
      /Failures by cause per interval and orphaned sandboxes per interval are not in this summary/,
    );
  });
});

describe("the page's script", () => {
  it("is the client modules as one plain script, which parses", () => {
    const { clientJs } = loadAssets();
    expect(clientJs).not.toMatch(/^\s*(import|export)\b/m);
    expect(clientJs).toContain("function renderReport(");
    expect(() => new Function(clientJs)).not.toThrow();
  });

  it("turns a compiled module into a script, and refuses what it cannot inline", () => {
    const js =
      'import { a } from "./draw.js";\nexport function b() { return a(); }\nexport {};\n//# sourceMappingURL=x.js.map\n';
    expect(toScript(js, "x.js").trim()).toBe("function b() { return a(); }");
    expect(() => toScript('import x from "uplot";\n', "y.js")).toThrow(/cannot be inlined/);
  });
});
