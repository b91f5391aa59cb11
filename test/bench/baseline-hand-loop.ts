/**
 * The `power-of-two` model written as a bare loop: the ceiling for JavaScript (SPEC 10).
 *
 * N servers, each an unbounded FIFO queue with one slot; Poisson arrivals at rate
 * load * N per mean execution time; exponential execution times; no network or
 * balancer delay. Each request samples `choices` servers uniformly and independently
 * and joins the one with the fewest outstanding requests (queued + in service), ties to
 * the lower index. No framework: a binary heap on typed arrays keyed by (time, seq),
 * per-server counts, and per-server rings of arrival times for the latency.
 *
 * Time is integer microseconds and simultaneous events run in insertion order, exactly
 * as lbsim's kernel does, and the random streams are lbsim's (same generator), so the
 * comparison measures the framework and nothing else.
 *
 * Run: `npm run build && node dist/test/bench/baseline-hand-loop.js [requests]`.
 */
import { pathToFileURL } from "node:url";
import { createStream } from "../../src/kernel/random.js";
import { supermarketMeanTime } from "../theory/formulas.js";

export interface HandLoopOptions {
  readonly servers: number;
  /** Utilisation per server, lambda / mu. */
  readonly load: number;
  readonly meanExecUs: number;
  /** d in power-of-d choices; 1 is random routing. */
  readonly choices: number;
  readonly seed: number;
  /** Requests at the start left out of the mean: the system starts empty. */
  readonly warmupFraction: number;
}

export const DEFAULT_OPTIONS: HandLoopOptions = {
  servers: 100,
  load: 0.9,
  meanExecUs: 1_000,
  choices: 2,
  seed: 1,
  warmupFraction: 0.1,
};

export interface BaselineResult {
  readonly model: "power-of-two";
  readonly impl: "hand-loop";
  readonly requests: number;
  readonly wallSeconds: number;
  /** CPU time of the process over the same span (steadier than wall time on a shared machine). */
  readonly cpuSeconds: number;
  readonly requestsPerSecond: number;
  readonly meanTimeInSystemMs: number;
}

/** A binary min-heap of events keyed by (time, seq), each carrying an int (who). */
class EventHeap {
  private readonly time: Float64Array;
  private readonly seq: Float64Array;
  private readonly who: Int32Array;
  private nextSeq = 0;
  size = 0;

  constructor(capacity: number) {
    this.time = new Float64Array(capacity);
    this.seq = new Float64Array(capacity);
    this.who = new Int32Array(capacity);
  }

  private less(i: number, j: number): boolean {
    const ti = this.time[i]!;
    const tj = this.time[j]!;
    return ti < tj || (ti === tj && this.seq[i]! < this.seq[j]!);
  }

  private move(from: number, to: number): void {
    this.time[to] = this.time[from]!;
    this.seq[to] = this.seq[from]!;
    this.who[to] = this.who[from]!;
  }

  push(t: number, who: number): void {
    if (this.size === this.time.length) throw new RangeError("event heap full");
    const s = this.nextSeq++;
    // Sift a hole up. The new seq is the largest, so a parent at the same time stays.
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.time[parent]! <= t) break;
      this.move(parent, i);
      i = parent;
    }
    this.set(i, t, s, who);
  }

  /** The earliest event's time; call before pop(). */
  peekTime(): number {
    return this.time[0]!;
  }

  /** Removes the earliest event and returns its `who`. */
  pop(): number {
    const top = this.who[0]!;
    const n = --this.size;
    if (n === 0) return top;
    // Sift a hole down from the root for the last entry.
    const t = this.time[n]!;
    const s = this.seq[n]!;
    const w = this.who[n]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && this.less(c + 1, c)) c++;
      const tc = this.time[c]!;
      if (tc > t || (tc === t && this.seq[c]! > s)) break;
      this.move(c, i);
      i = c;
    }
    this.set(i, t, s, w);
    return top;
  }

  private set(i: number, t: number, s: number, who: number): void {
    this.time[i] = t;
    this.seq[i] = s;
    this.who[i] = who;
  }
}

const ARRIVAL = -1;
/** Per-server ring of arrival times; p2c at load 0.9 never comes near it. */
const RING = 256;

/** Simulates `requests` arrivals to completion and times it. */
export function runHandLoop(
  requests: number,
  options: Partial<HandLoopOptions> = {},
): BaselineResult {
  const o: HandLoopOptions = { ...DEFAULT_OPTIONS, ...options };
  const started = performance.now();
  const cpu = process.cpuUsage();
  const meanTimeInSystemUs = simulate(requests, o);
  const wallSeconds = (performance.now() - started) / 1_000;
  const cpuUsed = process.cpuUsage(cpu);
  return {
    model: "power-of-two",
    impl: "hand-loop",
    requests,
    wallSeconds,
    cpuSeconds: (cpuUsed.user + cpuUsed.system) / 1e6,
    requestsPerSecond: requests / wallSeconds,
    meanTimeInSystemMs: meanTimeInSystemUs / 1_000,
  };
}

/** The event loop; returns the mean time in system (us) of post-warmup requests. */
function simulate(requests: number, o: HandLoopOptions): number {
  const n = o.servers;
  const arrivals = createStream(o.seed, "arrivals");
  const durations = createStream(o.seed, "durations");
  const routing = createStream(o.seed, "routing");
  const interArrivalUs = o.meanExecUs / (o.load * n);
  const outstanding = new Int32Array(n);
  const ring = new Float64Array(n * RING); // arrival time of each outstanding request
  const ringHead = new Int32Array(n);
  const ringId = new Float64Array(n * RING); // its index, to skip the warmup
  const warmup = Math.floor(requests * o.warmupFraction);
  const heap = new EventHeap(n + 1);
  let sent = 0;
  let measured = 0;
  let sumUs = 0;
  // Arrival times accumulate in float and only the absolute time is rounded: rounding
  // each gap instead would bias the rate once gaps near 1 us (1,000+ servers here).
  let arrivalUs = -interArrivalUs * Math.log(1 - arrivals());
  heap.push(Math.round(arrivalUs), ARRIVAL);
  while (heap.size > 0) {
    const now = heap.peekTime();
    const who = heap.pop();
    if (who === ARRIVAL) {
      let best = Math.floor(routing() * n);
      for (let k = 1; k < o.choices; k++) {
        const c = Math.floor(routing() * n);
        const oc = outstanding[c]!;
        const ob = outstanding[best]!;
        if (oc < ob || (oc === ob && c < best)) best = c;
      }
      const q = outstanding[best]!;
      if (q === RING) throw new RangeError(`server ${best}: more than ${RING} outstanding`);
      const slot = best * RING + ((ringHead[best]! + q) & (RING - 1));
      ring[slot] = now;
      ringId[slot] = sent;
      outstanding[best] = q + 1;
      if (q === 0) heap.push(now + Math.round(-o.meanExecUs * Math.log(1 - durations())), best);
      if (++sent < requests) {
        arrivalUs -= interArrivalUs * Math.log(1 - arrivals());
        heap.push(Math.round(arrivalUs), ARRIVAL);
      }
    } else {
      const slot = who * RING + ringHead[who]!;
      if (ringId[slot]! >= warmup) {
        sumUs += now - ring[slot]!;
        measured++;
      }
      ringHead[who] = (ringHead[who]! + 1) & (RING - 1);
      const q = --outstanding[who]!;
      if (q > 0) heap.push(now + Math.round(-o.meanExecUs * Math.log(1 - durations())), who);
    }
  }
  return sumUs / measured;
}

function main(): void {
  const requests = Number(process.argv[2] ?? 2_000_000);
  if (!Number.isSafeInteger(requests) || requests <= 0) {
    throw new RangeError(`requests must be a positive integer, got ${process.argv[2]}`);
  }
  const result = runHandLoop(requests);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  const theoryMs =
    (supermarketMeanTime(DEFAULT_OPTIONS.load, DEFAULT_OPTIONS.choices) *
      DEFAULT_OPTIONS.meanExecUs) /
    1_000;
  const errorPct = (100 * (result.meanTimeInSystemMs / theoryMs - 1)).toFixed(2);
  process.stderr.write(
    `supermarket model (N -> infinity): ${theoryMs.toFixed(4)} ms; measured ${errorPct}% off\n`,
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main();
}
