/**
 * The report's latency arithmetic: pooling is exact, the CDF read at bucket edges is the
 * exact share of values below them, the grid stays small, and percentiles agree with
 * the recorder's within a bucket.
 */
import { describe, expect, it } from "vitest";
import { LatencyHistogram } from "../../src/metrics/histogram.js";
import { bucketLow, bucketOf } from "../../src/metrics/log-buckets.js";
import {
  cdfAt,
  edgeGrid,
  percentileUs,
  poolBuckets,
  totalCount,
} from "../../src/report/latency.js";

function bucketsOf(values: number[]): [number, number][] {
  const h = new LatencyHistogram();
  for (const v of values) h.record(v);
  const out: [number, number][] = [];
  h.buckets.forEach((i, c) => {
    out.push([i, c]);
  });
  return out;
}

const spread = (n: number, from: number, factor: number): number[] =>
  Array.from({ length: n }, (_, i) => Math.round(from * factor ** (i / n)));

describe("latency buckets in the report", () => {
  const a = spread(5000, 300, 1000);
  const b = spread(3000, 50, 20);

  it("pools histograms exactly: the pool of two is the histogram of both", () => {
    expect(poolBuckets([bucketsOf(a), bucketsOf(b)])).toEqual(bucketsOf([...a, ...b]));
    expect(totalCount(poolBuckets([bucketsOf(a), bucketsOf(b), []]))).toBe(8000);
  });

  it("reads the CDF at bucket edges as the exact share of values below each edge", () => {
    const values = [...a, ...b];
    const buckets = bucketsOf(values);
    const edges = edgeGrid([buckets]);
    const cdf = cdfAt(buckets, edges);
    edges.forEach((edge, i) => {
      expect(bucketLow(bucketOf(edge))).toBe(edge); // an edge of the layout
      expect(cdf[i]).toBe(values.filter((v) => v < edge).length / values.length);
    });
    expect(cdf[0]).toBe(0);
    expect(cdf[cdf.length - 1]).toBe(1);
    for (let i = 1; i < cdf.length; i++) expect(cdf[i]!).toBeGreaterThanOrEqual(cdf[i - 1]!);
  });

  it("keeps about 16 points per doubling whatever the number of buckets", () => {
    const wide = bucketsOf(spread(100_000, 100, 1e5)); // 100 µs to 10 s: ~17 doublings
    expect(wide.length).toBeGreaterThan(1500);
    const edges = edgeGrid([wide]);
    expect(edges.length).toBeGreaterThan(17 * 12);
    expect(edges.length).toBeLessThan(17 * 16 + 40);
  });

  it("gives percentiles within a bucket of the recorder's", () => {
    const h = new LatencyHistogram();
    for (const v of a) h.record(v);
    const buckets = bucketsOf(a);
    for (const p of [50, 90, 99, 99.9]) {
      const mine = percentileUs(buckets, p)!;
      expect(Math.abs(mine - h.percentileUs(p)) / h.percentileUs(p)).toBeLessThan(0.012);
    }
    expect(percentileUs([], 50)).toBeNull();
    expect(edgeGrid([[], []])).toEqual([]);
  });
});
