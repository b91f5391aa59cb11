/**
 * Routing: which ready sandbox of a function takes a request. Each function has its
 * own index of candidates (ready sandboxes that can take one more request); the model
 * tells it which sandboxes enter and leave the candidate set and when a candidate's
 * outstanding count changes, and asks it to pick one. Every operation is O(1) or
 * O(d): nothing scans all sandboxes. Sandboxes are read-only views (../views.ts) whose
 * four slots (prev, next, pos, bucket) are the index's own bookkeeping.
 *
 * A policy module for `balancer.routing` default-exports a `RoutingFactory`: called once
 * per function, with the options below (its own random stream as `rng`).
 */
import type { Rng } from "../../kernel/dist-spec.js";
import type { SandboxView } from "../views.js";

export interface RoutingIndex {
  /** The sandbox became a candidate. */
  add(sb: SandboxView): void;
  /** The sandbox stopped being a candidate. */
  remove(sb: SandboxView): void;
  /** A candidate was acquired or released (its outstanding count changed). */
  touched(sb: SandboxView): void;
  /** Picks a candidate, or null when there is none. Does not change the world. */
  pick(): SandboxView | null;
  readonly size: number;
}

export interface RoutingOptions {
  /** Sandboxes sampled by p2c. */
  readonly d: number;
  /** The routing random stream (shared by every function's index). */
  readonly rng: Rng;
  /** The function this index is for (its index in the scenario's functions). */
  readonly fn?: number;
  /** A policy module's own options (`balancer.routing.options`), validated; {} for built-ins. */
  readonly options?: Readonly<Record<string, unknown>>;
}

export type RoutingFactory = (options: RoutingOptions) => RoutingIndex;
