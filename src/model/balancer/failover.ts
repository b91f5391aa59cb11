/**
 * The balancer's replica sets (SPEC 2.4): node crashes and restarts, zone outages and
 * network partitions as the replicas see them, quorum, elections, and what a new leader
 * knows. The one writer of each partition's leader, term, quorum and replica state.
 *
 * - Leadership is decided by a majority, whatever the replication: a leader that cannot
 *   reach a majority of the replica set (followers down or cut off) is deposed once
 *   `failover.detection + failover.election` have passed since it lost it, and a replica
 *   on the side that holds a majority is elected then (preferring one that holds the
 *   state); with no such side nothing is elected until one forms (the election then
 *   happens at once if that time has passed). A leader that crashes, or whose zone goes
 *   out, is lost at once and replaced the same way.
 * - `sync`: a leader without a majority cannot commit: it serves nothing (acquires fail
 *   as `balancer-unavailable` after connectTimeout, releases wait). The new leader
 *   knows everything that was committed, provided a replica holding the state was on
 *   the electing side; otherwise it starts empty.
 * - `async`: a leader without a majority still serves its own side until it is deposed;
 *   the new leader lacks what changed in the last `replicationLag` before the loss
 *   (sandboxes created then are orphaned), or everything if no replica held the state.
 * - `none`: as async, but the new leader always starts empty: every sandbox of the
 *   partition is orphaned.
 * - A crashed node is restarted by its supervisor `detection + election` after its crash
 *   and rejoins empty; it catches up from a committing leader it can reach (at once).
 *   With one replica there is no one to catch up from: the restarted node leads empty.
 */
import type { ModelContext } from "../context.js";
import { Ev } from "../events.js";
import type { Zones } from "../zones.js";
import type { Partition } from "./partition.js";

/** What the rest of the model does when leadership changes. */
export interface LeadershipHooks {
  /** The partition's leader stopped leading (crashed, deposed): its queued work fails. */
  leaderLost(p: Partition): void;
  /** A leader was elected; `keptSinceUs`: sandboxes created after it are unknown to it. */
  leaderElected(p: Partition, keptSinceUs: number): void;
  /** The leader commits again (quorum back), or reaches other zones: deliver what waited. */
  leaderServing(p: Partition): void;
}

export class Failover {
  private readonly sync: boolean;
  private readonly failoverUs: number;
  private elections = 0;

  constructor(
    private readonly ctx: ModelContext,
    private readonly zones: Zones,
    readonly partitions: readonly Partition[],
    private readonly hooks: LeadershipHooks,
  ) {
    const { replication, failover } = ctx.scenario.balancer;
    this.sync = replication === "sync";
    this.failoverUs = failover.detectionUs + failover.electionUs;
  }

  /** Whether replica r of p runs: its node is up and its zone is not out. */
  runs(p: Partition, r: number): boolean {
    return p.nodeUp[r] === 1 && this.zones.isUp(p.replicaZones[r]!);
  }

  /** Running replicas that replica r reaches (itself included, if it runs). */
  private reach(p: Partition, r: number): number {
    const from = p.replicaZones[r]!;
    let n = 0;
    for (let q = 0; q < p.replicas; q++)
      if (this.runs(p, q) && this.zones.reachable(from, p.replicaZones[q]!)) n++;
    return n;
  }

  /** The leader of `p` crashes (a balancer-crash fault). */
  crashLeader(p: Partition): void {
    if (p.leader < 0) return;
    const r = p.leader;
    p.nodeUp[r] = 0;
    p.hasState[r] = 0;
    this.ctx.sim.after(this.failoverUs, Ev.NodeRestart, p.id, r);
    this.review(p);
  }

  /** A crashed node is back, empty. */
  onNodeRestart(partition: number, r: number): void {
    const p = this.partitions[partition]!;
    p.nodeUp[r] = 1;
    this.review(p);
  }

  /** Zone outages, cuts and their ends change who runs and who reaches whom. */
  reviewAll(): void {
    for (const p of this.partitions) this.review(p);
  }

  /**
   * Brings a partition's leadership up to date with who runs and who reaches whom: a
   * leader that stopped running is lost now; one without a majority stops committing
   * (sync) and is due for an election; a committing leader catches up the replicas it
   * reaches. Called after every change of nodes, zones or cuts.
   */
  review(p: Partition): void {
    const now = this.ctx.sim.now;
    if (p.leader >= 0 && !this.runs(p, p.leader)) this.lose(p);
    for (let r = 0; r < p.replicas; r++) if (!this.runs(p, r)) p.hasState[r] = 0;
    if (p.leader >= 0 && this.reach(p, p.leader) >= p.majority) {
      p.quorum = true;
      p.lostLeaderAtUs = -1;
      p.election = -1;
      this.catchUp(p);
      // Its quorum or its reach may be back: what waited for it is delivered.
      this.hooks.leaderServing(p);
      return;
    }
    if (p.leader >= 0) {
      p.quorum = !this.sync;
      if (p.lostLeaderAtUs < 0) p.lostLeaderAtUs = now;
    }
    if (p.election < 0) {
      p.election = this.elections++;
      const at = Math.max(now, p.lostLeaderAtUs + this.failoverUs);
      this.ctx.sim.at(at, Ev.Election, p.id, p.election);
    }
  }

  /** An election's time has come (void if a newer one is pending or none is needed). */
  onElection(partition: number, election: number): void {
    const p = this.partitions[partition]!;
    if (p.election !== election) return;
    p.election = -1;
    if (p.leader >= 0 && this.reach(p, p.leader) >= p.majority) return this.review(p);
    if (p.leader >= 0) this.lose(p); // deposed: it lacked a majority all this time
    const candidate = this.candidate(p);
    if (candidate < 0) return; // no side holds a majority: the next change reviews again
    this.elect(p, candidate);
  }

  /**
   * The replica to elect: one that runs and reaches a majority, holding the state if any
   * such does, first after the last leader in replica order; -1 if none.
   */
  private candidate(p: Partition): number {
    let best = -1;
    for (let i = 1; i <= p.replicas; i++) {
      const r = (p.lastLeader + i) % p.replicas;
      if (!this.runs(p, r) || this.reach(p, r) < p.majority) continue;
      if (p.hasState[r]) return r;
      if (best < 0) best = r;
    }
    return best;
  }

  private elect(p: Partition, r: number): void {
    const { replication, replicationLagUs } = this.ctx.scenario.balancer;
    const lostAtUs = p.lostLeaderAtUs;
    const knowsState = p.hasState[r] === 1 && replication !== "none";
    p.leader = r;
    p.lastLeader = r;
    p.leaderZone = p.replicaZones[r]!;
    p.term++;
    p.busyUntilUs = this.ctx.sim.now;
    p.quorum = true;
    p.lostLeaderAtUs = -1;
    this.catchUp(p);
    const keptSinceUs = !knowsState
      ? Number.NEGATIVE_INFINITY
      : replication === "async"
        ? lostAtUs - replicationLagUs
        : Number.POSITIVE_INFINITY;
    this.hooks.leaderElected(p, keptSinceUs);
  }

  /** The leader stops leading: operations of its term are void. */
  private lose(p: Partition): void {
    if (p.lostLeaderAtUs < 0) p.lostLeaderAtUs = this.ctx.sim.now;
    p.leader = -1;
    p.quorum = false;
    p.term++;
    this.hooks.leaderLost(p);
  }

  /** Running replicas the committing leader reaches hold its state; the others fall behind. */
  private catchUp(p: Partition): void {
    const from = p.replicaZones[p.leader]!;
    for (let r = 0; r < p.replicas; r++)
      p.hasState[r] = this.runs(p, r) && this.zones.reachable(from, p.replicaZones[r]!) ? 1 : 0;
  }
}
