/**
 * The simulated platform and the life of a request (SPEC 2.1), step by step:
 * frontend -> network -> partition leader (FIFO server) -> routing or a cold start ->
 * network -> host (slots, local queue) -> execution -> response, and the release that
 * frees the slot at the leader.
 *
 * Hops with zero delay are taken inline rather than through the event queue: the
 * result is the same model (nothing can happen in between at the same instant that
 * the hop could observe, other than same-time events, which stay deterministic) and
 * the theory models, which have no network, cost two events per request.
 */
import type { Rng } from "../kernel/dist-spec.js";
import { sampler } from "../kernel/distributions.js";
import { hashString, type Streams } from "../kernel/random.js";
import { Simulator } from "../kernel/simulator.js";
import type { KeepAlivePolicy } from "../policies/keepalive/keepalive-policy.js";
import type { PlacementPolicy } from "../policies/placement/placement-policy.js";
import type { ResolvedScenario } from "../scenario/types.js";
import { type ArrivalProcess, arrivalProcess } from "../workload/arrivals.js";
import { buildPartitions, type Partition } from "./balancer.js";
import { FunctionRuntime } from "./function-runtime.js";
import { Hosts } from "./hosts.js";
import { Cause, type ModelObserver } from "./observer.js";
import { buildPolicies } from "./policies.js";
import { Requests } from "./requests.js";
import { Sandbox, SandboxState } from "./sandbox.js";

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
] as const;

export class World {
  readonly sim = new Simulator();
  readonly hosts: Hosts;
  readonly fns: FunctionRuntime[];
  readonly partitions: Partition[];
  readonly requests = new Requests();
  /** Sandboxes by id; ids of reclaimed sandboxes are reused. */
  readonly sandboxes: (Sandbox | null)[] = [];
  private readonly freeSandboxIds: number[] = [];

  // Gauges the metrics integrate over time.
  /** Memory held by idle and initializing sandboxes. */
  idleMemoryMb = 0;
  liveSandboxes = 0;
  busySandboxes = 0;
  initializingSandboxes = 0;
  peakSandboxes = 0;

  private readonly placement: PlacementPolicy;
  private readonly keepAlive: KeepAlivePolicy;
  private readonly arrivals: ArrivalProcess[];
  /** The frontend zone of each arrival: a stream of its own, so zones never move arrivals. */
  private readonly frontendRng: Rng;
  private readonly durations: (() => number)[];
  private readonly coldStartUncached: (() => number)[];
  private readonly sameZoneUs: () => number;
  private readonly crossZoneUs: () => number;
  private readonly noNetwork: boolean;
  private readonly syncReplication: boolean;
  private readonly contention: boolean;
  private readonly endUs: number;

  private readonly K: Record<(typeof EVENT_KINDS)[number], number>;

  constructor(
    readonly scenario: ResolvedScenario,
    streams: Streams,
    private readonly obs: ModelObserver,
  ) {
    const { cluster, balancer, network } = scenario;
    const zones = cluster.zones.length;
    const policies = buildPolicies(scenario, streams);
    this.placement = policies.placement;
    this.keepAlive = policies.keepAlive;
    this.hosts = new Hosts(zones, cluster.hostsPerZone, cluster.host, policies.needsValueIndex);
    this.partitions = buildPartitions(balancer.partitions, balancer.replicas, zones);
    this.fns = scenario.functions.map(
      (spec, i) =>
        new FunctionRuntime(
          i,
          spec,
          hashString(scenario.seed, spec.name) % balancer.partitions,
          policies.routing(),
          zones,
        ),
    );
    this.arrivals = scenario.functions.map((f) =>
      arrivalProcess(f.arrivals, streams.get(`arrivals/${f.name}`)),
    );
    this.frontendRng = streams.get("frontend");
    this.durations = scenario.functions.map((f) =>
      sampler(f.duration, streams.get(`durations/${f.name}`)),
    );
    this.coldStartUncached = scenario.functions.map((f) =>
      sampler(f.coldStartUncached, streams.get(`coldstart/${f.name}`)),
    );
    const net = streams.get("network");
    this.sameZoneUs = sampler(network.sameZone, net);
    this.crossZoneUs = sampler(network.crossZone, net);
    this.noNetwork = isZero(network.sameZone) && isZero(network.crossZone);
    this.syncReplication = balancer.replication === "sync" && balancer.replicas > 1;
    this.endUs = scenario.warmupUs + scenario.durationUs;
    this.contention = cluster.contention;

    const noop = (): void => {};
    const kinds = EVENT_KINDS.map(() => this.sim.register(noop));
    this.K = Object.fromEntries(EVENT_KINDS.map((k, i) => [k, kinds[i]!])) as World["K"];
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
        return this.route(a);
      case 3:
        return this.hostArrive(a, this.sandboxes[b]!);
      case 4:
        return this.execEnd(a, this.sandboxes[b]!);
      case 5:
        return this.complete(a);
      case 6:
        return this.leaderRelease(this.sandboxes[a]!);
      case 7:
        return this.releaseDone(this.sandboxes[a]!);
      case 8:
        return this.onReady(a, this.sandboxes[b]!);
      case 9:
        return this.onKeepAliveTimer(this.fns[a]!);
      case 10:
        return this.onQueueTimer(this.fns[a]!);
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
        const sb = this.createSandbox(f, host);
        sb.pinned = true;
        this.markReady(sb, f);
      }
      this.scheduleNextArrival(f);
    }
  }

  /** Partition leader of function `fn`. */
  partitionOf(fn: number): Partition {
    return this.partitions[this.fns[fn]!.partition]!;
  }

  // ---- 1-3: arrival at a frontend, throttle check, network to the leader ----

  private onArrival(fnIndex: number): void {
    const f = this.fns[fnIndex]!;
    const now = this.sim.now;
    const rq = this.requests;
    const req = rq.alloc();
    const zones = this.scenario.cluster.zones.length;
    rq.fn[req] = fnIndex;
    rq.zone[req] = zones > 1 ? Math.floor(this.frontendRng() * zones) : 0;
    rq.arrivalUs[req] = now;
    rq.attemptUs[req] = now;
    rq.durationUs[req] = Math.round(this.durations[fnIndex]!());
    this.obs.arrived(req, fnIndex, now);
    this.scheduleNextArrival(f);

    if (
      f.routing.size === 0 &&
      f.sandboxes >= f.spec.maxSandboxes &&
      this.scenario.balancer.overflow === "throttle"
    ) {
      this.fail(req, Cause.Throttled);
      return;
    }
    const d = this.net(rq.zone[req]!, this.partitions[f.partition]!.leaderZone);
    if (d === 0) this.leaderAcquire(req);
    else this.sim.after(d, this.K.leaderAcquire, req);
  }

  private scheduleNextArrival(f: FunctionRuntime): void {
    const t = this.arrivals[f.index]!.next(f.nextArrivalExactUs);
    f.nextArrivalExactUs = t;
    if (t < this.endUs) this.sim.at(Math.round(t), this.K.arrival, f.index);
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
    const done = this.serve(this.partitionOf(this.requests.fn[req]!));
    if (done === this.sim.now) this.route(req);
    else this.sim.at(done, this.K.acquireDone, req);
  }

  // ---- 5: routing, cold starts, overflow ----

  private route(req: number): void {
    const f = this.fns[this.requests.fn[req]!]!;
    const spec = f.spec;
    const sb = f.routing.pick();
    if (sb) {
      if (sb.outstanding < spec.slots) this.assign(req, f, sb);
      else if (!(f.sandboxes < spec.maxSandboxes && this.coldStart(req, f)))
        this.assign(req, f, sb);
      return;
    }
    if (f.sandboxes < spec.maxSandboxes) {
      if (!this.coldStart(req, f)) this.fail(req, Cause.Capacity);
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
      this.fail(req, Cause.Throttled);
    }
  }

  /** Sends `req` to sandbox `sb`, which the leader now counts as outstanding. */
  private assign(req: number, f: FunctionRuntime, sb: Sandbox): void {
    const now = this.sim.now;
    if (sb.outstanding === 0) {
      this.obs.gaugesWillChange(now);
      this.idleMemoryMb -= sb.memoryMb;
      this.busySandboxes++;
      if (f.isIdleListed(sb)) f.removeIdle(sb);
    }
    sb.outstanding++;
    sb.lastUsedUs = now;
    if (sb.outstanding >= f.capacity) {
      f.routing.remove(sb);
      sb.inRouting = false;
    } else {
      f.routing.touched(sb);
    }
    const d =
      this.replyDelay(f) +
      this.net(this.partitions[f.partition]!.leaderZone, this.hosts.zoneOf(sb.host));
    if (d === 0) this.hostArrive(req, sb);
    else this.sim.after(d, this.K.hostArrive, req, sb.id);
  }

  /** Creates a sandbox for `req` (its first request); false when no host has room. */
  private coldStart(req: number, f: FunctionRuntime): boolean {
    const host = this.place(f);
    if (host < 0) return false;
    const sb = this.createSandbox(f, host);
    sb.outstanding = 1;
    this.requests.cold[req] = 1;
    const delay =
      this.replyDelay(f) +
      this.scenario.placement.latencyUs +
      this.net(this.partitions[f.partition]!.leaderZone, this.hosts.zoneOf(host)) +
      Math.round(this.coldStartUncached[f.index]!());
    this.sim.after(delay, this.K.ready, req, sb.id);
    return true;
  }

  private onReady(req: number, sb: Sandbox): void {
    const f = this.fns[sb.fn]!;
    this.markReady(sb, f);
    this.hostArrive(req, sb);
    this.drainQueueInto(sb, f);
  }

  // ---- 6: host, execution, response ----

  private hostArrive(req: number, sb: Sandbox): void {
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
    const cold = rq.cold[req] === 1;
    this.obs.started(req, rq.arrivalUs[req]!, sb, now - rq.attemptUs[req]!, cold, now);
    let duration = rq.durationUs[req]! * hosts.slowdown[sb.host]!;
    if (this.contention) {
      if (sb.running === 1) hosts.busyCpu[sb.host]! += this.fns[sb.fn]!.spec.cpu;
      const demand = hosts.busyCpu[sb.host]!;
      if (demand > hosts.cpus) duration = Math.round((duration * demand) / hosts.cpus);
    }
    this.sim.after(duration, this.K.execEnd, req, sb.id);
  }

  private execEnd(req: number, sb: Sandbox): void {
    sb.running--;
    if (this.contention && sb.running === 0)
      this.hosts.busyCpu[sb.host]! -= this.fns[sb.fn]!.spec.cpu;
    this.obs.ended(req, sb, this.sim.now);
    const hostZone = this.hosts.zoneOf(sb.host);
    const toClient = this.net(hostZone, this.requests.zone[req]!);
    if (toClient === 0) this.complete(req);
    else this.sim.after(toClient, this.K.response, req);
    const next = sb.dequeueLocal();
    if (next >= 0) this.startExecution(next, sb);
    const toLeader = this.net(hostZone, this.partitions[this.fns[sb.fn]!.partition]!.leaderZone);
    if (toLeader === 0) this.leaderRelease(sb);
    else this.sim.after(toLeader, this.K.leaderRelease, sb.id);
  }

  private complete(req: number): void {
    const rq = this.requests;
    this.obs.completed(req, rq.fn[req]!, rq.arrivalUs[req]!, this.sim.now);
    rq.release(req);
  }

  private fail(req: number, cause: Cause): void {
    const rq = this.requests;
    this.obs.failed(req, rq.fn[req]!, rq.arrivalUs[req]!, cause, this.sim.now);
    rq.release(req);
  }

  // ---- 7: release at the leader ----

  private leaderRelease(sb: Sandbox): void {
    const done = this.serve(this.partitionOf(sb.fn));
    if (done === this.sim.now) this.releaseDone(sb);
    else this.sim.at(done, this.K.releaseDone, sb.id);
  }

  private releaseDone(sb: Sandbox): void {
    const f = this.fns[sb.fn]!;
    sb.outstanding--;
    sb.lastUsedUs = this.sim.now;
    if (sb.inRouting) f.routing.touched(sb);
    else if (sb.outstanding < f.capacity) this.addToRouting(sb, f);
    // Idle in the gauges before the overflow queue is drained: assign() counts the
    // idle -> busy change again if the sandbox takes a queued request.
    if (sb.outstanding === 0) this.stopBusy(sb);
    this.drainQueueInto(sb, f);
    if (sb.outstanding === 0) this.becomeIdle(sb, f);
  }

  /** Hands a sandbox with room to the requests waiting in the overflow queue, oldest first. */
  private drainQueueInto(sb: Sandbox, f: FunctionRuntime): void {
    while (sb.inRouting && f.queueLength > 0) this.assign(f.dequeue(), f, sb);
  }

  private onQueueTimer(f: FunctionRuntime): void {
    f.queueTimerUs = -1;
    const maxWait = this.scenario.balancer.queue.maxWaitUs;
    while (f.queueLength > 0 && f.peekQueuedAtUs() + maxWait <= this.sim.now) {
      this.fail(f.dequeue(), Cause.Throttled);
    }
    if (f.queueLength > 0) {
      f.queueTimerUs = f.peekQueuedAtUs() + maxWait;
      this.sim.at(f.queueTimerUs, this.K.queueTimer, f.index);
    }
  }

  // ---- 8: sandboxes: creation, idleness, keep-alive ----

  private createSandbox(f: FunctionRuntime, host: number): Sandbox {
    const now = this.sim.now;
    const id = this.freeSandboxIds.length > 0 ? this.freeSandboxIds.pop()! : this.sandboxes.length;
    const sb = new Sandbox(id, f.index, host, f.spec.memoryMb, now);
    this.sandboxes[id] = sb;
    this.obs.gaugesWillChange(now);
    this.hosts.reserve(host, sb.memoryMb);
    f.sandboxes++;
    f.perZone[this.hosts.zoneOf(host)]!++;
    this.liveSandboxes++;
    this.initializingSandboxes++;
    this.idleMemoryMb += sb.memoryMb;
    if (this.liveSandboxes > this.peakSandboxes) this.peakSandboxes = this.liveSandboxes;
    this.obs.sandboxCreated(sb, now);
    return sb;
  }

  /** Initialisation finished. A sandbox with outstanding work stops counting as idle. */
  private markReady(sb: Sandbox, f: FunctionRuntime): void {
    this.obs.gaugesWillChange(this.sim.now);
    sb.state = SandboxState.Ready;
    this.initializingSandboxes--;
    if (sb.outstanding > 0) {
      this.idleMemoryMb -= sb.memoryMb;
      this.busySandboxes++;
    }
    if (sb.outstanding < f.capacity) this.addToRouting(sb, f);
  }

  private addToRouting(sb: Sandbox, f: FunctionRuntime): void {
    f.routing.add(sb);
    sb.inRouting = true;
  }

  /** The sandbox has nothing outstanding: it counts as idle in the gauges. */
  private stopBusy(sb: Sandbox): void {
    const now = this.sim.now;
    this.obs.gaugesWillChange(now);
    this.idleMemoryMb += sb.memoryMb;
    this.busySandboxes--;
    sb.idleSinceUs = now;
  }

  /** The sandbox stayed idle: its keep-alive starts (or it is reclaimed at once). */
  private becomeIdle(sb: Sandbox, f: FunctionRuntime): void {
    const now = this.sim.now;
    if (sb.pinned) return;
    const ttl = this.keepAlive.ttlUs(f.index);
    if (ttl === 0) {
      this.reclaim(sb, f);
      return;
    }
    if (ttl === Number.POSITIVE_INFINITY) return;
    f.appendIdle(sb);
    if (f.keepAliveTimerUs < 0) {
      f.keepAliveTimerUs = now + ttl;
      this.sim.at(f.keepAliveTimerUs, this.K.keepAlive, f.index);
    }
  }

  /**
   * Reclaims every idle sandbox of `f` whose keep-alive has run out. Sandboxes went idle
   * in list order and share one keep-alive, so expiries are in list order too: one timer
   * per function, re-armed for the new head (firing early, harmlessly, if the head was
   * taken in the meantime).
   */
  private onKeepAliveTimer(f: FunctionRuntime): void {
    f.keepAliveTimerUs = -1;
    const ttl = this.keepAlive.ttlUs(f.index);
    const now = this.sim.now;
    while (f.idleHead && f.idleHead.idleSinceUs + ttl <= now) this.reclaim(f.idleHead, f);
    if (f.idleHead) {
      f.keepAliveTimerUs = f.idleHead.idleSinceUs + ttl;
      this.sim.at(f.keepAliveTimerUs, this.K.keepAlive, f.index);
    }
  }

  private reclaim(sb: Sandbox, f: FunctionRuntime): void {
    const now = this.sim.now;
    this.obs.gaugesWillChange(now);
    if (f.isIdleListed(sb)) f.removeIdle(sb);
    if (sb.inRouting) {
      f.routing.remove(sb);
      sb.inRouting = false;
    }
    sb.state = SandboxState.Gone;
    this.hosts.release(sb.host, sb.memoryMb);
    f.sandboxes--;
    f.perZone[this.hosts.zoneOf(sb.host)]!--;
    this.liveSandboxes--;
    this.idleMemoryMb -= sb.memoryMb;
    this.obs.sandboxReclaimed(sb, now);
    this.sandboxes[sb.id] = null;
    this.freeSandboxIds.push(sb.id);
  }

  // ---- placement and network ----

  /** A host for a new sandbox of `f`, or -1. With zoneBalance, the zone holding fewest of f first. */
  private place(f: FunctionRuntime): number {
    const hosts = this.hosts;
    const mb = f.spec.memoryMb;
    if (!this.scenario.placement.zoneBalance)
      return this.placement.choose(hosts, 0, hosts.count, mb);
    let zone = -1;
    for (let z = 0; z < hosts.zones; z++) {
      const lo = z * hosts.perZone;
      if (hosts.freeTree.max(lo, lo + hosts.perZone) < mb) continue;
      if (zone < 0 || f.perZone[z]! < f.perZone[zone]!) zone = z;
    }
    if (zone < 0) return -1;
    const lo = zone * hosts.perZone;
    return this.placement.choose(hosts, lo, lo + hosts.perZone, mb);
  }

  /** One-way network latency between zones, in whole microseconds. */
  private net(from: number, to: number): number {
    if (this.noNetwork) return 0;
    return Math.round(from === to ? this.sameZoneUs() : this.crossZoneUs());
  }

  /**
   * With synchronous replication the leader answers only once a majority of replicas
   * holds the change: the round trip to the floor(replicas / 2)-th fastest follower.
   */
  private replyDelay(f: FunctionRuntime): number {
    if (!this.syncReplication) return 0;
    const p = this.partitions[f.partition]!;
    const rtts = p.followerZones.map((z) => this.net(p.leaderZone, z) + this.net(z, p.leaderZone));
    rtts.sort((a, b) => a - b);
    return rtts[Math.floor(this.scenario.balancer.replicas / 2) - 1]!;
  }
}

function isZero(spec: ResolvedScenario["network"]["sameZone"]): boolean {
  return spec.dist === "constant" && spec.value === 0;
}
