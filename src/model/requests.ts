/**
 * Attempts in flight, as a pool of parallel typed arrays indexed by id. Each entry is
 * one attempt of a logical request; a retry is a new entry that carries the logical
 * fields (function, first arrival, drawn execution time) over. Ids are recycled when an
 * entry ends, so memory follows the number in flight, not the number simulated.
 *
 * An entry lives until both sides are done with it: the client (which stops waiting on
 * an answer, a failure or a timeout) and the platform (which may still run an attempt
 * whose client gave up: `abandoned`).
 *
 * The times an attempt passes the steps of SPEC 2.1 are kept (one store each, so the
 * hot path stays cheap), and where the time of a completed attempt went is read from
 * them once, at its completion (addBreakdown).
 */
import type { Sandbox } from "./sandbox.js";

/**
 * Where a completed request's time went, by the steps of SPEC 2.1 (latencyBreakdownMs):
 * the attempt that completed, then the clients' delays before retries and the time of
 * the earlier attempts until each failed for its client.
 */
export const BREAKDOWN_COMPONENTS = [
  /** Frontend to leader, leader to host, host to frontend. */
  "network",
  /** Waiting in the partition leader's FIFO server for the acquire to be served. */
  "balancerQueue",
  /** The acquire's own `serviceTime` at the leader. */
  "balancerService",
  /** With `replication: sync`, the leader's wait for a majority before it answers. */
  "replication",
  /** A cold start's `placement.latency`. */
  "placement",
  /** A cold start's initialisation. */
  "coldStart",
  /** The overflow queue at the leader, a sandbox's local queue, or its initialisation. */
  "queueing",
  "execution",
  /** The clients' delays between a failed attempt and the next (backoff). */
  "retryDelay",
  /** Earlier attempts, from their arrival until they failed for their client. */
  "failedAttempts",
] as const;
export type BreakdownComponent = (typeof BREAKDOWN_COMPONENTS)[number];

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
  /** The logical request's number (0, 1, ... in arrival order), carried over to retries. */
  logical = new Float64Array(1024);
  /** 1-based attempt number. */
  attempt = new Int32Array(1024);
  /** Delay the client waited before this attempt (decorrelated jitter needs it). */
  delayUs = new Float64Array(1024);
  /** Sum of the client's delays before this attempt and the earlier ones (backoff). */
  retryDelaysUs = new Float64Array(1024);
  /** When the attempt reached its partition's leader; -1 until it does. */
  leaderUs = new Float64Array(1024);
  /** How long it waited in the leader's FIFO server (before its service time). */
  balancerQueueUs = new Float64Array(1024);
  /** When the leader routed it (after queue and service). */
  routedUs = new Float64Array(1024);
  /** When the leader sent it to a sandbox (or placed one for it): after any overflow queue. */
  sentUs = new Float64Array(1024);
  /** The sync-replication wait before the leader's answer left (0 without). */
  replicationUs = new Float64Array(1024);
  /**
   * The message to the host: when it left the leader (after replication and, for a
   * cold start, placement) and when it reached the host.
   */
  hopFromUs = new Float64Array(1024);
  hopToUs = new Float64Array(1024);
  execStartUs = new Float64Array(1024);
  execEndUs = new Float64Array(1024);
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
  /** Logical requests ever created (the next one's number). */
  logicalRequests = 0;

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
    this.leaderUs[id] = -1;
    return id;
  }

  /**
   * Adds where the time of attempt `id`, completed at `nowUs`, went to `sums` (indexed
   * as BREAKDOWN_COMPONENTS): its steps add up to nowUs - its arrival, and the time
   * before its arrival is the client's delays and the earlier attempts'.
   */
  addBreakdown(id: number, nowUs: number, sums: Float64Array): void {
    const attemptUs = this.attemptUs[id]!;
    const leaderUs = this.leaderUs[id]!;
    const queueUs = this.balancerQueueUs[id]!;
    const routedUs = this.routedUs[id]!;
    const sentUs = this.sentUs[id]!;
    const replicationUs = this.replicationUs[id]!;
    const fromUs = this.hopFromUs[id]!;
    const toUs = this.hopToUs[id]!;
    const startUs = this.execStartUs[id]!;
    const endUs = this.execEndUs[id]!;
    const delaysUs = this.retryDelaysUs[id]!;
    sums[0]! += leaderUs - attemptUs + (toUs - fromUs) + (nowUs - endUs);
    sums[1]! += queueUs;
    sums[2]! += routedUs - leaderUs - queueUs;
    sums[3]! += replicationUs;
    if (this.cold[id]) {
      sums[4]! += fromUs - sentUs - replicationUs;
      sums[5]! += startUs - toUs;
      sums[6]! += sentUs - routedUs;
    } else sums[6]! += sentUs - routedUs + (startUs - toUs);
    sums[7]! += endUs - startUs;
    sums[8]! += delaysUs;
    sums[9]! += attemptUs - this.arrivalUs[id]! - delaysUs;
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
    this.logical = copy(this.logical, new Float64Array(n));
    this.attempt = copy(this.attempt, new Int32Array(n));
    this.delayUs = copy(this.delayUs, new Float64Array(n));
    this.retryDelaysUs = copy(this.retryDelaysUs, new Float64Array(n));
    this.leaderUs = copy(this.leaderUs, new Float64Array(n));
    this.balancerQueueUs = copy(this.balancerQueueUs, new Float64Array(n));
    this.routedUs = copy(this.routedUs, new Float64Array(n));
    this.sentUs = copy(this.sentUs, new Float64Array(n));
    this.replicationUs = copy(this.replicationUs, new Float64Array(n));
    this.hopFromUs = copy(this.hopFromUs, new Float64Array(n));
    this.hopToUs = copy(this.hopToUs, new Float64Array(n));
    this.execStartUs = copy(this.execStartUs, new Float64Array(n));
    this.execEndUs = copy(this.execEndUs, new Float64Array(n));
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
