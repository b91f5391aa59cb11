/**
 * Builds the policies a scenario names, built-in or module (SPEC 12), each drawing from
 * its own random stream ("routing", "placement", "retries"; a module
 * `plugin/<role>/<file name>`), so that changing one policy never moves the draws of
 * another, nor of the workload. Every placement policy reads the hosts through the one
 * read-only view; a module's policy is wrapped in a guard (policies/plugins/checked.ts).
 */

import { RetryPolicy } from "../faults/retry.js";
import type { Streams } from "../kernel/random.js";
import type { KeepAlivePolicy } from "../policies/keepalive/keepalive-policy.js";
import { keepAlivePolicies } from "../policies/keepalive/registry.js";
import type { PlacementPolicy } from "../policies/placement/placement-policy.js";
import {
  needsValueIndex as builtinNeedsValueIndex,
  placementPolicies,
} from "../policies/placement/registry.js";
import {
  checkedKeepAlive,
  checkedPlacement,
  checkedRetry,
  checkedRouting,
} from "../policies/plugins/checked.js";
import { messageOf, PluginError } from "../policies/plugins/errors.js";
import { type LoadedPlugin, loadedPlugin } from "../policies/plugins/load.js";
import type { RetryDecider } from "../policies/retry/retry-policy.js";
import { routingPolicies } from "../policies/routing/registry.js";
import type { RoutingIndex } from "../policies/routing/routing-policy.js";
import type { HostsView } from "../policies/views.js";
import { pluginOf } from "../scenario/plugins.js";
import { isModulePath } from "../scenario/schema-values.js";
import type { PluginRole, ResolvedScenario } from "../scenario/types.js";

export interface Policies {
  /** The placement policy, bound to the hosts' view. */
  readonly placement: { choose(lo: number, hi: number, mb: number, fn: number): number };
  readonly keepAlive: KeepAlivePolicy;
  /** Makes function `fn`'s routing index. */
  readonly routing: (fn: number) => RoutingIndex;
  /** The clients' retry decisions; null without a `clients` section. */
  readonly retry: RetryDecider | null;
}

/** Whether hosts must keep the by-free-memory index best-fit uses (a module may use it too). */
export function needsValueIndex(scenario: ResolvedScenario): boolean {
  const { policy, fallback } = scenario.placement;
  return isModulePath(policy) || builtinNeedsValueIndex(policy, fallback);
}

/** The scenario's policies; placement reads the hosts (and code caches) through `hosts`. */
export function buildPolicies(
  scenario: ResolvedScenario,
  streams: Streams,
  hosts: HostsView,
): Policies {
  const { placement, keepAlive, balancer, clients } = scenario;
  const module = (role: PluginRole) => {
    const plugin = pluginOf(scenario, role);
    return plugin === undefined ? undefined : loadedPlugin(plugin);
  };
  const placementOptions = {
    d: placement.d,
    rng: streams.get("placement"),
    seed: scenario.seed,
    functions: scenario.functions.map((f) => f.name),
    boundedLoad: placement.boundedLoad,
    fallback: placement.fallback,
  };
  const placer = module("placement");
  const policy: PlacementPolicy = placer
    ? checkedPlacement(
        placer.location.file,
        make(placer, { ...placementOptions, ...own(placer, streams) }),
      )
    : placementPolicies[placement.policy as keyof typeof placementPolicies](placementOptions);

  const keeper = module("keepAlive");
  const keepAliveOptions = { ttlUs: keepAlive.ttlUs, functions: scenario.functions.length };
  const keepAlivePolicy = keeper
    ? checkedKeepAlive(
        keeper.location.file,
        make(keeper, { ...keepAliveOptions, ...own(keeper, streams) }),
      )
    : keepAlivePolicies[keepAlive.policy as keyof typeof keepAlivePolicies](keepAliveOptions);

  const router = module("routing");
  const routingRng = router ? own(router, streams).rng : streams.get("routing");
  const routingFactory = router
    ? (fn: number) =>
        checkedRouting(
          router.location.file,
          make(router, { d: balancer.routing.d, rng: routingRng, fn, options: router.options }),
          fn,
        )
    : (fn: number) =>
        routingPolicies[balancer.routing.policy as keyof typeof routingPolicies]({
          d: balancer.routing.d,
          rng: routingRng,
          fn,
        });

  let retry: RetryDecider | null = null;
  if (clients) {
    const retrier = module("retry");
    retry = retrier
      ? checkedRetry(
          retrier.location.file,
          make(retrier, { spec: clients.retry, ...own(retrier, streams) }),
          clients.retry.maxAttempts,
        )
      : new RetryPolicy(clients.retry, streams.get("retries"));
  }

  return {
    placement: { choose: (lo, hi, mb, fn) => policy.choose(hosts, lo, hi, mb, fn) },
    keepAlive: keepAlivePolicy,
    routing: routingFactory,
    retry,
  };
}

/** A module's own stream and options. */
function own(loaded: LoadedPlugin, streams: Streams) {
  const name = loaded.location.absolute.split(/[\\/]/).pop() ?? loaded.plugin.path;
  return { rng: streams.get(`plugin/${loaded.plugin.role}/${name}`), options: loaded.options };
}

/** Calls a module's factory; a throw names the file (exit 1: the run was starting). */
function make(loaded: LoadedPlugin, options: unknown): unknown {
  try {
    return (loaded.factory as (o: unknown) => unknown)(options);
  } catch (error) {
    throw new PluginError(
      loaded.location.file,
      `the default export threw: ${messageOf(error)}`,
      true,
    );
  }
}
