/**
 * The sandboxes of a world and their bookkeeping: creation, readiness, idleness and
 * keep-alive, orphaning and removal, and the gauges the metrics integrate (idle and
 * orphaned memory, counts of live, busy and initializing sandboxes).
 *
 * Keep-alive comes in two shapes (keepalive-policy.ts). A uniform one (fixed, none)
 * costs one timer per function, no event per request. An adaptive one (hybrid) is
 * applied by AdaptiveKeepAliveModel (adaptive-keepalive.ts): idle times observed at the
 * leader, a deadline per idle sandbox, unloading and pre-warming.
 */
import type { UniformKeepAlive } from "../policies/keepalive/keepalive-policy.js";
import { AdaptiveKeepAliveModel } from "./adaptive-keepalive.js";
import type { FunctionRuntime } from "./function-runtime.js";
import { Sandbox, SandboxState } from "./sandbox.js";
import type { World } from "./world.js";

export class SandboxBook {
  /** Sandboxes by id; ids of removed sandboxes are reused (serials are not). */
  readonly byId: (Sandbox | null)[] = [];
  /** The sandboxes on each host (for crashes). */
  /**
   * The first sandbox on each host (-1 for none); the rest follow through each sandbox's
   * hostNext/hostPrev links. Intrusive lists rather than a Set per host: no object per
   * host, and O(1) insertion and removal without hashing (which showed at 100,000 hosts).
   */
  private readonly firstOnHost: (Sandbox | null)[];
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

  /** The keep-alive when uniform (fixed, none); null when adaptive. */
  private readonly uniform: UniformKeepAlive | null;
  /** The adaptive keep-alive (hybrid) as the model applies it; null when uniform. */
  readonly adaptive: AdaptiveKeepAliveModel | null;

  constructor(private readonly world: World) {
    this.firstOnHost = new Array(world.hosts.count).fill(null);
    const keepAlive = world.policies.keepAlive;
    this.uniform = keepAlive.kind === "uniform" ? keepAlive : null;
    this.adaptive =
      keepAlive.kind === "adaptive" ? new AdaptiveKeepAliveModel(world, this, keepAlive) : null;
  }

  /** The sandboxes on host h (a copy: safe to remove from while iterating). */
  onHost(h: number): Sandbox[] {
    const out: Sandbox[] = [];
    for (let sb = this.firstOnHost[h] ?? null; sb; sb = sb.hostNext) out.push(sb);
    return out;
  }

  /** The live sandbox with this id and serial, or null (gone, or the id was reused). */
  find(id: number, serial: number): Sandbox | null {
    const sb = this.byId[id];
    return sb && sb.serial === serial ? sb : null;
  }

  create(f: FunctionRuntime, host: number): Sandbox {
    const { hosts, obs, sim } = this.world;
    const now = sim.now;
    const id = this.freeIds.length > 0 ? this.freeIds.pop()! : this.byId.length;
    const sb = new Sandbox(id, this.nextSerial++, f.index, host, f.spec.memoryMb, now);
    this.byId[id] = sb;
    const first = this.firstOnHost[host] ?? null;
    sb.hostNext = first;
    if (first) first.hostPrev = sb;
    this.firstOnHost[host] = sb;
    obs.gaugesWillChange(now);
    hosts.reserve(host, sb.memoryMb);
    f.sandboxes++;
    f.initializingSandboxes++;
    f.perZone[hosts.zoneOf(host)]!++;
    this.liveSandboxes++;
    this.initializingSandboxes++;
    this.idleMemoryMb += sb.memoryMb;
    if (this.liveSandboxes > this.peakSandboxes) this.peakSandboxes = this.liveSandboxes;
    obs.sandboxCreated(sb, now);
    return sb;
  }

  /** Initialisation finished. A sandbox with outstanding work stops counting as idle. */
  markReady(sb: Sandbox, f: FunctionRuntime): void {
    this.world.obs.gaugesWillChange(this.world.sim.now);
    sb.state = SandboxState.Ready;
    if (sb.orphaned) return; // orphan() already took it out of every count
    this.initializingSandboxes--;
    f.initializingSandboxes--;
    if (sb.outstanding > 0) {
      this.idleMemoryMb -= sb.memoryMb;
      this.busySandboxes++;
      f.busySandboxes++;
    }
    if (sb.outstanding < f.capacity) this.addToRouting(sb, f);
  }

  addToRouting(sb: Sandbox, f: FunctionRuntime): void {
    f.routing.add(sb);
    sb.inRouting = true;
  }

  /** The leader routes a request to `sb`, ready with nothing outstanding: it turns busy. */
  startBusy(sb: Sandbox, f: FunctionRuntime): void {
    this.world.obs.gaugesWillChange(this.world.sim.now);
    this.idleMemoryMb -= sb.memoryMb;
    this.busySandboxes++;
    f.busySandboxes++;
    if (f.isIdleListed(sb)) f.removeIdle(sb);
  }

  /** The sandbox has nothing outstanding: it counts as idle in the gauges. */
  stopBusy(sb: Sandbox): void {
    const now = this.world.sim.now;
    this.world.obs.gaugesWillChange(now);
    this.idleMemoryMb += sb.memoryMb;
    this.busySandboxes--;
    this.world.fns[sb.fn]!.busySandboxes--;
    sb.idleSinceUs = now;
  }

  /** The sandbox stayed idle: its keep-alive starts (or it is reclaimed at once). */
  becomeIdle(sb: Sandbox, f: FunctionRuntime): void {
    const uniform = this.uniform;
    if (!uniform) return this.adaptive!.becomeIdle(sb, f);
    const { sim, K } = this.world;
    if (sb.pinned) return;
    const ttl = uniform.ttlUs(f.index);
    if (ttl === 0) {
      this.remove(sb, "reclaimed");
      return;
    }
    if (ttl === Number.POSITIVE_INFINITY) return;
    f.appendIdle(sb);
    if (f.keepAliveTimerUs < 0) {
      f.keepAliveTimerUs = sim.now + ttl;
      sim.at(f.keepAliveTimerUs, K.keepAlive, f.index);
    }
  }

  /**
   * Reclaims every idle sandbox of `f` whose keep-alive has run out. Sandboxes went idle
   * in list order and share one keep-alive, so expiries are in list order too: one timer
   * per function, re-armed for the new head (firing early, harmlessly, if the head was
   * taken in the meantime).
   */
  onKeepAliveTimer(f: FunctionRuntime): void {
    const { sim, K } = this.world;
    f.keepAliveTimerUs = -1;
    const ttl = this.uniform!.ttlUs(f.index);
    while (f.idleHead && f.idleHead.idleSinceUs + ttl <= sim.now)
      this.remove(f.idleHead, "reclaimed");
    if (f.idleHead) {
      f.keepAliveTimerUs = f.idleHead.idleSinceUs + ttl;
      sim.at(f.keepAliveTimerUs, K.keepAlive, f.index);
    }
  }

  /**
   * The balancer forgets `sb` (a failover without its state): it leaves every index and
   * count of the function but keeps its memory until its host reclaims it, an orphan
   * timeout after its last execution.
   */
  orphan(sb: Sandbox): void {
    const { obs, sim, fns } = this.world;
    if (sb.orphaned || sb.state === SandboxState.Gone) return;
    const f = fns[sb.fn]!;
    obs.gaugesWillChange(sim.now);
    this.forget(sb, f);
    sb.orphaned = true;
    this.orphanedSandboxes++;
    this.orphanedMemoryMb += sb.memoryMb;
    obs.sandboxOrphaned(sb, sim.now);
    this.orphanMayBeIdle(sb);
  }

  /** Arms the host's reclaim of an orphan once it runs and waits for nothing. */
  orphanMayBeIdle(sb: Sandbox): void {
    if (sb.running > 0 || sb.localQueueLength > 0 || sb.state !== SandboxState.Ready) return;
    const { sim, K, scenario } = this.world;
    sim.after(scenario.cluster.orphanTimeoutUs, K.orphanReclaim, sb.id, sb.serial);
  }

  onOrphanReclaim(id: number, serial: number): void {
    const sb = this.find(id, serial);
    if (sb?.orphaned && sb.running === 0 && sb.localQueueLength === 0) this.remove(sb, "reclaimed");
  }

  /** Removes a sandbox for good: reclaimed (keep-alive, orphan timeout) or lost with its host. */
  remove(sb: Sandbox, how: "reclaimed" | "lost"): void {
    const { obs, sim, hosts, fns } = this.world;
    const now = sim.now;
    obs.gaugesWillChange(now);
    if (sb.orphaned) {
      this.orphanedSandboxes--;
      this.orphanedMemoryMb -= sb.memoryMb;
    } else {
      this.forget(sb, fns[sb.fn]!);
    }
    sb.state = SandboxState.Gone;
    hosts.release(sb.host, sb.memoryMb);
    if (sb.hostPrev) sb.hostPrev.hostNext = sb.hostNext;
    else this.firstOnHost[sb.host] = sb.hostNext;
    if (sb.hostNext) sb.hostNext.hostPrev = sb.hostPrev;
    sb.hostPrev = null;
    sb.hostNext = null;
    this.liveSandboxes--;
    obs.sandboxEnded(sb, how, now);
    this.byId[sb.id] = null;
    this.freeIds.push(sb.id);
  }

  /** Takes a sandbox the balancer knows out of its function's indexes, counts and gauges. */
  private forget(sb: Sandbox, f: FunctionRuntime): void {
    if (f.isIdleListed(sb)) f.removeIdle(sb);
    if (sb.inRouting) {
      f.routing.remove(sb);
      sb.inRouting = false;
    }
    f.sandboxes--;
    f.perZone[this.world.hosts.zoneOf(sb.host)]!--;
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
