/**
 * What each fault did (the `faults` entries of SPEC 5), read from the time series of
 * the measured window after the run. Metrics observe: nothing here steers the model.
 *
 * Choices the SPEC leaves open, made here:
 * - Baseline (the "pre-fault" state): the intervals that end at or before the onset,
 *   taken literally, so a second fault's baseline includes the first fault's aftermath.
 *   When that baseline saw no request at all (a fault during warmup or in the first
 *   interval, or no traffic before it), the reference is instead the last three
 *   intervals of the run (fewer if the run is shorter): the state the system settles
 *   into is the best stand-in for its healthy state that the run offers.
 * - A reference without completed requests has no p99: the latency test is then not
 *   applied (p99 limit Infinity). A reference without requests has error ratio 0.
 * - An interval is healthy when its error ratio <= reference + 0.001 and its p99 <=
 *   1.5 * reference p99. An interval without completed or failed requests is healthy;
 *   one without completed requests passes the latency test (it has no p99).
 * - recoverySeconds follows SPEC 5 literally: from the onset to the start of the first
 *   interval starting at or after the onset that begins three healthy intervals in a
 *   row; null if the run ends first. It does not also require the fault to have stopped
 *   acting: a fault with no visible effect (a slow host nobody routes to) recovers at
 *   once, which is what the number is meant to show. Recovery is measured in interval
 *   starts, so its resolution is one metrics interval.
 * - The fault's span: from the interval containing the onset (or the first interval, if
 *   the onset precedes the window) up to, excluding, the recovery interval, or to the end
 *   of the run. failedDuring sums failures over the span; extraColdStarts is the span's
 *   cold starts minus the reference's cold starts per microsecond times the span's
 *   length (equal to "per interval times intervals" when intervals are of equal length,
 *   and right for a shorter last interval), rounded; it may be negative.
 * - Percentiles are read exactly from the merged log-linear buckets (each bucket's
 *   midpoint, as histogram.ts does): within 0.4% of the exact value.
 */
import { round } from "./histogram.js";
import { bucketLow, bucketWidth, LogBuckets } from "./log-buckets.js";
import type { FaultSummary } from "./summary.js";

/**
 * What happened in one metrics interval [startUs, endUs) of the measured window. The
 * recorder keeps one per interval, in time order, without gaps.
 */
export interface IntervalStats {
  readonly startUs: number;
  /** Exclusive; the last interval may be shorter (a truncated run). */
  readonly endUs: number;
  /** Logical requests that completed in the interval. */
  readonly completed: number;
  /** Logical requests whose last attempt failed in the interval. */
  readonly failed: number;
  /** Cold starts that began in the interval. */
  readonly coldStarts: number;
  /** End-to-end latencies (whole microseconds) of the requests completed in the interval. */
  readonly latency: LogBuckets;
}

/** One occurrence of a fault: `endUs` is when it stops acting (= atUs if instantaneous). */
export interface FaultOccurrence {
  readonly kind: string;
  readonly atUs: number;
  readonly endUs: number;
}

/** Allowed rise of the error ratio over the reference (SPEC 5). */
const ERROR_RATIO_SLACK = 0.001;
/** Allowed p99 relative to the reference (SPEC 5). */
const P99_FACTOR = 1.5;
/** Healthy intervals in a row that make a recovery (SPEC 5). */
const HEALTHY_RUN = 3;
/** Tolerance of the error-ratio comparison, so that ratios equal on paper compare equal. */
const RATIO_EPSILON = 1e-12;

interface Reference {
  errorRatio: number;
  p99Us: number;
  coldStartsPerUs: number;
}

/** Number of values recorded in `b`. */
export function bucketCount(b: LogBuckets): number {
  let n = 0;
  b.forEach((_, c) => {
    n += c;
  });
  return n;
}

/**
 * Percentile p (0..100) of the values in `b`, in microseconds: the midpoint of the
 * bucket holding the value of rank max(1, round(p/100 * n)) (HDR's rank rule); 0 when
 * empty.
 */
export function bucketPercentileUs(b: LogBuckets, p: number): number {
  const n = bucketCount(b);
  if (n === 0) return 0;
  const rank = Math.max(1, Math.floor((Math.min(p, 100) / 100) * n + 0.5));
  let seen = 0;
  let value = 0;
  let found = false;
  b.forEach((i, c) => {
    if (found) return;
    seen += c;
    if (seen >= rank) {
      value = bucketLow(i) + Math.floor(bucketWidth(i) / 2);
      found = true;
    }
  });
  return value;
}

/** Running totals over a prefix of the intervals, extended one interval at a time. */
class Prefix {
  length = 0;
  completed = 0;
  failed = 0;
  coldStarts = 0;
  lengthUs = 0;
  readonly latency = new LogBuckets();

  extend(iv: IntervalStats): void {
    this.length++;
    this.completed += iv.completed;
    this.failed += iv.failed;
    this.coldStarts += iv.coldStarts;
    this.lengthUs += iv.endUs - iv.startUs;
    this.latency.add(iv.latency);
  }

  reference(): Reference {
    const requests = this.completed + this.failed;
    return {
      errorRatio: requests > 0 ? this.failed / requests : 0,
      p99Us:
        bucketCount(this.latency) > 0
          ? bucketPercentileUs(this.latency, 99)
          : Number.POSITIVE_INFINITY,
      coldStartsPerUs: this.lengthUs > 0 ? this.coldStarts / this.lengthUs : 0,
    };
  }
}

function isHealthy(iv: IntervalStats, p99Us: number, ref: Reference): boolean {
  const requests = iv.completed + iv.failed;
  if (requests > 0 && iv.failed / requests > ref.errorRatio + ERROR_RATIO_SLACK + RATIO_EPSILON)
    return false;
  return !(p99Us > P99_FACTOR * ref.p99Us);
}

function checkOrder(intervals: readonly IntervalStats[]): void {
  for (let i = 0; i < intervals.length; i++) {
    const iv = intervals[i]!;
    const prev = intervals[i - 1];
    if (!(iv.endUs > iv.startUs) || (prev !== undefined && iv.startUs < prev.endUs))
      throw new RangeError(`intervals must be non-empty and in time order (index ${i})`);
  }
}

/** The series with what every fault needs precomputed: p99s and cumulative sums. */
class Series {
  readonly p99Us: number[];
  /** cum*[i]: totals over intervals[0..i). */
  readonly cumFailed: number[] = [0];
  readonly cumColdStarts: number[] = [0];
  readonly cumLengthUs: number[] = [0];

  constructor(readonly intervals: readonly IntervalStats[]) {
    checkOrder(intervals);
    this.p99Us = intervals.map((iv) => bucketPercentileUs(iv.latency, 99));
    intervals.forEach((iv, i) => {
      this.cumFailed.push(this.cumFailed[i]! + iv.failed);
      this.cumColdStarts.push(this.cumColdStarts[i]! + iv.coldStarts);
      this.cumLengthUs.push(this.cumLengthUs[i]! + iv.endUs - iv.startUs);
    });
  }

  /** Index of the first interval satisfying `pred`, which must be monotone (false, then true). */
  firstWhere(pred: (iv: IntervalStats) => boolean): number {
    let lo = 0;
    let hi = this.intervals.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pred(this.intervals[mid]!)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** The first interval starting at or after `atUs` that begins HEALTHY_RUN healthy ones, or -1. */
  recoveryIndex(atUs: number, ref: Reference): number {
    let streak = 0;
    for (let i = this.firstWhere((iv) => iv.startUs >= atUs); i < this.intervals.length; i++) {
      streak = isHealthy(this.intervals[i]!, this.p99Us[i]!, ref) ? streak + 1 : 0;
      if (streak === HEALTHY_RUN) return i - HEALTHY_RUN + 1;
    }
    return -1;
  }

  impact(fault: FaultOccurrence, ref: Reference): FaultSummary {
    const recovered = this.recoveryIndex(fault.atUs, ref);
    const first = this.firstWhere((iv) => iv.endUs > fault.atUs);
    const end = Math.max(first, recovered >= 0 ? recovered : this.intervals.length);
    const coldStarts = this.cumColdStarts[end]! - this.cumColdStarts[first]!;
    const spanUs = this.cumLengthUs[end]! - this.cumLengthUs[first]!;
    const recoveryUs = recovered >= 0 ? this.intervals[recovered]!.startUs - fault.atUs : null;
    return {
      kind: fault.kind,
      atSeconds: round(fault.atUs / 1e6),
      failedDuring: this.cumFailed[end]! - this.cumFailed[first]!,
      // `+ 0` turns a rounded -0 into 0, so the JSON reads 0.
      extraColdStarts: Math.round(coldStarts - ref.coldStartsPerUs * spanUs) + 0,
      recoverySeconds: recoveryUs === null ? null : round(recoveryUs / 1e6),
    };
  }
}

/**
 * The `faults` entries of the summary, one per occurrence, in the order given.
 * `intervals` must be in time order without overlaps. Faults are visited by onset so the
 * baselines (prefixes of the series) are merged once: O(faults x intervals) overall.
 */
export function faultImpacts(
  intervals: readonly IntervalStats[],
  faults: readonly FaultOccurrence[],
): FaultSummary[] {
  const series = new Series(intervals);
  const tail = new Prefix();
  for (const iv of intervals.slice(Math.max(0, intervals.length - HEALTHY_RUN))) tail.extend(iv);
  const fallback = tail.reference();
  const baseline = new Prefix();
  const byOnset = faults.map((f, i) => ({ f, i })).sort((a, b) => a.f.atUs - b.f.atUs || a.i - b.i);
  const out: FaultSummary[] = new Array(faults.length);
  let ref = fallback;
  let refLength = -1;
  for (const { f, i } of byOnset) {
    // The baseline: the intervals that end at or before the onset, a prefix of the series.
    const k = series.firstWhere((iv) => iv.endUs > f.atUs);
    if (k !== refLength) {
      while (baseline.length < k) baseline.extend(intervals[baseline.length]!);
      ref = baseline.completed + baseline.failed > 0 ? baseline.reference() : fallback;
      refLength = k;
    }
    out[i] = series.impact(f, ref);
  }
  return out;
}

/**
 * The `fault` column of timeseries.csv: the distinct kinds of the faults active in
 * [intervalStartUs, intervalEndUs), in order of first appearance, joined with "+"; ""
 * when none. A fault acts over [atUs, max(endUs, atUs + 1)), so an instantaneous one
 * shows in the interval that contains it.
 */
export function activeFaults(
  intervalStartUs: number,
  intervalEndUs: number,
  faults: readonly FaultOccurrence[],
): string {
  const kinds: string[] = [];
  for (const f of faults) {
    const active = f.atUs < intervalEndUs && Math.max(f.endUs, f.atUs + 1) > intervalStartUs;
    if (active && !kinds.includes(f.kind)) kinds.push(f.kind);
  }
  return kinds.join("+");
}
