/**
 * A sandbox (execution environment): one function's memory on one host, in state
 * initializing -> ready (idle when nothing is outstanding, busy otherwise) -> gone.
 * Only the sandbox book (sandbox-book.ts) writes these fields; everything else reads.
 *
 * `outstanding` is the leader's count of requests routed here and not yet released;
 * `running` is the host's count of executions in progress; the local FIFO queue holds
 * request ids that arrived at the host while every slot ran.
 */
import { SandboxHandle } from "./sandbox-view.js";

export enum SandboxState {
  Initializing = 0,
  Ready = 1,
  Gone = 2,
}

const PINNED = 1;
const IN_ROUTING = 2;
const ORPHANED = 4;
const DESTROYED = 8;
const UNREACHABLE = 16;

export class Sandbox {
  state = SandboxState.Initializing;
  outstanding = 0;
  running = 0;
  /** Simulated time of the last acquire or release at the leader. */
  lastUsedUs = 0;
  /** Start of the current idle period (outstanding dropped to 0). */
  idleSinceUs = 0;
  /**
   * Under an adaptive keep-alive (hybrid), when this idle sandbox is reclaimed; its
   * expiry event is valid only while it is still idle with this deadline.
   */
  keepUntilUs = 0;
  /**
   * The flags below, as bits of one small integer: five boolean fields were 40 bytes of
   * every sandbox, and on a large population sandboxes are most of what the young
   * generation's collections copy (issue 13).
   */
  private flags = 0;

  private has(flag: number): boolean {
    return (this.flags & flag) !== 0;
  }
  private set(flag: number, on: boolean): void {
    this.flags = on ? this.flags | flag : this.flags & ~flag;
  }

  /** Provisioned by minSandboxes: never reclaimed. */
  get pinned(): boolean {
    return this.has(PINNED);
  }
  set pinned(on: boolean) {
    this.set(PINNED, on);
  }
  /** Whether the routing index of the function holds it (ready with room). */
  get inRouting(): boolean {
    return this.has(IN_ROUTING);
  }
  set inRouting(on: boolean) {
    this.set(IN_ROUTING, on);
  }
  /**
   * The leader lost track of it (failover without its state): it holds memory and
   * serves nobody until its host reclaims it.
   */
  get orphaned(): boolean {
    return this.has(ORPHANED);
  }
  set orphaned(on: boolean) {
    this.set(ORPHANED, on);
  }
  /**
   * Its host crashed under it: it runs nothing and will never serve again, though the
   * balancer, until it detects the crash, still believes in it. It ends as `lost`.
   */
  get destroyed(): boolean {
    return this.has(DESTROYED);
  }
  set destroyed(on: boolean) {
    this.set(DESTROYED, on);
  }
  /**
   * The leader knows it cannot reach the sandbox's host (a detected network partition):
   * it is not routed to until the cut heals or a leader that reaches it takes over.
   */
  get unreachable(): boolean {
    return this.has(UNREACHABLE);
  }
  set unreachable(on: boolean) {
    this.set(UNREACHABLE, on);
  }

  /** What the function's routing index holds (read-only, with the index's own slots). */
  readonly view: SandboxHandle = new SandboxHandle(this);

  // Intrusive links of the function's idle list.
  idlePrev: Sandbox | null = null;
  idleNext: Sandbox | null = null;

  /** Made on the first request that has to wait here: most sandboxes never queue. */
  private localQueue: number[] | null = null;
  private localHead = 0;

  constructor(
    readonly id: number,
    /** Unique over the run (ids are reused): tells a stale event from a live one. */
    readonly serial: number,
    readonly fn: number,
    readonly host: number,
    readonly memoryMb: number,
    readonly createdUs: number,
    /**
     * Its function's slots and balancer partition, copied here: the host's side of a
     * request reads them from the sandbox it already holds, not from the function's
     * state (on a large population, a cache miss each). Not its vCPU demand: a double
     * field is a boxed number of its own in V8, 24 bytes of every sandbox for what only
     * CPU contention reads (host-path.ts keeps it by function).
     */
    readonly slots: number,
    readonly partition: number,
  ) {}

  get localQueueLength(): number {
    return this.localQueue === null ? 0 : this.localQueue.length - this.localHead;
  }

  enqueueLocal(request: number): void {
    if (this.localQueue === null) this.localQueue = [request];
    else this.localQueue.push(request);
  }

  /** Drops the local queue (its requests failed with the host). */
  clearLocal(): void {
    this.localQueue = null;
    this.localHead = 0;
  }

  /** Oldest queued request id, or -1. */
  dequeueLocal(): number {
    const queue = this.localQueue;
    if (queue === null || this.localHead >= queue.length) return -1;
    const r = queue[this.localHead++]!;
    if (this.localHead > 1024 && this.localHead * 2 > queue.length) {
      this.localQueue = queue.slice(this.localHead);
      this.localHead = 0;
    }
    return r;
  }
}
