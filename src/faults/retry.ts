/**
 * The client retry policy of SPEC 2.4 as pure decisions: after a failed attempt, how
 * long the client waits before the next one, or that it gives up. The caller (the
 * client model) applies the answer; this file keeps only the retry budget's tokens and
 * draws jitter from the one stream it is given (the model's `retries` stream).
 *
 * Backoff and jitter follow Marc Brooker, "Exponential Backoff and Jitter" (AWS
 * Architecture Blog, 2015), with exp = min(cap, base * 2^(attempt-1)):
 *   none          exp
 *   full          uniform(0, exp)
 *   equal         exp/2 + uniform(0, exp/2)
 *   decorrelated  min(cap, uniform(base, 3 * previous)), previous = base before the first retry
 * Delays are rounded to whole microseconds. A jittered retry draws exactly one number;
 * `none`, `immediate` and refused retries draw nothing, so switching jitter off does not
 * shift later draws of the stream by a varying amount.
 *
 * The budget is the AWS SDKs' retry quota reduced to SPEC's words ("retries may be at
 * most this fraction of first attempts"): a token bucket where every first attempt
 * deposits `budget` tokens and every granted retry spends one. Its capacity is
 * max(10, 100 * budget) tokens: what 100 first attempts earn, but never fewer than 10
 * retries, so after a quiet period a burst of retries still gets through (a cold client
 * retries its first failures) while a sustained failure is throttled to `budget` retries
 * per first attempt within a bounded burst. The bucket starts full. Over any run,
 * retries <= capacity + budget * firstAttempts. `budget: 0` means no retries at all
 * (capacity 0); `budget: Infinity` means no limit.
 */
import type { Rng } from "../kernel/dist-spec.js";
import type { ClientsSpec, FailureCause } from "../scenario/types.js";

export type RetrySpec = ClientsSpec["retry"];

/** No retry: the answer of `nextDelayUs` when the client gives up. */
export const NO_RETRY = -1;

/** Tokens lost to rounding when `budget` (e.g. 0.1) is added many times must not refuse a retry. */
const TOKEN_EPSILON = 1e-9;

/** The bucket's capacity for a budget (see the file comment). */
export function budgetCapacity(budget: number): number {
  if (budget === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  return budget > 0 ? Math.max(10, 100 * budget) : 0;
}

export class RetryPolicy {
  private readonly spec: RetrySpec;
  private readonly rng: Rng;
  private readonly retryOn: ReadonlySet<FailureCause>;
  private readonly capacity: number;
  private tokensLeft: number;

  constructor(spec: RetrySpec, rng: Rng) {
    if (!(spec.budget >= 0)) throw new RangeError(`retry budget must be >= 0, got ${spec.budget}`);
    this.spec = spec;
    this.rng = rng;
    this.retryOn = new Set(spec.retryOn);
    this.capacity = budgetCapacity(spec.budget);
    this.tokensLeft = this.capacity;
  }

  /** Retry tokens in the bucket (Infinity without a budget). */
  get tokens(): number {
    return this.tokensLeft;
  }

  /** Called once per logical request's first attempt (feeds the budget). */
  firstAttempt(): void {
    if (this.tokensLeft < this.capacity)
      this.tokensLeft = Math.min(this.capacity, this.tokensLeft + this.spec.budget);
  }

  /**
   * After attempt number `attempt` (1-based) failed with `cause`: the delay in whole
   * microseconds before the next attempt, or NO_RETRY (-1) when the policy is none, the
   * cause is not retried, `maxAttempts` is reached or the budget is exhausted.
   * `previousDelayUs` is the delay that preceded the failed attempt (0 for the first);
   * decorrelated jitter grows from it. A granted retry spends one budget token.
   */
  nextDelayUs(attempt: number, cause: FailureCause, previousDelayUs: number): number {
    if (!(attempt >= 1)) throw new RangeError(`attempt must be >= 1, got ${attempt}`);
    const s = this.spec;
    if (s.policy === "none" || attempt >= s.maxAttempts || !this.retryOn.has(cause))
      return NO_RETRY;
    if (this.tokensLeft < 1 - TOKEN_EPSILON) return NO_RETRY;
    this.tokensLeft = Math.max(0, this.tokensLeft - 1);
    return s.policy === "immediate" ? 0 : this.backoffUs(attempt, previousDelayUs);
  }

  private backoffUs(attempt: number, previousDelayUs: number): number {
    const { baseUs, capUs, jitter } = this.spec;
    if (jitter === "decorrelated") {
      // Decorrelated delays are never below base, so max() only replaces the 0 of the first retry.
      const previous = Math.max(previousDelayUs, baseUs);
      return Math.round(Math.min(capUs, baseUs + this.rng() * (3 * previous - baseUs)));
    }
    const exp = Math.min(capUs, baseUs * 2 ** Math.min(attempt - 1, 1023));
    switch (jitter) {
      case "none":
        return Math.round(exp);
      case "full":
        return Math.round(this.rng() * exp);
      case "equal":
        return Math.round(exp / 2 + (this.rng() * exp) / 2);
    }
  }
}
