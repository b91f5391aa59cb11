/**
 * The hosts' code caches (SPEC 2.3): per host, an LRU set of function packages of at
 * most `capacityMb` in total, each of its function's `codeMb`. A cold start loads the
 * function's package on its host: a hit if the cache held it, a miss otherwise; either
 * way the package is then the most recently used, and the least recently used ones are
 * evicted until the total fits. A package larger than the whole cache is never cached.
 * Recency is that of cold starts (package loads): warm requests do not touch the cache,
 * so the hot path pays nothing for it.
 *
 * Every operation is O(1) (eviction O(1) per package evicted): a host's set is a JS Map
 * from function to slot, whose insertion order is the LRU order (a touch deletes and
 * re-inserts). Beside it, per function, the hosts whose cache holds it, as an array with
 * positions (the Map's value is the host's position in its function's array), so that
 * cache-affinity placement samples caching hosts uniformly in O(1) without a scan.
 *
 * With `capacityMb` 0 (the default) there is no cache: every load is a miss and nothing
 * is stored.
 */

/** What placement policies read of the caches (never write). */
export interface CodeCacheView {
  /** How many hosts' caches hold function `fn`'s package. */
  holderCount(fn: number): number;
  /** The i-th of them (0 <= i < holderCount(fn)), in no meaningful order. */
  holder(fn: number, i: number): number;
  /** Whether host `host`'s cache holds function `fn`'s package. */
  holds(host: number, fn: number): boolean;
}

/** A view of no cache at all (for policies built without one). */
export const NO_CODE_CACHE: CodeCacheView = {
  holderCount: () => 0,
  holder: () => -1,
  holds: () => false,
};

export class CodeCache implements CodeCacheView {
  readonly enabled: boolean;
  /** MB of packages held, per host. */
  readonly usedMb: Float64Array;
  /** Per host, function -> position in holders[function]; oldest (LRU) first. Lazy. */
  private readonly sets: (Map<number, number> | undefined)[];
  /** Per function, the hosts holding its package. */
  private readonly holders: number[][];

  constructor(
    hostCount: number,
    readonly capacityMb: number,
    /** Package size of each function, by function index. */
    private readonly codeMb: readonly number[],
  ) {
    this.enabled = capacityMb > 0;
    this.usedMb = new Float64Array(this.enabled ? hostCount : 0);
    this.sets = this.enabled ? new Array(hostCount) : [];
    this.holders = this.enabled ? codeMb.map(() => []) : [];
  }

  holds(host: number, fn: number): boolean {
    return this.sets[host]?.has(fn) ?? false;
  }

  holderCount(fn: number): number {
    return this.holders[fn]?.length ?? 0;
  }

  holder(fn: number, i: number): number {
    return this.holders[fn]![i]!;
  }

  /** Packages held by `host`, least recently used first. */
  packages(host: number): number[] {
    return [...(this.sets[host]?.keys() ?? [])];
  }

  /**
   * A cold start of `fn` on `host` loads its package: returns whether the cache held it
   * (a hit), then makes it the most recently used, evicting the least recently used
   * packages until it fits (a package larger than the cache is not cached).
   */
  load(host: number, fn: number): boolean {
    if (!this.enabled) return false;
    let set = this.sets[host];
    const pos = set?.get(fn);
    if (set && pos !== undefined) {
      set.delete(fn);
      set.set(fn, pos);
      return true;
    }
    const mb = this.codeMb[fn]!;
    if (mb > this.capacityMb) return false;
    if (!set) {
      set = new Map();
      this.sets[host] = set;
    }
    while (set.size > 0 && this.usedMb[host]! + mb > this.capacityMb) {
      const oldest = set.keys().next().value as number;
      this.evict(host, set, oldest);
    }
    const holders = this.holders[fn]!;
    set.set(fn, holders.length);
    holders.push(host);
    this.usedMb[host]! += mb;
    return false;
  }

  /** Empties `host`'s cache (its host crashed: memory and local disk are gone). */
  clear(host: number): void {
    const set = this.sets[host];
    if (!set) return;
    for (const fn of [...set.keys()]) this.evict(host, set, fn);
  }

  private evict(host: number, set: Map<number, number>, fn: number): void {
    const pos = set.get(fn)!;
    set.delete(fn);
    const holders = this.holders[fn]!;
    const last = holders.pop()!;
    if (pos < holders.length) {
      holders[pos] = last;
      this.sets[last]!.set(fn, pos); // an existing key keeps its place in the LRU order
    }
    // Summing fractional sizes drifts; an empty cache holds exactly nothing.
    this.usedMb[host] = set.size === 0 ? 0 : this.usedMb[host]! - this.codeMb[fn]!;
  }
}
