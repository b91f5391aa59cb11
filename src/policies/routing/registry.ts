/** Routing policies by the name a scenario gives them. */
import type { RoutingPolicyName } from "../../scenario/types.js";
import { leastOutstanding } from "./least-outstanding.js";
import { p2c } from "./p2c.js";
import { random } from "./random.js";
import { lru, mru } from "./recency.js";
import { roundRobin } from "./round-robin.js";
import type { RoutingFactory } from "./routing-policy.js";

export const routingPolicies: Record<RoutingPolicyName, RoutingFactory> = {
  mru,
  lru,
  random,
  "round-robin": roundRobin,
  "least-outstanding": leastOutstanding,
  p2c,
};
