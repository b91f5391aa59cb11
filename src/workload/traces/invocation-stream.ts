/**
 * Replaying an invocation trace in arrival order while reading it in file order.
 *
 * A file need not be sorted by arrival: the Azure 2021 trace is written as invocations
 * end, and arrival = end − duration. The first pass measures the file's lag L: the
 * most any row arrives before the latest arrival read ahead of it. So once rows up to an
 * arrival frontier R have been read, no row still unread arrives before R − L, and
 * every buffered row up to there can be released. The buffer (a heap on arrival time,
 * then file order) holds only the rows within L of the frontier: its size follows the
 * rate times L, never the length of the file.
 */
import type { Rng } from "../../kernel/dist-spec.js";

/** Rows of an invocation trace in file order. */
export interface InvocationRows {
  /** Reads the next row into the fields below; false after the last. */
  next(): boolean;
  /** Arrival in the trace's clock, whole µs. */
  arrivalUs: number;
  /** Index of the function in the trace, or -1 for one not replayed. */
  fn: number;
  durationUs: number;
  close(): void;
}

export interface StreamWindow {
  /** Simulated time 0 in the trace's clock (µs). */
  readonly startUs: number;
  /** Rows arriving at or after this (trace clock) are not replayed. */
  readonly endUs: number;
}

export class InvocationStream {
  /** The arrival returned by the last next(): µs from the window's start, its function and duration. */
  arrivalUs = 0;
  fn = -1;
  durationUs = 0;

  private readonly heap = new RowHeap();
  private frontierUs = Number.NEGATIVE_INFINITY;
  private exhausted = false;
  private seq = 0;
  private copiesLeft = 0;
  private readonly whole: number;
  private readonly fraction: number;

  constructor(
    private readonly rows: InvocationRows,
    private readonly lagUs: number,
    private readonly window: StreamWindow,
    /** workload.scale: each invocation is replayed floor(scale) times, plus one more with the fraction's probability. */
    scale = 1,
    private readonly rng: Rng,
  ) {
    this.whole = Math.floor(scale);
    this.fraction = scale - this.whole;
  }

  /** Advances to the next arrival; false after the last. */
  next(): boolean {
    if (this.copiesLeft > 0) {
      this.copiesLeft--;
      return true;
    }
    for (;;) {
      if (!this.fill()) return false;
      const heap = this.heap;
      this.arrivalUs = heap.topTime() - this.window.startUs;
      this.fn = heap.topFn();
      this.durationUs = heap.topDuration();
      heap.pop();
      const copies = this.copies();
      if (copies === 0) continue;
      this.copiesLeft = copies - 1;
      return true;
    }
  }

  /** Rows buffered now (for tests of the memory bound). */
  get buffered(): number {
    return this.heap.size;
  }

  close(): void {
    this.exhausted = true;
    this.rows.close();
  }

  /** Reads until the earliest buffered row is safe to release; false when none is left. */
  private fill(): boolean {
    const heap = this.heap;
    const rows = this.rows;
    while (!this.exhausted && (heap.size === 0 || heap.topTime() > this.frontierUs - this.lagUs)) {
      // Nothing unread can arrive before the window's end any more, or nothing is unread.
      if (this.frontierUs - this.lagUs >= this.window.endUs || !rows.next()) {
        this.close();
        break;
      }
      const t = rows.arrivalUs;
      if (t > this.frontierUs) this.frontierUs = t;
      if (rows.fn >= 0 && t >= this.window.startUs && t < this.window.endUs)
        heap.push(t, this.seq++, rows.fn, rows.durationUs);
    }
    return heap.size > 0;
  }

  private copies(): number {
    if (this.fraction === 0) return this.whole;
    return this.whole + (this.rng() < this.fraction ? 1 : 0);
  }
}

/** A binary min-heap of rows on (time, sequence), in growable typed arrays. */
export class RowHeap {
  size = 0;
  private time = new Float64Array(64);
  private seq = new Float64Array(64);
  private fn = new Int32Array(64);
  private duration = new Float64Array(64);

  topTime(): number {
    return this.time[0]!;
  }
  topFn(): number {
    return this.fn[0]!;
  }
  topDuration(): number {
    return this.duration[0]!;
  }

  push(time: number, seq: number, fn: number, duration: number): void {
    if (this.size === this.time.length) this.grow();
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(time, seq, parent)) break;
      this.move(parent, i);
      i = parent;
    }
    this.set(i, time, seq, fn, duration);
  }

  pop(): void {
    const last = --this.size;
    if (last === 0) return;
    const time = this.time[last]!;
    const seq = this.seq[last]!;
    const fn = this.fn[last]!;
    const duration = this.duration[last]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      if (child + 1 < last && this.less(child + 1, child)) child++;
      if (!this.lessThan(child, time, seq)) break;
      this.move(child, i);
      i = child;
    }
    this.set(i, time, seq, fn, duration);
  }

  /** (time, seq) comes before slot j. */
  private before(time: number, seq: number, j: number): boolean {
    const tj = this.time[j]!;
    return time < tj || (time === tj && seq < this.seq[j]!);
  }
  /** Slot i comes before (time, seq). */
  private lessThan(i: number, time: number, seq: number): boolean {
    const ti = this.time[i]!;
    return ti < time || (ti === time && this.seq[i]! < seq);
  }
  private less(i: number, j: number): boolean {
    return this.lessThan(i, this.time[j]!, this.seq[j]!);
  }
  private move(from: number, to: number): void {
    this.time[to] = this.time[from]!;
    this.seq[to] = this.seq[from]!;
    this.fn[to] = this.fn[from]!;
    this.duration[to] = this.duration[from]!;
  }
  private set(i: number, time: number, seq: number, fn: number, duration: number): void {
    this.time[i] = time;
    this.seq[i] = seq;
    this.fn[i] = fn;
    this.duration[i] = duration;
  }
  private grow(): void {
    const n = this.time.length * 2;
    const time = new Float64Array(n);
    time.set(this.time);
    this.time = time;
    const seq = new Float64Array(n);
    seq.set(this.seq);
    this.seq = seq;
    const fn = new Int32Array(n);
    fn.set(this.fn);
    this.fn = fn;
    const duration = new Float64Array(n);
    duration.set(this.duration);
    this.duration = duration;
  }
}
