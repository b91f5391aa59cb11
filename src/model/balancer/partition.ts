/**
 * A balancer partition: its replica set, who leads it in which term, and the leader's
 * FIFO server.
 *
 * Replica r of partition p lives in zone (p + r) mod Z. A replica *runs* while its node
 * has not crashed and its zone is not out. A leader *commits* (serves, under `sync`)
 * only while it reaches a majority of the replica set, itself included: floor(n/2) + 1
 * running replicas it can reach. Leadership changes through `failover.ts`, the only
 * writer of `leader`, `term` and the replicas' state; the request path reads them.
 *
 * The leader is a single FIFO server: an operation that reaches it at time t starts at
 * max(t, busyUntil) and takes `serviceTime`. Service is deterministic and FIFO, so an
 * operation's completion is known the moment it arrives: one event, not a queue.
 */
export class Partition {
  busyUntilUs = 0;
  readonly replicaZones: number[];
  /** Per replica: its node runs (not crashed by a balancer-crash). Zone outages are the zones'. */
  readonly nodeUp: Uint8Array;
  /**
   * Per replica: it holds the partition's committed state (a follower kept up to date by
   * a leader, or the leader). A node that restarts holds none until a leader catches it up.
   */
  readonly hasState: Uint8Array;
  /** The leading replica, or -1 while there is none (crashed, deposed, not yet elected). */
  leader = 0;
  /** The last replica that led (elections look for a successor after it). */
  lastLeader = 0;
  /** Zone of the leader (of the last one while there is none). */
  leaderZone: number;
  /** Bumped whenever the leader changes: operations begun under an older term are void. */
  term = 0;
  /**
   * The leader may commit: it reaches a majority, or replication is not sync (then it
   * serves its side until deposed). Kept by failover.ts; read per operation.
   */
  quorum = true;
  /** When the partition last lost a committing leader (for the failover clock and async loss). */
  lostLeaderAtUs = -1;
  /** Identifies the pending election (events of an older one are void); -1 when none. */
  election = -1;
  /** Releases that reached no committing leader, delivered when one answers again. */
  pendingReleases: { sandbox: number; serial: number }[] = [];

  constructor(
    readonly id: number,
    replicas: number,
    zones: number,
  ) {
    this.replicaZones = [];
    for (let r = 0; r < replicas; r++) this.replicaZones.push((id + r) % zones);
    this.leaderZone = this.replicaZones[0]!;
    this.nodeUp = new Uint8Array(replicas).fill(1);
    this.hasState = new Uint8Array(replicas).fill(1);
  }

  get replicas(): number {
    return this.replicaZones.length;
  }

  /** Replicas needed for a majority. */
  get majority(): number {
    return Math.floor(this.replicas / 2) + 1;
  }

  /** Whether the partition has a leader that commits (it may still be cut off from some zones). */
  get serving(): boolean {
    return this.leader >= 0 && this.quorum;
  }
}

export function buildPartitions(partitions: number, replicas: number, zones: number): Partition[] {
  return Array.from({ length: partitions }, (_, p) => new Partition(p, replicas, zones));
}
