/**
 * Every function's counts and latencies, in one typed array with a row of sixteen
 * numbers (two cache lines) per function: a population of a million functions is mostly
 * a long tail that a run never, or barely, invokes (issue 13), and objects per function
 * would be a million small heap objects for the garbage collector to trace, and several
 * misses per request to reach.
 *
 * A row holds the counts and the function's first FEW latencies as plain values. At its
 * next one the function moves them into a window of log-linear bucket counts of its own
 * (the layout of log-buckets.ts), and the row's latency slots then describe the window
 * (where it starts, where it lies in the pool, its width) and hold the count, sum and
 * maximum. Every window lives in one shared pool, so recording a latency touches the
 * row and one pool entry: a histogram object per function was a chain of four
 * dependent misses per request (histogram, buckets, typed array, its store), a fifth
 * of the region model's time. The buckets are the same as a histogram's that recorded
 * every value from the start, so the figures are too.
 */
import { LatencyHistogram } from "./histogram.js";
import { bucketOf, widenedWindow } from "./log-buckets.js";

/** Latencies a function keeps in its row before it opens a window for them. */
const FEW = 12;
const ARRIVED = 0;
const STARTED = 1;
const COLD_STARTS = 2;
/** How many latencies the row holds, or WINDOWED once they moved into its window. */
const FEW_COUNT = 3;
const FEW_FROM = 4;
const ROW = FEW_FROM + FEW;
const WINDOWED = -1;
// A windowed row's latency slots: the window's first bucket, its offset in the pool and
// its width; the latencies' count, sum and maximum.
const LO = FEW_FROM;
const OFF = FEW_FROM + 1;
const LEN = FEW_FROM + 2;
const N = FEW_FROM + 3;
const SUM = FEW_FROM + 4;
const MAX = FEW_FROM + 5;
/** The pool's first size, in entries, and the share of dead entries that makes it compact. */
const FIRST_POOL = 1 << 16;
const DEAD_SHARE = 1 / 3;

/** Read for functions that never completed a request: nothing is ever recorded in it. */
const NO_LATENCY = new LatencyHistogram();

type Counts = Uint32Array | Uint8Array | Float64Array;

export class FunctionTable {
  readonly count: number;
  private readonly rows: Float64Array;
  /**
   * Every window's bucket counts; [used, length) is zero. 32-bit counts (half the memory
   * and cache of doubles) until one would pass 2^32 - 1: the pool then turns to doubles.
   */
  private pool: Counts;
  private used = 0;
  /** Entries of the pool left behind by windows that widened (reclaimed by compact()). */
  private dead = 0;
  private readonly few = new Float64Array(FEW);
  /** The rows with a window (compact() visits these, not every function's). */
  private readonly windowed: number[] = [];
  /** The largest count a narrow pool entry holds. */
  private readonly narrowLimit: number;
  /** With a single function its histogram is the global one: recorded once, not twice. */
  private readonly shared: LatencyHistogram | null;

  constructor(
    readonly names: readonly string[],
    global: LatencyHistogram,
    /** The narrow counts' kind (a narrower one only in tests, to reach the limit). */
    private readonly narrow: typeof Uint32Array | typeof Uint8Array = Uint32Array,
  ) {
    this.narrowLimit = 2 ** (8 * narrow.BYTES_PER_ELEMENT) - 1;
    this.pool = new narrow(FIRST_POOL);
    this.count = names.length;
    this.rows = new Float64Array(this.count * ROW);
    this.shared = this.count === 1 ? global : null;
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

  /** Records one end-to-end latency (whole microseconds) of function `fn`. */
  recordLatency(fn: number, us: number): void {
    if (this.shared) return; // the global histogram has it
    const rows = this.rows;
    const row = fn * ROW;
    const k = rows[row + FEW_COUNT]!;
    if (k === WINDOWED) return this.record(row, us);
    if (k < FEW) {
      rows[row + FEW_FROM + k] = us;
      rows[row + FEW_COUNT] = k + 1;
      return;
    }
    this.openWindow(row);
    this.record(row, us);
  }

  /**
   * Function `fn`'s latency distribution, as it stands (read after the run; a later
   * latency goes into the table, not into the histogram returned).
   */
  latency(fn: number): LatencyHistogram {
    if (this.shared) return this.shared;
    const rows = this.rows;
    const row = fn * ROW;
    const k = rows[row + FEW_COUNT]!;
    if (k === 0) return NO_LATENCY;
    const h = new LatencyHistogram();
    if (k !== WINDOWED) {
      for (let i = 0; i < k; i++) h.record(rows[row + FEW_FROM + i]!);
      return h;
    }
    const lo = rows[row + LO]!;
    const off = rows[row + OFF]!;
    const len = rows[row + LEN]!;
    for (let j = 0; j < len; j++) {
      const c = this.pool[off + j]!;
      if (c > 0) h.buckets.recordCount(lo + j, c);
    }
    h.count = rows[row + N]!;
    h.sumUs = rows[row + SUM]!;
    h.maxUs = rows[row + MAX]!;
    return h;
  }

  private record(row: number, us: number): void {
    const rows = this.rows;
    const i = bucketOf(us);
    const j = i - rows[row + LO]!;
    if (j >= 0 && j < rows[row + LEN]!) {
      const k = rows[row + OFF]! + j;
      const c = this.pool[k]! + 1;
      if (c > this.narrowLimit && !(this.pool instanceof Float64Array))
        this.pool = Float64Array.from(this.pool);
      this.pool[k] = c;
    } else this.widen(row, i);
    rows[row + N]!++;
    rows[row + SUM]! += us;
    if (us > rows[row + MAX]!) rows[row + MAX] = us;
  }

  /** Moves the latencies kept in the row into a window of its own, in their order. */
  private openWindow(row: number): void {
    const rows = this.rows;
    const few = this.few;
    for (let i = 0; i < FEW; i++) few[i] = rows[row + FEW_FROM + i]!;
    rows.fill(0, row + FEW_FROM, row + ROW);
    rows[row + FEW_COUNT] = WINDOWED;
    this.windowed.push(row);
    for (let i = 0; i < FEW; i++) this.record(row, few[i]!);
  }

  /** Makes the window of `row` reach bucket i (moving it to the pool's end) and counts one there. */
  private widen(row: number, i: number): void {
    const rows = this.rows;
    const len = rows[row + LEN]!;
    const oldLo = rows[row + LO]!;
    const [lo, hi] = widenedWindow(oldLo, len, i);
    const off = this.allocate(hi - lo); // may compact the pool: the old offset is read after
    if (len > 0) {
      const oldOff = rows[row + OFF]!;
      this.pool.copyWithin(off + (oldLo - lo), oldOff, oldOff + len);
      this.dead += len;
    }
    rows[row + LO] = lo;
    rows[row + OFF] = off;
    rows[row + LEN] = hi - lo;
    this.pool[off + (i - lo)]!++;
  }

  /** Offset of n fresh (zero) entries at the pool's end. */
  private allocate(n: number): number {
    const muchDead = this.dead > FIRST_POOL && this.dead > DEAD_SHARE * this.used;
    if (this.used + n > this.pool.length || muchDead) this.compact(n);
    const off = this.used;
    this.used += n;
    return off;
  }

  /**
   * Moves the live windows together, in the order they lie in the pool, leaving room for
   * n more: in place when they fill at most half of it, else into a pool at least twice
   * their size (so that a compaction always frees half the pool). Dead entries are
   * reclaimed once they are a third of those in use (and more than a first pool), so
   * they hold at most half as much memory as the live ones (pages past `used` are never
   * touched, so a larger pool costs address space, not memory).
   */
  private compact(n: number): void {
    const rows = this.rows;
    const windowed = this.windowed.sort((a, b) => rows[a + OFF]! - rows[b + OFF]!);
    const live = this.used - this.dead;
    const from = this.pool;
    let to = from;
    if (2 * (live + n) > from.length) {
      let size = from.length;
      while (size < 2 * (live + n)) size *= 2;
      to = from instanceof Float64Array ? new Float64Array(size) : new this.narrow(size);
    }
    let used = 0;
    for (const row of windowed) {
      const off = rows[row + OFF]!;
      const len = rows[row + LEN]!;
      if (to === from) to.copyWithin(used, off, off + len);
      else to.set(from.subarray(off, off + len), used);
      rows[row + OFF] = used;
      used += len;
    }
    if (to === from) from.fill(0, used, this.used);
    this.pool = to;
    this.used = used;
    this.dead = 0;
  }
}
