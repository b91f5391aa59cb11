/**
 * Latency distributions of whole microseconds. Values are recorded in log-linear
 * buckets (log-buckets.ts: fast, and memory that does not grow with the number of
 * values); percentiles are read from an HDR histogram (hdr-histogram-js, 2 significant
 * digits) filled with each bucket's midpoint and count. The two quantisations add up to
 * under 0.8%, within the 1% SPEC 5 allows. The exact sum and maximum are kept beside,
 * so means and maxima are exact (the theory tests compare means).
 */
import * as hdr from "hdr-histogram-js";
import { msFromUs } from "../kernel/time.js";
import { bucketLow, bucketWidth, LogBuckets } from "./log-buckets.js";

export interface DistributionMs {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

export class LatencyHistogram {
  readonly buckets = new LogBuckets();
  count = 0;
  sumUs = 0;
  maxUs = 0;
  /** The HDR histogram percentiles are read from, rebuilt after new values. */
  private reader: hdr.Histogram | null = null;

  record(us: number): void {
    this.buckets.record(us);
    this.count++;
    this.sumUs += us;
    if (us > this.maxUs) this.maxUs = us;
    this.reader = null;
  }

  reset(): void {
    this.buckets.reset();
    this.count = 0;
    this.sumUs = 0;
    this.maxUs = 0;
    this.reader = null;
  }

  meanUs(): number {
    return this.count > 0 ? this.sumUs / this.count : 0;
  }

  /** Percentile p (0..100) in microseconds; 0 when empty. */
  percentileUs(p: number): number {
    if (this.count === 0) return 0;
    if (!this.reader) this.reader = this.toHdr();
    return Math.min(this.reader.getValueAtPercentile(p), this.maxUs);
  }

  summaryMs(): DistributionMs {
    return {
      mean: round(msFromUs(this.meanUs())),
      p50: round(msFromUs(this.percentileUs(50))),
      p90: round(msFromUs(this.percentileUs(90))),
      p99: round(msFromUs(this.percentileUs(99))),
      p999: round(msFromUs(this.percentileUs(99.9))),
      max: round(msFromUs(this.maxUs)),
    };
  }

  private toHdr(): hdr.Histogram {
    const h = hdr.build({ numberOfSignificantValueDigits: 2, autoResize: true, bitBucketSize: 64 });
    this.buckets.forEach((i, c) => {
      h.recordValueWithCount(bucketLow(i) + Math.floor(bucketWidth(i) / 2), c);
    });
    return h;
  }
}

/** Rounds to 6 significant decimals so summaries stay readable and stable. */
export function round(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(6)) : x;
}
