/**
 * Placement: which host gets a new sandbox. A policy reads the hosts (free memory and
 * its indexes) and returns a host in [lo, hi) that is up and has `mb` MB free, or -1;
 * it changes nothing (the caller reserves the memory). Each decision costs O(log H) or
 * O(d) — no policy scans the hosts. `lo` and `hi` are zone boundaries (the model asks
 * for the whole cluster or one zone): best-fit's index is kept per zone.
 */
import type { Rng } from "../../kernel/dist-spec.js";
import type { Hosts } from "../../model/hosts.js";

export interface PlacementPolicy {
  choose(hosts: Hosts, lo: number, hi: number, mb: number): number;
}

export interface PlacementOptions {
  /** Hosts sampled by p2c. */
  readonly d: number;
  /** The placement random stream. */
  readonly rng: Rng;
}

export type PlacementFactory = (options: PlacementOptions) => PlacementPolicy;

/** First host in [lo, hi) with room, starting the search at `start` and wrapping. */
export function firstFitFrom(
  hosts: Hosts,
  lo: number,
  hi: number,
  start: number,
  mb: number,
): number {
  const h = hosts.freeTree.firstAtLeast(start, hi, mb);
  return h >= 0 ? h : hosts.freeTree.firstAtLeast(lo, start, mb);
}
