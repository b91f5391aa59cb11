/**
 * What each fault did (the `faults` entries of SPEC 5), measured against the run's
 * counterfactual: the same scenario and seed without any fault, run beside it. Common
 * random numbers make the twin exact: it sees the same arrivals with the same execution
 * times, so before the first fault both series are identical, and whatever differs
 * after it is the faults' doing. Metrics observe: nothing here steers the model.
 *
 * Definitions (the README repeats them):
 * - The twin's intervals are the run's: the same boundaries, one by one.
 * - A fault's *window* runs from the interval holding its onset (the first interval, if
 *   the onset precedes the measured window: a fault at time 0 or in the warmup) up to,
 *   excluding, the next interval that holds a later fault's onset, or to the end of the
 *   run. Faults whose onsets fall in the same interval share a window (their joint
 *   effect is reported for each).
 * - failedDuring: failed requests in the window minus the twin's; extraColdStarts: cold
 *   starts in the window minus the twin's. Once the run is back in the twin's state the
 *   two series agree interval by interval, so this counts every failure and cold start
 *   the fault caused, not cut at the latency recovery; either may be negative (a fault
 *   that prevents work).
 * - An interval is healthy when its error ratio <= the twin's + 0.001, its p99 <= 1.5 x
 *   the twin's (not applied where the twin completed nothing), and it completed
 *   something if the twin did (a run whose requests are all stuck is not healthy).
 * - recoverySeconds: from the onset to the start of the first interval, starting at or
 *   after the onset, that begins three healthy intervals in a row; null if the run ends
 *   first ("never recovered"). Its resolution is one metrics interval. A fault in the
 *   warmup that was over before measurement began recovers at the window's start.
 * - Percentiles are read exactly from the merged log-linear buckets (each bucket's
 *   midpoint, as histogram.ts does): within 0.4% of the exact value.
 */
import { round } from "./histogram.js";
import { bucketLow, bucketWidth, type LogBuckets } from "./log-buckets.js";
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

function errorRatio(iv: IntervalStats): number {
  const requests = iv.completed + iv.failed;
  return requests > 0 ? iv.failed / requests : 0;
}

function checkSeries(intervals: readonly IntervalStats[], twin: readonly IntervalStats[]): void {
  for (let i = 0; i < intervals.length; i++) {
    const iv = intervals[i]!;
    const prev = intervals[i - 1];
    if (!(iv.endUs > iv.startUs) || (prev !== undefined && iv.startUs < prev.endUs))
      throw new RangeError(`intervals must be non-empty and in time order (index ${i})`);
    const t = twin[i];
    if (!t || t.startUs !== iv.startUs || t.endUs !== iv.endUs)
      throw new RangeError(`the counterfactual's intervals must be the run's (index ${i})`);
  }
}

/** The run's series beside its twin's, with what every fault needs precomputed. */
class Paired {
  readonly healthy: boolean[];
  /** cum*[i]: run minus twin over intervals[0..i). */
  readonly cumFailed: number[] = [0];
  readonly cumColdStarts: number[] = [0];

  constructor(
    readonly intervals: readonly IntervalStats[],
    twin: readonly IntervalStats[],
  ) {
    checkSeries(intervals, twin);
    this.healthy = intervals.map((iv, i) => {
      const t = twin[i]!;
      if (errorRatio(iv) > errorRatio(t) + ERROR_RATIO_SLACK + RATIO_EPSILON) return false;
      if (t.completed > 0 && iv.completed === 0) return false;
      if (t.completed === 0) return true;
      return !(bucketPercentileUs(iv.latency, 99) > P99_FACTOR * bucketPercentileUs(t.latency, 99));
    });
    intervals.forEach((iv, i) => {
      const t = twin[i]!;
      this.cumFailed.push(this.cumFailed[i]! + iv.failed - t.failed);
      this.cumColdStarts.push(this.cumColdStarts[i]! + iv.coldStarts - t.coldStarts);
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
  recoveryIndex(atUs: number): number {
    let streak = 0;
    for (let i = this.firstWhere((iv) => iv.startUs >= atUs); i < this.intervals.length; i++) {
      streak = this.healthy[i] ? streak + 1 : 0;
      if (streak === HEALTHY_RUN) return i - HEALTHY_RUN + 1;
    }
    return -1;
  }

  /** The interval holding time t (the first one for a t before the window). */
  holding(t: number): number {
    return this.firstWhere((iv) => iv.endUs > t);
  }

  /** The impact of `fault`, whose window ends at interval `end` (exclusive). */
  impact(fault: FaultOccurrence, end: number): FaultSummary {
    const first = this.holding(fault.atUs);
    const recovered = this.recoveryIndex(fault.atUs);
    const recoveryUs = recovered >= 0 ? this.intervals[recovered]!.startUs - fault.atUs : null;
    return {
      kind: fault.kind,
      atSeconds: round(fault.atUs / 1e6),
      failedDuring: this.cumFailed[end]! - this.cumFailed[first]!,
      extraColdStarts: this.cumColdStarts[end]! - this.cumColdStarts[first]!,
      recoverySeconds: recoveryUs === null ? null : round(recoveryUs / 1e6),
    };
  }
}

/**
 * The `faults` entries of the summary, one per occurrence, in the order given, from the
 * run's intervals and its fault-free twin's (the same boundaries).
 */
export function faultImpacts(
  intervals: readonly IntervalStats[],
  twin: readonly IntervalStats[],
  faults: readonly FaultOccurrence[],
): FaultSummary[] {
  const paired = new Paired(intervals, twin);
  const starts = [...new Set(faults.map((f) => paired.holding(f.atUs)))].sort((a, b) => a - b);
  return faults.map((f) => {
    const first = paired.holding(f.atUs);
    return paired.impact(f, starts.find((i) => i > first) ?? intervals.length);
  });
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
