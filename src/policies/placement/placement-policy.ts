/**
 * Placement: which host gets a new sandbox. A policy reads the hosts (free memory and
 * its indexes) and returns a host in [lo, hi) that is up and has `mb` MB free, or -1;
 * it changes nothing (the caller reserves the memory). Each decision costs O(log H) or
 * O(d) — no policy scans the hosts. `lo` and `hi` are zone boundaries (the model asks
 * for the whole cluster or one zone): best-fit's index and consistent-hash's rings are
 * kept per zone. `fn` is the function the sandbox is for (an index into
 * `PlacementOptions.functions`): consistent-hash hashes its name, cache-affinity looks
 * it up in the code caches; the other policies ignore it.
 *
 * A policy module for `placement.policy` default-exports a `PlacementFactory`: it is
 * called once per run with the options below (`rng` its own stream) and returns the
 * policy. Every call it may make on the hosts is O(1) or O(log H) (../views.ts).
 */
import type { Rng } from "../../kernel/dist-spec.js";
import type { PlacementPolicyName } from "../../scenario/types.js";
import type { HostsView } from "../views.js";

export interface PlacementPolicy {
  choose(hosts: HostsView, lo: number, hi: number, mb: number, fn: number): number;
}

export interface PlacementOptions {
  /** Hosts sampled by p2c; caching hosts sampled by cache-affinity. */
  readonly d: number;
  /** The placement random stream. */
  readonly rng: Rng;
  /** The scenario's seed: consistent-hash's ring and keys derive from it. */
  readonly seed: number;
  /** Function names by index (what `fn` of `choose` refers to). */
  readonly functions: readonly string[];
  /** consistent-hash: a host may hold at most this many times the mean load (>= 1). */
  readonly boundedLoad: number;
  /** cache-affinity's policy for functions no sampled caching host can take. */
  readonly fallback: PlacementPolicyName;
  /** A policy module's own options (`placement.options`), validated; absent for built-ins. */
  readonly options?: Readonly<Record<string, unknown>>;
}

export type PlacementFactory = (options: PlacementOptions) => PlacementPolicy;

/** First host in [lo, hi) with at least `mb` free, starting the search at `start` and wrapping. */
export function firstFitFrom(
  hosts: HostsView,
  lo: number,
  hi: number,
  start: number,
  mb: number,
): number {
  const h = hosts.firstFit(start, hi, mb);
  return h >= 0 ? h : hosts.firstFit(lo, start, mb);
}
