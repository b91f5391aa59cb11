/**
 * Placement policies built outside a world, for the placement tests: the options a
 * scenario would give, with a code cache the test fills in. The policy is handed the
 * hosts' read-only view, with that cache, as in a world; tests pass the Hosts.
 */
import { createStream } from "../../src/kernel/random.js";
import { CodeCache } from "../../src/model/code-cache.js";
import type { Hosts } from "../../src/model/hosts.js";
import { HostsReadView } from "../../src/model/hosts-view.js";
import type { PlacementOptions } from "../../src/policies/placement/placement-policy.js";
import { placementPolicies } from "../../src/policies/placement/registry.js";
import type { PlacementPolicyName } from "../../src/scenario/types.js";

export const functionNames = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => `fn-${i}`);

export function placementOptions(over: Partial<PlacementOptions> = {}): PlacementOptions {
  return {
    d: 2,
    rng: createStream(over.seed ?? 1, "placement"),
    seed: 1,
    functions: functionNames(8),
    boundedLoad: 1.25,
    fallback: "random",
    ...over,
  };
}

/** A placement policy asked with the Hosts themselves (the view is made for them). */
export interface TestPlacement {
  choose(hosts: Hosts, lo: number, hi: number, mb: number, fn: number): number;
  readonly longestWalk?: number;
}

export interface Built {
  readonly policy: TestPlacement;
  readonly cache: CodeCache;
}

/**
 * Policy `name` on `functionCount` functions (`fn-0`, `fn-1`...), reading a code cache
 * of `cacheHosts` hosts of `cacheMb` each; function i's package is `codeMb(i)` MB.
 */
export function buildPlacement(
  name: PlacementPolicyName,
  {
    seed = 1,
    d = 2,
    functionCount = 8,
    cacheHosts = 32,
    cacheMb = 1000,
    codeMb = (i: number) => 100 + 150 * (i % 4),
    ...over
  }: Partial<Omit<PlacementOptions, "functions">> & {
    functionCount?: number;
    cacheHosts?: number;
    cacheMb?: number;
    codeMb?: (i: number) => number;
  } = {},
): Built {
  const names = functionNames(functionCount);
  const cache = new CodeCache(
    cacheHosts,
    cacheMb,
    names.map((_, i) => codeMb(i)),
  );
  const inner = placementPolicies[name](
    placementOptions({ seed, d, functions: names, rng: createStream(seed, "placement"), ...over }),
  );
  const views = new WeakMap<Hosts, HostsReadView>();
  const viewOf = (hosts: Hosts): HostsReadView => {
    let view = views.get(hosts);
    if (!view) {
      view = new HostsReadView(hosts, cache);
      views.set(hosts, view);
    }
    return view;
  };
  const policy: TestPlacement = {
    choose: (hosts, lo, hi, mb, fn) => inner.choose(viewOf(hosts), lo, hi, mb, fn),
    get longestWalk() {
      return (inner as { longestWalk?: number }).longestWalk;
    },
  };
  return { policy, cache };
}

/**
 * Takes host h down (a crash the balancer knows at once) or brings it back, through the
 * hosts' own down causes, as the fault commands do.
 */
export function setHostUp(hosts: Hosts, h: number, up: boolean): void {
  if (up && !hosts.alive[h]) hosts.removeDownCause(h, true);
  else if (!up && hosts.alive[h]) {
    hosts.addDownCause(h, true);
    hosts.detectDown(h, hosts.epochOf(h));
  }
}
