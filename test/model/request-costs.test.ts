/**
 * What the request path costs (SPEC 2.1-2.3), on small scenarios driven through World
 * and recorded: synchronous replication, CPU contention, zone balance of placement,
 * and the balancer leader's service time.
 */
import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/experiment/run.js";
import { fn, scenario } from "../support/scenario.js";
import { constant, type Log, MS, S, simulate } from "./recording.js";

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
    // Followers sit in the other two zones, 1 ms away: a majority needs one of them.
    const waitOf = new Map(none.starts.map((s) => [s.arrivalUs, s.waitUs]));
    for (const s of sync.starts) expect(s.waitUs - waitOf.get(s.arrivalUs)!).toBe(2 * MS);
    expect(sync.meanWaitUs() - none.meanWaitUs()).toBeCloseTo(2 * MS, 3);
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
