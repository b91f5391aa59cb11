/**
 * Arrival processes: each delivers its configured rate (within 4 standard deviations of
 * the count), and its shape: exact spacing for `constant`, a sharp change at a step's
 * boundary, the busiest part of the day around `peakAt`.
 */
import { describe, expect, it } from "vitest";
import { createStream } from "../../src/kernel/random.js";
import type { ArrivalSpec } from "../../src/scenario/types.js";
import { arrivalProcess } from "../../src/workload/arrivals.js";

const S = 1e6;

/** Arrival times in [0, endUs), as the model draws them (each from the previous one). */
function arrivals(spec: ArrivalSpec, endUs: number, seed = 1): number[] {
  const p = arrivalProcess(spec, createStream(seed, "arrivals/f"));
  const out: number[] = [];
  for (let t = p.next(0); t < endUs; t = p.next(t)) out.push(t);
  return out;
}

const countIn = (ts: number[], lo: number, hi: number) =>
  ts.filter((t) => t >= lo && t < hi).length;

/** Expects a Poisson-like count to be within 4 sd of its mean (variance = mean unless given). */
function expectCount(count: number, mean: number, variance = mean): void {
  expect(Math.abs(count - mean)).toBeLessThan(4 * Math.sqrt(variance));
}

describe("arrival processes", () => {
  it("poisson: the count matches the rate and the gaps are exponential", () => {
    const ts = arrivals({ process: "poisson", rate: 200 }, 100 * S);
    expectCount(ts.length, 20_000);
    // Coefficient of variation of exponential gaps is 1 (0.02 is ~ 3 sd at n = 20,000).
    const gaps = ts.slice(1).map((t, i) => t - ts[i]!);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length);
    expect(Math.abs(sd / mean - 1)).toBeLessThan(0.03);
    expect(arrivals({ process: "poisson", rate: 0 }, 100 * S)).toEqual([]);
  });

  it("constant: exact spacing of 1/rate from a first arrival within one gap", () => {
    const ts = arrivals({ process: "constant", rate: 40 }, 10 * S);
    const gap = S / 40;
    expect(ts[0]).toBeGreaterThanOrEqual(0);
    expect(ts[0]).toBeLessThan(gap);
    for (let i = 1; i < ts.length; i++) expect(ts[i]! - ts[i - 1]!).toBeCloseTo(gap, 6);
    expect(ts.length === 400 || ts.length === 399).toBe(true);
    // Different streams start at different phases.
    const other = arrivals({ process: "constant", rate: 40 }, 10 * S, 2);
    expect(other[0]).not.toBe(ts[0]);
  });

  it("steps: each step holds its rate, and the rate changes at the boundary", () => {
    const spec: ArrivalSpec = {
      process: "steps",
      steps: [
        { atUs: 0, rate: 50 },
        { atUs: 40 * S, rate: 500 },
        { atUs: 60 * S, rate: 0 },
        { atUs: 70 * S, rate: 100 },
      ],
    };
    const ts = arrivals(spec, 100 * S);
    expectCount(countIn(ts, 0, 40 * S), 50 * 40);
    expectCount(countIn(ts, 40 * S, 60 * S), 500 * 20);
    expect(countIn(ts, 60 * S, 70 * S)).toBe(0);
    expectCount(countIn(ts, 70 * S, 100 * S), 100 * 30);
    // Around the boundary: the last second before at 50/s, the first after at 500/s.
    expectCount(countIn(ts, 39 * S, 40 * S) + countIn(ts, 38 * S, 39 * S), 100);
    expectCount(countIn(ts, 40 * S, 41 * S) + countIn(ts, 41 * S, 42 * S), 1000);
  });

  it("steps: nothing before the first step, and the first arrival follows it closely", () => {
    const ts = arrivals({ process: "steps", steps: [{ atUs: 30 * S, rate: 1000 }] }, 40 * S);
    expect(ts[0]).toBeGreaterThanOrEqual(30 * S);
    expect(ts[0]).toBeLessThan(30 * S + 20_000); // P(gap > 20 ms at 1000/s) = e^-20
    expectCount(ts.length, 10_000);
  });

  it("onoff: the long-run rate is the time-weighted mean of the two states", () => {
    const on = { rate: 400, meanUs: 2 * S };
    const off = { rate: 20, meanUs: 6 * S };
    const T = 2000 * S;
    const ts = arrivals({ process: "onoff", on, off }, T);
    const pOn = on.meanUs / (on.meanUs + off.meanUs);
    const mean = (on.rate * pOn + off.rate * (1 - pOn)) * (T / S);
    // Count variance of a two-state MMPP: Poisson part plus that of the integrated rate,
    // 2 var(rate) T / (a + b) with a, b the switching rates.
    const switching = S / on.meanUs + S / off.meanUs;
    const rateVar = pOn * (1 - pOn) * (on.rate - off.rate) ** 2;
    expectCount(ts.length, mean, mean + (2 * rateVar * (T / S)) / switching);
    // Bursty: counts per second are overdispersed (variance far above the mean).
    const perS = new Array<number>(T / S).fill(0);
    for (const t of ts) perS[Math.floor(t / S)]!++;
    const m = ts.length / perS.length;
    const v = perS.reduce((a, c) => a + (c - m) ** 2, 0) / perS.length;
    expect(v / m).toBeGreaterThan(10);
  });

  it("onoff: with a silent off state, arrivals come in bursts separated by gaps", () => {
    const ts = arrivals(
      { process: "onoff", on: { rate: 1000, meanUs: S }, off: { rate: 0, meanUs: 5 * S } },
      300 * S,
    );
    expectCount(ts.length, (1000 * 300) / 6, (1000 * 300) / 6 + (2 * (5 / 36) * 1e6 * 300) / 1.2);
    const longGaps = ts.slice(1).filter((t, i) => t - ts[i]! > S).length;
    expect(longGaps).toBeGreaterThan(10);
  });

  it("onoff: starts in the on state with its long-run probability", () => {
    // On 25% of the time; an on start gives an arrival within 10 ms almost surely.
    const spec: ArrivalSpec = {
      process: "onoff",
      on: { rate: 1000, meanUs: 10 * S },
      off: { rate: 0, meanUs: 30 * S },
    };
    const seeds = 400;
    let startedOn = 0;
    for (let seed = 0; seed < seeds; seed++)
      if (arrivals(spec, 10_000, seed).length > 0) startedOn++;
    expect(Math.abs(startedOn / seeds - 0.25)).toBeLessThan(4 * Math.sqrt((0.25 * 0.75) / seeds));
  });

  it("diurnal: the mean over whole periods is `mean`, busiest around `peakAt`", () => {
    const periodUs = 100 * S;
    const peakAtUs = 30 * S;
    const ts = arrivals(
      { process: "diurnal", mean: 100, amplitude: 0.8, periodUs, peakAtUs },
      10 * periodUs,
    );
    expectCount(ts.length, 100 * 1000);
    // Ten bins per period: the bin centred on the peak has the most arrivals, the one
    // opposite the fewest, in the ratio of the rates (1 + 0.8 cos) roughly.
    const bins = new Array<number>(10).fill(0);
    for (const t of ts)
      bins[Math.floor(((((t - peakAtUs + 5 * S) % periodUs) + periodUs) % periodUs) / (10 * S))]!++;
    expect(bins.indexOf(Math.max(...bins))).toBe(0);
    expect(bins.indexOf(Math.min(...bins))).toBe(5);
    const binMean = (b: number) =>
      100 *
      10 *
      10 *
      (1 + ((0.8 * Math.sin(Math.PI / 10)) / (Math.PI / 10)) * Math.cos((2 * Math.PI * b) / 10));
    for (let b = 0; b < 10; b++) expectCount(bins[b]!, binMean(b));
  });

  it("is deterministic for a stream and differs across streams", () => {
    const spec: ArrivalSpec = { process: "poisson", rate: 50 };
    expect(arrivals(spec, 10 * S, 5)).toEqual(arrivals(spec, 10 * S, 5));
    expect(arrivals(spec, 10 * S, 5)).not.toEqual(arrivals(spec, 10 * S, 6));
  });
});
