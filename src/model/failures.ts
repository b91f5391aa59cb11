/**
 * What failures do to the world (SPEC 2.4), as small commands the fault injector calls:
 * crash, detect and repair a host; crash a partition leader and fail over; take a
 * zone's frontends and balancer nodes down and up; cut a zone off the network and heal
 * it; slow a host down. Each command changes the world's state; the request path in
 * world.ts notices (dead hosts, cut zones, leaderless partitions) as requests reach
 * them.
 */

import type { Partition } from "./balancer.js";
import { Cause } from "./observer.js";
import { Phase } from "./requests.js";
import type { World } from "./world.js";

export class Failures {
  private readonly kDetect: number;
  private readonly kFailover: number;

  constructor(private readonly world: World) {
    this.kDetect = world.sim.register((h) => this.detectHost(h));
    this.kFailover = world.sim.register((p) => this.failover(world.partitions[p]!));
  }

  /**
   * The host stops: attempts executing or waiting there fail with `host-crash` (those
   * whose client gave up just end), its sandboxes stop running. The balancer still
   * believes in them until it detects the crash. Its code cache is gone at once (it
   * comes back empty, and cache-affinity stops being drawn to it).
   */
  crashHost(h: number): void {
    const { hosts, requests: rq, sim, book, scenario } = this.world;
    if (!hosts.alive[h]) return;
    hosts.alive[h] = 0;
    hosts.busyCpu[h] = 0;
    this.world.codeCache.clear(h);
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
      if (rq.phase[req] === Phase.Executing) {
        sb.running--;
        this.world.obs.ended(
          req,
          sb,
          sim.now - rq.execStartUs[req]!,
          rq.abandoned[req] === 1,
          sim.now,
        );
      }
      this.world.clients.attemptFailed(req, Cause.HostCrash);
    }
    for (const sb of book.onHost(h)) {
      sb.running = 0;
      sb.clearLocal();
    }
    sim.after(scenario.cluster.failureDetectionUs, this.kDetect, h);
  }

  /** The balancer learns that the host is down: its sandboxes are lost. */
  private detectHost(h: number): void {
    const { hosts } = this.world;
    if (hosts.alive[h] || !hosts.up[h]) return;
    this.loseSandboxes(h);
    hosts.setUp(h, false);
    this.serveQueues();
  }

  /** The host is back, empty. */
  repairHost(h: number): void {
    const { hosts } = this.world;
    if (hosts.alive[h]) return;
    if (hosts.up[h]) this.loseSandboxes(h);
    hosts.alive[h] = 1;
    hosts.slowdown[h] = 1;
    hosts.setUp(h, true);
    this.serveQueues();
  }

  private loseSandboxes(h: number): void {
    const { book } = this.world;
    for (const sb of book.onHost(h)) book.remove(sb, "lost");
  }

  /** After a loss is known, requests queued for a function below maxSandboxes get sandboxes. */
  private serveQueues(): void {
    for (const f of this.world.fns) if (f.queueLength > 0) this.world.serveQueueAfterLoss(f);
  }

  /**
   * The leader of `p` dies. Operations in its queue are void, requests waiting in its
   * overflow queues fail with `balancer-unavailable`, and so does every attempt that
   * reaches the partition until a follower has taken over (detection + election).
   */
  crashLeader(p: Partition): void {
    const { sim, fns, scenario } = this.world;
    if (!p.leaderUp) return;
    p.leaderUp = false;
    p.epoch++;
    p.crashedAtUs = sim.now;
    for (const f of fns) {
      if (f.partition !== p.id) continue;
      while (f.queueLength > 0)
        this.world.clients.attemptFailed(f.dequeue(), Cause.BalancerUnavailable);
    }
    const { detectionUs, electionUs } = scenario.balancer.failover;
    sim.after(detectionUs + electionUs, this.kFailover, p.id);
  }

  /**
   * A follower in a zone that is up takes over. What it knows depends on replication:
   * `sync` everything; `async` all but the sandboxes created in the last
   * `replicationLag` before the crash; `none` nothing — every sandbox of the partition
   * is orphaned. With no follower's zone up, the partition waits for one to return.
   */
  private failover(p: Partition): void {
    const { sim, fns, book, scenario } = this.world;
    const { zoneUp } = this.world.network;
    if (p.leaderUp) return;
    const n = p.replicaZones.length;
    let next = -1;
    for (let i = 1; i <= n && next < 0; i++)
      if (zoneUp[p.replicaZones[(p.leader + i) % n]!]) next = (p.leader + i) % n;
    if (next < 0) return;
    p.leader = next;
    p.leaderZone = p.replicaZones[next]!;
    p.leaderUp = true;
    p.busyUntilUs = sim.now;
    const { replication, replicationLagUs } = scenario.balancer;
    if (replication !== "sync") {
      const since =
        replication === "none" ? Number.NEGATIVE_INFINITY : p.crashedAtUs - replicationLagUs;
      for (const sb of [...book.byId]) {
        if (sb && fns[sb.fn]!.partition === p.id && sb.createdUs > since) book.orphan(sb);
      }
    }
    this.deliverPendingReleases(p);
  }

  /** Frontends, balancer nodes and hosts of the zone go down (or come back). */
  setZoneUp(zone: number, up: boolean): void {
    const { partitions, hosts } = this.world;
    const { zoneUp } = this.world.network;
    zoneUp[zone] = up ? 1 : 0;
    const lo = zone * hosts.perZone;
    for (let h = lo; h < lo + hosts.perZone; h++) {
      if (up) this.repairHost(h);
      else this.crashHost(h);
    }
    for (const p of partitions) {
      if (!up && p.leaderUp && p.leaderZone === zone) this.crashLeader(p);
      // A partition left without a leader fails over as soon as a replica's zone returns.
      if (up && !p.leaderUp && p.crashedAtUs >= 0 && this.failoverDue(p)) this.failover(p);
    }
  }

  private failoverDue(p: Partition): boolean {
    const { detectionUs, electionUs } = this.world.scenario.balancer.failover;
    return this.world.sim.now >= p.crashedAtUs + detectionUs + electionUs;
  }

  /** The zone is cut off from the others (or joins them again). */
  setZoneCut(zone: number, cut: boolean): void {
    if (!this.world.network.cut(zone, cut)) return;
    for (const p of this.world.partitions) if (p.leaderUp) this.deliverPendingReleases(p);
  }

  /**
   * Releases that found no leader (down or cut off) reach the one there is now, if their
   * host can reach it; the others wait for their own cut to heal.
   */
  private deliverPendingReleases(p: Partition): void {
    const { book, hosts } = this.world;
    const pending = p.pendingReleases;
    p.pendingReleases = [];
    for (const r of pending) {
      const sb = book.find(r.sandbox, r.serial);
      if (sb && !this.world.network.reachable(hosts.zoneOf(sb.host), p.leaderZone))
        p.pendingReleases.push(r);
      else this.world.leaderRelease(r.sandbox, r.serial);
    }
  }

  setSlowdown(h: number, factor: number): void {
    this.world.hosts.slowdown[h] = factor;
  }

  /** Hosts that are running (in `zone`, or anywhere when null). */
  aliveHosts(zone: number | null): number[] {
    const { hosts } = this.world;
    const out: number[] = [];
    const lo = zone === null ? 0 : zone * hosts.perZone;
    const hi = zone === null ? hosts.count : lo + hosts.perZone;
    for (let h = lo; h < hi; h++) if (hosts.alive[h]) out.push(h);
    return out;
  }
}
