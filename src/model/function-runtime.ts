/**
 * What the balancer keeps for one function: its sandboxes (through the routing index
 * of candidates and the idle list), the count per zone (for zoneBalance), the overflow
 * queue of requests waiting for a slot, the keep-alive timer, and what an adaptive
 * keep-alive needs to see the function's idle times and pending pre-warms.
 */
import type { DistSpec } from "../kernel/dist-spec.js";
import type { RoutingIndex } from "../policies/routing/routing-policy.js";
import type { ResolvedFunction } from "../scenario/types.js";
import type { Sandbox } from "./sandbox.js";

export class FunctionRuntime {
  /** Sandboxes that exist (initializing or ready) and the leader knows. */
  sandboxes = 0;
  /** Of them, provisioned by minSandboxes (restored when one is lost or orphaned). */
  pinnedSandboxes = 0;
  /** Ready sandboxes with outstanding > 0. */
  busySandboxes = 0;
  /**
   * Sandboxes initializing. Each holds its first request: provisioned and pre-warmed
   * sandboxes are ready as soon as they are created.
   */
  initializingSandboxes = 0;
  /**
   * Ready sandboxes with outstanding == 0 under a keep-alive deadline (not pinned, not
   * kept forever). Oldest idle first, which is expiry order when the keep-alive is
   * uniform (one timer per function); under an adaptive keep-alive each has its own.
   */
  idleHead: Sandbox | null = null;
  idleTail: Sandbox | null = null;
  /**
   * Whether a keep-alive timer is pending (uniform keep-alive). A flag, not the timer's
   * time: see `workEndedUs`.
   */
  keepAliveTimerPending = false;
  /**
   * Adaptive keep-alive: when the function last ran out of work (its last outstanding
   * request released at the leader), or -Infinity while it has work or since its next
   * arrival. A double from the start: V8 keeps a field in small integers while it has
   * seen nothing else, and the first time stored as a double would move every
   * function's state to a new layout, one migration (thousands of instructions) per
   * function as it is next touched (8% of the run at 100,000 functions, measured).
   */
  workEndedUs = Number.NEGATIVE_INFINITY;
  /**
   * Adaptive keep-alive: event handles of pre-warms scheduled since the last arrival
   * (made on the first: an empty array per function is 16 bytes times a million).
   */
  pendingPrewarms: number[] | null = null;
  /** Overflow queue (overflow: queue): request ids and when they joined; made on first use. */
  private queue: number[] | null = null;
  private queuedAtUs: number[] | null = null;
  queueHead = 0;
  /** Whether the overflow queue's timer is pending (a flag, as keepAliveTimerPending). */
  queueTimerPending = false;
  /** Capacity of one sandbox: slots plus its local queue. */
  readonly capacity: number;
  /**
   * The spec's figures the request path reads, copied here so that a request touches
   * one object of its function rather than two (on a large population each is a miss).
   */
  readonly slots: number;
  readonly maxSandboxes: number;
  readonly memoryMb: number;
  /** Shared by a population's functions: reading it is no miss of this function's. */
  readonly coldStartUncached: DistSpec;

  /** Where this function's sandbox count per zone starts in `zoneCounts`. */
  private readonly zoneBase: number;

  constructor(
    readonly index: number,
    readonly spec: ResolvedFunction,
    readonly partition: number,
    readonly routing: RoutingIndex,
    /**
     * Every function's sandboxes per zone, `zones` entries a function, shared: a typed
     * array (or a view) per function is an object per function, and a miss more per
     * cold start to reach.
     */
    private readonly zoneCounts: Int32Array,
    zones: number,
  ) {
    this.zoneBase = index * zones;
    this.capacity = spec.slots + spec.queue;
    this.slots = spec.slots;
    this.maxSandboxes = spec.maxSandboxes;
    this.memoryMb = spec.memoryMb;
    this.coldStartUncached = spec.coldStartUncached;
  }

  /** Its sandboxes (initializing or ready, known to the leader) in zone z. */
  sandboxesIn(z: number): number {
    return this.zoneCounts[this.zoneBase + z]!;
  }

  /** Counts a sandbox in (+1) or out of (-1) zone z: the sandbox book's call. */
  countInZone(z: number, by: 1 | -1): void {
    this.zoneCounts[this.zoneBase + z]! += by;
  }

  get queueLength(): number {
    return this.queue === null ? 0 : this.queue.length - this.queueHead;
  }

  enqueue(req: number, nowUs: number): void {
    if (this.queue === null || this.queuedAtUs === null) {
      this.queue = [];
      this.queuedAtUs = [];
    }
    this.queue.push(req);
    this.queuedAtUs.push(nowUs);
  }

  /** Call only when queueLength > 0. */
  peekQueuedAtUs(): number {
    return this.queuedAtUs![this.queueHead]!;
  }

  /** Call only when queueLength > 0. */
  dequeue(): number {
    const queue = this.queue!;
    const req = queue[this.queueHead++]!;
    if (this.queueHead > 1024 && this.queueHead * 2 > queue.length) {
      queue.splice(0, this.queueHead);
      this.queuedAtUs!.splice(0, this.queueHead);
      this.queueHead = 0;
    }
    return req;
  }

  appendIdle(sb: Sandbox): void {
    sb.idlePrev = this.idleTail;
    sb.idleNext = null;
    if (this.idleTail) this.idleTail.idleNext = sb;
    else this.idleHead = sb;
    this.idleTail = sb;
  }

  isIdleListed(sb: Sandbox): boolean {
    return sb.idlePrev !== null || this.idleHead === sb;
  }

  removeIdle(sb: Sandbox): void {
    if (sb.idlePrev) sb.idlePrev.idleNext = sb.idleNext;
    else this.idleHead = sb.idleNext;
    if (sb.idleNext) sb.idleNext.idlePrev = sb.idlePrev;
    else this.idleTail = sb.idlePrev;
    sb.idlePrev = null;
    sb.idleNext = null;
  }
}
