/**
 * What failures do to the world (SPEC 2.4), as small commands the fault injector calls:
 * crash and repair a host, take a zone out and back, cut a zone off and heal it, crash a
 * partition leader, slow a host down. Each command changes only the state its owner
 * keeps (hosts: down causes; zones: outages and cuts; the replica sets: failover.ts;
 * the sandboxes: the book) and tells the parts that must react; the balancer's
 * detections (a host down, a zone cut off) follow as events of their own.
 */
import type { Failover } from "./balancer/failover.js";
import type { Partition } from "./balancer/partition.js";
import type { Clients } from "./clients.js";
import type { CodeCache } from "./code-cache.js";
import type { ModelContext } from "./context.js";
import { Ev } from "./events.js";
import type { Frontend } from "./frontend.js";
import type { FunctionRuntime } from "./function-runtime.js";
import type { Hosts } from "./hosts.js";
import type { LeaderPath } from "./leader-path.js";
import { Cause } from "./observer.js";
import type { Provisioning } from "./provisioning.js";
import { Phase, type Requests } from "./requests.js";
import type { SandboxBook } from "./sandbox-book.js";
import type { Zones } from "./zones.js";

export interface FailureParts {
  readonly fns: readonly FunctionRuntime[];
  readonly partitions: readonly Partition[];
  readonly requests: Requests;
  readonly book: SandboxBook;
  readonly hosts: Hosts;
  readonly zones: Zones;
  readonly codeCache: CodeCache;
  readonly clients: Clients;
  readonly leader: LeaderPath;
  readonly provisioning: Provisioning;
  readonly frontend: Frontend;
  readonly failover: Failover;
}

export class Failures {
  constructor(
    private readonly ctx: ModelContext,
    private readonly parts: FailureParts,
  ) {}

  // ---- hosts ----

  /** A crash holds host h down until `repairHost` (a host-crash fault, a random crash). */
  crashHost(h: number): void {
    if (this.parts.hosts.addDownCause(h, true)) this.hostStopped(h);
  }

  /** A crash of host h ended: it comes back empty, unless another cause still holds it. */
  repairHost(h: number): void {
    if (this.parts.hosts.removeDownCause(h, true)) this.hostCameBack(h);
  }

  /**
   * The host stops: attempts executing or waiting there fail with `host-crash` (those
   * whose client gave up just end), its sandboxes are destroyed. The balancer still
   * believes in them until it detects the crash, `cluster.failureDetection` later. Its
   * code cache is gone at once (it comes back empty, and cache-affinity stops being drawn
   * to it).
   */
  private hostStopped(h: number): void {
    const { requests: rq, book, codeCache, clients, hosts } = this.parts;
    const { sim, obs, scenario } = this.ctx;
    codeCache.clear(h);
    const victims: number[] = [];
    for (const req of rq.liveIds()) {
      const sb = rq.sandbox[req];
      const phase = rq.phase[req]!;
      if (sb?.host === h && (phase === Phase.AtHost || phase === Phase.Executing))
        victims.push(req);
    }
    for (const req of victims) {
      const sb = rq.sandbox[req]!;
      if (rq.handle[req]! >= 0) sim.cancel(rq.handle[req]!);
      if (rq.phase[req] === Phase.Executing)
        obs.ended(req, sb, sim.now - rq.execStartUs[req]!, rq.abandoned[req] === 1, sim.now);
      clients.attemptFailed(req, Cause.HostCrash);
    }
    book.destroyOnHost(h);
    sim.after(scenario.cluster.failureDetectionUs, Ev.HostDetected, h, hosts.epochOf(h));
  }

  /** The balancer learns that host h is down (void if that down episode is over). */
  onHostDetected(h: number, epoch: number): void {
    if (!this.parts.hosts.detectDown(h, epoch)) return;
    this.parts.book.loseHost(h);
    this.restoreWhatIsMissing();
  }

  /** The host runs again, empty; a crash the balancer had not detected is known now. */
  private hostCameBack(h: number): void {
    this.parts.book.loseHost(h);
    this.restoreWhatIsMissing();
  }

  /**
   * After sandboxes were lost, hosts came back or the leaders' view of the zones changed
   * (a cut detected or healed: a restore that found its chosen host out of reach was
   * deferred): requests queued for a function below maxSandboxes get sandboxes, and
   * provisioned sandboxes are restored.
   */
  private restoreWhatIsMissing(): void {
    const { fns, leader, provisioning } = this.parts;
    for (const f of fns) {
      if (f.queueLength > 0) leader.serveQueueAfterLoss(f);
      if (f.pinnedSandboxes < f.spec.minSandboxes) provisioning.restoreMinimum(f);
    }
  }

  setSlowdown(h: number, factor: number): void {
    this.parts.hosts.setSlowdown(h, factor);
  }

  /** Hosts that run (in `zone`, or anywhere when null): what slow-hosts picks from. */
  aliveHosts(zone: number | null): number[] {
    return this.hostsWhere(zone, (h) => this.parts.hosts.alive[h] === 1);
  }

  /**
   * Hosts no crash holds down (in `zone`, or anywhere): what a host-crash picks from. A
   * host down only for its zone's outage can be picked: the crash then holds it down
   * past the outage, to its own repair (faults compose).
   */
  crashableHosts(zone: number | null): number[] {
    return this.hostsWhere(zone, (h) => !this.parts.hosts.crashed(h));
  }

  private hostsWhere(zone: number | null, keep: (h: number) => boolean): number[] {
    const { hosts } = this.parts;
    const out: number[] = [];
    const lo = zone === null ? 0 : zone * hosts.perZone;
    const hi = zone === null ? hosts.count : lo + hosts.perZone;
    for (let h = lo; h < hi; h++) if (keep(h)) out.push(h);
    return out;
  }

  // ---- zones ----

  /**
   * An outage of `zone` begins: its frontends die (the attempts they hold fail for their
   * clients), its hosts stop and its balancer nodes with them. Outages compose: a second
   * one of a zone already out holds it out longer, nothing more.
   */
  beginOutage(zone: number): void {
    const { zones, hosts, frontend, failover } = this.parts;
    if (!zones.beginOutage(zone)) return;
    frontend.zoneDown(zone);
    const lo = zone * hosts.perZone;
    for (let h = lo; h < lo + hosts.perZone; h++)
      if (hosts.addDownCause(h, false)) this.hostStopped(h);
    failover.reviewAll();
  }

  endOutage(zone: number): void {
    const { zones, hosts, failover } = this.parts;
    if (!zones.endOutage(zone)) return;
    const lo = zone * hosts.perZone;
    for (let h = lo; h < lo + hosts.perZone; h++)
      if (hosts.removeDownCause(h, false)) this.hostCameBack(h);
    failover.reviewAll();
  }

  /** A network partition cuts `zone` off from the others (they compose, as outages do). */
  beginCut(zone: number): void {
    const { zones, failover } = this.parts;
    const { sim, scenario } = this.ctx;
    if (!zones.beginCut(zone, sim.now)) return;
    sim.after(scenario.cluster.failureDetectionUs, Ev.CutDetected, zone, zones.cutEpochOf(zone));
    failover.reviewAll();
  }

  endCut(zone: number): void {
    const { zones, failover } = this.parts;
    if (!zones.endCut(zone)) return;
    this.refreshReachability(null);
    failover.reviewAll();
    this.restoreWhatIsMissing();
  }

  /** The balancer detects the cut of `zone` begun in `epoch`: leaders stop routing across it. */
  onCutDetected(zone: number, epoch: number): void {
    if (!this.parts.zones.detectCut(zone, epoch)) return;
    this.refreshReachability(null);
    this.restoreWhatIsMissing();
  }

  /**
   * Marks each sandbox (of partition `only`, or of all) unreachable exactly when its
   * leader knows it cannot reach the sandbox's host. O(sandboxes), at fault events only.
   */
  refreshReachability(only: Partition | null): void {
    const { book, fns, partitions, zones, hosts } = this.parts;
    for (const sb of book.byId) {
      if (!sb || sb.orphaned) continue;
      const p = partitions[fns[sb.fn]!.partition]!;
      if (only !== null && p !== only) continue;
      book.setUnreachable(sb, zones.knownUnreachable(p.leaderZone, hosts.zoneOf(sb.host)));
    }
  }

  // ---- balancer ----

  crashLeader(p: Partition): void {
    this.parts.failover.crashLeader(p);
  }
}
