/**
 * The simulated platform, assembled: every part built once and wired to the parts it
 * talks to, and the one switch that dispatches the model's events (events.ts) to them.
 * The life of a request reads in SPEC 2.1 order across frontend.ts (arrival, throttle,
 * network to the leader), leader-path.ts (the leader's server, routing, cold starts,
 * release), host-path.ts (execution and response) and clients.ts (timeouts, retries);
 * what the leader provisions with no request waiting is provisioning.ts.
 * State has one owner each: hosts.ts (up/down by down causes, memory), zones.ts
 * (outages, cuts, frontends), balancer/ (replica sets, terms, quorum), sandbox-book.ts
 * (every sandbox's lifecycle), requests.ts (attempts in flight).
 *
 * Hops with zero delay are taken inline rather than through the event queue: the
 * result is the same model (nothing can happen in between at the same instant that
 * the hop could observe, other than same-time events, which stay deterministic) and
 * the theory models, which have no network, cost two events per request.
 */
import { hashString, type Streams } from "../kernel/random.js";
import { Simulator } from "../kernel/simulator.js";
import type { ResolvedScenario } from "../scenario/types.js";
import { AdaptiveKeepAliveModel } from "./adaptive-keepalive.js";
import { Failover } from "./balancer/failover.js";
import { buildPartitions, type Partition } from "./balancer/partition.js";
import { Clients } from "./clients.js";
import { CodeCache } from "./code-cache.js";
import { ColdStartTimes } from "./cold-start-times.js";
import type { ModelContext } from "./context.js";
import { EVENT_KINDS, Ev } from "./events.js";
import { Failures } from "./failures.js";
import { Frontend } from "./frontend.js";
import { FunctionRuntime } from "./function-runtime.js";
import { HostPath } from "./host-path.js";
import { Hosts } from "./hosts.js";
import { HostsReadView } from "./hosts-view.js";
import { LeaderPath } from "./leader-path.js";
import { Network } from "./network.js";
import type { Cause, ModelObserver } from "./observer.js";
import { buildPolicies, needsValueIndex, type Policies } from "./policies.js";
import { Provisioning } from "./provisioning.js";
import { Requests } from "./requests.js";
import { SandboxBook } from "./sandbox-book.js";
import { Zones } from "./zones.js";

export class World {
  readonly sim = new Simulator();
  readonly ctx: ModelContext;
  readonly hosts: Hosts;
  readonly zones: Zones;
  readonly network: Network;
  readonly fns: FunctionRuntime[];
  readonly partitions: Partition[];
  readonly requests = new Requests();
  readonly book: SandboxBook;
  readonly policies: Policies;
  /** The hosts' code caches (SPEC 2.3); disabled with codeCacheMb 0. */
  readonly codeCache: CodeCache;
  readonly clients: Clients;
  readonly frontend: Frontend;
  readonly leader: LeaderPath;
  readonly hostPath: HostPath;
  /** What the leader provisions on its own: minSandboxes, restores, pre-warms. */
  readonly provisioning: Provisioning;
  readonly failover: Failover;
  /** The fault commands (what the fault injector calls). */
  readonly failures: Failures;
  readonly endUs: number;

  constructor(
    readonly scenario: ResolvedScenario,
    streams: Streams,
    readonly obs: ModelObserver,
  ) {
    const { cluster, balancer } = scenario;
    const zoneCount = cluster.zones.length;
    this.endUs = scenario.warmupUs + scenario.durationUs;
    const ctx: ModelContext = {
      sim: this.sim,
      streams,
      scenario,
      obs,
      endUs: this.endUs,
      connectTimeoutUs: scenario.network.connectTimeoutUs,
    };
    this.ctx = ctx;
    for (let k = 0; k < EVENT_KINDS; k++)
      if (this.sim.register(noHandler) !== k)
        throw new Error("model events must be registered first");
    this.sim.dispatch = (kind, a, b) => this.dispatch(kind, a, b);

    this.codeCache = new CodeCache(
      zoneCount * cluster.hostsPerZone,
      cluster.host.codeCacheMb,
      scenario.functions.map((f) => f.codeMb),
    );
    this.hosts = new Hosts(
      zoneCount,
      cluster.hostsPerZone,
      cluster.host,
      needsValueIndex(scenario),
    );
    this.policies = buildPolicies(scenario, streams, new HostsReadView(this.hosts, this.codeCache));
    this.zones = new Zones(zoneCount, streams.get("frontend"));
    this.network = new Network(scenario, streams, this.zones);
    this.partitions = buildPartitions(balancer.partitions, balancer.replicas, zoneCount);
    const zoneCounts = new Int32Array(scenario.functions.length * zoneCount);
    this.fns = scenario.functions.map(
      (spec, i) =>
        new FunctionRuntime(
          i,
          spec,
          hashString(scenario.seed, spec.name) % balancer.partitions,
          this.policies.routing(i),
          zoneCounts,
          zoneCount,
        ),
    );
    const keepAlive = this.policies.keepAlive;
    this.book = new SandboxBook(
      ctx,
      this.hosts,
      this.fns,
      keepAlive.kind === "uniform" ? keepAlive : null,
    );
    this.clients = new Clients(ctx, this.requests, this.policies.retry);
    const common = {
      fns: this.fns,
      partitions: this.partitions,
      requests: this.requests,
      book: this.book,
      hosts: this.hosts,
      zones: this.zones,
      network: this.network,
      clients: this.clients,
    };
    const coldStarts = new ColdStartTimes(ctx);
    this.leader = new LeaderPath(ctx, {
      ...common,
      policies: this.policies,
      codeCache: this.codeCache,
      coldStarts,
    });
    this.hostPath = new HostPath(ctx, { ...common, leader: this.leader });
    this.leader.hostPath = this.hostPath;
    this.provisioning = new Provisioning(ctx, {
      ...common,
      codeCache: this.codeCache,
      coldStarts,
      leader: this.leader,
      hostPath: this.hostPath,
    });
    this.frontend = new Frontend(ctx, { ...common, leader: this.leader });
    if (keepAlive.kind === "adaptive")
      this.book.adaptive = new AdaptiveKeepAliveModel(ctx, this.fns, this.book, keepAlive, (f) =>
        this.provisioning.warm(f),
      );
    this.book.onBelowMinimum = (f) => this.provisioning.restoreMinimum(f);
    this.failover = new Failover(ctx, this.zones, this.partitions, {
      leaderLost: (p) => this.leader.failQueued(p),
      leaderElected: (p, keptSinceUs) => this.leaderElected(p, keptSinceUs),
      leaderServing: (p) => this.leader.deliverPendingReleases(p),
    });
    this.failures = new Failures(ctx, {
      ...common,
      codeCache: this.codeCache,
      leader: this.leader,
      provisioning: this.provisioning,
      frontend: this.frontend,
      failover: this.failover,
    });
  }

  /** Provisions minSandboxes (warm, at time 0) and schedules the first arrivals. */
  start(): void {
    for (const f of this.fns) this.provisioning.atStart(f);
    this.frontend.start();
  }

  /**
   * A new leader took over knowing the sandboxes created up to `keptSinceUs` (all of
   * them: +Infinity; none: -Infinity): the others are orphaned. Then it routes only
   * where it can reach, takes the releases that waited, and restores what is missing.
   */
  private leaderElected(p: Partition, keptSinceUs: number): void {
    if (keptSinceUs < Number.POSITIVE_INFINITY) {
      for (const sb of [...this.book.byId])
        if (sb && this.fns[sb.fn]!.partition === p.id && sb.createdUs > keptSinceUs)
          this.book.orphan(sb);
    }
    this.failures.refreshReachability(p);
    this.leader.deliverPendingReleases(p);
    for (const f of this.fns) {
      if (f.partition !== p.id) continue;
      if (f.queueLength > 0) this.leader.serveQueueAfterLoss(f);
      if (f.pinnedSandboxes < f.spec.minSandboxes) this.provisioning.restoreMinimum(f);
    }
  }

  /** The model's events, by one switch over their kinds: direct calls on the hot path. */
  private dispatch(kind: number, a: number, b: number): void {
    switch (kind as Ev) {
      case Ev.Arrival:
        return this.frontend.onArrival(a);
      case Ev.LeaderAcquire:
        return this.leader.acquire(a);
      case Ev.AcquireDone:
        return this.leader.acquireDone(a, b);
      case Ev.HostArrive:
        return this.hostPath.arrive(a);
      case Ev.ExecEnd:
        return this.hostPath.execEnd(a);
      case Ev.Response:
        return this.hostPath.respond(a);
      case Ev.LeaderRelease:
        return this.leader.leaderRelease(a, b);
      case Ev.ReleaseDone:
        return this.leader.releaseDone(a, b);
      case Ev.Ready:
        return this.hostPath.onReady(a);
      case Ev.KeepAlive:
        return this.book.onKeepAliveTimer(this.fns[a]!);
      case Ev.QueueTimer:
        return this.leader.onQueueTimer(this.fns[a]!);
      case Ev.Retry:
        return this.frontend.startAttempt(a);
      case Ev.Timeout:
        return this.clients.onTimeout(a);
      case Ev.FailLater:
        return this.clients.attemptFailed(a, b as Cause);
      case Ev.SendFailed:
        return this.leader.sendFailed(a);
      case Ev.OrphanReclaim:
        return this.book.onOrphanReclaim(a, b);
      case Ev.HostDetected:
        return this.failures.onHostDetected(a, b);
      case Ev.CutDetected:
        return this.failures.onCutDetected(a, b);
      case Ev.Election:
        return this.failover.onElection(a, b);
      case Ev.NodeRestart:
        return this.failover.onNodeRestart(a, b);
      case Ev.KeepAliveExpire:
        return this.book.adaptive!.onExpire(a, b);
      case Ev.Prewarm:
        return this.book.adaptive!.onPrewarm(a, b);
      case Ev.RestoreMinimum:
        return this.provisioning.restoredReady(a, b);
      default:
        return this.sim.handle(kind, a, b);
    }
  }
}

function noHandler(): void {
  throw new Error("a model event reached the handler table");
}
