/**
 * A population's workload (src/workload/population.ts): one superposed Poisson process
 * whose arrivals pick their function by an alias table gives each function its own
 * rate; the scenario holds one pending arrival for the whole population; explicit
 * functions beside a population draw exactly what they drew alone; and a policy never
 * moves a population's arrivals or execution times (common random numbers).
 */
import { describe, expect, it } from "vitest";
import { Run } from "../../src/experiment/run.js";
import { createStream, Streams } from "../../src/kernel/random.js";
import type { ModelObserver } from "../../src/model/observer.js";
import { loadScenarioText as load } from "../../src/scenario/load.js";
import { zipfRates } from "../../src/scenario/population.js";
import { AliasTable } from "../../src/workload/alias-table.js";
import { PopulationArrivals } from "../../src/workload/population.js";
import { arrivalSources } from "../../src/workload/sources.js";

/** Expects a binomial-like count to be within 4.5 sd of its mean. */
function expectCount(count: number, mean: number): void {
  expect(Math.abs(count - mean)).toBeLessThan(4.5 * Math.sqrt(mean) + 1);
}

describe("alias table", () => {
  it("draws each index in proportion to its weight, never one of weight 0", () => {
    const weights = [5, 0, 1, 3, 0.5, 0.5];
    const table = new AliasTable(weights);
    const rng = createStream(1, "test/alias");
    const counts = weights.map(() => 0);
    const n = 200_000;
    for (let i = 0; i < n; i++) counts[table.draw(rng)]!++;
    const total = weights.reduce((a, b) => a + b, 0);
    for (const [i, w] of weights.entries()) expectCount(counts[i]!, (n * w) / total);
    expect(counts[1]).toBe(0);
  });

  it("refuses no weights, negative weights and weights that sum to 0", () => {
    expect(() => new AliasTable([])).toThrow(/no weights/);
    expect(() => new AliasTable([1, -1])).toThrow(/bad weight/);
    expect(() => new AliasTable([0, 0])).toThrow(/sum to 0/);
  });
});

describe("superposed population arrivals", () => {
  it("give the total rate, each function its Zipf share, exponential gaps", () => {
    const rates = zipfRates(50, 1, 1_000);
    const source = new PopulationArrivals(3, rates, createStream(1, "population/arrivals"));
    const endUs = 100e6;
    const counts = rates.map(() => 0);
    let last = 0;
    let n = 0;
    let sumSq = 0;
    for (let t = source.advance(); t < endUs; t = source.advance()) {
      counts[source.fn - 3]!++;
      sumSq += (t - last) ** 2;
      last = t;
      n++;
    }
    expectCount(n, 100_000);
    for (const [i, r] of rates.entries()) expectCount(counts[i]!, r * 100);
    // Exponential gaps: E[gap²] = 2 mean² (mean 1 ms).
    expect(sumSq / n / 2 / 1e6).toBeCloseTo(1, 1);
  });

  const text = (population: boolean, sets = "") => `
name: mixed
duration: 30s
cluster: { zones: 2, hostsPerZone: 20 }
functions:
  - name: solo
    duration: { dist: exponential, mean: 20ms }
    arrivals: { process: poisson, rate: 50/s }
${
  population
    ? `population:
  count: 300
  totalRate: 200/s
  duration: { dist: lognormal, median: 30ms, p99: 500ms }
  coldStart: 100ms`
    : ""
}
${sets}`;

  /** (function name, arrival time, execution time) of every request. */
  function workload(source: string): string[] {
    const s = load(source, "mixed.yaml");
    const run = new Run(s);
    const seen: string[] = [];
    const world = run.world;
    const observer = (world as unknown as { obs: ModelObserver }).obs;
    const original = observer.arrived.bind(observer);
    observer.arrived = (req, fn, nowUs) => {
      seen.push(`${s.functions[fn]!.name}@${nowUs}:${world.requests.durationUs[req]}`);
      original(req, fn, nowUs);
    };
    run.runToEnd();
    run.finish();
    return seen;
  }

  it("hold one pending arrival for the whole population", () => {
    const s = load(text(true), "mixed.yaml");
    const sources = arrivalSources(s, new Streams(s.seed), s.durationUs);
    expect(sources).toHaveLength(s.functions.length + 1);
    // The population's own per-function sources never fire.
    expect(sources.slice(1, -1).every((src) => src.advance() === Number.POSITIVE_INFINITY)).toBe(
      true,
    );
    const run = new Run(s);
    // One arrival for `solo`, one for the population, one metrics tick: nothing per function.
    expect(run.world.sim.pending).toBeLessThan(40);
  });

  it("leave an explicit function's arrivals and execution times as they were alone", () => {
    const alone = workload(text(false));
    const mixed = workload(text(true)).filter((w) => w.startsWith("solo@"));
    expect(alone.length).toBeGreaterThan(1000);
    expect(mixed).toEqual(alone);
  });

  it("do not move when a policy changes (common random numbers)", () => {
    const base = workload(text(true));
    expect(base.length).toBeGreaterThan(5000);
    for (const change of [
      "placement: { policy: best-fit }",
      "balancer: { routing: lru }",
      "keepAlive: { policy: none }",
    ])
      expect(workload(text(true, change))).toEqual(base);
  });
});
