/**
 * The life of a request and of a sandbox (SPEC 2.1, 2.2), on small scenarios driven
 * through World and recorded: keep-alive, provisioned sandboxes, limits and overflow,
 * slots and local queues, placement without room.
 */
import { describe, expect, it } from "vitest";
import { Cause } from "../../src/model/observer.js";
import { fn, scenario } from "../support/scenario.js";
import { concurrency, constant, MS, peak, S, simulate, waiting } from "./recording.js";

/** 10 requests per second, each running exactly 1 ms: idle gaps of exactly 99 ms. */
const ticking = (over: Parameters<typeof scenario>[0] = {}, f: Parameters<typeof fn>[0] = {}) =>
  scenario({
    durationUs: 5 * S,
    functions: [fn({ arrivals: { process: "constant", rate: 10 }, duration: constant(MS), ...f })],
    ...over,
  });

describe("keep-alive", () => {
  it("fixed: an idle sandbox is reclaimed exactly ttl after it went idle", () => {
    const { log } = simulate(ticking({ keepAlive: { policy: "fixed", ttlUs: 98_999 } }));
    expect(log.starts).toHaveLength(50);
    expect(log.colds).toBe(50);
    expect(log.reclaimed).toHaveLength(50);
    for (const r of log.reclaimed) {
      const lastEnd = Math.max(
        ...log.ends.filter((e) => e.atUs <= r.atUs && e.sb === r.sb).map((e) => e.atUs),
      );
      expect(r.atUs - lastEnd).toBe(98_999);
    }
  });

  it("fixed: an idle gap one microsecond shorter than ttl keeps the sandbox warm", () => {
    const { log } = simulate(ticking({ keepAlive: { policy: "fixed", ttlUs: 99_001 } }));
    expect(log.starts.map((s) => s.cold)).toEqual([true, ...new Array(49).fill(false)]);
    expect(log.created).toHaveLength(1);
  });

  it("none: every request is a cold start, even back to back", () => {
    const { log } = simulate(
      scenario({ durationUs: 2 * S, keepAlive: { policy: "none", ttlUs: 0 } }),
    );
    expect(log.starts.length).toBeGreaterThan(500);
    expect(log.colds).toBe(log.starts.length);
    expect(log.reclaimed).toHaveLength(log.created.length);
  });
});

describe("provisioned and limited sandboxes", () => {
  it("minSandboxes exist at time 0, serve the first requests warm and are never reclaimed", () => {
    const sc = ticking(
      { keepAlive: { policy: "fixed", ttlUs: MS } },
      { minSandboxes: 2, coldStartUncached: constant(500 * MS) },
    );
    const { log } = simulate(sc);
    expect(log.created.map((c) => c.atUs)).toEqual([0, 0]);
    expect(log.colds).toBe(0);
    expect(log.starts.every((s) => s.waitUs === 0)).toBe(true);
    expect(log.reclaimed).toEqual([]);
  });

  it("minSandboxes survive a load that creates and reclaims others", () => {
    const sc = scenario({
      durationUs: 2 * S,
      keepAlive: { policy: "fixed", ttlUs: MS },
      functions: [fn({ minSandboxes: 3, arrivals: { process: "poisson", rate: 3000 } })],
    });
    const { log } = simulate(sc);
    const pinned = new Set(log.created.filter((c) => c.atUs === 0).map((c) => c.sb));
    expect(pinned.size).toBe(3);
    expect(log.reclaimed.length).toBeGreaterThan(10);
    // Ids are reused: a pinned id may be reclaimed only if it was created again later.
    const recreated = new Set(log.created.filter((c) => c.atUs > 0).map((c) => c.sb));
    for (const r of log.reclaimed) if (pinned.has(r.sb)) expect(recreated.has(r.sb)).toBe(true);
    expect(log.created.length - log.reclaimed.length).toBeGreaterThanOrEqual(3);
  });

  it("maxSandboxes with overflow throttle fails the excess at once with throttled", () => {
    const sc = scenario({
      durationUs: 2 * S,
      functions: [
        fn({
          maxSandboxes: 2,
          duration: constant(10 * MS),
          arrivals: { process: "poisson", rate: 1000 },
        }),
      ],
    });
    const { log } = simulate(sc);
    expect(log.created).toHaveLength(2);
    expect(concurrency(log)).toBe(2);
    expect(log.failures.length).toBeGreaterThan(log.arrivals.length / 2);
    for (const f of log.failures) {
      expect(f.cause).toBe(Cause.Throttled);
      expect(f.atUs).toBe(f.arrivalUs);
    }
  });

  it("placement with no room fails with capacity", () => {
    const sc = scenario({
      durationUs: 2 * S,
      cluster: { hostsPerZone: 1, host: { memoryMb: 300, cpus: 16, codeCacheMb: 0 } },
      functions: [
        fn({ duration: constant(10 * MS), arrivals: { process: "poisson", rate: 1000 } }),
      ],
    });
    const { log } = simulate(sc);
    expect(
      peak([
        ...log.created.map((c) => [c.atUs, 1] as [number, number]),
        ...log.reclaimed.map((r) => [r.atUs, -1] as [number, number]),
      ]),
    ).toBe(2);
    expect(log.failures.length).toBeGreaterThan(100);
    expect(log.failures.every((f) => f.cause === Cause.Capacity)).toBe(true);
  });
});

describe("overflow queue", () => {
  const queued = (queue: { maxLength: number; maxWaitUs: number }, rate: number) =>
    scenario({
      durationUs: 2 * S,
      balancer: { overflow: "queue", queue },
      functions: [
        fn({
          minSandboxes: 1,
          maxSandboxes: 1,
          duration: constant(MS),
          arrivals: { process: "poisson", rate },
        }),
      ],
    });

  it("serves waiting requests first-in first-out", () => {
    const { log } = simulate(
      queued({ maxLength: Number.POSITIVE_INFINITY, maxWaitUs: Number.POSITIVE_INFINITY }, 900),
    );
    expect(log.failures).toEqual([]);
    expect(log.starts.filter((s) => s.waitUs > 0).length).toBeGreaterThan(100);
    const order = log.starts.map((s) => s.arrivalUs);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it("fails with throttled beyond maxLength waiting", () => {
    const { log } = simulate(queued({ maxLength: 3, maxWaitUs: Number.POSITIVE_INFINITY }, 3000));
    expect(log.failures.length).toBeGreaterThan(100);
    expect(log.failures.every((f) => f.cause === Cause.Throttled && f.atUs === f.arrivalUs)).toBe(
      true,
    );
    expect(waiting(log)).toBe(3);
  });

  it("fails with throttled after maxWait in the queue, and starts the others sooner", () => {
    const maxWaitUs = 5 * MS;
    const { log } = simulate(queued({ maxLength: Number.POSITIVE_INFINITY, maxWaitUs }, 3000));
    expect(log.failures.length).toBeGreaterThan(100);
    for (const f of log.failures) {
      expect(f.cause).toBe(Cause.Throttled);
      expect(f.atUs - f.arrivalUs).toBe(maxWaitUs);
    }
    expect(Math.max(...log.starts.map((s) => s.waitUs))).toBeLessThanOrEqual(maxWaitUs);
  });
});

describe("slots and local queues", () => {
  it("slots: 2 lets one sandbox run two requests at once", () => {
    // 150 per second for 10 ms each: two overlap, never three.
    const sc = ticking(
      {},
      {
        slots: 2,
        maxSandboxes: 1,
        duration: constant(10 * MS),
        arrivals: { process: "constant", rate: 150 },
      },
    );
    const { log } = simulate(sc);
    expect(log.created).toHaveLength(1);
    expect(log.failures).toEqual([]);
    expect(concurrency(log)).toBe(2);
    expect(log.starts.slice(1).every((s) => s.waitUs === 0)).toBe(true);
  });

  it("queue: N holds up to N more per sandbox, served in order; beyond, throttled", () => {
    const sc = scenario({
      durationUs: 2 * S,
      functions: [
        fn({
          queue: 2,
          maxSandboxes: 1,
          duration: constant(MS),
          arrivals: { process: "poisson", rate: 2000 },
        }),
      ],
    });
    const { log } = simulate(sc);
    expect(concurrency(log)).toBe(1);
    expect(waiting(log)).toBe(2);
    expect(log.failures.length).toBeGreaterThan(100);
    expect(log.failures.every((f) => f.cause === Cause.Throttled)).toBe(true);
    const order = log.starts.map((s) => s.arrivalUs);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });
});
