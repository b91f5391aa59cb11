/** Summary paths: parsing, resolving, listing, and the template against a real run. */
import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/experiment/run.js";
import { checkValue } from "../../src/metrics/expectations.js";
import {
  formatSummaryPath,
  numericPaths,
  parseSummaryPath,
  resolvePath,
} from "../../src/metrics/summary-path.js";
import { summaryPaths, summaryTemplate } from "../../src/metrics/summary-template.js";
import { loadScenarioText } from "../../src/scenario/load.js";

const tree = {
  latencyMs: { mean: 2, p99: 9.5 },
  faults: [{ kind: "host-crash", recoverySeconds: null, failedDuring: 3 }],
  functions: [
    { name: "checkout", coldStartRatio: 0.25 },
    { name: "0", coldStartRatio: 0.5 },
    { name: "a.b]c", coldStartRatio: 0.75 },
  ],
  failures: { "host-crash": 4 },
  label: "x",
};

describe("resolvePath", () => {
  it("reads dotted keys, indices and names", () => {
    expect(resolvePath(tree, "latencyMs.p99")).toBe(9.5);
    expect(resolvePath(tree, "faults[0].failedDuring")).toBe(3);
    expect(resolvePath(tree, "functions[checkout].coldStartRatio")).toBe(0.25);
    expect(resolvePath(tree, "functions[1].coldStartRatio")).toBe(0.5);
    expect(resolvePath(tree, 'functions["0"].coldStartRatio')).toBe(0.5);
    expect(resolvePath(tree, 'functions["a.b]c"].coldStartRatio')).toBe(0.75);
    expect(resolvePath(tree, "failures.host-crash")).toBe(4);
    expect(resolvePath(tree, 'failures["host-crash"]')).toBe(4);
  });

  it("is null for a null field and undefined for anything that is not a number", () => {
    expect(resolvePath(tree, "faults[0].recoverySeconds")).toBeNull();
    for (const path of [
      "latencyMs.p95",
      "latencyMs",
      "label",
      "faults[1].failedDuring",
      "functions[nope].coldStartRatio",
      "latencyMs[0]",
      "latencyMs..p99",
      "",
      "functions[",
    ])
      expect(resolvePath(tree, path), path).toBeUndefined();
  });

  it("says where a path does not parse", () => {
    const parsed = parseSummaryPath("latencyMs..p99");
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(/character 11/);
  });
});

describe("numericPaths", () => {
  it("lists every number, naming list elements by their name, and each path resolves", () => {
    const paths = numericPaths(tree);
    expect(paths).toEqual([
      "latencyMs.mean",
      "latencyMs.p99",
      "faults[0].failedDuring",
      "functions[checkout].coldStartRatio",
      'functions["0"].coldStartRatio',
      'functions["a.b]c"].coldStartRatio',
      "failures.host-crash",
    ]);
    for (const p of paths) expect(typeof resolvePath(tree, p), p).toBe("number");
  });

  it("formats what it parses back to the same text", () => {
    for (const p of numericPaths(tree)) {
      const parsed = parseSummaryPath(p);
      expect(parsed.ok && formatSummaryPath(parsed.segments)).toBe(p);
    }
  });
});

describe("the summary template", () => {
  it("has exactly the numeric paths of a real run's summary", () => {
    const scenario = loadScenarioText(
      `name: t
duration: 20s
functions:
  - { name: a, duration: 10ms, arrivals: { process: poisson, rate: 50/s } }
  - { name: b, duration: 10ms, arrivals: { process: poisson, rate: 20/s } }
faults:
  - { kind: host-crash, at: 5s }
  - { kind: random-host-crashes, mtbf: 1h, repair: 1min }
`,
      "t.yaml",
    );
    const summary = runScenario(scenario).summary;
    // recoverySeconds may be null in a run; the template lists it as a number.
    const real = numericPaths({
      ...summary,
      faults: summary.faults.map((f) => ({ ...f, recoverySeconds: 0 })),
    });
    expect(summaryPaths(["a", "b"], ["host-crash"])).toEqual(real);
    expect(summaryTemplate([], []).functions).toEqual([]);
  });
});

describe("checkValue", () => {
  const e = { metric: "latencyMs.p99", min: 1, max: 2 };

  it("passes inside inclusive bounds and names metric, bound and value when it fails", () => {
    expect(checkValue(e, 1).passed).toBe(true);
    expect(checkValue(e, 2).passed).toBe(true);
    const high = checkValue(e, 2.5);
    expect(high.passed).toBe(false);
    expect(high.text).toBe("✗ latencyMs.p99 = 2.5: above the max 2 (expected between 1 and 2)");
    expect(checkValue({ ...e, max: null }, 0.5).text).toMatch(
      /below the min 1 \(expected at least 1\)/,
    );
  });

  it("fails a null or missing value whatever the bounds", () => {
    expect(checkValue({ ...e, min: null }, null).passed).toBe(false);
    expect(checkValue({ ...e, min: null }, null).text).toMatch(/null/);
    expect(checkValue(e, undefined).text).toMatch(/not in the summary/);
  });
});
