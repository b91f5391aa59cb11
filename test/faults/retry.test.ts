import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NO_RETRY, RetryPolicy, type RetrySpec } from "../../src/faults/retry.js";
import type { Rng } from "../../src/kernel/dist-spec.js";
import { createStream } from "../../src/kernel/random.js";
import { clientsSchema } from "../../src/scenario/schema-faults.js";
import type { FailureCause } from "../../src/scenario/types.js";

const ALL_CAUSES: readonly FailureCause[] = [
  "throttled",
  "capacity",
  "host-crash",
  "unreachable",
  "balancer-unavailable",
  "timeout",
];

const MS = 1000;

function spec(overrides: Partial<RetrySpec> = {}): RetrySpec {
  return {
    policy: "backoff",
    maxAttempts: 10,
    baseUs: 100 * MS,
    capUs: 20_000 * MS,
    jitter: "none",
    budget: Number.POSITIVE_INFINITY,
    retryOn: ALL_CAUSES.filter((c) => c !== "throttled"),
    ...overrides,
  };
}

/** A stream that counts its draws. */
function counting(seed = 1): { rng: Rng; draws: () => number } {
  const inner = createStream(seed, "retries");
  let n = 0;
  return {
    rng: () => {
      n++;
      return inner();
    },
    draws: () => n,
  };
}

/** Mean, min and max of `n` delays for the retry after attempt `attempt`. */
function sample(p: RetryPolicy, n: number, attempt: number, previousUs = 0) {
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const d = p.nextDelayUs(attempt, "timeout", previousUs);
    expect(Number.isInteger(d)).toBe(true);
    sum += d;
    min = Math.min(min, d);
    max = Math.max(max, d);
  }
  return { mean: sum / n, min, max };
}

describe("RetryPolicy decisions", () => {
  it("policy none never retries and draws nothing", () => {
    const c = counting();
    const p = new RetryPolicy(spec({ policy: "none", maxAttempts: 1 }), c.rng);
    for (const cause of ALL_CAUSES) expect(p.nextDelayUs(1, cause, 0)).toBe(NO_RETRY);
    // Even with maxAttempts left over, none means none.
    const q = new RetryPolicy(spec({ policy: "none", maxAttempts: 5 }), c.rng);
    expect(q.nextDelayUs(1, "timeout", 0)).toBe(NO_RETRY);
    expect(c.draws()).toBe(0);
  });

  it("immediate retries at once until maxAttempts, without draws", () => {
    const c = counting();
    const p = new RetryPolicy(spec({ policy: "immediate", maxAttempts: 3 }), c.rng);
    expect(p.nextDelayUs(1, "host-crash", 0)).toBe(0);
    expect(p.nextDelayUs(2, "host-crash", 0)).toBe(0);
    expect(p.nextDelayUs(3, "host-crash", 0)).toBe(NO_RETRY);
    expect(c.draws()).toBe(0);
  });

  it("maxAttempts counts the first attempt: attempt = maxAttempts gets no retry", () => {
    for (const jitter of ["none", "full", "equal", "decorrelated"] as const) {
      const p = new RetryPolicy(spec({ maxAttempts: 4, jitter }), createStream(1, "r"));
      for (let a = 1; a < 4; a++) expect(p.nextDelayUs(a, "timeout", 0)).toBeGreaterThanOrEqual(0);
      expect(p.nextDelayUs(4, "timeout", 0)).toBe(NO_RETRY);
      expect(p.nextDelayUs(5, "timeout", 0)).toBe(NO_RETRY);
    }
  });

  it("retries only the causes in retryOn; the default (from the schema) leaves out throttled", () => {
    const defaults = clientsSchema.parse({ retry: { policy: "backoff" } }).retry;
    const p = new RetryPolicy(defaults, createStream(1, "r"));
    expect(p.nextDelayUs(1, "throttled", 0)).toBe(NO_RETRY);
    for (const cause of ALL_CAUSES.filter((c) => c !== "throttled"))
      expect(p.nextDelayUs(1, cause, 0)).toBeGreaterThanOrEqual(0);
    const onlyTimeouts = new RetryPolicy(spec({ retryOn: ["timeout"] }), createStream(1, "r"));
    expect(onlyTimeouts.nextDelayUs(1, "timeout", 0)).toBe(100 * MS);
    expect(onlyTimeouts.nextDelayUs(1, "capacity", 0)).toBe(NO_RETRY);
  });

  it("rejects attempt numbers below 1 and negative budgets", () => {
    const p = new RetryPolicy(spec(), createStream(1, "r"));
    expect(() => p.nextDelayUs(0, "timeout", 0)).toThrow(RangeError);
    expect(() => new RetryPolicy(spec({ budget: -1 }), createStream(1, "r"))).toThrow(RangeError);
  });
});

describe("backoff and jitter (Brooker, Exponential Backoff and Jitter)", () => {
  const N = 20_000;

  it("no jitter: min(cap, base * 2^(attempt-1)), no draws", () => {
    const c = counting();
    const p = new RetryPolicy(spec({ capUs: 1000 * MS, maxAttempts: 100 }), c.rng);
    const delays = [1, 2, 3, 4, 5, 6, 60].map((a) => p.nextDelayUs(a, "timeout", 0));
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000, 1000].map((ms) => ms * MS));
    expect(c.draws()).toBe(0);
  });

  // With N = 20,000 uniform draws the standard error of the mean is exp/sqrt(12 N) ~ 0.2%
  // of exp; the tolerance of 1% of exp is five standard errors.
  it("full jitter: uniform(0, exp), mean exp/2, one draw per retry", () => {
    const c = counting();
    const p = new RetryPolicy(spec({ jitter: "full" }), c.rng);
    const exp = 400 * MS; // attempt 3
    const s = sample(p, N, 3);
    expect(c.draws()).toBe(N);
    expect(s.min).toBeGreaterThanOrEqual(0);
    expect(s.max).toBeLessThanOrEqual(exp);
    expect(s.min).toBeLessThan(0.01 * exp);
    expect(s.max).toBeGreaterThan(0.99 * exp);
    expect(Math.abs(s.mean - exp / 2)).toBeLessThan(0.01 * exp);
  });

  it("equal jitter: exp/2 + uniform(0, exp/2), mean 3/4 exp", () => {
    const p = new RetryPolicy(spec({ jitter: "equal" }), createStream(2, "retries"));
    const exp = 800 * MS; // attempt 4
    const s = sample(p, N, 4);
    expect(s.min).toBeGreaterThanOrEqual(exp / 2);
    expect(s.max).toBeLessThanOrEqual(exp);
    expect(s.min).toBeLessThan(0.51 * exp);
    expect(s.max).toBeGreaterThan(0.99 * exp);
    expect(Math.abs(s.mean - 0.75 * exp)).toBeLessThan(0.01 * exp);
  });

  it("decorrelated jitter: uniform(base, 3 * previous), previous = base for the first retry", () => {
    const base = 100 * MS;
    const p = new RetryPolicy(spec({ jitter: "decorrelated" }), createStream(3, "retries"));
    const first = sample(p, N, 1, 0);
    expect(first.min).toBeGreaterThanOrEqual(base);
    expect(first.max).toBeLessThanOrEqual(3 * base);
    expect(Math.abs(first.mean - 2 * base)).toBeLessThan(0.01 * 3 * base);
    // It grows from the previous delay, not from the attempt number.
    const later = sample(p, N, 2, 1000 * MS);
    expect(later.min).toBeGreaterThanOrEqual(base);
    expect(later.max).toBeLessThanOrEqual(3000 * MS);
    expect(Math.abs(later.mean - (base + 3000 * MS) / 2)).toBeLessThan(0.01 * 3000 * MS);
  });

  it("decorrelated jitter is capped", () => {
    const cap = 500 * MS;
    const p = new RetryPolicy(spec({ jitter: "decorrelated", capUs: cap }), createStream(4, "r"));
    const s = sample(p, 2000, 2, cap);
    expect(s.max).toBe(cap); // uniform(100ms, 1.5s) exceeds the cap ~71% of the time
    expect(s.min).toBeGreaterThanOrEqual(100 * MS);
  });

  it("every delay is a whole number of microseconds in [0, cap]", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("none", "full", "equal", "decorrelated" as const),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 100_000_000 }),
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 0, max: 100_000_000 }),
        fc.integer({ min: 0, max: 1000 }),
        (jitter, baseUs, extraUs, attempt, previousUs, seed) => {
          const capUs = baseUs + extraUs;
          const p = new RetryPolicy(
            spec({ jitter, baseUs, capUs, maxAttempts: 3000 }),
            createStream(seed, "retries"),
          );
          const d = p.nextDelayUs(attempt, "timeout", Math.min(previousUs, capUs));
          expect(Number.isInteger(d)).toBe(true);
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThanOrEqual(capUs);
          if (jitter === "decorrelated") expect(d).toBeGreaterThanOrEqual(baseUs);
        },
      ),
    );
  });

  it("is deterministic for a seed, and the seed matters", () => {
    const run = (seed: number) => {
      const p = new RetryPolicy(spec({ jitter: "full" }), createStream(seed, "retries"));
      return Array.from({ length: 50 }, (_, i) => p.nextDelayUs((i % 9) + 1, "timeout", 0));
    };
    expect(run(42)).toEqual(run(42));
    expect(run(42)).not.toEqual(run(43));
  });
});

describe("retry budget (token bucket)", () => {
  it("with budget 0.1, 1000 first attempts that each fail allow ~10 + 100 retries", () => {
    const c = counting();
    const p = new RetryPolicy(spec({ budget: 0.1, jitter: "full" }), c.rng);
    let granted = 0;
    for (let i = 0; i < 1000; i++) {
      p.firstAttempt();
      if (p.nextDelayUs(1, "timeout", 0) >= 0) granted++;
    }
    // The full bucket (10 tokens) plus 0.1 per first attempt, less the 0.1 of the first
    // deposit that overflows the full bucket: 109.9 tokens, so exactly 109 retries
    // (tolerance 0: the arithmetic is deterministic, and the policy's epsilon absorbs the
    // float error of adding 0.1 a thousand times).
    expect(granted).toBe(109);
    expect(granted).toBeLessThanOrEqual(10 + 0.1 * 1000);
    // Refused retries draw nothing.
    expect(c.draws()).toBe(granted);
  });

  it("the bucket caps at max(10, 100 * budget): a quiet period saves only a bounded burst", () => {
    for (const [budget, capacity] of [
      [0.1, 10],
      [0.5, 50],
      [2, 200],
    ] as const) {
      const p = new RetryPolicy(spec({ budget }), createStream(1, "r"));
      expect(p.tokens).toBe(capacity); // starts full
      for (let i = 0; i < 10_000; i++) p.firstAttempt();
      let granted = 0;
      for (let i = 0; i < 1000; i++) if (p.nextDelayUs(2, "capacity", 100 * MS) >= 0) granted++;
      expect(granted).toBe(capacity);
    }
  });

  it("refused retries (cause, maxAttempts) do not spend tokens", () => {
    const p = new RetryPolicy(spec({ budget: 0.1, maxAttempts: 2 }), createStream(1, "r"));
    for (let i = 0; i < 100; i++) {
      expect(p.nextDelayUs(1, "throttled", 0)).toBe(NO_RETRY);
      expect(p.nextDelayUs(2, "timeout", 0)).toBe(NO_RETRY);
    }
    expect(p.tokens).toBe(10);
  });

  it("budget 0 never retries; budget Infinity never refuses", () => {
    const none = new RetryPolicy(spec({ budget: 0 }), createStream(1, "r"));
    none.firstAttempt();
    expect(none.nextDelayUs(1, "timeout", 0)).toBe(NO_RETRY);
    const unlimited = new RetryPolicy(spec(), createStream(1, "r"));
    for (let i = 0; i < 100_000; i++) expect(unlimited.nextDelayUs(1, "timeout", 0)).toBe(100 * MS);
  });
});
