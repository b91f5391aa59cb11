/**
 * The simulated platform and the life of a request (SPEC 2.1), step by step:
 * frontend -> network -> partition leader (FIFO server) -> routing or a cold start ->
 * network -> host (slots, local queue) -> execution -> response, and the release that
 * frees the slot at the leader. Beside it, on this world's state: sandbox bookkeeping
 * (sandbox-book.ts), the clients' timeouts and retries (clients.ts), zones and latencies
 * (network.ts), and failures — crashes, failover, partitions (failures.ts).
 *
 * Hops with zero delay are taken inline rather than through the event queue: the
 * result is the same model (nothing can happen in between at the same instant that
 * the hop could observe, other than same-time events, which stay deterministic) and
 * the theory models, which have no network, cost two events per request.
 *
 * A message that cannot arrive (its peer crashed, its zone is cut off, no leader) makes
 * the sender give up after `network.connectTimeout`.
 */

import { sampler } from "../kernel/distributions.js";
import { hashString, type Streams } from "../kernel/random.js";
import { Simulator } from "../kernel/simulator.js";
import type { ResolvedScenario } from "../scenario/types.js";
import { type ArrivalSource, arrivalSources } from "../workload/sources.js";
import { buildPartitions, type Partition } from "./balancer.js";
import { Clients } from "./clients.js";
import { CodeCache } from "./code-cache.js";
import { FunctionRuntime } from "./function-runtime.js";
import { Hosts } from "./hosts.js";
import { Network } from "./network.js";
import { Cause, type ModelObserver } from "./observer.js";
import { buildPolicies, type Policies } from "./policies.js";
import { Phase, Requests } from "./requests.js";
import { type Sandbox, SandboxState } from "./sandbox.js";
import { SandboxBook } from "./sandbox-book.js";

/** The model's event kinds, in the order of the cases of `dispatch`. */
const EVENT_KINDS = [
  "arrival",
  "leaderAcquire",
  "acquireDone",
  "hostArrive",
  "execEnd",
  "response",
  "leaderRelease",
  "releaseDone",
  "ready",
  "keepAlive",
  "queueTimer",
  "retry",
  "timeout",
  "failLater",
  "sendFailed",
  "orphanReclaim",
] as const;
type Kinds = Record<(typeof EVENT_KINDS)[number], number>;

export class World {
  readonly sim = new Simulator();
  readonly hosts: Hosts;
  readonly fns: FunctionRuntime[];
  readonly partitions: Partition[];
  readonly requests = new Requests();
  readonly book: SandboxBook;
  /** Zones cut off now. */
  readonly K: Kinds;
  /** Zones up or cut off, latencies, the frontend zone of arrivals. */
  readonly network: Network;
  readonly policies: Policies;
  /** The hosts' code caches (SPEC 2.3); disabled with codeCacheMb 0. */
  readonly codeCache: CodeCache;
  readonly endUs: number;

  /** One pending arrival each: a function's own process, or a trace feeding many functions. */
  private readonly sources: ArrivalSource[];
  private readonly durations: (() => number)[];
  private readonly coldStartUncached: (() => number)[];
  /** Cached cold-start samplers, made on a function's first cache hit. */
  private readonly coldStartCached: ((() => number) | undefined)[] = [];
  private readonly syncReplication: boolean;
  private readonly rttScratch: Float64Array;
  private readonly contention: boolean;
  private readonly connectTimeoutUs: number;
  /** The clients' side: timeouts, retries, giving up. */
  readonly clients: Clients;

  constructor(
    readonly scenario: ResolvedScenario,
    private readonly streams: Streams,
    readonly obs: ModelObserver,
  ) {
    const { cluster, balancer, network } = scenario;
    const zones = cluster.zones.length;
    this.codeCache = new CodeCache(
      zones * cluster.hostsPerZone,
      cluster.host.codeCacheMb,
      scenario.functions.map((f) => f.codeMb),
    );
    this.policies = buildPolicies(scenario, streams, this.codeCache);
    this.hosts = new Hosts(
      zones,
      cluster.hostsPerZone,
      cluster.host,
      this.policies.needsValueIndex,
    );
    this.partitions = buildPartitions(balancer.partitions, balancer.replicas, zones);
    this.fns = scenario.functions.map(
      (spec, i) =>
        new FunctionRuntime(
          i,
          spec,
          hashString(scenario.seed, spec.name) % balancer.partitions,
          this.policies.routing(),
          zones,
        ),
    );
    this.sources = arrivalSources(scenario, streams, scenario.warmupUs + scenario.durationUs);
    this.durations = scenario.functions.map((f) =>
      sampler(f.duration, streams.get(`durations/${f.name}`)),
    );
    this.coldStartUncached = scenario.functions.map((f) =>
      sampler(f.coldStartUncached, streams.get(`coldstart/${f.name}`)),
    );
    this.network = new Network(scenario, streams);
    this.syncReplication = balancer.replication === "sync" && balancer.replicas > 1;
    this.rttScratch = new Float64Array(balancer.replicas);
    this.endUs = scenario.warmupUs + scenario.durationUs;
    this.contention = cluster.contention;
    this.connectTimeoutUs = network.connectTimeoutUs;
    this.clients = new Clients(this, streams);
    this.book = new SandboxBook(this);

    const noop = (): void => {};
    const kinds = EVENT_KINDS.map(() => this.sim.register(noop));
    this.K = Object.fromEntries(EVENT_KINDS.map((k, i) => [k, kinds[i]!])) as Kinds;
    this.kindBase = kinds[0]!;
    this.sim.dispatch = (kind, a, b) => this.dispatch(kind, a, b);
  }

  private readonly kindBase: number;

  /** The model's events, by a switch: direct calls on the hot path. */
  private dispatch(kind: number, a: number, b: number): void {
    switch (kind - this.kindBase) {
      case 0:
        return this.onArrival(a);
      case 1:
        return this.leaderAcquire(a);
      case 2:
        return this.acquireDone(a, b);
      case 3:
        return this.hostArrive(a);
      case 4:
        return this.execEnd(a);
      case 5:
        return this.complete(a);
      case 6:
        return this.leaderRelease(a, b);
      case 7:
        return this.releaseDone(a, b);
      case 8:
        return this.onReady(a);
      case 9:
        return this.book.onKeepAliveTimer(this.fns[a]!);
      case 10:
        return this.onQueueTimer(this.fns[a]!);
      case 11:
        return this.startAttempt(a);
      case 12:
        return this.clients.onTimeout(a);
      case 13:
        return this.clients.attemptFailed(a, b as Cause);
      case 14:
        return this.sendFailed(a);
      case 15:
        return this.book.onOrphanReclaim(a, b);
      default:
        return this.sim.handle(kind, a, b);
    }
  }

  /** Provisions minSandboxes (warm, at time 0) and schedules the first arrivals. */
  start(): void {
    for (const f of this.fns) {
      for (let i = 0; i < f.spec.minSandboxes; i++) {
        const host = this.place(f);
        if (host < 0) throw new Error(`cannot provision minSandboxes of ${f.spec.name}: no room`);
        this.codeCache.load(host, f.index);
        const sb = this.book.create(f, host);
        sb.pinned = true;
        this.book.markReady(sb, f);
      }
      this.scheduleNextArrival(f.index);
    }
    for (let i = this.fns.length; i < this.sources.length; i++) this.scheduleNextArrival(i);
  }

  /** Partition leader of function `fn`. */
  partitionOf(fn: number): Partition {
    return this.partitions[this.fns[fn]!.partition]!;
  }

  // ---- 1-3: arrival at a frontend, throttle check, network to the leader ----

  /** The next arrival of source `source` (a function's own, or a trace's). */
  private onArrival(source: number): void {
    const src = this.sources[source]!;
    const fnIndex = src.fn;
    const given = src.durationUs;
    const now = this.sim.now;
    const rq = this.requests;
    const req = rq.alloc();
    rq.fn[req] = fnIndex;
    rq.arrivalUs[req] = now;
    rq.durationUs[req] = given >= 0 ? given : Math.round(this.durations[fnIndex]!());
    rq.attempt[req] = 1;
    rq.delayUs[req] = 0;
    this.obs.arrived(req, fnIndex, now);
    this.clients.firstAttempt();
    this.scheduleNextArrival(source);
    this.startAttempt(req);
  }

  private scheduleNextArrival(source: number): void {
    const t = this.sources[source]!.advance();
    if (t < this.endUs) this.sim.at(Math.round(t), this.K.arrival, source);
  }

  /** An attempt reaches a frontend (the first one, or a retry). */
  startAttempt(req: number): void {
    const rq = this.requests;
    const f = this.fns[rq.fn[req]!]!;
    const now = this.sim.now;
    rq.attemptUs[req] = now;
    const zone = this.network.frontendZone();
    rq.zone[req] = zone;
    this.clients.armTimeout(req);
    if (zone < 0) return this.clients.failLater(req, Cause.Unreachable);
    if (
      f.routing.size === 0 &&
      f.sandboxes >= f.spec.maxSandboxes &&
      this.scenario.balancer.overflow === "throttle"
    )
      return this.clients.attemptFailed(req, Cause.Throttled);
    const d = this.network.delay(zone, this.partitions[f.partition]!.leaderZone);
    if (d === 0) this.leaderAcquire(req);
    else if (d > 0) this.sim.after(d, this.K.leaderAcquire, req);
    else this.clients.failLater(req, Cause.Unreachable);
  }

  // ---- 4: the leader's FIFO server ----

  /** Completion time of an operation reaching partition `p` now. */
  private serve(p: Partition): number {
    const now = this.sim.now;
    const service = this.scenario.balancer.serviceTimeUs;
    if (service === 0) return now; // an instant server never queues: nothing to observe
    const start = Math.max(p.busyUntilUs, now);
    p.busyUntilUs = start + service;
    this.obs.balancerOp(p.id, start - now, service, now);
    return start + service;
  }

  private leaderAcquire(req: number): void {
    const p = this.partitionOf(this.requests.fn[req]!);
    if (!p.leaderUp) return this.clients.failLater(req, Cause.BalancerUnavailable);
    const done = this.serve(p);
    if (done === this.sim.now) this.route(req);
    else this.sim.at(done, this.K.acquireDone, req, p.epoch);
  }

  /** The leader finished an acquire; void if that leader has crashed since. */
  private acquireDone(req: number, epoch: number): void {
    if (this.partitionOf(this.requests.fn[req]!).epoch !== epoch)
      return this.clients.attemptFailed(req, Cause.BalancerUnavailable);
    this.route(req);
  }

  // ---- 5: routing, cold starts, overflow ----

  private route(req: number): void {
    const f = this.fns[this.requests.fn[req]!]!;
    this.book.adaptive?.observeArrival(f);
    const spec = f.spec;
    const sb = f.routing.pick();
    if (sb) {
      if (sb.outstanding < spec.slots) this.assign(req, f, sb);
      else if (!(f.sandboxes < spec.maxSandboxes && this.coldStart(req, f)))
        this.assign(req, f, sb);
      return;
    }
    if (f.sandboxes < spec.maxSandboxes) {
      if (!this.coldStart(req, f)) this.clients.attemptFailed(req, Cause.Capacity);
      return;
    }
    const { overflow, queue } = this.scenario.balancer;
    if (overflow === "queue" && f.queueLength < queue.maxLength) {
      f.enqueue(req, this.sim.now);
      if (f.queueTimerUs < 0 && queue.maxWaitUs < Number.POSITIVE_INFINITY) {
        f.queueTimerUs = this.sim.now + queue.maxWaitUs;
        this.sim.at(f.queueTimerUs, this.K.queueTimer, f.index);
      }
    } else {
      this.clients.attemptFailed(req, Cause.Throttled);
    }
  }

  /** Sends `req` to sandbox `sb`, which the leader now counts as outstanding. */
  assign(req: number, f: FunctionRuntime, sb: Sandbox): void {
    const now = this.sim.now;
    if (sb.outstanding === 0) this.book.startBusy(sb, f);
    sb.outstanding++;
    sb.lastUsedUs = now;
    if (sb.outstanding >= f.capacity) {
      f.routing.remove(sb);
      sb.inRouting = false;
    } else {
      f.routing.touched(sb);
    }
    this.requests.sandbox[req] = sb;
    const p = this.partitions[f.partition]!;
    const d = this.network.delay(p.leaderZone, this.hosts.zoneOf(sb.host));
    if (d < 0) {
      this.sim.after(this.connectTimeoutUs, this.K.sendFailed, req);
      return;
    }
    const delay = d + this.replyDelay(p);
    if (delay === 0) this.hostArrive(req);
    else this.requests.handle[req] = this.sim.after(delay, this.K.hostArrive, req);
  }

  /**
   * Creates a sandbox for `req` (its first request); false when no host has room. A host
   * that crashed but is not yet known to be down may be chosen: the attempt then fails
   * as unreachable. The initialisation time is drawn from the cached distribution if the
   * host's code cache held the function's package (a hit), else the uncached one; the
   * package is then loaded into the cache. `cold` records which (1 miss, 2 hit).
   */
  private coldStart(req: number, f: FunctionRuntime): boolean {
    const host = this.place(f);
    if (host < 0) return false;
    if (!this.hosts.alive[host]) {
      this.clients.failLater(req, Cause.Unreachable);
      return true;
    }
    const rq = this.requests;
    const cached = this.codeCache.load(host, f.index);
    const sb = this.book.create(f, host);
    sb.outstanding = 1;
    rq.cold[req] = cached ? 2 : 1;
    rq.sandbox[req] = sb;
    rq.phase[req] = Phase.AtHost;
    const p = this.partitions[f.partition]!;
    const delay =
      this.replyDelay(p) +
      this.scenario.placement.latencyUs +
      Math.max(0, this.network.delay(p.leaderZone, this.hosts.zoneOf(host))) +
      Math.round(cached ? this.cachedColdStartUs(f) : this.coldStartUncached[f.index]!());
    rq.handle[req] = this.sim.after(delay, this.K.ready, req);
    return true;
  }

  /**
   * A draw from the function's cached cold-start distribution, from a stream of its own
   * (`coldstart-cached/<fn>`), so that hits never move the uncached draws; the stream
   * is made on the first hit (no cost without a cache).
   */
  private cachedColdStartUs(f: FunctionRuntime): number {
    let draw = this.coldStartCached[f.index];
    if (!draw) {
      const stream = this.streams.get(`coldstart-cached/${f.spec.name}`);
      draw = sampler(f.spec.coldStartCached, stream);
      this.coldStartCached[f.index] = draw;
    }
    return draw();
  }

  private onReady(req: number): void {
    const sb = this.requests.sandbox[req]!;
    const f = this.fns[sb.fn]!;
    this.book.markReady(sb, f);
    this.hostArrive(req);
    if (!sb.orphaned) this.drainQueueInto(sb, f);
  }

  // ---- 6: host, execution, response ----

  private hostArrive(req: number): void {
    const sb = this.requests.sandbox[req]!;
    if (sb.state === SandboxState.Gone || !this.hosts.alive[sb.host]) {
      // The leader's connection to a dead host times out.
      this.sim.after(this.connectTimeoutUs, this.K.sendFailed, req);
      return;
    }
    this.requests.phase[req] = Phase.AtHost;
    if (sb.running < this.fns[sb.fn]!.spec.slots) this.startExecution(req, sb);
    else sb.enqueueLocal(req);
  }

  /**
   * Starts an execution. Its duration is fixed now: the drawn time, times the host's
   * slowdown, stretched by demand / cpus when the busy sandboxes of the host (each
   * demanding its function's `cpu`, however many slots run) demand more vCPUs than it
   * has (SPEC 2.3).
   */
  private startExecution(req: number, sb: Sandbox): void {
    const rq = this.requests;
    const hosts = this.hosts;
    const now = this.sim.now;
    sb.running++;
    rq.phase[req] = Phase.Executing;
    rq.execStartUs[req] = now;
    const cold = rq.cold[req]!;
    this.obs.started(
      req,
      rq.arrivalUs[req]!,
      sb,
      now - rq.attemptUs[req]!,
      cold > 0,
      now,
      cold === 2,
    );
    let duration = rq.durationUs[req]! * hosts.slowdown[sb.host]!;
    if (this.contention) {
      if (sb.running === 1) hosts.busyCpu[sb.host]! += this.fns[sb.fn]!.spec.cpu;
      const demand = hosts.busyCpu[sb.host]!;
      if (demand > hosts.cpus) duration = Math.round((duration * demand) / hosts.cpus);
    }
    rq.handle[req] = this.sim.after(duration, this.K.execEnd, req);
  }

  private execEnd(req: number): void {
    const rq = this.requests;
    const sb = rq.sandbox[req]!;
    const now = this.sim.now;
    sb.running--;
    if (this.contention && sb.running === 0)
      this.hosts.busyCpu[sb.host]! -= this.fns[sb.fn]!.spec.cpu;
    const abandoned = rq.abandoned[req] === 1;
    this.obs.ended(req, sb, now - rq.execStartUs[req]!, abandoned, now);
    rq.phase[req] = Phase.Responding;
    const next = sb.dequeueLocal();
    if (next >= 0) this.startExecution(next, sb);
    const hostZone = this.hosts.zoneOf(sb.host);
    if (abandoned) this.clients.finishAbandoned(req);
    else {
      const toClient = this.network.delay(hostZone, rq.zone[req]!);
      if (toClient === 0) this.complete(req);
      else if (toClient > 0) this.sim.after(toClient, this.K.response, req);
      else this.clients.failLater(req, Cause.Unreachable);
    }
    if (sb.orphaned) this.book.orphanMayBeIdle(sb);
    else this.sendRelease(sb);
  }

  private complete(req: number): void {
    const rq = this.requests;
    if (rq.abandoned[req]) return this.clients.finishAbandoned(req);
    this.clients.cancelTimer(req);
    this.obs.completed(req, rq.fn[req]!, rq.arrivalUs[req]!, this.sim.now);
    rq.release(req);
  }

  // ---- failures (the client's side, timeouts and retries: clients.ts) ----

  /** The leader could not reach the host of `req`: it frees the slot, the attempt fails. */
  private sendFailed(req: number): void {
    const sb = this.requests.sandbox[req];
    if (sb && sb.state !== SandboxState.Gone && !sb.orphaned) this.releaseAtLeader(sb);
    this.clients.attemptFailed(req, Cause.Unreachable);
  }

  // ---- 7: release at the leader ----

  /** The host tells the leader that `sb` finished one request. */
  private sendRelease(sb: Sandbox): void {
    const p = this.partitionOf(sb.fn);
    const d = this.network.delay(this.hosts.zoneOf(sb.host), p.leaderZone);
    if (d < 0 || !p.leaderUp) p.pendingReleases.push({ sandbox: sb.id, serial: sb.serial });
    else if (d === 0) this.leaderRelease(sb.id, sb.serial);
    else this.sim.after(d, this.K.leaderRelease, sb.id, sb.serial);
  }

  /** A release reaches the leader (by sandbox id and serial: the sandbox may be gone). */
  leaderRelease(id: number, serial: number): void {
    const sb = this.book.find(id, serial);
    if (!sb || sb.orphaned) return;
    const p = this.partitionOf(sb.fn);
    if (!p.leaderUp) {
      p.pendingReleases.push({ sandbox: id, serial });
      return;
    }
    const done = this.serve(p);
    if (done === this.sim.now) this.releaseAtLeader(sb);
    else this.sim.at(done, this.K.releaseDone, id, serial);
  }

  private releaseDone(id: number, serial: number): void {
    const sb = this.book.find(id, serial);
    if (sb && !sb.orphaned) this.releaseAtLeader(sb);
  }

  private releaseAtLeader(sb: Sandbox): void {
    const f = this.fns[sb.fn]!;
    sb.outstanding--;
    sb.lastUsedUs = this.sim.now;
    if (sb.inRouting) f.routing.touched(sb);
    else if (sb.outstanding < f.capacity && sb.state === SandboxState.Ready)
      this.book.addToRouting(sb, f);
    // Idle in the gauges before the overflow queue is drained: assign() counts the
    // idle -> busy change again if the sandbox takes a queued request.
    if (sb.outstanding === 0) this.book.stopBusy(sb);
    this.drainQueueInto(sb, f);
    if (sb.outstanding === 0) this.book.becomeIdle(sb, f);
  }

  /**
   * Hands a sandbox with room to the requests waiting in the overflow queue, oldest
   * first (attempts whose client gave up too: nothing told the platform).
   */
  private drainQueueInto(sb: Sandbox, f: FunctionRuntime): void {
    while (sb.inRouting && f.queueLength > 0) this.assign(f.dequeue(), f, sb);
  }

  /**
   * The balancer lost sandboxes of `f` (their host is down): requests in its overflow
   * queue, oldest first, get new sandboxes while it is below maxSandboxes (failing with
   * `capacity` when no host has room, as a new arrival would). Without this they would
   * wait for a release that never comes.
   */
  serveQueueAfterLoss(f: FunctionRuntime): void {
    while (f.queueLength > 0 && f.sandboxes < f.spec.maxSandboxes) {
      const req = f.dequeue();
      if (!this.coldStart(req, f)) this.clients.attemptFailed(req, Cause.Capacity);
    }
  }

  private onQueueTimer(f: FunctionRuntime): void {
    f.queueTimerUs = -1;
    const maxWait = this.scenario.balancer.queue.maxWaitUs;
    while (f.queueLength > 0 && f.peekQueuedAtUs() + maxWait <= this.sim.now) {
      this.clients.attemptFailed(f.dequeue(), Cause.Throttled);
    }
    if (f.queueLength > 0) {
      f.queueTimerUs = f.peekQueuedAtUs() + maxWait;
      this.sim.at(f.queueTimerUs, this.K.queueTimer, f.index);
    }
  }

  // ---- placement and network ----

  /**
   * A host for a new sandbox of `f`, or -1. With zoneBalance, the zone holding fewest of
   * f first; while a zone is cut off, only zones the leader can reach.
   */
  place(f: FunctionRuntime): number {
    const hosts = this.hosts;
    const mb = f.spec.memoryMb;
    if (!this.scenario.placement.zoneBalance && !this.network.anyCut)
      return this.policies.placement.choose(hosts, 0, hosts.count, mb, f.index);
    const leaderZone = this.partitions[f.partition]!.leaderZone;
    let zone = -1;
    for (let z = 0; z < hosts.zones; z++) {
      const lo = z * hosts.perZone;
      if (hosts.freeTree.max(lo, lo + hosts.perZone) < mb) continue;
      if (!this.network.reachable(leaderZone, z)) continue;
      if (zone < 0 || f.perZone[z]! < f.perZone[zone]!) zone = z;
    }
    if (zone < 0) return -1;
    const lo = zone * hosts.perZone;
    return this.policies.placement.choose(hosts, lo, lo + hosts.perZone, mb, f.index);
  }

  /**
   * With synchronous replication the leader answers only once a majority of replicas
   * holds the change: the round trip to the floor(replicas / 2)-th fastest follower
   * among those it can reach (none reachable: it answers alone).
   */
  private replyDelay(p: Partition): number {
    if (!this.syncReplication) return 0;
    // A reused scratch array: this runs for every request under sync replication.
    const rtts = this.rttScratch;
    let n = 0;
    const zones = p.replicaZones;
    for (let r = 0; r < zones.length; r++) {
      const z = zones[r]!;
      if (r === p.leader || !this.network.zoneUp[z]) continue;
      const there = this.network.delay(p.leaderZone, z);
      if (there >= 0) rtts[n++] = there + this.network.delay(z, p.leaderZone);
    }
    if (n === 0) return 0;
    const k = Math.min(Math.floor(this.scenario.balancer.replicas / 2), n);
    // The k-th smallest of n (n is the replica count: small), by partial selection.
    for (let i = 0; i < k; i++) {
      let m = i;
      for (let j = i + 1; j < n; j++) if (rtts[j]! < rtts[m]!) m = j;
      const t = rtts[i]!;
      rtts[i] = rtts[m]!;
      rtts[m] = t;
    }
    return rtts[k - 1]!;
  }
}
