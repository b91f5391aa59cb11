/**
 * The keep-alive family: the idle-time histogram against brute force, the hybrid
 * policy's thresholds one by one (each tested on both sides), and a conformance check
 * every registered policy passes (well-formed, deterministic decisions).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { keepAliveConformance } from "../../src/policies/conformance/keepalive.js";
import { HYBRID_DEFAULTS, HybridKeepAlive } from "../../src/policies/keepalive/hybrid.js";
import { IdleHistogram } from "../../src/policies/keepalive/idle-histogram.js";
import type { KeepAlivePolicy } from "../../src/policies/keepalive/keepalive-policy.js";
import { keepAlivePolicies } from "../../src/policies/keepalive/registry.js";

const MIN = 60e6;
const TTL = 10 * MIN;

/** The p-quantile bin by sorting: the bin of the ceil(p * n)-th smallest in-range value. */
function bruteBin(values: number[], binUs: number, bins: number, p: number): number {
  const inRange = values
    .map((v) => Math.floor(v / binUs))
    .filter((b) => b < bins)
    .sort((a, b) => a - b);
  if (inRange.length === 0) return -1;
  return inRange[Math.max(1, Math.ceil(p * inRange.length - 1e-9)) - 1]!;
}

function bruteCv(values: number[], binUs: number, bins: number): number {
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) {
    const b = Math.floor(v / binUs);
    if (b < bins) counts[b]!++;
  }
  const mean = counts.reduce((a, c) => a + c, 0) / bins;
  if (mean === 0) return 0;
  const variance = counts.reduce((a, c) => a + (c - mean) ** 2, 0) / bins;
  return Math.sqrt(variance) / mean;
}

describe("IdleHistogram", () => {
  it("counts, percentiles and CV agree with brute force", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 300 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.array(fc.integer({ min: 0, max: 400_000 }), { maxLength: 400 }),
        fc.constantFrom(0.01, 0.05, 0.07, 0.5, 0.99, 1),
        (bins, binUs, values, p) => {
          const h = new IdleHistogram(binUs, bins);
          for (const v of values) h.record(v);
          const out = values.filter((v) => v >= bins * binUs).length;
          expect(h.outOfRange).toBe(out);
          expect(h.inRange).toBe(values.length - out);
          expect(h.percentileBin(p)).toBe(bruteBin(values, binUs, bins, p));
          expect(h.cv()).toBeCloseTo(bruteCv(values, binUs, bins), 9);
          expect(h.outOfRangeShare()).toBe(values.length === 0 ? 0 : out / values.length);
        },
      ),
      { seed: 4, numRuns: 500 },
    );
  });

  it("the CV of idle times spread evenly over k of n bins is sqrt(n / k - 1)", () => {
    for (const k of [1, 10, 48, 120, 240]) {
      const h = new IdleHistogram(MIN, 240);
      for (let bin = 0; bin < k; bin++) for (let i = 0; i < 3; i++) h.record(bin * MIN + i);
      expect(h.cv()).toBeCloseTo(Math.sqrt(240 / k - 1), 12);
    }
  });

  it("a quantile that is a whole rank is that rank, whatever the float error (7% of 100)", () => {
    const h = new IdleHistogram(1, 240);
    for (let i = 0; i < 100; i++) h.record(i);
    expect(0.07 * 100).toBeGreaterThan(7);
    expect(h.percentileBin(0.07)).toBe(6);
    expect(h.percentileBin(0.99)).toBe(98);
  });

  it("bins by the lower edge: exactly one minute is the second bin", () => {
    const h = new IdleHistogram(MIN, 240);
    h.record(MIN - 1);
    h.record(MIN);
    h.record(240 * MIN - 1);
    h.record(240 * MIN);
    expect([h.count(0), h.count(1), h.count(239), h.outOfRange]).toEqual([1, 1, 1, 1]);
  });
});

/** A hybrid policy for function 0 that has seen `idleUs`. */
function hybridAfter(idleUs: readonly number[]): HybridKeepAlive {
  const p = new HybridKeepAlive(1, { ttlUs: TTL });
  for (const t of idleUs) p.observeIdleTime(0, t);
  return p;
}
const repeat = (n: number, us: number) => new Array<number>(n).fill(us);
const fallback = { prewarmUs: 0, keepUntilUs: TTL };

describe("hybrid keep-alive", () => {
  it("uses the paper's histogram and margin, and documents its own floors", () => {
    expect(HYBRID_DEFAULTS).toEqual({
      binUs: MIN,
      rangeUs: 240 * MIN,
      head: 0.05,
      tail: 0.99,
      cvThreshold: 2,
      minIdleTimes: 10,
      maxOutOfRangeShare: 0.05,
      margin: 0.1,
    });
  });

  it("a timer every 5 minutes: pre-warm at 4 min - 10%, keep until 5 min + 10%", () => {
    // 4.5 min idle falls in the bin [4, 5) min: head and tail are both that bin.
    const p = hybridAfter(repeat(10, 4.5 * MIN));
    expect(p.isRepresentative(0)).toBe(true);
    expect({ ...p.window(0) }).toEqual({ prewarmUs: 216e6, keepUntilUs: 330e6 });
  });

  it("head and tail are the 5th and 99th percentiles", () => {
    // 100 idle times: 5 in [2, 3) min, 94 in [20, 21), 1 in [30, 31). The 5th smallest
    // is in [2, 3), the 99th in [20, 21): the single 30-minute outlier is past the tail.
    const p = hybridAfter([...repeat(5, 2.5 * MIN), ...repeat(94, 20.5 * MIN), 30.5 * MIN]);
    expect({ ...p.window(0) }).toEqual({ prewarmUs: 2 * 54e6, keepUntilUs: 21 * 66e6 });
    // A second outlier: 2 of 101 are past [20, 21) min, so the 99th percentile moves out.
    p.observeIdleTime(0, 30.5 * MIN);
    expect(p.window(0).keepUntilUs).toBe(31 * 66e6);
  });

  it("with the head in the first bin, it keeps the sandbox until the tail", () => {
    const p = hybridAfter([...repeat(20, 5e6), ...repeat(80, 7.5 * MIN)]);
    expect({ ...p.window(0) }).toEqual({ prewarmUs: 0, keepUntilUs: 8 * 66e6 });
  });

  it("falls back to the fixed ttl below 10 idle times, and trusts 10", () => {
    const p = hybridAfter(repeat(9, 4.5 * MIN));
    expect(p.isRepresentative(0)).toBe(false);
    expect({ ...p.window(0) }).toEqual(fallback);
    p.observeIdleTime(0, 4.5 * MIN);
    expect(p.window(0).prewarmUs).toBe(216e6);
  });

  it("falls back when more than 5% of idle times are beyond 4 hours", () => {
    const regular = repeat(95, 4.5 * MIN);
    const p = hybridAfter([...regular, ...repeat(5, 5 * 60 * MIN)]);
    expect(p.histogram(0)!.outOfRangeShare()).toBe(0.05);
    expect(p.window(0).prewarmUs).toBe(216e6); // 5% is still fine
    p.observeIdleTime(0, 5 * 60 * MIN);
    expect(p.isRepresentative(0)).toBe(false);
    expect({ ...p.window(0) }).toEqual(fallback);
  });

  it("falls back when the idle times are spread (CV of the bin counts <= 2)", () => {
    // Exponential idle times of mean m minutes, by their quantiles (those beyond 4 hours
    // left out): the bin counts fall off as e^(-i/m), whose CV over 240 bins is about
    // sqrt(240 / 2m - 1): 1 for m = 60, 3.3 for m = 10.
    const spread = Array.from(
      { length: 1000 },
      (_, i) => -60 * MIN * Math.log(1 - (i + 0.5) / 1000),
    );
    const p = hybridAfter(spread.filter((t) => t < 240 * MIN));
    expect(p.histogram(0)!.cv()).toBeLessThan(2);
    expect({ ...p.window(0) }).toEqual(fallback);
    // Mean 10 min: concentrated enough.
    const p10 = hybridAfter(spread.map((t) => t / 6));
    expect(p10.histogram(0)!.cv()).toBeGreaterThan(2);
    expect(p10.isRepresentative(0)).toBe(true);
  });

  it("keeps one histogram per function", () => {
    const p = new HybridKeepAlive(2, { ttlUs: TTL });
    for (let i = 0; i < 10; i++) p.observeIdleTime(1, 4.5 * MIN);
    expect({ ...p.window(0) }).toEqual(fallback);
    expect(p.window(1).prewarmUs).toBe(216e6);
    expect(p.histogram(0)).toBeUndefined();
  });
});

describe("keep-alive conformance (every registered policy)", () => {
  const names = Object.keys(keepAlivePolicies) as (keyof typeof keepAlivePolicies)[];
  const make = (name: (typeof names)[number]): KeepAlivePolicy =>
    keepAlivePolicies[name]({ ttlUs: TTL, functions: 3 });

  describe.each(names)("%s", (name) => {
    for (const property of keepAliveConformance({
      make: ({ ttlUs, functions }) => keepAlivePolicies[name]({ ttlUs, functions }),
    }))
      it(property.name, () => property.run());
  });

  it("fixed keeps ttl, none keeps nothing, hybrid adapts", () => {
    expect(make("fixed")).toMatchObject({ kind: "uniform" });
    expect((make("fixed") as { ttlUs(fn: number): number }).ttlUs(1)).toBe(TTL);
    expect((make("none") as { ttlUs(fn: number): number }).ttlUs(1)).toBe(0);
    expect(make("hybrid").kind).toBe("adaptive");
  });
});
