/**
 * Builds the policies a scenario names, each drawing from its own random stream
 * ("routing", "placement"), so that changing one policy never moves the draws of
 * another, nor of the workload.
 */
import type { Streams } from "../kernel/random.js";
import type { KeepAlivePolicy } from "../policies/keepalive/keepalive-policy.js";
import { keepAlivePolicies } from "../policies/keepalive/registry.js";
import type { PlacementPolicy } from "../policies/placement/placement-policy.js";
import { placementPolicies } from "../policies/placement/registry.js";
import { routingPolicies } from "../policies/routing/registry.js";
import type { RoutingIndex } from "../policies/routing/routing-policy.js";
import type { ResolvedScenario } from "../scenario/types.js";

/** A valid scenario asks for something this version does not model yet (exit 2). */
export class UnsupportedFeatureError extends Error {}

export interface Policies {
  readonly placement: PlacementPolicy;
  readonly keepAlive: KeepAlivePolicy;
  /** Makes one function's routing index. */
  readonly routing: () => RoutingIndex;
  /** Whether hosts must keep the by-free-memory index best-fit uses. */
  readonly needsValueIndex: boolean;
}

/**
 * Refuses what a valid scenario may ask for but this version does not model yet, so
 * that no field is silently ignored.
 */
export function refuseUnsupported(scenario: ResolvedScenario): void {
  const refuse = (what: string): never => {
    throw new UnsupportedFeatureError(`${what} is not modelled in this version of lbsim`);
  };
  if (scenario.cluster.host.codeCacheMb > 0) refuse("cluster.host.codeCacheMb (the code cache)");
}

export function buildPolicies(scenario: ResolvedScenario, streams: Streams): Policies {
  refuseUnsupported(scenario);
  const { placement, keepAlive, balancer } = scenario;
  const placementFactory = placementPolicies[placement.policy];
  if (!placementFactory)
    throw new UnsupportedFeatureError(
      `placement.policy: "${placement.policy}" is not implemented in this version`,
    );
  const keepAliveFactory = keepAlivePolicies[keepAlive.policy];
  if (!keepAliveFactory)
    throw new UnsupportedFeatureError(
      `keepAlive.policy: "${keepAlive.policy}" is not implemented in this version`,
    );
  const routingFactory = routingPolicies[balancer.routing.policy];
  const routingRng = streams.get("routing");
  return {
    placement: placementFactory({ d: placement.d, rng: streams.get("placement") }),
    keepAlive: keepAliveFactory({ ttlUs: keepAlive.ttlUs }),
    routing: () => routingFactory({ d: balancer.routing.d, rng: routingRng }),
    needsValueIndex: placement.policy === "best-fit",
  };
}
