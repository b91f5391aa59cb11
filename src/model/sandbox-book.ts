/**
 * The sandboxes of a world and the one writer of their lifecycle: creation, readiness,
 * the leader's outstanding count and the host's running count, membership of the
 * routing index, idleness and keep-alive, orphaning, destruction by a crash and
 * removal; and the gauges the metrics integrate (idle and orphaned memory, counts of
 * live, busy and initializing sandboxes).
 *
 * Routing membership is a function of state, recomputed after every change (`sync`):
 * a sandbox is a candidate while it exists, the leader knows it (not orphaned), can
 * reach it (not `unreachable`), and it can take one more request (outstanding < slots +
 * queue). An initializing sandbox is a candidate too: requests routed to it wait for
 * its initialisation (with `slots: 10`, a burst fills one new sandbox before it makes
 * another). A sandbox destroyed by a crash stays a candidate until the balancer detects
 * the crash: requests sent there fail as unreachable. It ends as `lost` however it
 * ends (keep-alive may still reclaim it first: the balancer did not know).
 *
 * Keep-alive comes in two shapes (keepalive-policy.ts). A uniform one (fixed, none)
 * costs one timer per function, no event per request. An adaptive one (hybrid) is
 * applied by AdaptiveKeepAliveModel (adaptive-keepalive.ts).
 */

import type { Simulator } from "../kernel/simulator.js";
import type { UniformKeepAlive } from "../policies/keepalive/keepalive-policy.js";
import type { AdaptiveKeepAliveModel } from "./adaptive-keepalive.js";
import type { ModelContext } from "./context.js";
import { Ev } from "./events.js";
import type { FunctionRuntime } from "./function-runtime.js";
import type { Hosts } from "./hosts.js";
import { Sandbox, SandboxState } from "./sandbox.js";

export type SandboxEnd = "reclaimed" | "lost";

export class SandboxBook {
  /** The clock and event queue (ctx.sim, held directly: read on every hop). */
  private readonly sim: Simulator;
  /** Sandboxes by id; ids of removed sandboxes are reused (serials are not). */
  readonly byId: (Sandbox | null)[] = [];
  private readonly freeIds: number[] = [];
  private nextSerial = 0;

  // Gauges.
  /** Memory held by idle and initializing sandboxes the balancer knows. */
  idleMemoryMb = 0;
  /** Memory held by orphaned sandboxes. */
  orphanedMemoryMb = 0;
  /** Sandboxes holding memory (orphans included). */
  liveSandboxes = 0;
  busySandboxes = 0;
  initializingSandboxes = 0;
  orphanedSandboxes = 0;
  peakSandboxes = 0;

  /** The adaptive keep-alive (hybrid) as the model applies it; null when uniform. */
  adaptive: AdaptiveKeepAliveModel | null = null;
  /** Called when a function falls below its minSandboxes (a provisioned sandbox ended). */
  onBelowMinimum: (f: FunctionRuntime) => void = () => {};

  constructor(
    private readonly ctx: ModelContext,
    private readonly hosts: Hosts,
    private readonly fns: readonly FunctionRuntime[],
    /** The keep-alive when uniform (fixed, none); null when adaptive. */
    private readonly uniform: UniformKeepAlive | null,
  ) {
    this.sim = ctx.sim;
  }

  /**
   * The sandboxes on host h, newest first (a copy: safe to remove from while iterating).
   * Found by a scan of every live sandbox: only a host's failure asks, and any index by
   * host cost a cache miss or more per sandbox made and removed on a large cluster (a
   * list linked through the sandboxes wrote to a neighbour; an array per host is an
   * object per host). Fault handling takes them in this order, the one a list kept.
   */
  onHost(h: number): Sandbox[] {
    const out: Sandbox[] = [];
    for (const sb of this.byId) if (sb !== null && sb.host === h) out.push(sb);
    return out.sort((x, y) => y.serial - x.serial);
  }

  /** The live sandbox with this id and serial, or null (gone, or the id was reused). */
  find(id: number, serial: number): Sandbox | null {
    const sb = this.byId[id];
    return sb && sb.serial === serial ? sb : null;
  }

  /**
   * A new sandbox of `f` on `host`, initializing, with `outstanding` requests routed to it
   * already (1 for a cold start's request). `pinned`: provisioned by minSandboxes.
   */
  create(f: FunctionRuntime, host: number, outstanding: number, pinned: boolean): Sandbox {
    const { obs, sim } = this.ctx;
    const hosts = this.hosts;
    const now = sim.now;
    const id = this.freeIds.length > 0 ? this.freeIds.pop()! : this.byId.length;
    const sb = new Sandbox(
      id,
      this.nextSerial++,
      f.index,
      host,
      f.memoryMb,
      now,
      f.slots,
      f.partition,
    );
    sb.outstanding = outstanding;
    sb.pinned = pinned;
    sb.lastUsedUs = now;
    sb.idleSinceUs = now;
    this.byId[id] = sb;
    obs.gaugesWillChange(now);
    hosts.reserve(host, sb.memoryMb);
    f.sandboxes++;
    if (pinned) f.pinnedSandboxes++;
    f.initializingSandboxes++;
    f.countInZone(hosts.zoneOf(host), 1);
    this.liveSandboxes++;
    this.initializingSandboxes++;
    this.idleMemoryMb += sb.memoryMb;
    if (this.liveSandboxes > this.peakSandboxes) this.peakSandboxes = this.liveSandboxes;
    obs.sandboxCreated(sb, now);
    this.sync(sb, f);
    return sb;
  }

  /** Initialisation finished. A sandbox with outstanding work stops counting as idle. */
  markReady(sb: Sandbox, f: FunctionRuntime): void {
    this.ctx.obs.gaugesWillChange(this.sim.now);
    sb.state = SandboxState.Ready;
    if (sb.orphaned) return; // orphan() already took it out of every count
    this.initializingSandboxes--;
    f.initializingSandboxes--;
    if (sb.outstanding > 0) {
      this.idleMemoryMb -= sb.memoryMb;
      this.busySandboxes++;
      f.busySandboxes++;
    }
    this.sync(sb, f);
  }

  /** The leader routes one more request to `sb`. */
  acquire(sb: Sandbox, f: FunctionRuntime): void {
    if (sb.outstanding === 0 && sb.state === SandboxState.Ready) this.startBusy(sb, f);
    sb.outstanding++;
    sb.lastUsedUs = this.sim.now;
    // A candidate stays one unless it is now full (the hot path's shortcut of `sync`).
    if (sb.inRouting && sb.outstanding < f.capacity) f.routing.touched(sb.view);
    else this.sync(sb, f);
  }

  /**
   * The leader learns that `sb` finished one request. It counts as idle in the gauges at
   * once; its keep-alive starts only at `settle`, after the overflow queue had its chance.
   */
  release(sb: Sandbox, f: FunctionRuntime): void {
    sb.outstanding--;
    sb.lastUsedUs = this.sim.now;
    if (sb.inRouting)
      f.routing.touched(sb.view); // a candidate with one less stays one
    else this.sync(sb, f);
    if (sb.outstanding === 0 && sb.state === SandboxState.Ready) this.stopBusy(sb, f);
  }

  /** After a release and the drain of the overflow queue: an idle sandbox starts its keep-alive. */
  settle(sb: Sandbox, f: FunctionRuntime): void {
    if (sb.outstanding === 0 && sb.state === SandboxState.Ready && !sb.orphaned)
      this.becomeIdle(sb, f);
  }

  /** An execution starts in `sb` (the host's count). */
  runStarted(sb: Sandbox): void {
    sb.running++;
  }

  /** An execution in `sb` ended. */
  runEnded(sb: Sandbox): void {
    sb.running--;
  }

  /** Whether the leader (of the partition of `sb`) can route to it now. */
  setUnreachable(sb: Sandbox, unreachable: boolean): void {
    if (sb.unreachable === unreachable || sb.orphaned) return;
    sb.unreachable = unreachable;
    this.sync(sb, this.fns[sb.fn]!);
  }

  /**
   * The host stopped under its sandboxes: they run nothing (their executions and local
   * queues are gone: the caller failed those requests) and never serve again. The
   * balancer still believes in them until it detects the crash (`loseHost`). Orphans
   * there, which no one believes in, are lost at once.
   */
  destroyOnHost(h: number): void {
    for (const sb of this.onHost(h)) {
      sb.destroyed = true;
      sb.running = 0;
      sb.clearLocal();
      if (sb.orphaned) this.remove(sb, "lost");
    }
  }

  /** The balancer gives up every sandbox on host h (its crash is known, or it came back empty). */
  loseHost(h: number): void {
    for (const sb of this.onHost(h)) this.remove(sb, "lost");
  }

  /** The sandbox stayed idle: its keep-alive starts (or it is reclaimed at once). */
  private becomeIdle(sb: Sandbox, f: FunctionRuntime): void {
    const uniform = this.uniform;
    if (!uniform) return this.adaptive!.becomeIdle(sb, f);
    if (sb.pinned) return;
    const ttl = uniform.ttlUs(f.index);
    if (ttl === 0) {
      this.remove(sb, "reclaimed");
      return;
    }
    if (ttl === Number.POSITIVE_INFINITY) return;
    this.listIdle(sb, f);
    if (!f.keepAliveTimerPending) {
      f.keepAliveTimerPending = true;
      this.sim.at(this.sim.now + ttl, Ev.KeepAlive, f.index);
    }
  }

  /** Puts an idle sandbox on its function's idle list (keep-alive order). */
  listIdle(sb: Sandbox, f: FunctionRuntime, keepUntilUs = 0): void {
    sb.keepUntilUs = keepUntilUs;
    f.appendIdle(sb);
  }

  /**
   * Reclaims every idle sandbox of `f` whose keep-alive has run out. Sandboxes went idle
   * in list order and share one keep-alive, so expiries are in list order too: one timer
   * per function, re-armed for the new head (firing early, harmlessly, if the head was
   * taken in the meantime).
   */
  onKeepAliveTimer(f: FunctionRuntime): void {
    const sim = this.sim;
    f.keepAliveTimerPending = false;
    const ttl = this.uniform!.ttlUs(f.index);
    while (f.idleHead && f.idleHead.idleSinceUs + ttl <= sim.now)
      this.remove(f.idleHead, "reclaimed");
    if (f.idleHead) {
      f.keepAliveTimerPending = true;
      sim.at(f.idleHead.idleSinceUs + ttl, Ev.KeepAlive, f.index);
    }
  }

  /**
   * The balancer forgets `sb` (a failover without its state): it leaves every index and
   * count of the function but keeps its memory until its host reclaims it, an orphan
   * timeout after its last execution.
   */
  orphan(sb: Sandbox): void {
    const { obs, sim } = this.ctx;
    if (sb.orphaned || sb.state === SandboxState.Gone) return;
    if (sb.destroyed) return this.remove(sb, "lost"); // its host is gone already
    const f = this.fns[sb.fn]!;
    obs.gaugesWillChange(sim.now);
    this.forget(sb, f);
    sb.orphaned = true;
    sb.unreachable = false;
    this.orphanedSandboxes++;
    this.orphanedMemoryMb += sb.memoryMb;
    obs.sandboxOrphaned(sb, sim.now);
    this.orphanMayBeIdle(sb);
    if (sb.pinned) this.onBelowMinimum(f);
  }

  /** Arms the host's reclaim of an orphan once it runs and waits for nothing. */
  orphanMayBeIdle(sb: Sandbox): void {
    if (sb.running > 0 || sb.localQueueLength > 0 || sb.state !== SandboxState.Ready) return;
    const { sim, scenario } = this.ctx;
    sim.after(scenario.cluster.orphanTimeoutUs, Ev.OrphanReclaim, sb.id, sb.serial);
  }

  onOrphanReclaim(id: number, serial: number): void {
    const sb = this.find(id, serial);
    if (sb?.orphaned && sb.running === 0 && sb.localQueueLength === 0) this.remove(sb, "reclaimed");
  }

  /**
   * Removes a sandbox for good: reclaimed (keep-alive, orphan timeout) or lost with its
   * host. One destroyed by a crash counts as lost however its end came.
   */
  remove(sb: Sandbox, how: SandboxEnd): void {
    const { obs, sim } = this.ctx;
    const now = sim.now;
    const f = this.fns[sb.fn]!;
    obs.gaugesWillChange(now);
    const wasKnownPinned = sb.pinned && !sb.orphaned;
    if (sb.orphaned) {
      this.orphanedSandboxes--;
      this.orphanedMemoryMb -= sb.memoryMb;
    } else {
      this.forget(sb, f);
    }
    sb.state = SandboxState.Gone;
    this.hosts.release(sb.host, sb.memoryMb);
    this.liveSandboxes--;
    obs.sandboxEnded(sb, sb.destroyed ? "lost" : how, now);
    this.byId[sb.id] = null;
    this.freeIds.push(sb.id);
    if (wasKnownPinned) this.onBelowMinimum(f);
  }

  /** Routing membership follows state: see the file's comment. */
  private sync(sb: Sandbox, f: FunctionRuntime): void {
    const candidate =
      !sb.orphaned &&
      !sb.unreachable &&
      sb.state !== SandboxState.Gone &&
      sb.outstanding < f.capacity;
    if (candidate) {
      if (sb.inRouting) f.routing.touched(sb.view);
      else {
        f.routing.add(sb.view);
        sb.inRouting = true;
      }
    } else if (sb.inRouting) {
      f.routing.remove(sb.view);
      sb.inRouting = false;
    }
  }

  /** A ready sandbox with nothing outstanding takes a request: it turns busy. */
  private startBusy(sb: Sandbox, f: FunctionRuntime): void {
    this.ctx.obs.gaugesWillChange(this.sim.now);
    this.idleMemoryMb -= sb.memoryMb;
    this.busySandboxes++;
    f.busySandboxes++;
    if (f.isIdleListed(sb)) f.removeIdle(sb);
  }

  /** The sandbox has nothing outstanding: it counts as idle in the gauges. */
  private stopBusy(sb: Sandbox, f: FunctionRuntime): void {
    const now = this.sim.now;
    this.ctx.obs.gaugesWillChange(now);
    this.idleMemoryMb += sb.memoryMb;
    this.busySandboxes--;
    f.busySandboxes--;
    sb.idleSinceUs = now;
  }

  /** Takes a sandbox the balancer knows out of its function's indexes, counts and gauges. */
  private forget(sb: Sandbox, f: FunctionRuntime): void {
    if (f.isIdleListed(sb)) f.removeIdle(sb);
    if (sb.inRouting) {
      f.routing.remove(sb.view);
      sb.inRouting = false;
    }
    f.sandboxes--;
    if (sb.pinned) f.pinnedSandboxes--;
    f.countInZone(this.hosts.zoneOf(sb.host), -1);
    if (sb.state === SandboxState.Initializing) {
      this.initializingSandboxes--;
      f.initializingSandboxes--;
      this.idleMemoryMb -= sb.memoryMb;
    } else if (sb.outstanding > 0) {
      this.busySandboxes--;
      f.busySandboxes--;
    } else {
      this.idleMemoryMb -= sb.memoryMb;
    }
  }
}
