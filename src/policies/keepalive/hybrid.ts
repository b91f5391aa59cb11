/**
 * The hybrid histogram keep-alive of Shahrad et al., "Serverless in the Wild:
 * Characterizing and Optimizing the Serverless Workload at a Large Cloud Provider"
 * (USENIX ATC 2020, section 4.2), without its ARIMA branch: where the paper turns to a
 * time-series forecast, this falls back to the fixed `keepAlive.ttl` (SPEC 2.2).
 *
 * Per function, a histogram of idle times (what an idle time is: see the model,
 * src/model/adaptive-keepalive.ts) in 1-minute bins over 4 hours. When a sandbox of the
 * function goes idle:
 *
 * - if the histogram is representative, the window comes from it: with `head` the bin
 *   of the 5th percentile and `tail` the bin of the 99th,
 *     prewarm    = head's lower edge x (1 - margin)   (head x 1 min x 0.9)
 *     keep until = tail's upper edge x (1 + margin)   ((tail + 1) x 1 min x 1.1)
 *   both from the idle start. A non-zero prewarm unloads the sandbox at once and
 *   pre-warms one at `prewarm`; a zero prewarm (head in the first bin) means no
 *   unloading: the sandbox is kept as it is. Edges rather than bin middles: the head's
 *   lower edge and the tail's upper edge are the earliest and latest the histogram
 *   allows, so the margin is added to the widest window the bins can justify;
 * - otherwise the fixed keep-alive: keep the sandbox `ttl`.
 *
 * Representative, with the thresholds of HYBRID_DEFAULTS and why each:
 *
 * - `minIdleTimes` = 10 idle times in range. The paper has no such floor (a histogram
 *   with one idle time has CV sqrt(239) = 15.5 and passes), but with fewer than about 10
 *   the 5th and 99th percentiles are just the smallest and largest value seen, and one
 *   early coincidence would set a function's window for good. 10 is also small enough
 *   that a timer-like function every 20 minutes is trusted after a little over 3 hours.
 *   Note what 10 does not do: N idle times fill at most N bins, so below 48 the CV test
 *   cannot fail (CV >= sqrt(240 / N - 1) > 2) and a function with 10 to 47 idle times
 *   is trusted on its count alone, its window then spanning the range it has seen.
 *   A floor of 48 would make the CV test meaningful from the start, at the cost of 16
 *   hours of learning for a 20-minute timer; 10 stays close to the paper, which has none.
 * - `maxOutOfRangeShare` = 5%: at most 1 in 20 idle times beyond the 4-hour range. The
 *   paper leaves "too many out of range" open (and forecasts those with ARIMA); strictly,
 *   above 1% the 99th percentile lies beyond the range, but 1% would let a single long
 *   pause (a night, an outage) among fewer than 100 idle times disqualify a function
 *   that is otherwise regular. Above 5% the histogram misses a real part of the pattern.
 * - `cvThreshold` = 2, the paper's: the coefficient of variation of the 240 bin counts
 *   must exceed 2. Idle times spread evenly over k bins give sqrt(240 / k - 1), so this
 *   asks for them to be concentrated in fewer than 48 of the 240 minutes.
 * - `margin` = 10%, the paper's, on both ends.
 * - Percentiles 5 and 99, bins of 1 minute over 4 hours: the paper's.
 *
 * Observations are never forgotten (see IdleHistogram). Recording is O(1); the window is
 * recomputed (O(sqrt(bins))) only when a sandbox goes idle after new observations.
 */
import { IdleHistogram } from "./idle-histogram.js";
import type { AdaptiveKeepAlive, IdleWindow } from "./keepalive-policy.js";

export interface HybridOptions {
  /** The fixed keep-alive used while a histogram is not representative. */
  readonly ttlUs: number;
  readonly binUs: number;
  readonly rangeUs: number;
  /** Quantiles (0..1) that give the pre-warm (head) and the keep-alive end (tail). */
  readonly head: number;
  readonly tail: number;
  /** The coefficient of variation of the bin counts must exceed this. */
  readonly cvThreshold: number;
  /** At least this many idle times in range. */
  readonly minIdleTimes: number;
  /** At most this share of idle times beyond the range. */
  readonly maxOutOfRangeShare: number;
  /** Taken off the pre-warm and added to the keep-alive end (0.1 = 10%). */
  readonly margin: number;
}

const MINUTE_US = 60e6;

export const HYBRID_DEFAULTS: Omit<HybridOptions, "ttlUs"> = {
  binUs: MINUTE_US,
  rangeUs: 240 * MINUTE_US,
  head: 0.05,
  tail: 0.99,
  cvThreshold: 2,
  minIdleTimes: 10,
  maxOutOfRangeShare: 0.05,
  margin: 0.1,
};

interface Window {
  prewarmUs: number;
  keepUntilUs: number;
}

export class HybridKeepAlive implements AdaptiveKeepAlive {
  readonly kind = "adaptive";
  readonly options: HybridOptions;
  private readonly bins: number;
  /** Per function, created at its first idle time. */
  private readonly histograms: (IdleHistogram | undefined)[] = [];
  /** Per function, the window last computed, and whether observations came since. */
  private readonly windows: (Window | undefined)[] = [];
  private readonly stale: Uint8Array;
  private readonly fallback: IdleWindow;

  constructor(functions: number, options: Partial<HybridOptions> & { readonly ttlUs: number }) {
    const o = { ...HYBRID_DEFAULTS, ...options };
    const bins = Math.round(o.rangeUs / o.binUs);
    if (bins < 2 || !(o.head > 0 && o.head <= o.tail && o.tail <= 1) || !(o.margin < 1))
      throw new Error("hybrid keep-alive: invalid histogram options");
    this.options = o;
    this.bins = bins;
    this.stale = new Uint8Array(functions);
    this.fallback = { prewarmUs: 0, keepUntilUs: o.ttlUs };
  }

  observeIdleTime(fn: number, idleUs: number): void {
    let h = this.histograms[fn];
    if (!h) {
      h = new IdleHistogram(this.options.binUs, this.bins);
      this.histograms[fn] = h;
    }
    h.record(idleUs);
    this.stale[fn] = 1;
  }

  window(fn: number): IdleWindow {
    if (!this.stale[fn]) return this.windows[fn] ?? this.fallback;
    this.stale[fn] = 0;
    const h = this.histograms[fn]!;
    if (!this.representative(h)) {
      this.windows[fn] = undefined;
      return this.fallback;
    }
    const o = this.options;
    const w = this.windows[fn] ?? { prewarmUs: 0, keepUntilUs: 0 };
    w.prewarmUs = Math.round(h.percentileBin(o.head) * o.binUs * (1 - o.margin));
    w.keepUntilUs = Math.round((h.percentileBin(o.tail) + 1) * o.binUs * (1 + o.margin));
    this.windows[fn] = w;
    return w;
  }

  /** The histogram of `fn`, if it has seen an idle time (for tests and reports). */
  histogram(fn: number): IdleHistogram | undefined {
    return this.histograms[fn];
  }

  /** Whether `fn`'s windows come from its histogram rather than the fixed ttl. */
  isRepresentative(fn: number): boolean {
    const h = this.histograms[fn];
    return h !== undefined && this.representative(h);
  }

  private representative(h: IdleHistogram): boolean {
    const o = this.options;
    return (
      h.inRange >= o.minIdleTimes &&
      h.outOfRangeShare() <= o.maxOutOfRangeShare &&
      h.cv() > o.cvThreshold
    );
  }
}
