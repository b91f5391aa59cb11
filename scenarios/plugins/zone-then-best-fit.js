// @ts-check
/**
 * A placement policy module for lbsim (README, "Writing a policy"): the least loaded
 * zone first, then best fit inside it. Best fit alone packs sandboxes onto the fewest
 * hosts but piles them into whichever zone fills first; p2c spreads them over every
 * host. This keeps best fit's packing inside each zone while the zones stay evenly
 * loaded, so that losing a zone loses about a third of the sandboxes, not most of them.
 *
 * Plain JavaScript, checked by editors through the JSDoc types: no build step. The
 * default export is a factory with the built-ins' signature: lbsim calls it once per
 * run with the placement options and this module's own options and random stream.
 * Every decision is O(Z log H): one max-tree query and two O(Z) sums per zone, then
 * one best-fit query.
 */
import * as z from "zod";

/** Which family this module belongs to (lbsim checks it against the field naming it). */
export const kind = "placement";

/** Its options (`placement.options` in a scenario), validated when the module loads. */
export const options = z
  .object({
    /** How to choose inside the chosen zone. */
    within: z.enum(["best-fit", "first-fit"]).default("best-fit"),
  })
  .strict();

/** @type {import("lbsim").PlacementFactory} */
export default function zoneThenBestFit(placement) {
  const within = String(placement.options?.within ?? "best-fit");
  return {
    choose(hosts, lo, hi, mb) {
      let zone = -1;
      let zoneLoad = Number.POSITIVE_INFINITY;
      for (let z = hosts.zoneOf(lo); z <= hosts.zoneOf(hi - 1); z++) {
        const zoneLo = z * hosts.perZone;
        const zoneHi = zoneLo + hosts.perZone;
        if (hosts.maxFree(zoneLo, zoneHi) < mb) continue; // no up host here has room
        const load = hosts.upUsedMb(zoneLo, zoneHi) / hosts.upCount(zoneLo, zoneHi);
        if (load < zoneLoad) {
          zone = z;
          zoneLoad = load;
        }
      }
      if (zone < 0) return -1;
      const zoneLo = zone * hosts.perZone;
      return within === "first-fit"
        ? hosts.firstFit(zoneLo, zoneLo + hosts.perZone, mb)
        : hosts.bestFit(zone, mb);
    },
  };
}
