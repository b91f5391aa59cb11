/**
 * Keep-alive: what happens to a sandbox once it has nothing to do. Two shapes:
 *
 * - A `uniform` policy gives every idle sandbox of a function the same keep-alive. The
 *   model then keeps each function's idle sandboxes in the order they went idle and one
 *   timer per function, so it costs no event per request (`fixed`, `none`).
 * - An `adaptive` policy learns from each function's idle times and answers, for each
 *   sandbox going idle, a window (keep it, or unload it and pre-warm a replacement
 *   later). Windows differ between sandboxes of one function, so the model gives each
 *   idle sandbox its own deadline (`hybrid`).
 *
 * Policies are pure decisions over what the model tells them; the model applies them.
 */
import type { Rng } from "../../kernel/dist-spec.js";

export interface UniformKeepAlive {
  readonly kind: "uniform";
  /** Whole microseconds an idle sandbox of function `fn` is kept; 0 reclaims it at once. */
  ttlUs(fn: number): number;
}

/** Times measured from the moment the sandbox went idle. */
export interface IdleWindow {
  /**
   * 0: keep the sandbox. Otherwise unload it now and pre-warm a new one (ready, idle)
   * this many microseconds later.
   */
  readonly prewarmUs: number;
  /**
   * The sandbox, or the pre-warmed one, is reclaimed this many (whole) microseconds
   * after the idle start if nothing used it; 0 reclaims at once, Infinity never.
   */
  readonly keepUntilUs: number;
}

export interface AdaptiveKeepAlive {
  readonly kind: "adaptive";
  /**
   * The balancer saw an arrival of function `fn` after it had had nothing to do for
   * `idleUs` (0 when it still had work outstanding). Called once per arrival: O(1).
   */
  observeIdleTime(fn: number, idleUs: number): void;
  /** The window for a sandbox of `fn` going idle now. The result may be shared: read it at once. */
  window(fn: number): IdleWindow;
}

export type KeepAlivePolicy = UniformKeepAlive | AdaptiveKeepAlive;

export interface KeepAliveOptions {
  /** `keepAlive.ttl`: the fixed keep-alive, and the fallback of adaptive policies. */
  readonly ttlUs: number;
  /** Number of functions (`fn` arguments are 0 .. functions-1). */
  readonly functions: number;
  /** A policy module's own random stream (built-ins draw nothing). */
  readonly rng?: Rng;
  /** A policy module's own options (`keepAlive.options`), validated. */
  readonly options?: Readonly<Record<string, unknown>>;
}

/**
 * A policy module for `keepAlive.policy` default-exports one of these: called once per
 * run, it returns a uniform or an adaptive policy.
 */
export type KeepAliveFactory = (options: KeepAliveOptions) => KeepAlivePolicy;
