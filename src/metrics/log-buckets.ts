/**
 * The recording side of the latency histograms: counts in log-linear buckets, the
 * layout of an HDR histogram (Gil Tene) with 256 sub-buckets, so a bucket is at most
 * 1/128 of its values wide and its midpoint within 0.4% of any value in it. Recording
 * is a few integer operations and an array increment — about 3 ns, where the
 * hdr-histogram-js call costs 20 ns (WebAssembly) to 130 ns (JavaScript), and a request
 * records several values. Counts are kept only for the window of buckets seen so far,
 * so a histogram of a narrow range stays small. Reading goes through hdr-histogram-js
 * (see histogram.ts).
 */
const SUB_BUCKETS = 256;
const HALF = 128;
const TWO_31 = 2 ** 31;

/** Bucket index of a whole non-negative value. */
export function bucketOf(v: number): number {
  if (v < SUB_BUCKETS) return v;
  const e = v < TWO_31 ? 31 - Math.clz32(v) : Math.floor(Math.log2(v));
  const sub = v < TWO_31 ? v >>> (e - 7) : Math.floor(v / 2 ** (e - 7));
  return SUB_BUCKETS + (e - 8) * HALF + (sub - HALF);
}

/** Smallest value of bucket i. */
export function bucketLow(i: number): number {
  if (i < SUB_BUCKETS) return i;
  const k = i - SUB_BUCKETS;
  const e = 8 + Math.floor(k / HALF);
  return (HALF + (k % HALF)) * 2 ** (e - 7);
}

/** Number of values in bucket i. */
export function bucketWidth(i: number): number {
  return i < SUB_BUCKETS ? 1 : 2 ** (8 + Math.floor((i - SUB_BUCKETS) / HALF) - 7);
}

/**
 * The bucket range [lo, hi) a window of counts [lo, lo + len) widens to so that it holds
 * bucket i (len 0: a first window). Small at first: most of a large population's
 * histograms see a handful of values. Margins then grow with the window (up to 256
 * buckets), so a histogram that widens by steps (a function's first values, then its
 * tail) copies a few times rather than once per 64 buckets.
 */
export function widenedWindow(lo: number, len: number, i: number): [number, number] {
  if (len === 0) {
    const first = Math.max(0, i - 8);
    return [first, first + 16];
  }
  const margin = Math.min(256, Math.max(64, len >> 1));
  return [Math.min(lo, Math.max(0, i - margin)), Math.max(lo + len, i + margin)];
}

export class LogBuckets {
  /** Index of counts[0]. */
  private lo = 0;
  private counts = new Float64Array(0);

  record(v: number): void {
    const i = bucketOf(v);
    const j = i - this.lo;
    if (j >= 0 && j < this.counts.length) this.counts[j]!++;
    else this.grow(i, 1);
  }

  recordCount(i: number, count: number): void {
    const j = i - this.lo;
    if (j >= 0 && j < this.counts.length) this.counts[j]! += count;
    else this.grow(i, count);
  }

  reset(): void {
    this.counts.fill(0);
  }

  /** Calls `f(bucket, count)` for every non-empty bucket, in increasing order. */
  forEach(f: (bucket: number, count: number) => void): void {
    for (let j = 0; j < this.counts.length; j++)
      if (this.counts[j]! > 0) f(this.lo + j, this.counts[j]!);
  }

  /** Adds another histogram's counts (exact). */
  add(other: LogBuckets): void {
    other.forEach((i, c) => {
      this.recordCount(i, c);
    });
  }

  private grow(i: number, count: number): void {
    const [lo, hi] = widenedWindow(this.lo, this.counts.length, i);
    const next = new Float64Array(hi - lo);
    if (this.counts.length > 0) next.set(this.counts, this.lo - lo);
    this.lo = lo;
    this.counts = next;
    this.counts[i - this.lo]! += count;
  }
}
