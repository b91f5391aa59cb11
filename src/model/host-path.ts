/**
 * The request at its host (SPEC 2.1, step 6): arrival at the sandbox (its local queue,
 * or waiting for its initialisation), execution stretched by the host's slowdown and
 * CPU contention, the response to the client's frontend, and the release the host
 * sends the leader.
 */

import type { Simulator } from "../kernel/simulator.js";
import type { Clients } from "./clients.js";
import type { ModelContext } from "./context.js";
import { Ev } from "./events.js";
import type { FunctionRuntime } from "./function-runtime.js";
import type { Hosts } from "./hosts.js";
import type { LeaderPath } from "./leader-path.js";
import type { Network } from "./network.js";
import { Cause } from "./observer.js";
import { Phase, type Requests } from "./requests.js";
import { type Sandbox, SandboxState } from "./sandbox.js";
import type { SandboxBook } from "./sandbox-book.js";
import type { Zones } from "./zones.js";

export interface HostPathParts {
  readonly fns: readonly FunctionRuntime[];
  readonly requests: Requests;
  readonly book: SandboxBook;
  readonly hosts: Hosts;
  readonly zones: Zones;
  readonly network: Network;
  readonly clients: Clients;
  readonly leader: LeaderPath;
}

export class HostPath {
  /** The clock and event queue (ctx.sim, held directly: read on every hop). */
  private readonly sim: Simulator;
  private readonly fns: readonly FunctionRuntime[];
  private readonly requests: Requests;
  private readonly book: SandboxBook;
  private readonly hosts: Hosts;
  private readonly zones: Zones;
  private readonly network: Network;
  private readonly clients: Clients;
  private readonly leader: LeaderPath;
  private readonly contention: boolean;
  /** vCPU demand of a sandbox, by function (filled only under CPU contention). */
  private readonly cpuOf: Float64Array;

  constructor(
    private readonly ctx: ModelContext,
    parts: HostPathParts,
  ) {
    this.sim = ctx.sim;
    this.fns = parts.fns;
    this.requests = parts.requests;
    this.book = parts.book;
    this.hosts = parts.hosts;
    this.zones = parts.zones;
    this.network = parts.network;
    this.clients = parts.clients;
    this.leader = parts.leader;
    this.contention = ctx.scenario.cluster.contention;
    this.cpuOf = this.contention
      ? Float64Array.from(ctx.scenario.functions, (f) => f.cpu)
      : new Float64Array(0);
  }

  /**
   * The request reaches its sandbox's host. A host that is down (or a sandbox gone, or a
   * cut begun while the request travelled) never answers: the leader's connection times
   * out. A sandbox still initializing holds the request in its local queue until ready.
   */
  arrive(req: number): void {
    const sb = this.requests.sandbox[req]!;
    if (
      sb.state === SandboxState.Gone ||
      !this.hosts.alive[sb.host] ||
      (this.zones.anyCut &&
        !this.zones.reachable(
          this.leader.partitionOfSandbox(sb).leaderZone,
          this.hosts.zoneOf(sb.host),
        ))
    ) {
      this.sim.after(this.ctx.connectTimeoutUs, Ev.SendFailed, req);
      return;
    }
    this.requests.phase[req] = Phase.AtHost;
    if (sb.state === SandboxState.Ready && sb.running < sb.slots) this.startExecution(req, sb);
    else sb.enqueueLocal(req);
  }

  /**
   * A cold start's sandbox is ready: its first request runs, then those that waited for
   * it. Unless a cut that began while the placement travelled lost it: the host never
   * made the sandbox, the leader drops it (as lost) and the attempt fails, unreachable,
   * connectTimeout after the placement would have arrived.
   */
  onReady(req: number): void {
    const rq = this.requests;
    const sb = rq.sandbox[req]!;
    const f = this.fns[sb.fn]!;
    if (this.zones.cutsBegun > 0) {
      const leaderZone = this.leader.partitionOfSandbox(sb).leaderZone;
      const hostZone = this.hosts.zoneOf(sb.host);
      if (this.zones.cutDuring(leaderZone, hostZone, rq.hopFromUs[req]!, rq.hopToUs[req]!)) {
        this.book.remove(sb, "lost");
        const late = Math.max(0, rq.hopToUs[req]! + this.ctx.connectTimeoutUs - this.sim.now);
        this.sim.after(late, Ev.FailLater, req, Cause.Unreachable);
        return;
      }
    }
    this.book.markReady(sb, f);
    this.requests.phase[req] = Phase.AtHost;
    this.startExecution(req, sb);
    this.startQueued(sb);
    if (!sb.orphaned) this.leader.drainQueueInto(sb, f);
  }

  /** Starts the requests of the local queue while slots are free. */
  startQueued(sb: Sandbox): void {
    const slots = sb.slots;
    while (sb.running < slots) {
      const next = sb.dequeueLocal();
      if (next < 0) return;
      this.startExecution(next, sb);
    }
  }

  /**
   * Starts an execution. Its duration is fixed now: the drawn time, times the host's
   * slowdown, stretched by demand / cpus when the busy sandboxes of the host (each
   * demanding its function's `cpu`, however many slots run) demand more vCPUs than it
   * has (SPEC 2.3); rounded to whole microseconds.
   */
  private startExecution(req: number, sb: Sandbox): void {
    const rq = this.requests;
    const hosts = this.hosts;
    const now = this.sim.now;
    this.book.runStarted(sb);
    rq.phase[req] = Phase.Executing;
    rq.execStartUs[req] = now;
    const cold = rq.cold[req]!;
    this.ctx.obs.started(
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
      const demand =
        sb.running === 1 ? hosts.demandCpu(sb.host, this.cpuOf[sb.fn]!) : hosts.busyCpu[sb.host]!;
      if (demand > hosts.cpus) duration = (duration * demand) / hosts.cpus;
    }
    rq.handle[req] = this.sim.after(Math.round(duration), Ev.ExecEnd, req);
  }

  execEnd(req: number): void {
    const rq = this.requests;
    const sb = rq.sandbox[req]!;
    const now = this.sim.now;
    this.book.runEnded(sb);
    rq.execEndUs[req] = now;
    if (this.contention && sb.running === 0) this.hosts.releaseCpu(sb.host, this.cpuOf[sb.fn]!);
    const abandoned = rq.abandoned[req] === 1;
    this.ctx.obs.ended(req, sb, now - rq.execStartUs[req]!, abandoned, now);
    rq.phase[req] = Phase.Responding;
    const next = sb.dequeueLocal();
    if (next >= 0) this.startExecution(next, sb);
    if (abandoned) this.clients.finishAbandoned(req);
    else {
      const toClient = this.network.delay(this.hosts.zoneOf(sb.host), rq.zone[req]!);
      if (toClient === 0) this.respond(req);
      else if (toClient > 0) this.sim.after(toClient, Ev.Response, req);
      else this.clients.failLater(req, Cause.Unreachable);
    }
    if (sb.orphaned) this.book.orphanMayBeIdle(sb);
    else this.leader.sendRelease(sb);
  }

  /**
   * The answer reaches the client's frontend: the request completes, unless its client
   * gave up (a timeout, or its frontend died), or a cut begun in flight lost it.
   */
  respond(req: number): void {
    const rq = this.requests;
    if (rq.abandoned[req]) return this.clients.finishAbandoned(req);
    const sb = rq.sandbox[req]!;
    if (this.zones.anyCut && !this.zones.reachable(this.hosts.zoneOf(sb.host), rq.zone[req]!))
      return this.clients.failLater(req, Cause.Unreachable);
    this.clients.complete(req);
  }
}
