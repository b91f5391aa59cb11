/**
 * Placement policies by name: every name a scenario may give has one (the record is
 * total, so the compiler holds us to it). cache-affinity's fallback is built here from
 * the same registry, with the same options (the same random stream).
 */
import type { PlacementPolicyName } from "../../scenario/types.js";
import { cacheAffinity } from "./cache-affinity.js";
import { consistentHash } from "./consistent-hash.js";
import { bestFit, firstFit, worstFit } from "./fit.js";
import type { PlacementFactory, PlacementOptions, PlacementPolicy } from "./placement-policy.js";
import { p2c, random, roundRobin } from "./sampling.js";

function fallbackOf(options: PlacementOptions): PlacementPolicy {
  if (options.fallback === "cache-affinity")
    throw new RangeError("placement.fallback: cache-affinity cannot fall back to itself");
  return placementPolicies[options.fallback](options);
}

export const placementPolicies: Record<PlacementPolicyName, PlacementFactory> = {
  random,
  "round-robin": roundRobin,
  "first-fit": firstFit,
  "best-fit": bestFit,
  "worst-fit": worstFit,
  p2c,
  "consistent-hash": consistentHash,
  "cache-affinity": (options) => cacheAffinity(options, fallbackOf(options)),
};

/** Whether a policy (or its fallback) reads best-fit's by-free-memory index. */
export function needsValueIndex(
  policy: PlacementPolicyName,
  fallback: PlacementPolicyName,
): boolean {
  return policy === "best-fit" || (policy === "cache-affinity" && fallback === "best-fit");
}
