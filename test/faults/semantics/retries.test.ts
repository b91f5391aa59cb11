/**
 * Immediate retries of failures found while an attempt starts (`throttled`, `capacity`)
 * are scheduled, never recursive (SPEC 2.4): any `maxAttempts` works in constant stack
 * depth, and a request makes exactly `maxAttempts` attempts.
 *
 * Seed 1 puts f's first arrival (1/s) at 0.713596 s; the second comes 1 s later.
 */
import { describe, expect, it } from "vitest";
import { runScenario } from "../../../src/experiment/run.js";
import { Cause } from "../../../src/model/observer.js";
import type { ClientsSpec, FailureCause, ResolvedFunction } from "../../../src/scenario/types.js";
import { fn, scenario } from "../../support/scenario.js";
import { constant, runWithFaults, S } from "../harness.js";

const ATTEMPTS = 2000;
const SECOND = 1_713_596; // the second arrival, in µs

const immediate = (cause: FailureCause): ClientsSpec => ({
  timeoutUs: Number.POSITIVE_INFINITY,
  retry: {
    policy: "immediate",
    maxAttempts: ATTEMPTS,
    baseUs: 0,
    capUs: 0,
    jitter: "none",
    budget: Number.POSITIVE_INFINITY,
    retryOn: [cause],
  },
});

/**
 * One host, 2 s, f at 1/s: two requests. The first takes the one sandbox for 10 s (past
 * the end); the second finds nothing and fails at once, 2000 times at the same instant.
 */
const oneBusySandbox = (cause: FailureCause, over: Partial<ResolvedFunction>, memoryMb = 32768) =>
  scenario({
    durationUs: 2 * S,
    cluster: { hostsPerZone: 1, host: { memoryMb, cpus: 16, codeCacheMb: 0 } },
    functions: [
      fn({
        arrivals: { process: "constant", rate: 1 },
        duration: constant(10 * S),
        coldStartCached: constant(0),
        coldStartUncached: constant(0),
        ...over,
      }),
    ],
    clients: immediate(cause),
  });

const cases = [
  // maxSandboxes 1 and overflow throttle: the frontend throttles the second request.
  ["throttled", Cause.Throttled, oneBusySandbox("throttled", { maxSandboxes: 1 })],
  // A host of 128 MB holds one sandbox: no room for a second, a capacity failure.
  ["capacity", Cause.Capacity, oneBusySandbox("capacity", { memoryMb: 128 }, 128)],
] as const;

describe.each(cases)("immediate retries of %s, maxAttempts 2000", (_name, cause, sc) => {
  it("run without stack overflow, exactly 2000 attempts for the request", () => {
    const { log } = runWithFaults(sc);
    expect(log.arrivals).toEqual([713_596, SECOND]);
    expect(log.attemptFailures).toHaveLength(ATTEMPTS);
    expect(
      log.attemptFailures.every(
        (x) => x.cause === cause && x.arrivalUs === SECOND && x.atUs === SECOND,
      ),
    ).toBe(true);
    expect(log.retries).toHaveLength(ATTEMPTS - 1);
    expect(log.retries.every((r) => r.atUs === SECOND && r.after === cause)).toBe(true);
    expect(log.failures.map((x) => [x.cause, x.arrivalUs])).toEqual([[cause, SECOND]]);
  });

  it("are counted so in the summary", () => {
    const { summary } = runScenario(sc);
    expect(summary.requests).toMatchObject({
      arrived: 2,
      completed: 0,
      failed: 1,
      inFlightAtEnd: 1,
      attempts: 1 + ATTEMPTS,
      retries: ATTEMPTS - 1,
    });
    expect(summary.failures[_name]).toBe(ATTEMPTS);
  });
});
