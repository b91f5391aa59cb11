/**
 * The failure scenarios answer their questions in the direction their descriptions say
 * (orderings, not exact values). Each run has tens of thousands of requests per
 * interval of interest, so the orderings asserted are far larger than seed-to-seed noise.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/experiment/run.js";
import type { Summary } from "../../src/metrics/summary.js";
import { packageRoot } from "../../src/package-info.js";
import { loadScenario } from "../../src/scenario/load.js";

const bundled = (name: string): string => join(packageRoot(), "scenarios", `${name}.yaml`);

function run(
  name: string,
  variant?: string,
  sets: string[] = [],
): { summary: Summary; csv: string } {
  const { summary, timeseriesCsv } = runScenario(loadScenario(bundled(name), { variant, sets }));
  return { summary, csv: timeseriesCsv };
}

/** Failed requests per time-series row, by the row's start in seconds. */
function failuresByInterval(csv: string): Map<number, number> {
  const [header, ...rows] = csv.trim().split("\n");
  const cols = header!.split(",");
  const t = cols.indexOf("t_s");
  const failed = cols.indexOf("failed");
  return new Map(rows.map((r) => r.split(",")).map((c) => [Number(c[t]), Number(c[failed])]));
}

describe("zone-outage", () => {
  const base = run("zone-outage");
  const fault = base.summary.faults[0]!;

  it("fails requests only until the crash is detected and the leaders have failed over", () => {
    expect(fault.kind).toBe("zone-outage");
    expect(fault.failedDuring).toBeGreaterThan(0);
    // Detection 3 s + connect timeout 1 s after the onset at 360 s: nothing fails later.
    for (const [t, failed] of failuresByInterval(base.csv)) {
      if (t < 360 || t >= 365) expect(failed, `interval at ${t} s`).toBe(0);
    }
    expect(base.summary.sandboxes.lost).toBeGreaterThan(0);
  });

  it("recovers, and sooner with faster detection", () => {
    const fast = run("zone-outage", "fast-detection").summary.faults[0]!;
    const slow = run("zone-outage", "slow-detection").summary.faults[0]!;
    expect(fault.recoverySeconds).not.toBeNull();
    expect(fast.recoverySeconds!).toBeLessThan(fault.recoverySeconds!);
    expect(fault.recoverySeconds!).toBeLessThan(slow.recoverySeconds!);
    expect(fast.failedDuring).toBeLessThan(fault.failedDuring);
    expect(fault.failedDuring).toBeLessThan(slow.failedDuring);
  });
});

describe("balancer-failover", () => {
  const none = run("balancer-failover", "none").summary;
  const async = run("balancer-failover", "async").summary;
  const sync = run("balancer-failover", "sync").summary;

  it("without replication the new leader orphans sandboxes and extra cold starts follow", () => {
    expect(none.sandboxes.orphaned).toBeGreaterThan(100);
    expect(none.sandboxes.orphanedGbSeconds).toBeGreaterThan(0);
    expect(none.faults[0]!.extraColdStarts).toBeGreaterThan(50);
    expect(none.coldStarts).toBeGreaterThan(sync.coldStarts + 50);
  });

  it("sync loses nothing; async sits between", () => {
    expect(sync.sandboxes.orphaned).toBe(0);
    expect(sync.sandboxes.orphanedGbSeconds).toBe(0);
    expect(async.sandboxes.orphaned).toBeLessThan(none.sandboxes.orphaned);
    expect(async.sandboxes.orphaned).toBeGreaterThanOrEqual(sync.sandboxes.orphaned);
    expect(async.coldStarts).toBeLessThan(none.coldStarts);
  });

  it("sync pays a replication round trip on every request in steady state", () => {
    expect(sync.waitMs.p50).toBeGreaterThan(none.waitMs.p50 + 1);
    expect(sync.latencyMs.p50).toBeGreaterThan(none.latencyMs.p50);
  });

  it("every mode fails requests to the partition only during the election", () => {
    for (const s of [none, async, sync]) {
      expect(s.failures["balancer-unavailable"]).toBeGreaterThan(0);
      expect(s.faults[0]!.recoverySeconds).not.toBeNull();
    }
  });
});

describe("retry-storm", () => {
  const variants = ["no-retries", "immediate", "backoff-jitter", "backoff-jitter-budget"] as const;
  const results = Object.fromEntries(variants.map((v) => [v, run("retry-storm", v).summary]));
  const errorsAfter = (v: (typeof variants)[number]): number => {
    const rows = failuresByInterval(
      runScenario(loadScenario(bundled("retry-storm"), { variant: v })).timeseriesCsv,
    );
    // The last minute of the run, long after the 30 s brownout ended at 150 s.
    return [...rows].filter(([t]) => t >= 360).reduce((a, [, n]) => a + n, 0);
  };

  it("immediate retries keep failing long after the brownout: a metastable overload", () => {
    expect(results.immediate!.faults[0]!.recoverySeconds).toBeNull();
    expect(errorsAfter("immediate")).toBeGreaterThan(10_000);
    expect(results.immediate!.requests.retries).toBeGreaterThan(100_000);
    expect(results.immediate!.wastedExecutionSeconds).toBeGreaterThan(
      results["no-retries"]!.wastedExecutionSeconds,
    );
  });

  it("backoff with jitter and a retry budget recovers", () => {
    const budget = results["backoff-jitter-budget"]!;
    expect(budget.faults[0]!.recoverySeconds).not.toBeNull();
    expect(errorsAfter("backoff-jitter-budget")).toBe(0);
    expect(budget.errorRatio).toBeLessThan(results.immediate!.errorRatio / 2);
    expect(budget.requests.retries).toBeLessThan(results.immediate!.requests.retries / 10);
  });

  it("without retries the backlog drains too", () => {
    expect(results["no-retries"]!.faults[0]!.recoverySeconds).not.toBeNull();
    expect(results["no-retries"]!.requests.retries).toBe(0);
    expect(results["no-retries"]!.failures.timeout).toBeGreaterThan(0);
  });
});
