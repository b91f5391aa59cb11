/**
 * Client retries (SPEC 2.4): after a failed attempt, how long the client waits before
 * the next, or NO_RETRY. The built-ins (`none`, `immediate`, `backoff`) are one class,
 * src/faults/retry.ts, whose file comment gives the backoff, jitter and budget.
 *
 * A policy module for `clients.retry.policy` default-exports a `RetryFactory`, called
 * once per run with the resolved `clients.retry` section (`maxAttempts`, `baseUs`,
 * `capUs`, `jitter`, `budget`, `retryOn`), its own random stream and its options.
 */
import type { Rng } from "../../kernel/dist-spec.js";
import type { ClientsSpec, FailureCause, PolicyOptions } from "../../scenario/types.js";

export interface RetryDecider {
  /** A logical request's first attempt (a budget may grow on it). O(1). */
  firstAttempt(): void;
  /**
   * After attempt number `attempt` (1-based) failed with `cause`: whole microseconds to
   * wait before the next attempt, or -1 (NO_RETRY) to give up; always -1 once `attempt`
   * reaches `maxAttempts`. `previousDelayUs` is the delay before the failed attempt (0
   * for the first).
   */
  nextDelayUs(attempt: number, cause: FailureCause, previousDelayUs: number): number;
}

export interface RetryOptions {
  readonly spec: ClientsSpec["retry"];
  /** The `retries` stream for built-ins; a module's own stream for a module. */
  readonly rng: Rng;
  /** A policy module's own options (`clients.retry.options`), validated. */
  readonly options?: PolicyOptions;
}

export type RetryFactory = (options: RetryOptions) => RetryDecider;
