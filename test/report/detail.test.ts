/**
 * What a run records for the report beyond the summary: its shape, the fault windows,
 * summary.json's text (SPEC fields first, in order, then `detail`) and the frame that
 * merges intervals when a run has too many to draw.
 */
import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/experiment/run.js";
import { faultWindows, summaryJsonText } from "../../src/metrics/detail.js";
import { FAILURE_CAUSES } from "../../src/model/observer.js";
import { buildFrame, MAX_POINTS } from "../../src/report/frame.js";
import { parseTimeseriesCsv } from "../../src/report/timeseries-csv.js";
import { loadScenarioText } from "../../src/scenario/load.js";

const SCENARIO = `name: detail
duration: 20s
warmup: 2s
metricsInterval: 1s
cluster: { zones: [a, b], hostsPerZone: 3, failureDetection: 500ms }
functions:
  - name: f
    duration: 50ms
    arrivals: { process: poisson, rate: 200/s }
faults:
  - { at: 8s, kind: zone-outage, zone: b, duration: 4s }
`;

describe("the run's detail", () => {
  const result = runScenario(loadScenarioText(SCENARIO, "detail.yaml"));
  const { detail, summary } = result;
  const rows = parseTimeseriesCsv(result.timeseriesCsv);

  it("has one value per interval for every series, and the failures by cause add up", () => {
    expect(rows).toHaveLength(20);
    for (const cause of FAILURE_CAUSES)
      expect(detail.intervals.failuresByCause[cause]).toHaveLength(20);
    expect(detail.intervals.orphanedSandboxes).toHaveLength(20);
    for (const cause of FAILURE_CAUSES) {
      const sum = detail.intervals.failuresByCause[cause].reduce((a, b) => a + b, 0);
      expect(sum).toBe(summary.failures[cause]);
    }
    const throttled = rows.map((r) => r.throttled);
    expect(detail.intervals.failuresByCause.throttled).toEqual(throttled);
    expect(summary.failures["host-crash"] + summary.failures.unreachable).toBeGreaterThan(0);
  });

  it("counts one utilisation sample per up host per interval, and keeps the resolved scenario", () => {
    const samples = detail.hostUtilizationPercent.reduce((a, b) => a + b, 0);
    expect(samples).toBe(rows.reduce((a, r) => a + Number(r.hosts_up), 0));
    expect(detail.hostUtilizationPercent).toHaveLength(100);
    expect(detail.scenario.name).toBe("detail");
    expect(detail.functionsOmitted).toBe(0);
    const total = detail.latencyBuckets.reduce((a, [, c]) => a + c, 0);
    expect(total).toBe(summary.requests.completed);
  });

  it("marks the fault's window exactly", () => {
    expect(detail.faultWindows).toEqual([{ kind: "zone-outage", startSeconds: 8, endSeconds: 12 }]);
    expect(detail.faultWindowsOmitted).toBe(0);
  });

  it("writes summary.json with the SPEC fields first, in order, and detail last", () => {
    const text = summaryJsonText(summary, detail);
    const parsed = JSON.parse(text);
    expect(Object.keys(parsed)).toEqual([...Object.keys(summary), "detail"]);
    expect(text.startsWith(JSON.stringify(summary, null, 2).slice(0, -2))).toBe(true);
    expect(parsed.detail).toEqual(JSON.parse(JSON.stringify(detail)));
    expect(text.endsWith("}\n")).toBe(true);
  });
});

describe("fault windows", () => {
  const rows = [0, 1, 2, 3, 4, 5].map((t) => ({ t_s: t, fault: "" as string }));

  it("take scheduled faults as they were and random ones from the fault column", () => {
    rows[1]!.fault = "host-crash";
    rows[2]!.fault = "host-crash+zone-outage";
    rows[3]!.fault = "zone-outage";
    rows[5]!.fault = "host-crash";
    const windows = faultWindows([{ kind: "zone-outage", atUs: 2.5e6, endUs: 3.5e6 }], rows, 6e6);
    expect(windows).toEqual([
      { kind: "zone-outage", startSeconds: 2.5, endSeconds: 3.5 },
      { kind: "random host-crash", startSeconds: 1, endSeconds: 3 },
      { kind: "random host-crash", startSeconds: 5, endSeconds: 6 },
    ]);
  });

  it("clamp a fault that never ends to the end of the run", () => {
    const w = faultWindows([{ kind: "host-crash", atUs: 1e6, endUs: 1e12 }], [], 6e6);
    expect(w).toEqual([{ kind: "host-crash", startSeconds: 1, endSeconds: 6 }]);
  });
});

describe("the frame of a long run", () => {
  it("merges intervals: counts add up, percentiles keep the worst, gauges the last", () => {
    const n = MAX_POINTS * 2 + 1;
    const rows = Array.from({ length: n }, (_, i) => ({
      t_s: i,
      arrivals: 10,
      completed: 9,
      failed: 1,
      throttled: 0,
      cold_starts: i % 2,
      p50_ms: 5,
      p99_ms: i,
      sandboxes: i,
      busy_sandboxes: 1,
      idle_sandboxes: 2,
      hosts_up: 3,
      hosts_active: 2,
      memory_used_gb: 1,
      fault: "",
    }));
    const f = buildFrame(rows, null, n);
    expect(f.merged).toBe(3);
    expect(f.t).toHaveLength(Math.ceil(n / 3));
    expect(f.arrivals[0]).toBe(30);
    expect(f.len[0]).toBe(3);
    expect(f.p99[0]).toBe(2);
    expect(f.sandboxes[1]).toBe(5);
    expect(f.arrivals.reduce((a, b) => a + b, 0)).toBe(10 * n);
    expect(f.causes).toBeNull();
  });
});
