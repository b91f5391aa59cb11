/**
 * The request at the partition leader (SPEC 2.1, steps 4, 5 and 7): the leader's FIFO
 * server, routing (the policy decides, then the book applies), cold starts and
 * placement, the overflow queue, and the release that frees a slot. What the leader
 * provisions on its own (minSandboxes, pre-warms) is provisioning.ts.
 *
 * A message the leader sends that cannot arrive (host down, zone cut off) makes it give
 * up after `network.connectTimeout`; a leader that cannot commit (no leader, or `sync`
 * without a majority) fails attempts as `balancer-unavailable` after the same timeout.
 */
import type { Simulator } from "../kernel/simulator.js";
import type { Partition } from "./balancer/partition.js";
import type { Clients } from "./clients.js";
import type { CodeCache } from "./code-cache.js";
import type { ColdStartTimes } from "./cold-start-times.js";
import type { ModelContext } from "./context.js";
import { Ev } from "./events.js";
import type { FunctionRuntime } from "./function-runtime.js";
import type { HostPath } from "./host-path.js";
import type { Hosts } from "./hosts.js";
import type { Network } from "./network.js";
import { Cause } from "./observer.js";
import type { Policies } from "./policies.js";
import { Phase, type Requests } from "./requests.js";
import { type Sandbox, SandboxState } from "./sandbox.js";
import type { SandboxBook } from "./sandbox-book.js";
import { sandboxOf } from "./sandbox-view.js";
import type { Zones } from "./zones.js";

export interface LeaderPathParts {
  readonly fns: readonly FunctionRuntime[];
  readonly partitions: readonly Partition[];
  readonly requests: Requests;
  readonly book: SandboxBook;
  readonly hosts: Hosts;
  readonly zones: Zones;
  readonly network: Network;
  readonly policies: Policies;
  readonly codeCache: CodeCache;
  readonly coldStarts: ColdStartTimes;
  readonly clients: Clients;
}

export class LeaderPath {
  /** The clock and event queue (ctx.sim, held directly: read on every hop). */
  private readonly sim: Simulator;
  private readonly fns: readonly FunctionRuntime[];
  private readonly partitions: readonly Partition[];
  private readonly requests: Requests;
  private readonly book: SandboxBook;
  private readonly hosts: Hosts;
  private readonly zones: Zones;
  private readonly network: Network;
  private readonly policies: Policies;
  private readonly codeCache: CodeCache;
  private readonly clients: Clients;
  /** Set by the world once both paths exist. */
  hostPath!: HostPath;

  private readonly serviceUs: number;
  private readonly syncReplication: boolean;
  private readonly rttScratch: Float64Array;
  private readonly coldStarts: ColdStartTimes;

  constructor(
    private readonly ctx: ModelContext,
    parts: LeaderPathParts,
  ) {
    this.sim = ctx.sim;
    this.fns = parts.fns;
    this.partitions = parts.partitions;
    this.requests = parts.requests;
    this.book = parts.book;
    this.hosts = parts.hosts;
    this.zones = parts.zones;
    this.network = parts.network;
    this.policies = parts.policies;
    this.codeCache = parts.codeCache;
    this.clients = parts.clients;
    const { balancer } = ctx.scenario;
    this.serviceUs = balancer.serviceTimeUs;
    this.syncReplication = balancer.replication === "sync" && balancer.replicas > 1;
    this.rttScratch = new Float64Array(balancer.replicas);
    this.coldStarts = parts.coldStarts;
  }

  partitionOf(fn: number): Partition {
    return this.partitions[this.fns[fn]!.partition]!;
  }

  /** The partition of a sandbox's function (read from the sandbox: no miss on the function). */
  partitionOfSandbox(sb: Sandbox): Partition {
    return this.partitions[sb.partition]!;
  }

  // ---- 4: the leader's FIFO server ----

  /** Completion time of an operation reaching partition `p` now. */
  private serve(p: Partition): number {
    const now = this.sim.now;
    const service = this.serviceUs;
    if (service === 0) return now; // an instant server never queues: nothing to observe
    const start = Math.max(p.busyUntilUs, now);
    p.busyUntilUs = start + service;
    this.ctx.obs.balancerOp(p.id, start - now, service, now);
    return start + service;
  }

  /** An acquire reaches the partition's leader (sent from the attempt's frontend). */
  acquire(req: number): void {
    const rq = this.requests;
    const now = this.sim.now;
    const p = this.partitionOf(rq.fn[req]!);
    if (this.zones.anyCut && !this.zones.reachable(rq.zone[req]!, p.leaderZone))
      return this.clients.failLater(req, Cause.Unreachable); // lost in flight
    if (p.leader < 0 || !p.quorum) return this.clients.failLater(req, Cause.BalancerUnavailable);
    rq.leaderUs[req] = now;
    const done = this.serve(p);
    if (done === now) {
      rq.balancerQueueUs[req] = 0;
      this.route(req);
    } else {
      rq.balancerQueueUs[req] = done - this.serviceUs - now;
      this.sim.at(done, Ev.AcquireDone, req, p.term);
    }
  }

  /** The leader finished an acquire; void if it is no longer the leader of that term. */
  acquireDone(req: number, term: number): void {
    const p = this.partitionOf(this.requests.fn[req]!);
    if (p.term !== term || !p.quorum)
      return this.clients.attemptFailed(req, Cause.BalancerUnavailable);
    this.route(req);
  }

  // ---- 5: routing, cold starts, overflow ----

  private route(req: number): void {
    const rq = this.requests;
    rq.routedUs[req] = this.sim.now;
    const f = this.fns[rq.fn[req]!]!;
    this.book.adaptive?.observeArrival(f);
    const picked = f.routing.pick();
    const sb = picked === null ? null : sandboxOf(picked);
    if (sb) {
      if (sb.outstanding < f.slots) this.assign(req, f, sb);
      else if (!(f.sandboxes < f.maxSandboxes && this.coldStart(req, f))) this.assign(req, f, sb);
      return;
    }
    if (f.sandboxes < f.maxSandboxes) {
      if (!this.coldStart(req, f)) this.clients.attemptFailed(req, Cause.Capacity);
      return;
    }
    const { overflow, queue } = this.ctx.scenario.balancer;
    if (overflow === "queue" && f.queueLength < queue.maxLength) {
      const sim = this.sim;
      f.enqueue(req, sim.now);
      if (!f.queueTimerPending && queue.maxWaitUs < Number.POSITIVE_INFINITY) {
        f.queueTimerPending = true;
        sim.at(sim.now + queue.maxWaitUs, Ev.QueueTimer, f.index);
      }
    } else {
      this.clients.attemptFailed(req, Cause.Throttled);
    }
  }

  /** Sends `req` to sandbox `sb`, which the leader now counts as outstanding. */
  private assign(req: number, f: FunctionRuntime, sb: Sandbox): void {
    this.book.acquire(sb, f);
    const rq = this.requests;
    rq.sandbox[req] = sb;
    const p = this.partitions[f.partition]!;
    const d = this.network.delay(p.leaderZone, this.hosts.zoneOf(sb.host));
    if (d < 0) {
      this.sim.after(this.ctx.connectTimeoutUs, Ev.SendFailed, req);
      return;
    }
    const now = this.sim.now;
    const reply = this.replyDelay(p);
    rq.sentUs[req] = now;
    rq.replicationUs[req] = reply;
    rq.hopFromUs[req] = now + reply;
    rq.hopToUs[req] = now + reply + d;
    const delay = d + reply;
    if (delay === 0) this.hostPath.arrive(req);
    else rq.handle[req] = this.sim.after(delay, Ev.HostArrive, req);
  }

  /**
   * Creates a sandbox for `req` (its first request); false when no host has room. A host
   * that is down or cut off but not yet known to be may be chosen: the attempt then fails
   * as unreachable. The initialisation time is drawn from the cached distribution if the
   * host's code cache held the function's package (a hit), else the uncached one; the
   * package is then loaded into the cache. `cold` records which (1 miss, 2 hit).
   */
  private coldStart(req: number, f: FunctionRuntime): boolean {
    const host = this.place(f);
    if (host < 0) return false;
    const p = this.partitions[f.partition]!;
    const toHost = this.network.delay(p.leaderZone, this.hosts.zoneOf(host));
    if (!this.hosts.alive[host] || toHost < 0) {
      this.clients.failLater(req, Cause.Unreachable);
      return true;
    }
    const rq = this.requests;
    const cached = this.codeCache.load(host, f.index);
    const sb = this.book.create(f, host, 1, false);
    rq.cold[req] = cached ? 2 : 1;
    rq.sandbox[req] = sb;
    rq.phase[req] = Phase.AtHost;
    const now = this.sim.now;
    const reply = this.replyDelay(p);
    rq.sentUs[req] = now;
    rq.replicationUs[req] = reply;
    rq.hopFromUs[req] = now + reply + this.ctx.scenario.placement.latencyUs;
    rq.hopToUs[req] = rq.hopFromUs[req]! + toHost;
    const initUs = this.coldStarts.drawUs(f, cached);
    rq.handle[req] = this.sim.at(rq.hopToUs[req]! + initUs, Ev.Ready, req);
    return true;
  }

  /**
   * A host for a new sandbox of `f`, or -1. With zoneBalance, the zone holding fewest of
   * f first. While the leader knows zones it cannot reach (a detected cut), the policy's
   * choice stands if it is reachable; otherwise the policy chooses again inside the
   * reachable zone with room that holds fewest of f.
   */
  place(f: FunctionRuntime): number {
    const hosts = this.hosts;
    const mb = f.memoryMb;
    const zoneBalance = this.ctx.scenario.placement.zoneBalance;
    const leaderZone = this.partitions[f.partition]!.leaderZone;
    if (!zoneBalance) {
      const h = this.policies.placement.choose(0, hosts.count, mb, f.index);
      if (h < 0 || !this.zones.knownUnreachable(leaderZone, hosts.zoneOf(h))) return h;
    }
    let zone = -1;
    for (let z = 0; z < hosts.zones; z++) {
      const lo = z * hosts.perZone;
      if (hosts.freeTree.max(lo, lo + hosts.perZone) < mb) continue;
      if (this.zones.knownUnreachable(leaderZone, z)) continue;
      if (zone < 0 || f.sandboxesIn(z) < f.sandboxesIn(zone)) zone = z;
    }
    if (zone < 0) return -1;
    const lo = zone * hosts.perZone;
    return this.policies.placement.choose(lo, lo + hosts.perZone, mb, f.index);
  }

  /**
   * With synchronous replication the leader answers only once a majority of replicas
   * holds the change: the round trip to the floor(replicas / 2)-th fastest of the
   * followers that run and that it reaches (it commits only while there are enough).
   */
  private replyDelay(p: Partition): number {
    if (!this.syncReplication) return 0;
    // A reused scratch array: this runs for every request under sync replication.
    const rtts = this.rttScratch;
    let n = 0;
    const zones = p.replicaZones;
    const net = this.network;
    for (let r = 0; r < zones.length; r++) {
      const z = zones[r]!;
      if (r === p.leader || p.nodeUp[r] === 0 || !this.zones.isUp(z)) continue;
      const there = net.delay(p.leaderZone, z);
      if (there >= 0) rtts[n++] = there + net.delay(z, p.leaderZone);
    }
    const k = p.majority - 1;
    if (n < k) throw new Error(`partition ${p.id} commits without a majority`);
    // The k-th smallest of n (n is the replica count: small), by partial selection.
    for (let i = 0; i < k; i++) {
      let m = i;
      for (let j = i + 1; j < n; j++) if (rtts[j]! < rtts[m]!) m = j;
      const t = rtts[i]!;
      rtts[i] = rtts[m]!;
      rtts[m] = t;
    }
    return k > 0 ? rtts[k - 1]! : 0;
  }

  /** The leader could not reach the host of `req`: it frees the slot, the attempt fails. */
  sendFailed(req: number): void {
    const sb = this.requests.sandbox[req];
    if (sb && sb.state !== SandboxState.Gone && !sb.orphaned) this.releaseAtLeader(sb);
    this.clients.attemptFailed(req, Cause.Unreachable);
  }

  // ---- 7: release at the leader ----

  /** The host tells the leader that `sb` finished one request. */
  sendRelease(sb: Sandbox): void {
    const p = this.partitionOfSandbox(sb);
    const d = this.network.delay(this.hosts.zoneOf(sb.host), p.leaderZone);
    if (d < 0 || p.leader < 0 || !p.quorum)
      p.pendingReleases.push({ sandbox: sb.id, serial: sb.serial });
    else if (d === 0) this.leaderRelease(sb.id, sb.serial);
    else this.sim.after(d, Ev.LeaderRelease, sb.id, sb.serial);
  }

  /** A release reaches the leader (by sandbox id and serial: the sandbox may be gone). */
  leaderRelease(id: number, serial: number): void {
    const sb = this.book.find(id, serial);
    if (!sb || sb.orphaned) return;
    const p = this.partitionOfSandbox(sb);
    if (
      p.leader < 0 ||
      !p.quorum ||
      (this.zones.anyCut && !this.zones.reachable(this.hosts.zoneOf(sb.host), p.leaderZone))
    ) {
      p.pendingReleases.push({ sandbox: id, serial }); // the host sends it again later
      return;
    }
    const done = this.serve(p);
    if (done === this.sim.now) this.releaseAtLeader(sb);
    else this.sim.at(done, Ev.ReleaseDone, id, serial);
  }

  releaseDone(id: number, serial: number): void {
    const sb = this.book.find(id, serial);
    if (sb && !sb.orphaned) this.releaseAtLeader(sb);
  }

  private releaseAtLeader(sb: Sandbox): void {
    const f = this.fns[sb.fn]!;
    this.book.release(sb, f);
    this.drainQueueInto(sb, f);
    this.book.settle(sb, f);
  }

  /**
   * Releases that found no committing leader (none, no quorum, cut off) reach the one
   * there is now, if their host can reach it; the others wait for their own cut to heal.
   */
  deliverPendingReleases(p: Partition): void {
    if (!p.serving || p.pendingReleases.length === 0) return;
    const pending = p.pendingReleases;
    p.pendingReleases = [];
    for (const r of pending) {
      const sb = this.book.find(r.sandbox, r.serial);
      if (sb && !this.zones.reachable(this.hosts.zoneOf(sb.host), p.leaderZone))
        p.pendingReleases.push(r);
      else this.leaderRelease(r.sandbox, r.serial);
    }
  }

  /**
   * Hands a sandbox with room to the requests waiting in the overflow queue, oldest
   * first (attempts whose client gave up too: nothing told the platform).
   */
  drainQueueInto(sb: Sandbox, f: FunctionRuntime): void {
    while (sb.inRouting && f.queueLength > 0) this.assign(f.dequeue(), f, sb);
  }

  /**
   * The balancer lost sandboxes of `f`: requests in its overflow queue, oldest first,
   * get new sandboxes while it is below maxSandboxes (failing with `capacity` when no
   * host has room, as a new arrival would). Without this they would wait for a release
   * that never comes.
   */
  serveQueueAfterLoss(f: FunctionRuntime): void {
    if (!this.partitions[f.partition]!.serving) return;
    while (f.queueLength > 0 && f.sandboxes < f.spec.maxSandboxes) {
      const req = f.dequeue();
      if (!this.coldStart(req, f)) this.clients.attemptFailed(req, Cause.Capacity);
    }
  }

  /** The leader is gone: requests in its partition's overflow queues fail. */
  failQueued(p: Partition): void {
    for (const f of this.fns) {
      if (f.partition !== p.id) continue;
      while (f.queueLength > 0) this.clients.attemptFailed(f.dequeue(), Cause.BalancerUnavailable);
    }
  }

  onQueueTimer(f: FunctionRuntime): void {
    const sim = this.sim;
    f.queueTimerPending = false;
    const maxWait = this.ctx.scenario.balancer.queue.maxWaitUs;
    while (f.queueLength > 0 && f.peekQueuedAtUs() + maxWait <= sim.now) {
      this.clients.attemptFailed(f.dequeue(), Cause.Throttled);
    }
    if (f.queueLength > 0) {
      f.queueTimerPending = true;
      sim.at(f.peekQueuedAtUs() + maxWait, Ev.QueueTimer, f.index);
    }
  }
}
