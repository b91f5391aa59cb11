/**
 * Routing: which ready sandbox of a function takes a request. Each function has its
 * own index of candidates (ready sandboxes that can take one more request); the model
 * tells it which sandboxes enter and leave the candidate set and when a candidate's
 * outstanding count changes, and asks it to pick one. Every operation is O(1) or
 * O(d): nothing scans all sandboxes.
 */
import type { Rng } from "../../kernel/dist-spec.js";
import type { Sandbox } from "../../model/sandbox.js";

export interface RoutingIndex {
  /** The sandbox became a candidate. */
  add(sb: Sandbox): void;
  /** The sandbox stopped being a candidate. */
  remove(sb: Sandbox): void;
  /** A candidate was acquired or released (its outstanding count changed). */
  touched(sb: Sandbox): void;
  /** Picks a candidate, or null when there is none. Does not change the world. */
  pick(): Sandbox | null;
  readonly size: number;
}

export interface RoutingOptions {
  /** Sandboxes sampled by p2c. */
  readonly d: number;
  /** The routing random stream (shared by every function's index). */
  readonly rng: Rng;
}

export type RoutingFactory = (options: RoutingOptions) => RoutingIndex;
