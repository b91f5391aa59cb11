import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createStream } from "../../src/kernel/random.js";
import { LatencyHistogram } from "../../src/metrics/histogram.js";
import { bucketLow, bucketOf, bucketWidth } from "../../src/metrics/log-buckets.js";

describe("log-linear buckets", () => {
  it("every whole value lies in its bucket, and buckets are at most 1/128 of their values wide", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 2 ** 50 })),
        (v) => {
          const i = bucketOf(v);
          expect(bucketLow(i)).toBeLessThanOrEqual(v);
          expect(v).toBeLessThan(bucketLow(i) + bucketWidth(i));
          if (v >= 256) expect(bucketWidth(i) / bucketLow(i)).toBeLessThanOrEqual(1 / 128);
        },
      ),
    );
  });

  it("bucket indexes increase with the value", () => {
    for (let v = 1; v < 1 << 20; v += 37)
      expect(bucketOf(v)).toBeGreaterThanOrEqual(bucketOf(v - 1));
  });
});

describe("LatencyHistogram", () => {
  it("percentiles are within 1% of the exact ones, mean and max exact", () => {
    const rng = createStream(1, "histogram-test");
    const values: number[] = [];
    const h = new LatencyHistogram();
    for (let i = 0; i < 100_000; i++) {
      // lognormal around 80 ms with a long tail, in whole microseconds
      const v = Math.round(
        80_000 *
          Math.exp(1.2 * Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng())),
      );
      values.push(v);
      h.record(v);
    }
    values.sort((a, b) => a - b);
    for (const p of [1, 10, 50, 90, 99, 99.9]) {
      const exact = values[Math.ceil((p / 100) * values.length) - 1]!;
      expect(Math.abs(h.percentileUs(p) - exact) / exact).toBeLessThan(0.01);
    }
    expect(h.meanUs()).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 6);
    expect(h.percentileUs(100)).toBe(values.at(-1));
  });

  it("is empty after reset, and reads 0 when empty", () => {
    const h = new LatencyHistogram();
    h.record(5);
    h.reset();
    expect(h.count).toBe(0);
    expect(h.percentileUs(50)).toBe(0);
    h.record(0);
    h.record(0);
    expect(h.percentileUs(99)).toBe(0);
  });
});
