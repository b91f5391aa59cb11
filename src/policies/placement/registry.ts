/**
 * Placement policies by name. `consistent-hash` and `cache-affinity` belong to the host
 * model (code cache, bounded loads) and are not built yet: a scenario that names them
 * is refused before it runs rather than silently placed some other way.
 */
import type { PlacementPolicyName } from "../../scenario/types.js";
import { bestFit, firstFit, worstFit } from "./fit.js";
import type { PlacementFactory } from "./placement-policy.js";
import { p2c, random, roundRobin } from "./sampling.js";

export const placementPolicies: Partial<Record<PlacementPolicyName, PlacementFactory>> = {
  random,
  "round-robin": roundRobin,
  "first-fit": firstFit,
  "best-fit": bestFit,
  "worst-fit": worstFit,
  p2c,
};
