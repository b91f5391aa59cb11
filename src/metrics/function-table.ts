/**
 * Every function's counts and latencies, in one typed array with a row of sixteen
 * numbers (two cache lines; an arrival touches the first only) per function: a population of a million functions is mostly a long
 * tail that a run never, or barely, invokes (issue 13), and objects per function would
 * be a million small heap objects for the garbage collector to trace, and several
 * misses per request to reach.
 *
 * A row holds the counts and the function's first FEW latencies as plain values; the
 * function makes a histogram of its own only at its next one (or when it is read). The
 * histogram then records the same values in the same order, so the figures are those
 * of recording every value in it from the start.
 */
import { LatencyHistogram } from "./histogram.js";

/** Latencies a function keeps in its row before it makes a histogram of them. */
const FEW = 12;
const ARRIVED = 0;
const STARTED = 1;
const COLD_STARTS = 2;
/** How many latencies the row holds (0 once the function has a histogram). */
const FEW_COUNT = 3;
const FEW_FROM = 4;
const ROW = FEW_FROM + FEW;

/** Read for functions that never completed a request: nothing is ever recorded in it. */
const NO_LATENCY = new LatencyHistogram();

export class FunctionTable {
  readonly count: number;
  private readonly rows: Float64Array;
  /** Filled up front (holes at large indexes would make a slow dictionary array). */
  private readonly histograms: (LatencyHistogram | undefined)[];
  /** With a single function its histogram is the global one: recorded once, not twice. */
  private readonly shared: LatencyHistogram | null;

  constructor(
    readonly names: readonly string[],
    global: LatencyHistogram,
  ) {
    this.count = names.length;
    this.rows = new Float64Array(this.count * ROW);
    this.shared = this.count === 1 ? global : null;
    this.histograms = new Array<LatencyHistogram | undefined>(this.count).fill(undefined);
  }

  arrived(fn: number): number {
    return this.rows[fn * ROW + ARRIVED]!;
  }
  started(fn: number): number {
    return this.rows[fn * ROW + STARTED]!;
  }
  coldStarts(fn: number): number {
    return this.rows[fn * ROW + COLD_STARTS]!;
  }

  countArrival(fn: number): void {
    this.rows[fn * ROW + ARRIVED]!++;
  }

  countStart(fn: number, cold: boolean): void {
    const row = fn * ROW;
    this.rows[row + STARTED]!++;
    if (cold) this.rows[row + COLD_STARTS]!++;
  }

  /** Records one end-to-end latency of function `fn`. */
  recordLatency(fn: number, us: number): void {
    if (this.shared) return; // the global histogram has it
    const h = this.histograms[fn];
    if (h !== undefined) return h.record(us);
    const row = fn * ROW;
    const k = this.rows[row + FEW_COUNT]!;
    if (k < FEW) {
      this.rows[row + FEW_FROM + k] = us;
      this.rows[row + FEW_COUNT] = k + 1;
    } else this.promote(fn).record(us);
  }

  /** Function `fn`'s latency distribution (read after the run). */
  latency(fn: number): LatencyHistogram {
    if (this.shared) return this.shared;
    return (
      this.histograms[fn] ?? (this.rows[fn * ROW + FEW_COUNT]! > 0 ? this.promote(fn) : NO_LATENCY)
    );
  }

  /** Moves the values kept in the row into a histogram of the function's own. */
  private promote(fn: number): LatencyHistogram {
    const h = new LatencyHistogram();
    const row = fn * ROW;
    const k = this.rows[row + FEW_COUNT]!;
    for (let i = 0; i < k; i++) h.record(this.rows[row + FEW_FROM + i]!);
    this.rows[row + FEW_COUNT] = 0;
    this.histograms[fn] = h;
    return h;
  }
}
