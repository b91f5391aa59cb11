/**
 * Latency distributions for the report, from the log-linear buckets runs record
 * (metrics/log-buckets.ts). Pooling adds counts bucket by bucket (exact); a CDF is read
 * at bucket edges, where it is exact, thinned to a geometric grid so that a curve keeps
 * a few hundred points whatever the range.
 */
import { bucketLow, bucketWidth } from "../metrics/log-buckets.js";

export type Buckets = readonly (readonly [number, number])[];

/** Points per doubling of latency in a CDF (a step of about 4.4%). */
const POINTS_PER_OCTAVE = 16;

/** The sum of several histograms, bucket by bucket, in bucket order. */
export function poolBuckets(lists: readonly Buckets[]): [number, number][] {
  const counts = new Map<number, number>();
  for (const list of lists) for (const [i, c] of list) counts.set(i, (counts.get(i) ?? 0) + c);
  return [...counts.entries()].sort((a, b) => a[0] - b[0]);
}

export function totalCount(buckets: Buckets): number {
  let n = 0;
  for (const [, c] of buckets) n += c;
  return n;
}

/** The p-th percentile (0..100) in µs: the midpoint of the bucket holding it; null if empty. */
export function percentileUs(buckets: Buckets, p: number): number | null {
  const total = totalCount(buckets);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const [i, c] of buckets) {
    seen += c;
    if (seen >= rank) return bucketLow(i) + Math.floor(bucketWidth(i) / 2);
  }
  const last = buckets[buckets.length - 1]!;
  return bucketLow(last[0]);
}

/**
 * Bucket edges (in µs, > 0) spanning every non-empty bucket of `lists`, thinned to about
 * POINTS_PER_OCTAVE per doubling; the first and last edges are always kept.
 */
export function edgeGrid(lists: readonly Buckets[]): number[] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const list of lists)
    for (const [i, c] of list) {
      if (c <= 0) continue;
      lo = Math.min(lo, i);
      hi = Math.max(hi, i);
    }
  if (lo > hi) return [];
  const edges: number[] = [];
  const ratio = 2 ** (1 / POINTS_PER_OCTAVE);
  for (let i = lo; i <= hi + 1; i++) {
    const edge = bucketLow(i);
    if (edge <= 0) continue;
    const last = edges[edges.length - 1];
    if (last === undefined || edge >= last * ratio || i === hi + 1) edges.push(edge);
  }
  return edges;
}

/** Fraction of values below each edge (edges ascending, each a bucket's lower edge). */
export function cdfAt(buckets: Buckets, edges: readonly number[]): number[] {
  const total = totalCount(buckets);
  const out: number[] = [];
  let j = 0;
  let below = 0;
  for (const edge of edges) {
    while (j < buckets.length && bucketLow(buckets[j]![0]) < edge) below += buckets[j++]![1];
    out.push(total > 0 ? below / total : 0);
  }
  return out;
}
