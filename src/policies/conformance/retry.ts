/**
 * The retry family's conformance suite: after any failed attempt, a delay in whole
 * microseconds >= 0 or -1 (no retry); never a retry beyond `maxAttempts`; the same seed
 * and failures give the same delays.
 */

import fc from "fast-check";
import { FAILURE_CAUSES } from "../../model/observer.js";
import type { ClientsSpec, FailureCause } from "../../scenario/types.js";
import type { RetryDecider } from "../retry/retry-policy.js";
import { type ConformanceProperty, check, holds } from "./property.js";

export interface RetrySubject {
  make(options: { spec: ClientsSpec["retry"]; seed: number }): RetryDecider;
}

const CAUSES: readonly FailureCause[] = FAILURE_CAUSES;

export const retrySpec = (maxAttempts: number): ClientsSpec["retry"] => ({
  policy: "backoff",
  maxAttempts,
  baseUs: 100_000,
  capUs: 20_000_000,
  jitter: "full",
  budget: Number.POSITIVE_INFINITY,
  retryOn: CAUSES.filter((c) => c !== "throttled"),
});

export function retryConformance(subject: RetrySubject): ConformanceProperty[] {
  const failuresArb = fc.array(
    fc.record({
      firstAttempt: fc.boolean(),
      cause: fc.constantFrom(...CAUSES),
      attempt: fc.integer({ min: 1, max: 8 }),
    }),
    { maxLength: 100 },
  );
  const decide = (
    seed: number,
    maxAttempts: number,
    failures: readonly { firstAttempt: boolean; cause: FailureCause; attempt: number }[],
  ) => {
    const p = subject.make({ spec: retrySpec(maxAttempts), seed });
    let previous = 0;
    return failures.map(({ firstAttempt, cause, attempt }) => {
      if (firstAttempt) p.firstAttempt();
      const d = p.nextDelayUs(attempt, cause, previous);
      check(
        d === -1 || (Number.isInteger(d) && d >= 0),
        () => `nextDelayUs(${attempt}, ${cause}) is ${d}: expected whole µs >= 0 or -1`,
      );
      check(
        d === -1 || attempt < maxAttempts,
        () => `retried after attempt ${attempt} of at most ${maxAttempts}`,
      );
      previous = Math.max(0, d);
      return d;
    });
  };
  return [
    {
      name: "delays are whole microseconds >= 0 or -1, and stop at maxAttempts",
      run: () =>
        holds(
          [failuresArb, fc.integer({ min: 1, max: 5 })],
          (f, max) => void decide(1, max, f),
          100,
        ),
    },
    {
      name: "is deterministic: the same seed and the same failures give the same delays",
      run: () =>
        holds(
          [failuresArb, fc.nat(1000)],
          (f, seed) => {
            const a = decide(seed, 4, f);
            const b = decide(seed, 4, f);
            const i = a.findIndex((x, k) => x !== b[k]);
            check(
              i < 0,
              () => `seed ${seed}: delay ${i} was ${a[i]} once and ${b[i]} the second time`,
            );
          },
          50,
        ),
    },
  ];
}
