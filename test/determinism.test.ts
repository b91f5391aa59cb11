/**
 * SPEC 6: the same scenario and seed give byte-identical summaries (but for
 * wallSeconds); another seed gives another; and changing only a policy leaves the
 * workload — every request's arrival time and drawn execution time — unchanged
 * (common random numbers).
 */
import { describe, expect, it } from "vitest";
import { defaultScenario } from "../src/cli/run.js";
import { Run, runScenario } from "../src/experiment/run.js";
import type { ModelObserver } from "../src/model/observer.js";
import { loadScenario } from "../src/scenario/load.js";
import type { ResolvedScenario } from "../src/scenario/types.js";

const short = (sets: string[] = [], seed?: number): ResolvedScenario =>
  loadScenario(defaultScenario(), { sets: ["duration=60s", "warmup=10s", ...sets], seed });

const summaryJson = (s: ResolvedScenario): string => {
  const { summary, timeseriesCsv } = runScenario(s);
  return JSON.stringify({ ...summary, wallSeconds: 0 }) + timeseriesCsv;
};

describe("determinism", () => {
  it("the same scenario and seed give the same summary and time series, byte for byte", () => {
    const a = summaryJson(short());
    expect(a).toBe(summaryJson(short()));
    expect(a).toContain('"arrived"');
  });

  it("a different seed gives a different summary", () => {
    expect(summaryJson(short([], 2))).not.toBe(summaryJson(short([], 1)));
  });
});

/** Records (arrival time, execution time) of every request, in arrival order. */
function workloadOf(s: ResolvedScenario): string[] {
  const run = new Run(s);
  const seen: string[] = [];
  const world = run.world;
  const observer = (world as unknown as { obs: ModelObserver }).obs;
  const original = observer.arrived.bind(observer);
  observer.arrived = (req, fn, nowUs) => {
    seen.push(`${fn}@${nowUs}:${world.requests.durationUs[req]}`);
    original(req, fn, nowUs);
  };
  run.runToEnd();
  run.finish();
  return seen;
}

describe("common random numbers", () => {
  const base = short();
  const baseline = workloadOf(base);

  it.each([
    ["placement.policy=random"],
    ["placement.policy=best-fit"],
    ["placement.policy=worst-fit"],
    ["balancer.routing=lru"],
    ["balancer.routing={policy: p2c, d: 3}"],
    ["balancer.routing=least-outstanding"],
    ["cluster.hostsPerZone=60"],
  ])("changing only %s leaves every arrival and execution time unchanged", (set) => {
    const changed = short([set]);
    expect(changed).not.toEqual(base);
    const workload = workloadOf(changed);
    expect(workload.length).toBeGreaterThan(10_000);
    expect(workload).toEqual(baseline);
  });
});
