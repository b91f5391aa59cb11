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
  /** Running: no down cause is active (a crashed host is not, from the moment it crashes). */
  readonly alive: Uint8Array;
  /** Active down causes per host (crashes and outages of its zone). */
  private readonly downCauses: Int32Array;
  /** Of them, crashes (an outage alone leaves a host free to be picked by a crash). */
  private readonly crashCauses: Int32Array;
  /** Bumped each time a host goes down: which down episode a detection belongs to. */
  private readonly downEpoch: Int32Array;
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
    this.downCauses = new Int32Array(this.count);
    this.crashCauses = new Int32Array(this.count);
    this.downEpoch = new Int32Array(this.count);
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

  /**
   * One more down cause holds host h. Returns true when the host just stopped: its
   * executions stop (no CPU demand) and a new down epoch begins.
   */
  addDownCause(h: number, crash: boolean): boolean {
    if (crash) this.crashCauses[h]!++;
    if (this.downCauses[h]!++ > 0) return false;
    this.alive[h] = 0;
    this.busyCpu[h] = 0;
    this.downEpoch[h]!++;
    return true;
  }

  /**
   * One down cause of host h ended. Returns true when none is left: the host runs again,
   * healthy (no slowdown) and, as far as placement knows, up.
   */
  removeDownCause(h: number, crash: boolean): boolean {
    if (this.downCauses[h] === 0 || (crash && this.crashCauses[h] === 0))
      throw new Error(`host ${h}: no down cause to end`);
    if (crash) this.crashCauses[h]!--;
    if (--this.downCauses[h]! > 0) return false;
    this.alive[h] = 1;
    this.slowdown[h] = 1;
    this.setUp(h, true);
    return true;
  }

  /** Whether a crash holds host h down (an outage of its zone may, besides). */
  crashed(h: number): boolean {
    return this.crashCauses[h]! > 0;
  }

  /** The current (or last) down epoch of host h. */
  epochOf(h: number): number {
    return this.downEpoch[h]!;
  }

  /**
   * The balancer detects the down episode `epoch` of host h: true when it is still down
   * in that episode and was believed up (placement stops choosing it).
   */
  detectDown(h: number, epoch: number): boolean {
    if (this.alive[h] || this.downEpoch[h] !== epoch || !this.up[h]) return false;
    this.setUp(h, false);
    return true;
  }

  /** Executions starting on h take `factor` times longer (a slow-hosts fault; 1 to end it). */
  setSlowdown(h: number, factor: number): void {
    this.slowdown[h] = factor;
  }

  /** An execution of a sandbox demanding `cpu` vCPUs begins on h; returns the host's demand. */
  demandCpu(h: number, cpu: number): number {
    this.busyCpu[h]! += cpu;
    return this.busyCpu[h]!;
  }

  /** A sandbox demanding `cpu` vCPUs stopped running anything on h (nothing if h is down). */
  releaseCpu(h: number, cpu: number): void {
    if (this.alive[h]) this.busyCpu[h]! -= cpu;
  }

  /** Marks a host down (it leaves every index) or up again, as the balancer believes. */
  private setUp(h: number, up: boolean): void {
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
