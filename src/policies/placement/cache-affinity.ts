/**
 * `cache-affinity`: a cold start on a host whose code cache holds the function's package
 * samples the (faster) cached cold-start distribution (SPEC 2.3), so place there when
 * one can take the sandbox. Up to `d` of the hosts caching the function are drawn
 * uniformly and independently from the caches' per-function index (all of them when
 * there are at most `d`; no scan of the hosts), and the one with the most free memory
 * among those in the range that are up and have room takes the sandbox (ties: the one
 * looked at first). When none can, the `fallback` policy decides. O(d) plus the fallback's
 * cost.
 *
 * Drawing with replacement keeps a decision O(d) without touching the index; with more
 * than `d` caching hosts a draw may repeat one, which only costs that decision a sample.
 */
import type { HostsView } from "../views.js";
import type { PlacementOptions, PlacementPolicy } from "./placement-policy.js";

export function cacheAffinity(
  { d, rng }: PlacementOptions,
  fallback: PlacementPolicy,
): PlacementPolicy {
  const fits = (hosts: HostsView, h: number, lo: number, hi: number, mb: number): boolean =>
    h >= lo && h < hi && hosts.room(h) >= mb;
  return {
    choose(hosts, lo, hi, mb, fn) {
      const n = hosts.cachedHostCount(fn);
      let best = -1;
      const all = n <= d;
      for (let i = 0; i < (all ? n : d); i++) {
        const h = hosts.cachedHost(fn, all ? i : Math.floor(rng() * n));
        if (!fits(hosts, h, lo, hi, mb)) continue;
        if (best < 0 || hosts.freeMb(h) > hosts.freeMb(best)) best = h;
      }
      return best >= 0 ? best : fallback.choose(hosts, lo, hi, mb, fn);
    },
  };
}
