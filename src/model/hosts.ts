/**
 * The worker hosts, as flat arrays indexed by host number. Hosts of zone z are the
 * contiguous range [z * perZone, (z + 1) * perZone), so a zone is a range query.
 * Free memory is mirrored in indexes that placement policies query in O(log H):
 * a max-tree over hosts (down hosts count as -1 free) and, for best-fit, per zone an
 * index of hosts by free memory. Per zone, the memory used on its up hosts and their
 * number give the mean load consistent-hash bounds in O(zones).
 */
import { MaxTree } from "./max-tree.js";
import { ValueIndex } from "./value-index.js";

export class Hosts {
  readonly count: number;
  readonly memoryMb: number;
  readonly cpus: number;
  readonly freeMb: Float64Array;
  /** Up as far as the balancer and placement know (a crash is known after detection). */
  readonly up: Uint8Array;
  /** Physically running (a crashed host is not, from the moment it crashes). */
  readonly alive: Uint8Array;
  readonly sandboxCount: Int32Array;
  /** vCPUs demanded by the executions running on each host. */
  readonly busyCpu: Float64Array;
  /** Multiplies every execution that starts on the host (1 when healthy). */
  readonly slowdown: Float64Array;
  /** Free memory per up host; -1 for hosts that are down. */
  readonly freeTree: MaxTree;
  /** Per zone, hosts by free memory (best-fit's index); empty unless asked for. */
  private readonly byValue: ValueIndex[];
  /** Per zone, memory used on the hosts that are up, and how many are up. */
  private readonly upUsedMbOfZone: Float64Array;
  private readonly upCountOfZone: Int32Array;
  /** Hosts holding at least one sandbox. */
  activeCount = 0;
  usedMb = 0;

  constructor(
    readonly zones: number,
    readonly perZone: number,
    host: { memoryMb: number; cpus: number },
    withValueIndex: boolean,
  ) {
    this.count = zones * perZone;
    this.memoryMb = host.memoryMb;
    this.cpus = host.cpus;
    this.freeMb = new Float64Array(this.count).fill(host.memoryMb);
    this.up = new Uint8Array(this.count).fill(1);
    this.alive = new Uint8Array(this.count).fill(1);
    this.sandboxCount = new Int32Array(this.count);
    this.busyCpu = new Float64Array(this.count);
    this.slowdown = new Float64Array(this.count).fill(1);
    this.freeTree = new MaxTree(this.count, host.memoryMb);
    this.byValue = withValueIndex
      ? Array.from({ length: zones }, () => new ValueIndex(host.memoryMb, zones * perZone))
      : [];
    for (let h = 0; h < this.count && withValueIndex; h++)
      this.byValue[this.zoneOf(h)]!.add(h, host.memoryMb);
    this.upUsedMbOfZone = new Float64Array(zones);
    this.upCountOfZone = new Int32Array(zones).fill(perZone);
  }

  /**
   * Free memory of host h for placement: its free MB when up, -1 when down. One read of
   * the free-memory tree's leaf, where checking `up` and `freeMb` would touch two arrays:
   * on 100,000 hosts a sampled host is a cache miss, and sampling policies pay per miss.
   */
  room(h: number): number {
    return this.freeTree.get(h);
  }

  zoneOf(h: number): number {
    return Math.floor(h / this.perZone);
  }

  /** Takes memory for a new sandbox (the caller checked that it fits). */
  reserve(h: number, mb: number): void {
    this.setFree(h, this.freeMb[h]! - mb);
    this.usedMb += mb;
    if (this.up[h]) this.upUsedMbOfZone[this.zoneOf(h)]! += mb;
    if (this.sandboxCount[h]!++ === 0) this.activeCount++;
  }

  release(h: number, mb: number): void {
    this.setFree(h, this.freeMb[h]! + mb);
    this.usedMb -= mb;
    if (this.up[h]) this.upUsedMbOfZone[this.zoneOf(h)]! -= mb;
    if (--this.sandboxCount[h]! === 0) this.activeCount--;
  }

  /** Memory used on the up hosts of the zone-aligned range [lo, hi). O(zones). */
  upUsedMb(lo: number, hi: number): number {
    let sum = 0;
    for (let z = this.zoneOf(lo); z <= this.zoneOf(hi - 1); z++) sum += this.upUsedMbOfZone[z]!;
    return sum;
  }

  /** Up hosts in the zone-aligned range [lo, hi). O(zones). */
  upCount(lo: number, hi: number): number {
    let n = 0;
    for (let z = this.zoneOf(lo); z <= this.zoneOf(hi - 1); z++) n += this.upCountOfZone[z]!;
    return n;
  }

  /**
   * The up host of `zone` with the least free memory >= mb (to the whole MB), or -1.
   * The index groups hosts by whole MB, so it misses a host whose fractional free memory
   * fits a fractional `mb` in the same MB (100.5 free for 100.5): the max-tree, exact,
   * finds one then, so best-fit never fails while a host has room.
   */
  bestFit(zone: number, mb: number): number {
    const index = this.byValue[zone];
    if (!index) throw new Error("best-fit index not built");
    const h = index.leastAtLeast(mb);
    if (h >= 0) return h;
    const lo = zone * this.perZone;
    return this.freeTree.firstAtLeast(lo, lo + this.perZone, mb);
  }

  /** Marks a host down (it leaves every index) or up again. */
  setUp(h: number, up: boolean): void {
    if (Boolean(this.up[h]) === up) return;
    const zone = this.zoneOf(h);
    const index = this.byValue[zone];
    const used = this.memoryMb - this.freeMb[h]!;
    this.upUsedMbOfZone[zone]! += up ? used : -used;
    this.upCountOfZone[zone]! += up ? 1 : -1;
    if (up) {
      this.up[h] = 1;
      this.freeTree.set(h, this.freeMb[h]!);
      index?.add(h, this.freeMb[h]!);
    } else {
      index?.remove(h, this.freeMb[h]!);
      this.up[h] = 0;
      this.freeTree.set(h, -1);
    }
  }

  private setFree(h: number, free: number): void {
    const index = this.up[h] ? this.byValue[this.zoneOf(h)] : undefined;
    index?.remove(h, this.freeMb[h]!);
    this.freeMb[h] = free;
    if (this.up[h]) this.freeTree.set(h, free);
    index?.add(h, free);
  }
}
