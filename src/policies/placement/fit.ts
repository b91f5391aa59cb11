/**
 * The bin-packing family. `first-fit`: the lowest-numbered host with room. `best-fit`:
 * the host with the least free memory that fits (packs hosts tight, so fewer are
 * active). `worst-fit`: the host with the most free memory (spreads load).
 */
import type { PlacementPolicy } from "./placement-policy.js";

export const firstFit = (): PlacementPolicy => ({
  choose: (hosts, lo, hi, mb) => hosts.firstFit(lo, hi, mb),
});

export const worstFit = (): PlacementPolicy => ({
  choose(hosts, lo, hi, mb) {
    const h = hosts.argMaxFree(lo, hi);
    return h >= 0 && hosts.freeMb(h) >= mb ? h : -1;
  },
});

export const bestFit = (): PlacementPolicy => ({
  choose(hosts, lo, hi, mb) {
    let best = -1;
    const zLo = hosts.zoneOf(lo);
    const zHi = hosts.zoneOf(hi - 1);
    for (let z = zLo; z <= zHi; z++) {
      const h = hosts.bestFit(z, mb);
      if (h < 0) continue;
      if (best < 0 || hosts.freeMb(h) < hosts.freeMb(best)) best = h;
    }
    return best;
  },
});
