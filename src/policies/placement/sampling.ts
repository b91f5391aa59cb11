/**
 * Policies that sample. `random`: up to three hosts drawn uniformly from the range, the
 * first with room; when all three are full (a nearly full cluster) the first host with
 * room from a random starting point, so a decision stays O(log H) — close to, though
 * not exactly, uniform over the hosts with room. `p2c`: d hosts drawn uniformly, the one
 * with the most free memory among those with room, else as `random`. `round-robin`: the
 * next host with room after the previous choice.
 */
import type { HostsView } from "../views.js";
import { firstFitFrom, type PlacementOptions, type PlacementPolicy } from "./placement-policy.js";

const RANDOM_TRIES = 3;

function randomHost(
  hosts: HostsView,
  lo: number,
  hi: number,
  mb: number,
  rng: () => number,
): number {
  for (let i = 0; i < RANDOM_TRIES; i++) {
    const h = lo + Math.floor(rng() * (hi - lo));
    if (hosts.room(h) >= mb) return h;
  }
  return firstFitFrom(hosts, lo, hi, lo + Math.floor(rng() * (hi - lo)), mb);
}

export const random = ({ rng }: PlacementOptions): PlacementPolicy => ({
  choose: (hosts, lo, hi, mb) => randomHost(hosts, lo, hi, mb, rng),
});

export const p2c = ({ rng, d }: PlacementOptions): PlacementPolicy => ({
  choose(hosts, lo, hi, mb) {
    let best = -1;
    let bestRoom = -1;
    for (let i = 0; i < d; i++) {
      const h = lo + Math.floor(rng() * (hi - lo));
      const room = hosts.room(h);
      if (room < mb) continue;
      if (best < 0 || room > bestRoom) {
        best = h;
        bestRoom = room;
      }
    }
    return best >= 0 ? best : randomHost(hosts, lo, hi, mb, rng);
  },
});

export const roundRobin = (): PlacementPolicy => {
  let next = 0;
  return {
    choose(hosts, lo, hi, mb) {
      const start = next >= lo && next < hi ? next : lo;
      const h = firstFitFrom(hosts, lo, hi, start, mb);
      if (h >= 0) next = h + 1;
      return h;
    },
  };
};
