/**
 * The request at the frontend (SPEC 2.1, steps 1-3): arrivals from the workload, each
 * attempt's frontend zone (a zone whose frontends are up), the throttle check, and the
 * network to the partition leader. When a zone's frontends die, the attempts they hold
 * fail for their clients.
 */
import type { Simulator } from "../kernel/simulator.js";
import { durationSamplers } from "../workload/draws.js";
import { PopulationArrivals } from "../workload/population.js";
import { type ArrivalSource, arrivalSources } from "../workload/sources.js";
import type { Partition } from "./balancer/partition.js";
import type { Clients } from "./clients.js";
import type { ModelContext } from "./context.js";
import { Ev } from "./events.js";
import type { FunctionRuntime } from "./function-runtime.js";
import type { LeaderPath } from "./leader-path.js";
import type { Network } from "./network.js";
import { Cause } from "./observer.js";
import type { Requests } from "./requests.js";
import type { Zones } from "./zones.js";

export interface FrontendParts {
  readonly fns: readonly FunctionRuntime[];
  readonly partitions: readonly Partition[];
  readonly requests: Requests;
  readonly zones: Zones;
  readonly network: Network;
  readonly clients: Clients;
  readonly leader: LeaderPath;
}

export class Frontend {
  /** The clock and event queue (ctx.sim, held directly: read on every hop). */
  private readonly sim: Simulator;
  private readonly fns: readonly FunctionRuntime[];
  private readonly partitions: readonly Partition[];
  private readonly requests: Requests;
  private readonly zones: Zones;
  private readonly network: Network;
  private readonly clients: Clients;
  private readonly leader: LeaderPath;
  /** One pending arrival each: a function's own process, or a trace feeding many functions. */
  private readonly sources: ArrivalSource[];
  private readonly durations: (() => number)[];
  /**
   * By source, the execution-time sampler all its arrivals share (a population's
   * functions have one), or null to look it up by function: on a large population the
   * array by function is a cache miss per request.
   */
  private readonly sourceDurations: ((() => number) | null)[];
  private readonly throttleAtMax: boolean;

  constructor(
    private readonly ctx: ModelContext,
    parts: FrontendParts,
  ) {
    this.sim = ctx.sim;
    this.fns = parts.fns;
    this.partitions = parts.partitions;
    this.requests = parts.requests;
    this.zones = parts.zones;
    this.network = parts.network;
    this.clients = parts.clients;
    this.leader = parts.leader;
    const { scenario, streams } = ctx;
    this.sources = arrivalSources(scenario, streams, ctx.endUs);
    this.durations = durationSamplers(scenario, streams);
    this.sourceDurations = this.sources.map((s) =>
      s instanceof PopulationArrivals ? this.durations[s.first]! : null,
    );
    this.throttleAtMax = scenario.balancer.overflow === "throttle";
  }

  /** Schedules every source's first arrival. */
  start(): void {
    for (let i = 0; i < this.sources.length; i++) this.scheduleNextArrival(i);
  }

  /** The next arrival of source `source` (a function's own, or a trace's). */
  onArrival(source: number): void {
    const src = this.sources[source]!;
    const fnIndex = src.fn;
    const given = src.durationUs;
    const now = this.sim.now;
    const rq = this.requests;
    const req = rq.alloc();
    rq.fn[req] = fnIndex;
    rq.arrivalUs[req] = now;
    rq.durationUs[req] =
      given >= 0 ? given : Math.round((this.sourceDurations[source] ?? this.durations[fnIndex]!)());
    rq.logical[req] = rq.logicalRequests++;
    rq.attempt[req] = 1;
    rq.delayUs[req] = 0;
    rq.retryDelaysUs[req] = 0;
    this.ctx.obs.arrived(req, fnIndex, now);
    this.clients.firstAttempt();
    this.scheduleNextArrival(source);
    this.startAttempt(req);
  }

  private scheduleNextArrival(source: number): void {
    const t = this.sources[source]!.advance();
    if (t < this.ctx.endUs) this.sim.at(Math.round(t), Ev.Arrival, source);
  }

  /** An attempt reaches a frontend (the first one, or a retry). */
  startAttempt(req: number): void {
    const rq = this.requests;
    const f = this.fns[rq.fn[req]!]!;
    rq.attemptUs[req] = this.sim.now;
    const zone = this.zones.frontendZone();
    rq.zone[req] = zone;
    this.clients.armTimeout(req);
    if (zone < 0) return this.clients.failLater(req, Cause.Unreachable);
    if (f.routing.size === 0 && f.sandboxes >= f.maxSandboxes && this.throttleAtMax)
      return this.clients.attemptFailed(req, Cause.Throttled);
    const d = this.network.delay(zone, this.partitions[f.partition]!.leaderZone);
    if (d === 0) this.leader.acquire(req);
    else if (d > 0) this.sim.after(d, Ev.LeaderAcquire, req);
    else this.clients.failLater(req, Cause.Unreachable);
  }

  /**
   * The frontends of `zone` died: every attempt they hold fails for its client now (the
   * platform goes on with it: see Clients.frontendLost).
   */
  zoneDown(zone: number): void {
    const rq = this.requests;
    const lost: number[] = [];
    for (const req of rq.liveIds()) if (rq.zone[req] === zone && !rq.abandoned[req]) lost.push(req);
    for (const req of lost) this.clients.frontendLost(req);
  }
}
