/**
 * What a policy sees of the world: read-only views of the hosts and of the sandboxes.
 * Built-in policies and policy modules (plugins) get the very same objects, so every
 * built-in proves the interface. A view has no mutator and is frozen: a policy decides,
 * the model applies (STYLE 4).
 *
 * Costs are given per call so that a decision can stay cheap: H is the number of hosts,
 * Z the number of zones. No call scans the hosts.
 */

/**
 * The hosts, numbered 0 .. count-1. Hosts of zone z are the contiguous range
 * [z * perZone, (z + 1) * perZone), so a zone is a range. "Up" is what the balancer
 * believes: a crashed host stays up until its crash is detected.
 */
export interface HostsView {
  /** Number of hosts. */
  readonly count: number;
  /** Number of zones. */
  readonly zones: number;
  /** Hosts per zone. */
  readonly perZone: number;
  /** Memory of every host, MB. */
  readonly memoryMb: number;
  /** vCPUs of every host. */
  readonly cpus: number;

  /** Free memory of host h, MB (whether up or not). O(1). */
  freeMb(h: number): number;
  /** Whether the balancer believes host h is up. O(1). */
  up(h: number): boolean;
  /** Free MB of host h when up, -1 when down: `up` and `freeMb` in one read. O(1). */
  room(h: number): number;
  /** Zone of host h. O(1). */
  zoneOf(h: number): number;
  /** Sandboxes on host h. O(1). */
  sandboxCount(h: number): number;

  /** The most free memory of an up host of [lo, hi), or -1 if none is up. O(log H). */
  maxFree(lo: number, hi: number): number;
  /** An up host of [lo, hi) with the most free memory (the lowest such), or -1. O(log H). */
  argMaxFree(lo: number, hi: number): number;
  /** The lowest-numbered up host of [lo, hi) with at least `mb` free, or -1. O(log H). */
  firstFit(lo: number, hi: number, mb: number): number;
  /**
   * The up host of `zone` with the least free memory that is at least `mb` (best fit),
   * or -1. O(log H) (a by-free-memory index, kept only when a policy may ask: best-fit,
   * cache-affinity falling back to it, and every policy module).
   */
  bestFit(zone: number, mb: number): number;
  /** Up hosts in the zone-aligned range [lo, hi). O(Z). */
  upCount(lo: number, hi: number): number;
  /** Memory used on the up hosts of the zone-aligned range [lo, hi), MB. O(Z). */
  upUsedMb(lo: number, hi: number): number;

  /** Whether host h's code cache holds function fn's package (SPEC 2.3). O(1). */
  caches(h: number, fn: number): boolean;
  /** How many hosts' code caches hold function fn's package. O(1). */
  cachedHostCount(fn: number): number;
  /** The i-th of them, 0 <= i < cachedHostCount(fn), in no meaningful order. O(1). */
  cachedHost(fn: number, i: number): number;
  /** Packages in host h's code cache, least recently used first (a new array). O(packages). */
  cachedPackages(h: number): number[];
}

/** A sandbox's lifecycle state. */
export type SandboxStateName = "initializing" | "ready" | "gone";

/**
 * One sandbox, as a routing index sees it. The model state is read-only (getters, O(1)).
 * The four slots at the end are the routing index's own bookkeeping, for intrusive
 * lists and array positions (what keeps the built-ins O(1)): the index holding the
 * sandbox may write them, the model never reads them, so writing them changes nothing
 * in the world. A sandbox is in at most one routing index (its function's).
 */
export interface SandboxView {
  /** Unique among live sandboxes (reused after a sandbox is gone). */
  readonly id: number;
  /** The function's index (into the scenario's functions). */
  readonly fn: number;
  /** The host it runs on. */
  readonly host: number;
  readonly state: SandboxStateName;
  /** Requests the leader routed here and that are not released yet. */
  readonly outstanding: number;
  /** Executions in progress on the host. */
  readonly running: number;
  readonly memoryMb: number;
  /** Simulated time it was created, µs. */
  readonly createdUs: number;
  /** Simulated time of its last acquire or release at the leader, µs. */
  readonly lastUsedUs: number;

  /** Index slot: previous in an intrusive list. */
  prev: SandboxView | null;
  /** Index slot: next in an intrusive list. */
  next: SandboxView | null;
  /** Index slot: position in an array (-1 when absent). */
  pos: number;
  /** Index slot: bucket number (-1 when absent). */
  bucket: number;
}
