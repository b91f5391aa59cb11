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
  /** Service time spent inside the measured window. */
  busyUs = 0;
  readonly followerZones: number[];

  constructor(
    readonly id: number,
    readonly leaderZone: number,
    replicas: number,
    zones: number,
  ) {
    this.followerZones = [];
    for (let r = 1; r < replicas; r++) this.followerZones.push((id + r) % zones);
  }
}

export function buildPartitions(partitions: number, replicas: number, zones: number): Partition[] {
  return Array.from({ length: partitions }, (_, p) => new Partition(p, p % zones, replicas, zones));
}
