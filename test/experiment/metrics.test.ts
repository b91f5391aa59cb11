/**
 * compare's metrics by summary path: resolution (plain fields, a fault by index, a
 * function by name), the valid names listed for an unknown one, the defaults that
 * follow the scenario, and the field table kept complete against a real summary.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  checkMetricNames,
  defaultMetricNames,
  metricByName,
  metricContext,
} from "../../src/experiment/metrics.js";
import { runScenario } from "../../src/experiment/run.js";
import {
  numericLeaves,
  parsePath,
  SUMMARY_FIELDS,
  templateOf,
} from "../../src/experiment/summary-fields.js";
import { packageRoot } from "../../src/package-info.js";
import { loadScenario, loadScenarioText } from "../../src/scenario/load.js";

const SCENARIO = `name: metrics-test
duration: 20s
warmup: 2s
cluster: { zones: [a, b], hostsPerZone: 2, failureDetection: 1s }
functions:
  - name: checkout
    duration: 20ms
    arrivals: { process: poisson, rate: 80/s }
  - name: search
    duration: 5ms
    arrivals: { process: poisson, rate: 20/s }
faults:
  - { at: 8s, kind: zone-outage, zone: a, duration: 3s }
clients:
  timeout: 2s
  retry: { policy: immediate, maxAttempts: 2 }
`;

const scenario = loadScenarioText(SCENARIO, "metrics-test.yaml");
const summary = runScenario(scenario).summary;
const context = metricContext([scenario]);
const scenarios = join(packageRoot(), "scenarios");

describe("a metric by its summary path", () => {
  it("reads plain fields, a fault by index and a function by name", () => {
    expect(metricByName("latencyMs.mean")!.read(summary)).toBe(summary.latencyMs.mean);
    expect(metricByName("sandboxes.orphanedGbSeconds")!.read(summary)).toBe(
      summary.sandboxes.orphanedGbSeconds,
    );
    expect(summary.faults).toHaveLength(1);
    expect(metricByName("faults[0].extraColdStarts")!.read(summary)).toBe(
      summary.faults[0]!.extraColdStarts,
    );
    const search = summary.functions.find((f) => f.name === "search")!;
    const m = metricByName("functions[search].latencyMs.p99")!;
    expect(m.read(summary)).toBe(search.latencyMs.p99);
    expect(m.label).toBe("search: latency p99");
    expect(m.unit).toBe("ms");
    expect(metricByName("failures.timeout")!.read(summary)).toBe(summary.failures.timeout);
  });

  it("tells a field that is absent from one that is null", () => {
    const m = metricByName("faults[0].recoverySeconds")!;
    expect(m.read({ ...summary, faults: [] })).toBeUndefined();
    const never = { ...summary, faults: [{ ...summary.faults[0]!, recoverySeconds: null }] };
    expect(m.read(never)).toBeNull();
    expect(m.nullMeansNever?.present).toBe("recovered");
    expect(metricByName("functions[nobody].arrived")!.read(summary)).toBeUndefined();
  });

  it("accepts the names of the first versions as aliases", () => {
    expect(metricByName("latencyP99")!.read(summary)).toBe(summary.latencyMs.p99);
    expect(metricByName("recoverySeconds")!.read(summary)).toBe(summary.faults[0]!.recoverySeconds);
  });

  it("refuses an unknown metric, listing the valid ones", () => {
    for (const bad of ["speed", "latencyMs", "latencyMs.p42", "scenario", "faults[0]", "a..b"])
      expect(metricByName(bad), bad).toBeNull();
    let message = "";
    try {
      checkMetricNames(["latencyMs.mean", "speed"], context);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/unknown metric "speed"/);
    expect(message).toContain("latencyMs.p99");
    expect(message).toContain("sandboxes.orphanedGbSeconds");
    expect(message).toMatch(/faults\[I\]\.[\w|]*recoverySeconds.*I from 0 to 0/);
    expect(message).toMatch(/functions\[NAME\].*NAME: checkout, search/);
  });

  it("refuses a fault index or function name the scenario does not have", () => {
    expect(() => checkMetricNames(["faults[1].failedDuring"], context)).toThrow(
      /faults\[0\] to faults\[0\]/,
    );
    expect(() => checkMetricNames(["functions[cart].arrived"], context)).toThrow(
      /no function "cart"/,
    );
    const ok = checkMetricNames(["faults[0].failedDuring", "functions[checkout].arrived"], context);
    expect(ok.map((m) => m.name)).toEqual([
      "faults[0].failedDuring",
      "functions[checkout].arrived",
    ]);
  });

  it("parses paths with dots inside brackets", () => {
    expect(parsePath("functions[a.b].latencyMs.p99")).toEqual([
      { key: "functions" },
      { element: "a.b" },
      { key: "latencyMs" },
      { key: "p99" },
    ]);
    expect(parsePath("[0]")).toBeNull();
    expect(parsePath("faults[]")).toBeNull();
  });
});

describe("the field table", () => {
  it("describes every numeric field of a real summary (with faults, retries, functions)", () => {
    const missing = numericLeaves(summary)
      .map(([path]) => templateOf(parsePath(path)!))
      .filter((t) => !SUMMARY_FIELDS[t]);
    expect(missing).toEqual([]);
    expect(numericLeaves(summary).map(([p]) => p)).toContain("functions[checkout].latencyMs.p99");
  });
});

describe("the default metrics follow the scenario", () => {
  const defaults = (file: string): string[] => {
    const base = loadScenario(join(scenarios, file));
    const variants = Object.keys(base.variants);
    const all = variants.length
      ? variants.map((v) => loadScenario(join(scenarios, file), { variant: v }))
      : [base];
    return defaultMetricNames(metricContext(all));
  };
  const always = [
    "latencyMs.p50",
    "latencyMs.p99",
    "latencyMs.p999",
    "latencyMs.mean",
    "waitMs.mean",
    "errorRatio",
    "coldStartRatio",
    "sandboxes.idleGbSeconds",
    "hosts.activeHostHours",
  ];

  it("always latency, wait, errors, cold starts and cost; nothing else without faults", () => {
    expect(defaults("mm1.yaml")).toEqual(always);
  });

  it("faults: each fault's impact; replication variants: orphaned memory", () => {
    expect(defaults("balancer-failover.yaml")).toEqual([
      ...always,
      "faults[0].failedDuring",
      "faults[0].extraColdStarts",
      "faults[0].recoverySeconds",
      "sandboxes.orphanedGbSeconds",
      "sandboxes.orphaned",
    ]);
  });

  it("retrying clients: attempts, retries and wasted execution", () => {
    expect(defaults("retry-storm.yaml")).toEqual([
      ...always,
      "faults[0].failedDuring",
      "faults[0].extraColdStarts",
      "faults[0].recoverySeconds",
      "requests.attempts",
      "requests.retries",
      "wastedExecutionSeconds",
    ]);
  });
});
