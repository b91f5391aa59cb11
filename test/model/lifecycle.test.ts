/**
 * The life of a request and of a sandbox (SPEC 2.1, 2.2), on small scenarios driven
 * through World with a watcher that records what happened: keep-alive, provisioned
 * sandboxes, limits and overflow, slots and local queues, placement without room,
 * synchronous replication, CPU contention, zone balance and the balancer's service time.
 */
import { describe, expect, it } from "vitest";
import { InvariantChecker } from "../../src/checks/invariants.js";
import { runScenario } from "../../src/experiment/run.js";
import { Streams } from "../../src/kernel/random.js";
import { Cause, type ModelObserver, ObserverPair } from "../../src/model/observer.js";
import type { Sandbox } from "../../src/model/sandbox.js";
import { World } from "../../src/model/world.js";
import type { ResolvedScenario } from "../../src/scenario/types.js";
import { fn, scenario } from "../support/scenario.js";

const MS = 1000;
const S = 1e6;
const constant = (value: number) => ({ dist: "constant", value }) as const;

interface Start {
  arrivalUs: number;
  atUs: number;
  waitUs: number;
  cold: boolean;
  sb: number;
  host: number;
}
interface Ev {
  sb: number;
  host: number;
  atUs: number;
}

/** Records what the model reports, and runs the invariant checks beside it. */
class Log implements ModelObserver {
  arrivals: number[] = [];
  starts: Start[] = [];
  ends: Ev[] = [];
  latencies: number[] = [];
  failures: { cause: Cause; arrivalUs: number; atUs: number }[] = [];
  created: Ev[] = [];
  reclaimed: Ev[] = [];
  arrived(_req: number, _fn: number, nowUs: number): void {
    this.arrivals.push(nowUs);
  }
  started(_r: number, arrivalUs: number, sb: Sandbox, waitUs: number, cold: boolean, now: number) {
    this.starts.push({ arrivalUs, atUs: now, waitUs, cold, sb: sb.id, host: sb.host });
  }
  ended(_req: number, sb: Sandbox, nowUs: number): void {
    this.ends.push({ sb: sb.id, host: sb.host, atUs: nowUs });
  }
  completed(_req: number, _fn: number, arrivalUs: number, nowUs: number): void {
    this.latencies.push(nowUs - arrivalUs);
  }
  failed(_req: number, _fn: number, arrivalUs: number, cause: Cause, nowUs: number): void {
    this.failures.push({ cause, arrivalUs, atUs: nowUs });
  }
  sandboxCreated(sb: Sandbox, nowUs: number): void {
    this.created.push({ sb: sb.id, host: sb.host, atUs: nowUs });
  }
  sandboxReclaimed(sb: Sandbox, nowUs: number): void {
    this.reclaimed.push({ sb: sb.id, host: sb.host, atUs: nowUs });
  }
  gaugesWillChange(): void {}
  balancerOp(): void {}

  get colds(): number {
    return this.starts.filter((s) => s.cold).length;
  }
  meanWaitUs(): number {
    return this.starts.reduce((a, s) => a + s.waitUs, 0) / this.starts.length;
  }
  meanLatencyUs(): number {
    return this.latencies.reduce((a, b) => a + b, 0) / this.latencies.length;
  }
}

/** Runs `sc` and then lets every request in flight finish; checks the invariants. */
function simulate(sc: ResolvedScenario): { log: Log; world: World } {
  const log = new Log();
  const checker = new InvariantChecker((f) => sc.functions[f]!.slots);
  const world = new World(sc, new Streams(sc.seed), new ObserverPair(log, checker));
  checker.attach(world.hosts);
  world.start();
  world.sim.run(sc.durationUs + 3600 * S);
  expect(checker.violations).toEqual([]);
  expect(log.latencies.length + log.failures.length).toBe(log.arrivals.length);
  expect(world.busySandboxes).toBe(0);
  return { log, world };
}

/** Most (time-sorted) +1/-1 events open at once. */
function peak(events: [number, number][]): number {
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]); // at equal times, ends first
  let n = 0;
  let most = 0;
  for (const [, d] of events) most = Math.max(most, (n += d));
  return most;
}
const concurrency = (log: Log) =>
  peak([
    ...log.starts.map((s) => [s.atUs, 1] as [number, number]),
    ...log.ends.map((e) => [e.atUs, -1] as [number, number]),
  ]);
/** Most requests waiting at once (arrived, neither started nor failed yet). */
const waiting = (log: Log) =>
  peak([
    ...log.starts.map((s) => [s.arrivalUs, 1] as [number, number]),
    ...log.starts.map((s) => [s.atUs, -1] as [number, number]),
    ...log.failures.map((f) => [f.arrivalUs, 1] as [number, number]),
    ...log.failures.map((f) => [f.atUs, -1] as [number, number]),
  ]);

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

describe("costs on the request path", () => {
  it("replication sync adds the round trip to the nearest follower to every wait", () => {
    const run = (replication: "none" | "sync") =>
      simulate(
        scenario({
          durationUs: 5 * S,
          cluster: { zones: ["a", "b", "c"] },
          network: { sameZone: constant(0), crossZone: constant(MS), connectTimeoutUs: S },
          balancer: { replicas: 3, replication },
          functions: [fn({ arrivals: { process: "poisson", rate: 50 } })],
        }),
      ).log;
    const none = run("none");
    const sync = run("sync");
    expect(sync.arrivals).toEqual(none.arrivals);
    expect(sync.meanWaitUs() - none.meanWaitUs()).toBeCloseTo(2 * MS, -1);
  });

  it("CPU contention stretches executions on a host whose busy demand exceeds its cpus", () => {
    const run = (contention: boolean) =>
      simulate(
        scenario({
          durationUs: 2 * S,
          cluster: {
            hostsPerZone: 1,
            host: { memoryMb: 32768, cpus: 0.1, codeCacheMb: 0 },
            contention,
          },
          functions: [
            fn({ duration: constant(10 * MS), arrivals: { process: "poisson", rate: 300 } }),
          ],
        }),
      ).log;
    const off = run(false);
    const on = run(true);
    expect(off.meanLatencyUs()).toBe(10 * MS);
    // ~3 busy sandboxes of 0.072 vCPU on 0.1: well over 1.5x.
    expect(on.meanLatencyUs()).toBeGreaterThan(1.5 * off.meanLatencyUs());
    expect(Math.min(...on.latencies)).toBe(10 * MS); // alone on the host: not stretched
  });

  it("placement.zoneBalance spreads one function's sandboxes evenly over the zones", () => {
    const run = (zoneBalance: boolean) =>
      simulate(
        scenario({
          durationUs: 1 * S,
          cluster: { zones: ["a", "b", "c"], hostsPerZone: 4 },
          placement: { zoneBalance },
          functions: [
            fn({ duration: constant(20 * MS), arrivals: { process: "poisson", rate: 1000 } }),
          ],
        }),
      ).log;
    const perZone = (log: Log) => {
      const n = [0, 0, 0];
      for (const c of log.created) n[Math.floor(c.host / 4)]!++;
      return n;
    };
    const balanced = perZone(run(true));
    expect(balanced[0]).toBeGreaterThan(10);
    expect(Math.max(...balanced) - Math.min(...balanced)).toBeLessThanOrEqual(1);
    expect(perZone(run(false))).toEqual([expect.any(Number), 0, 0]); // first-fit packs host 0
  });

  it("balancer serviceTime queues operations; utilization is rate x 2 ops x serviceTime", () => {
    const sc = scenario({
      durationUs: 20 * S,
      balancer: { serviceTimeUs: 400 },
      functions: [fn({ arrivals: { process: "poisson", rate: 1000 } })],
    });
    const { summary } = runScenario(sc);
    const expected = (summary.requests.arrived / 20) * 2 * 400e-6; // ~0.8
    expect(summary.balancer.utilizationMax).toBeCloseTo(expected, 2);
    expect(Math.abs(summary.balancer.utilizationMax - 0.8)).toBeLessThan(0.02);
    expect(summary.waitMs.p50).toBeGreaterThanOrEqual(0.4);
    expect(summary.balancer.queueWaitMsP99).toBeGreaterThan(0.4);
  });
});
