/**
 * Builds the policies a scenario names, each drawing from its own random stream
 * ("routing", "placement"), so that changing one policy never moves the draws of
 * another, nor of the workload.
 */
import type { Streams } from "../kernel/random.js";
import type { KeepAlivePolicy } from "../policies/keepalive/keepalive-policy.js";
import { keepAlivePolicies } from "../policies/keepalive/registry.js";
import type { PlacementPolicy } from "../policies/placement/placement-policy.js";
import { needsValueIndex, placementPolicies } from "../policies/placement/registry.js";
import { routingPolicies } from "../policies/routing/registry.js";
import type { RoutingIndex } from "../policies/routing/routing-policy.js";
import type { ResolvedScenario } from "../scenario/types.js";
import type { CodeCacheView } from "./code-cache.js";

export interface Policies {
  readonly placement: PlacementPolicy;
  readonly keepAlive: KeepAlivePolicy;
  /** Makes one function's routing index. */
  readonly routing: () => RoutingIndex;
  /** Whether hosts must keep the by-free-memory index best-fit uses. */
  readonly needsValueIndex: boolean;
}

/** The scenario's policies; placement reads the hosts' code caches through `cache`. */
export function buildPolicies(
  scenario: ResolvedScenario,
  streams: Streams,
  cache: CodeCacheView,
): Policies {
  const { placement, keepAlive, balancer } = scenario;
  const keepAliveFactory = keepAlivePolicies[keepAlive.policy];
  const routingFactory = routingPolicies[balancer.routing.policy];
  const routingRng = streams.get("routing");
  return {
    placement: placementPolicies[placement.policy]({
      d: placement.d,
      rng: streams.get("placement"),
      seed: scenario.seed,
      functions: scenario.functions.map((f) => f.name),
      boundedLoad: placement.boundedLoad,
      cache,
      fallback: placement.fallback,
    }),
    keepAlive: keepAliveFactory({ ttlUs: keepAlive.ttlUs, functions: scenario.functions.length }),
    routing: () => routingFactory({ d: balancer.routing.d, rng: routingRng }),
    needsValueIndex: needsValueIndex(placement.policy, placement.fallback),
  };
}
