/**
 * Clients (SPEC 2.4): an attempt without an answer by `timeout` fails for its client,
 * but the platform still runs it (wasted work); failed attempts are retried by the
 * retry policy, up to maxAttempts, for the causes in retryOn, and a retried request's
 * latency runs from its first arrival. Without a `clients` section: neither.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { runScenario } from "../../src/experiment/run.js";
import { Cause } from "../../src/model/observer.js";
import type { ClientsSpec, FailureCause, ResolvedFunction } from "../../src/scenario/types.js";
import { fn, scenario } from "../support/scenario.js";
import { constant, type End, type FaultLog, MS, runWithFaults, S } from "./harness.js";

const clients = (timeoutUs: number, retry: Partial<ClientsSpec["retry"]> = {}): ClientsSpec => ({
  timeoutUs,
  retry: {
    policy: "none",
    maxAttempts: 1,
    baseUs: 100 * MS,
    capUs: S,
    jitter: "none",
    budget: Number.POSITIVE_INFINITY,
    retryOn: ["capacity", "host-crash", "unreachable", "balancer-unavailable", "timeout"],
    ...retry,
  },
});

/** One zone without network delays: a request's times are exactly its waits and runs. */
const world = (f: Partial<ResolvedFunction>, c: ClientsSpec | null, durationUs = 10 * S) =>
  scenario({ durationUs, functions: [fn(f)], clients: c });

const byRequest = (ends: End[]) => {
  const m = new Map<number, End[]>();
  for (const e of ends) m.set(e.arrivalUs, [...(m.get(e.arrivalUs) ?? []), e]);
  return m;
};

describe("timeouts", () => {
  const slow = {
    arrivals: { process: "constant", rate: 10 },
    duration: constant(300 * MS),
  } as const;

  it("fail an attempt with timeout at exactly the timeout; its execution runs to the end", () => {
    const sc = world(slow, clients(100 * MS));
    const { log } = runWithFaults(sc, 10 * S);
    expect(log.arrivals).toHaveLength(100);
    expect(log.done).toEqual([]);
    expect(log.failures).toHaveLength(100);
    for (const f of log.failures) {
      expect(f.cause).toBe(Cause.Timeout);
      expect(f.atUs - f.arrivalUs).toBe(100 * MS);
    }
    expect(log.ends).toHaveLength(100);
    expect(log.ends.every((e) => e.wasted && e.executedUs === 300 * MS)).toBe(true);
  });

  it("count as timeout failures, and their executions as wasted seconds, in the summary", () => {
    const sc = world(slow, clients(100 * MS));
    const { summary } = runScenario(sc);
    const { log } = runWithFaults(sc);
    const endedInRun = log.ends.filter((e) => e.atUs <= sc.durationUs).length;
    expect(endedInRun).toBeGreaterThan(95);
    expect(summary.failures.timeout).toBe(log.failures.length);
    expect(summary.requests.failed).toBe(log.failures.length);
    expect(summary.wastedExecutionSeconds).toBeCloseTo(endedInRun * 0.3, 6);
  });

  it("cut only the attempts slower than the timeout", () => {
    const sc = world({ duration: { dist: "exponential", mean: 100 * MS } }, clients(150 * MS));
    const { log } = runWithFaults(sc, 10 * S);
    expect(log.done.length).toBeGreaterThan(2000);
    expect(log.failures.length).toBeGreaterThan(500);
    expect(log.done.every((d) => d.atUs - d.arrivalUs <= 150 * MS)).toBe(true);
    expect(log.failures.every((f) => f.atUs - f.arrivalUs === 150 * MS)).toBe(true);
    const wasted = log.ends.filter((e) => e.wasted);
    expect(wasted).toHaveLength(log.failures.length);
    expect(wasted.every((e) => e.executedUs > 150 * MS)).toBe(true);
    const { summary } = runScenario(sc);
    const inRun = wasted.filter((e) => e.atUs <= sc.durationUs);
    const seconds = inRun.reduce((a, e) => a + e.executedUs, 0) / S;
    expect(summary.wastedExecutionSeconds).toBeCloseTo(seconds, 2);
  });

  it("leave a queued attempt in its queue: it still runs when its turn comes", () => {
    // One sandbox, an unbounded local queue, 1.5 times more work than it can do.
    const f = {
      arrivals: { process: "constant", rate: 30 },
      duration: constant(50 * MS),
      maxSandboxes: 1,
      queue: Number.POSITIVE_INFINITY,
    } as const;
    const { log } = runWithFaults(world(f, clients(200 * MS), 5 * S), 60 * S);
    expect(log.arrivals).toHaveLength(150);
    expect(log.failures.length).toBeGreaterThan(50);
    expect(log.starts.map((s) => s.arrivalUs)).toEqual(log.arrivals);
    const gaps = log.ends.slice(1).map((e, i) => e.atUs - log.ends[i]!.atUs);
    expect(gaps.every((g) => g === 50 * MS)).toBe(true);
    expect(log.ends.filter((e) => e.wasted)).toHaveLength(log.failures.length);
  });
});

describe("retries", () => {
  // One sandbox of 50 ms, 30 arrivals/s: about every other attempt is throttled.
  const busy = {
    arrivals: { process: "constant", rate: 30 },
    duration: constant(50 * MS),
    maxSandboxes: 1,
  } as const;
  const retryThrottled = clients(Number.POSITIVE_INFINITY, {
    policy: "backoff",
    maxAttempts: 3,
    retryOn: ["throttled"],
  });
  const sc = world(busy, retryThrottled);
  let log: FaultLog;
  beforeAll(() => {
    ({ log } = runWithFaults(sc, 10 * S));
  });

  it("are counted in requests.retries and attempts", () => {
    const { summary } = runScenario(sc);
    expect(summary.requests.retries).toBeGreaterThan(50);
    expect(summary.requests.retries).toBe(
      log.retries.filter((r) => r.atUs <= sc.durationUs).length,
    );
    expect(summary.requests.attempts).toBe(summary.requests.arrived + summary.requests.retries);
  });

  it("stop at maxAttempts, backing off 100 ms then 200 ms", () => {
    const attempts = byRequest(log.attemptFailures);
    expect(Math.max(...[...attempts.values()].map((a) => a.length))).toBe(3);
    expect(log.failures.length).toBeGreaterThan(5);
    for (const f of log.failures) {
      const tries = attempts.get(f.arrivalUs)!.map((a) => a.atUs - f.arrivalUs);
      expect(tries).toEqual([0, 100 * MS, 300 * MS]);
    }
    expect(log.retries.every((r) => r.after === Cause.Throttled)).toBe(true);
  });

  it("give a retried request a latency that covers all its attempts", () => {
    const tries = byRequest(log.attemptFailures);
    const latencies = new Map<number, number>();
    for (const d of log.done) {
      const retries = tries.get(d.arrivalUs)?.length ?? 0;
      latencies.set(retries, d.atUs - d.arrivalUs);
      expect(d.atUs - d.arrivalUs).toBe([50, 150, 350][retries]! * MS);
    }
    expect([...latencies.keys()].sort()).toEqual([0, 1, 2]);
  });

  it("only for the causes in retryOn", () => {
    const mixed = (retryOn: FailureCause[]) =>
      runWithFaults(
        world(
          { ...busy, maxSandboxes: 2, duration: { dist: "exponential", mean: 60 * MS } },
          clients(100 * MS, { policy: "backoff", baseUs: 10 * MS, maxAttempts: 3, retryOn }),
        ),
        10 * S,
      ).log;
    const count = (ends: End[], cause: Cause) => ends.filter((e) => e.cause === cause).length;
    for (const [retryOn, retried, kept] of [
      [["timeout"], Cause.Timeout, Cause.Throttled],
      [["throttled"], Cause.Throttled, Cause.Timeout],
    ] as const) {
      const l = mixed([...retryOn]);
      expect(l.retries.length).toBeGreaterThan(10);
      expect(l.retries.every((r) => r.after === retried)).toBe(true);
      // Every attempt failing with the other cause ends its request.
      expect(count(l.attemptFailures, kept)).toBeGreaterThan(10);
      expect(count(l.failures, kept)).toBe(count(l.attemptFailures, kept));
    }
  });
});

describe("without a clients section", () => {
  const long = { arrivals: { process: "constant", rate: 5 }, duration: constant(2 * S) } as const;

  it("no attempt times out and nothing is retried, however long it takes", () => {
    const { summary } = runScenario(world(long, null));
    expect(summary.requests.completed).toBeGreaterThanOrEqual(39);
    expect(summary.latencyMs.p50).toBeCloseTo(2000, -1);
    expect(summary.failures.timeout).toBe(0);
    expect(summary.requests.retries).toBe(0);
    expect(summary.requests.attempts).toBe(summary.requests.arrived);
    expect(summary.wastedExecutionSeconds).toBe(0);
    // The same with a 1 s timeout: every attempt times out.
    const timed = runScenario(world(long, clients(S))).summary;
    expect(timed.failures.timeout).toBe(timed.requests.arrived - timed.requests.inFlightAtEnd);
  });

  it("failures are final: no retry follows a crash", () => {
    const sc = {
      ...world({ arrivals: { process: "poisson", rate: 200 } }, null),
      faults: [{ kind: "host-crash", atUs: 5 * S, count: 4, zone: null, repairUs: S }] as const,
    };
    const { log } = runWithFaults(sc, 10 * S);
    expect(log.failures.length).toBeGreaterThan(100);
    expect(log.retries).toEqual([]);
    expect(log.attemptFailures).toHaveLength(log.failures.length);
  });
});
