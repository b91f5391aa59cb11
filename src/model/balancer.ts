/**
 * Balancer partitions. Each partition's leader is a single FIFO server: an operation
 * that reaches it at time t starts at max(t, busyUntil) and takes `serviceTime`.
 * Because service is deterministic and FIFO, its completion time is known the moment
 * it arrives, so an operation costs one event, not a queue of them.
 *
 * Replicas are placed round-robin over the zones: replica r of partition p lives in
 * zone (p + r) mod Z; replica 0 leads.
 */
export class Partition {
  busyUntilUs = 0;
  /** Which replica leads (its zone is replicaZones[leader]). */
  leader = 0;
  leaderZone: number;
  /** False from a leader's crash until a follower has taken over. */
  leaderUp = true;
  /** Bumped at every leader crash: operations begun under an older leader are void. */
  epoch = 0;
  /** When the current leader crashed (for async replication's lost window). */
  crashedAtUs = -1;
  /** Releases that reached no leader (down or cut off), delivered when one answers again. */
  pendingReleases: { sandbox: number; serial: number }[] = [];
  readonly replicaZones: number[];

  constructor(
    readonly id: number,
    replicas: number,
    zones: number,
  ) {
    this.replicaZones = [];
    for (let r = 0; r < replicas; r++) this.replicaZones.push((id + r) % zones);
    this.leaderZone = this.replicaZones[0]!;
  }
}

export function buildPartitions(partitions: number, replicas: number, zones: number): Partition[] {
  return Array.from({ length: partitions }, (_, p) => new Partition(p, replicas, zones));
}
