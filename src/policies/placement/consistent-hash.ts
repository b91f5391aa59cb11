/**
 * `consistent-hash`: consistent hashing with bounded loads (Mirrokni, Thorup and
 * Zadimoghaddam, "Consistent Hashing with Bounded Loads", SODA 2018). Hosts sit on a
 * ring as virtual nodes; a function's key is `hashString(seed, name)`; its sandbox goes
 * to the first host clockwise from the key that is up, has room and is not overloaded.
 * So a function keeps landing on the same host while that host has room and stays
 * within the bound (its code stays cached there), and adding or removing a host moves
 * only the functions whose walk passes it.
 *
 * The bound. The paper gives each bin a capacity of ceil(c * m / n) balls (m balls
 * counting the new one, n bins). In memory: a host may take the sandbox if the memory
 * it uses now is at most c × (U + mb) / n, where U is the memory used on the n up hosts
 * of the range and mb the new sandbox — after placing, at most c times the mean load
 * plus the one sandbox. Some up host is always within it (the least loaded one uses at
 * most the mean), so the bound never makes placement fail: if no host within the bound
 * has room, the first host with room along the same path takes the sandbox. Hosts all
 * have the same memory, so "uses at most B" is "has at least memoryMb - B free": the
 * bound and the room check are one threshold on free memory, which the free-memory
 * max-tree answers exactly.
 *
 * Cost, O(log H) per decision, whatever the load:
 * - One ring per zone, so that a zone-restricted range (the model asks for whole zones
 *   or the whole cluster) never walks over other zones' hosts. For a range of several
 *   zones, a second hash of the key picks the zone to start in; zones whose best host is
 *   below the threshold (max-tree, O(log H)) are skipped.
 * - The start is a binary search over the zone's ring: O(log(VNODES_PER_HOST × hosts)).
 * - The walk visits at most WALK_MAX_STEPS = 128 virtual nodes (about 1 µs: a step is
 *   two array reads, ~8 ns); past that the first host above the threshold from the last
 *   one visited, by host number (a max-tree descent), takes the sandbox. That one
 *   exists: the zone's maximum was checked first. Long walks are the exception: half
 *   the hosts above the bound still means two steps on average.
 *
 * Virtual nodes: VNODES_PER_HOST = 32 per host. Each host's share of the key space then
 * varies by about 1/sqrt(32) ≈ 18% (coefficient of variation), so with the default
 * bound of 1.25 few hosts start out over it and walks stay short. A zone's ring is a
 * Uint32Array of points and an Int32Array of their hosts: 8 bytes per virtual node,
 * 256 bytes per host, 25.6 MB at 100,000 hosts (and as much again, transient, while it
 * is sorted). It is built on the first decision in each zone: ~0.13 s for a zone of
 * 100,000 hosts. Virtual node points derive from (seed, zone, host's position in its
 * zone, replica), so growing a zone keeps every existing point.
 *
 * Every sandbox of a function starts its walk at the same point, so a function with
 * many sandboxes fills its home host to the bound, then the next host on its path, and
 * so on: the paper's analysis assumes distinct keys, and here the walk limit (then the
 * max-tree) is what keeps a busy function's decisions cheap.
 */
import { fmix32, hashString } from "../../kernel/random.js";
import type { HostsView } from "../views.js";
import { firstFitFrom, type PlacementOptions, type PlacementPolicy } from "./placement-policy.js";

export const VNODES_PER_HOST = 32;
export const WALK_MAX_STEPS = 128;

/** One zone's ring: virtual nodes' points, ascending, and the host (in the zone) of each. */
class Ring {
  readonly points: Uint32Array;
  readonly owners: Int32Array;

  constructor(seedMix: number, zone: number, perZone: number) {
    const n = perZone * VNODES_PER_HOST;
    const points = new Uint32Array(n);
    const owners = new Int32Array(n);
    const zoneMix = fmix32(seedMix ^ zone);
    let k = 0;
    for (let i = 0; i < perZone; i++) {
      const hostMix = fmix32(zoneMix ^ i);
      for (let v = 0; v < VNODES_PER_HOST; v++) {
        points[k] = fmix32(hostMix ^ Math.imul(v + 1, 0x9e3779b1));
        owners[k++] = i;
      }
    }
    [this.points, this.owners] = radixSort(points, owners);
  }

  /** Index of the first virtual node at or after `point` (clockwise), wrapping to 0. */
  start(point: number): number {
    const points = this.points;
    let lo = 0;
    let hi = points.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (points[mid]! < point) lo = mid + 1;
      else hi = mid;
    }
    return lo === points.length ? 0 : lo;
  }
}

/**
 * Sorts `points` ascending, carrying `owners` along: LSD radix sort in two 16-bit
 * passes, stable (equal points keep host order). A zone of 100,000 hosts has 3.2 M
 * virtual nodes: ~0.13 s here, against ~0.5 s for a typed-array sort of packed keys.
 */
function radixSort(points: Uint32Array, owners: Int32Array): [Uint32Array, Int32Array] {
  const n = points.length;
  let p: Uint32Array = points;
  let o: Int32Array = owners;
  let q: Uint32Array = new Uint32Array(n);
  let r: Int32Array = new Int32Array(n);
  const count = new Uint32Array(1 << 16);
  for (const shift of [0, 16]) {
    count.fill(0);
    for (let j = 0; j < n; j++) count[(p[j]! >>> shift) & 0xffff]!++;
    let sum = 0;
    for (let b = 0; b < count.length; b++) {
      const c = count[b]!;
      count[b] = sum;
      sum += c;
    }
    for (let j = 0; j < n; j++) {
      const to = count[(p[j]! >>> shift) & 0xffff]!++;
      q[to] = p[j]!;
      r[to] = o[j]!;
    }
    [p, o, q, r] = [q, r, p, o];
  }
  return [p, o];
}

export interface ConsistentHashPolicy extends PlacementPolicy {
  /** The most virtual nodes one decision's walk has visited (for tests and the bench). */
  readonly longestWalk: number;
}

class ConsistentHash implements ConsistentHashPolicy {
  longestWalk = 0;
  private readonly keys: Uint32Array;
  /** A second hash of each key: which zone of a multi-zone range to start in. */
  private readonly zoneKeys: Uint32Array;
  private readonly seedMix: number;
  private readonly c: number;
  /** Rings of the hosts they were built for, one per zone, built on first use. */
  private rings: (Ring | undefined)[] = [];
  private ringsFor: HostsView | null = null;

  constructor(options: PlacementOptions) {
    this.keys = Uint32Array.from(options.functions, (name) => hashString(options.seed, name));
    this.zoneKeys = this.keys.map((k) => fmix32(k ^ 0x5bd1e995));
    this.seedMix = hashString(options.seed, "consistent-hash/virtual-nodes");
    this.c = options.boundedLoad;
  }

  choose(hosts: HostsView, lo: number, hi: number, mb: number, fn: number): number {
    const n = lo < hi ? hosts.upCount(lo, hi) : 0;
    if (n === 0) return -1;
    const boundMb = (this.c * (hosts.upUsedMb(lo, hi) + mb)) / n;
    const withinBound = Math.max(mb, hosts.memoryMb - boundMb);
    const h = this.search(hosts, lo, hi, withinBound, fn);
    if (h >= 0 || withinBound <= mb) return h;
    return this.search(hosts, lo, hi, mb, fn);
  }

  /** The first host along fn's path with at least `minFreeMb` free, or -1. */
  private search(hosts: HostsView, lo: number, hi: number, minFreeMb: number, fn: number): number {
    const key = this.keys[fn];
    if (key === undefined) throw new RangeError(`consistent-hash: no function ${fn}`);
    const perZone = hosts.perZone;
    const zLo = hosts.zoneOf(lo);
    const zones = hosts.zoneOf(hi - 1) - zLo + 1;
    const first = this.zoneKeys[fn]! % zones;
    for (let k = 0; k < zones; k++) {
      const z = zLo + ((first + k) % zones);
      const zoneLo = z * perZone;
      if (hosts.maxFree(zoneLo, zoneLo + perZone) < minFreeMb) continue;
      return this.walk(hosts, this.ring(hosts, z), zoneLo, minFreeMb, key);
    }
    return -1;
  }

  /** Walks the ring clockwise from `key`; the zone holds a host with `minFreeMb` free. */
  private walk(
    hosts: HostsView,
    ring: Ring,
    zoneLo: number,
    minFreeMb: number,
    key: number,
  ): number {
    const owners = ring.owners;
    const steps = Math.min(WALK_MAX_STEPS, owners.length);
    let i = ring.start(key);
    let h = zoneLo;
    for (let s = 1; s <= steps; s++) {
      h = zoneLo + owners[i]!;
      if (hosts.room(h) >= minFreeMb) {
        if (s > this.longestWalk) this.longestWalk = s;
        return h;
      }
      if (++i === owners.length) i = 0;
    }
    this.longestWalk = Math.max(this.longestWalk, steps);
    return firstFitFrom(hosts, zoneLo, zoneLo + hosts.perZone, h, minFreeMb);
  }

  private ring(hosts: HostsView, zone: number): Ring {
    if (this.ringsFor !== hosts) {
      this.rings = new Array(hosts.zones);
      this.ringsFor = hosts;
    }
    let ring = this.rings[zone];
    if (!ring) {
      ring = new Ring(this.seedMix, zone, hosts.perZone);
      this.rings[zone] = ring;
    }
    return ring;
  }
}

export const consistentHash = (options: PlacementOptions): ConsistentHashPolicy =>
  new ConsistentHash(options);
