/**
 * Attempts in flight, as a pool of parallel typed arrays indexed by id. Each entry is
 * one attempt of a logical request; a retry is a new entry that carries the logical
 * fields (function, first arrival, drawn execution time) over. Ids are recycled when an
 * entry ends, so memory follows the number in flight, not the number simulated.
 *
 * An entry lives until both sides are done with it: the client (which stops waiting on
 * an answer, a failure or a timeout) and the platform (which may still run an attempt
 * whose client gave up: `abandoned`).
 */
import type { Sandbox } from "./sandbox.js";

/** Where an attempt is, as far as a host crash is concerned. */
export enum Phase {
  /** At a frontend, on the network or at the leader. */
  Travelling = 0,
  /** Waiting at a host: in a sandbox's local queue or for its initialisation. */
  AtHost = 1,
  Executing = 2,
  /** Its execution ended; the response is on its way. */
  Responding = 3,
}

export class Requests {
  fn = new Int32Array(1024);
  zone = new Int32Array(1024);
  /** Arrival of the logical request's first attempt (latency is measured from it). */
  arrivalUs = new Float64Array(1024);
  /** Arrival of this attempt (waits are measured from it). */
  attemptUs = new Float64Array(1024);
  /** Execution time, drawn at the first arrival from the function's duration stream. */
  durationUs = new Float64Array(1024);
  /** 1-based attempt number. */
  attempt = new Int32Array(1024);
  /** Delay the client waited before this attempt (decorrelated jitter needs it). */
  delayUs = new Float64Array(1024);
  execStartUs = new Float64Array(1024);
  /** A cold start's placement message: when it left the leader and reached the host. */
  hopFromUs = new Float64Array(1024);
  hopToUs = new Float64Array(1024);
  /** Pending event of the platform's side (host arrival, initialisation, execution end). */
  handle = new Float64Array(1024);
  /** Pending client timeout, or -1. */
  timer = new Float64Array(1024);
  phase = new Uint8Array(1024);
  cold = new Uint8Array(1024);
  live = new Uint8Array(1024);
  /** The client no longer waits on this attempt (it timed out); the platform may still run it. */
  abandoned = new Uint8Array(1024);
  /** The sandbox the attempt was sent to, if any. */
  sandbox: (Sandbox | null)[] = [];
  private free: number[] = [];
  private next = 0;
  inFlight = 0;
  /** Entries ever created. */
  allocated = 0;

  alloc(): number {
    this.inFlight++;
    this.allocated++;
    const id = this.free.length > 0 ? this.free.pop()! : this.next++;
    if (id >= this.fn.length) this.grow();
    this.live[id] = 1;
    this.zone[id] = -1;
    this.cold[id] = 0;
    this.abandoned[id] = 0;
    this.phase[id] = Phase.Travelling;
    this.timer[id] = -1;
    this.handle[id] = -1;
    this.sandbox[id] = null;
    return id;
  }

  release(id: number): void {
    this.live[id] = 0;
    this.sandbox[id] = null;
    this.inFlight--;
    this.free.push(id);
  }

  /** Ids of entries still in flight. */
  *liveIds(): Generator<number> {
    for (let i = 0; i < this.next; i++) if (this.live[i]) yield i;
  }

  private grow(): void {
    const n = this.fn.length * 2;
    this.fn = copy(this.fn, new Int32Array(n));
    this.zone = copy(this.zone, new Int32Array(n));
    this.arrivalUs = copy(this.arrivalUs, new Float64Array(n));
    this.attemptUs = copy(this.attemptUs, new Float64Array(n));
    this.durationUs = copy(this.durationUs, new Float64Array(n));
    this.attempt = copy(this.attempt, new Int32Array(n));
    this.delayUs = copy(this.delayUs, new Float64Array(n));
    this.execStartUs = copy(this.execStartUs, new Float64Array(n));
    this.hopFromUs = copy(this.hopFromUs, new Float64Array(n));
    this.hopToUs = copy(this.hopToUs, new Float64Array(n));
    this.handle = copy(this.handle, new Float64Array(n));
    this.timer = copy(this.timer, new Float64Array(n));
    this.phase = copy(this.phase, new Uint8Array(n));
    this.cold = copy(this.cold, new Uint8Array(n));
    this.live = copy(this.live, new Uint8Array(n));
    this.abandoned = copy(this.abandoned, new Uint8Array(n));
  }
}

function copy<T extends Int32Array | Float64Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
