/**
 * Leader crashes and failover (SPEC 2.4): the partition is unavailable for detection +
 * election, then a follower leads with what replication kept: `none` orphans every
 * sandbox, `async` those created in the last replicationLag, `sync` none (at the cost
 * of a follower round trip per decision). Orphans hold memory until orphanTimeout.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { runScenario } from "../../src/experiment/run.js";
import { Cause } from "../../src/model/observer.js";
import type { World } from "../../src/model/world.js";
import type { ArrivalSpec, FaultSpec, ResolvedScenario } from "../../src/scenario/types.js";
import { fn, scenario } from "../support/scenario.js";
import { between, constant, type FaultLog, harness, MS, runWithFaults, S } from "./harness.js";

const T = 10 * S + 5 * MS; // between two arrivals
const FAILOVER = 1 * S + 300 * MS; // detection + election
const CONNECT = 100 * MS;
const EXEC = 35 * MS;
const ORPHAN_TIMEOUT = 5 * S;

const leaderCrash: FaultSpec = { kind: "balancer-crash", atUs: T, partition: 0, zone: null };

/**
 * Three zones, one partition with a replica in each (leader in a), first-fit placement
 * (every sandbox on host 0), 100 requests/s of exactly 35 ms.
 */
function cluster(
  replication: ResolvedScenario["balancer"]["replication"],
  faults: FaultSpec[] = [leaderCrash],
  arrivals: ArrivalSpec = { process: "constant", rate: 100 },
): ResolvedScenario {
  return scenario({
    durationUs: 20 * S,
    cluster: {
      zones: ["a", "b", "c"],
      hostsPerZone: 2,
      failureDetectionUs: 1 * S,
      orphanTimeoutUs: ORPHAN_TIMEOUT,
    },
    network: { sameZone: constant(200), crossZone: constant(MS), connectTimeoutUs: CONNECT },
    balancer: { replicas: 3, replication, replicationLagUs: 100 * MS },
    functions: [
      fn({
        arrivals,
        duration: constant(EXEC),
        coldStartCached: constant(50 * MS),
        coldStartUncached: constant(50 * MS),
      }),
    ],
    faults,
  });
}

const coldIn = (starts: { arrivalUs: number; cold: boolean }[], from: number, to: number) =>
  between(starts, from, to).filter((s) => s.cold).length;

describe("a leader crash without replication", () => {
  const sc = cluster("none");
  let log: FaultLog;
  let world: World;
  beforeAll(() => {
    ({ log, world } = runWithFaults(sc, 60 * S));
  });
  const failover = T + FAILOVER;

  it("fails every attempt to the partition with balancer-unavailable until failover", () => {
    const arrived = log.arrivals.filter((t) => t > T && t < failover);
    expect(arrived.length).toBeGreaterThan(120);
    expect(log.failures.map((f) => f.arrivalUs)).toEqual(arrived);
    for (const f of log.failures) {
      expect(f.cause).toBe(Cause.BalancerUnavailable);
      expect(f.atUs - f.arrivalUs).toBeGreaterThanOrEqual(CONNECT);
      expect(f.atUs - f.arrivalUs).toBeLessThanOrEqual(CONNECT + MS);
    }
    expect(between(log.done, failover, sc.durationUs).length).toBeGreaterThan(850);
  });

  it("hands leadership to the next replica, in zone b", () => {
    expect(world.partitions[0]!.leaderZone).toBe(1);
    expect(world.partitions[0]!.leader >= 0).toBe(true);
  });

  it("orphans every sandbox at failover; the new leader cold-starts new ones", () => {
    const live = log.created.filter((c) => c.atUs <= T);
    expect(live.length).toBeGreaterThan(2);
    expect(log.orphaned.map((o) => o.atUs)).toEqual(new Array(live.length).fill(failover));
    expect(coldIn(log.starts, T - 5 * S, T)).toBe(0);
    expect(coldIn(log.starts, failover, failover + S)).toBeGreaterThan(2);
  });

  it("reclaims each orphan orphanTimeout after its last execution: the memory comes back", () => {
    for (const o of log.orphaned) {
      const back = log.reclaimed.find((r) => r.sb === o.sb && r.atUs > o.atUs);
      expect(back!.atUs - o.atUs).toBeGreaterThanOrEqual(ORPHAN_TIMEOUT);
      expect(back!.atUs - o.atUs).toBeLessThanOrEqual(ORPHAN_TIMEOUT + EXEC);
    }
    expect(world.book.orphanedSandboxes).toBe(0);
    expect(world.book.orphanedMemoryMb).toBe(0);
  });

  it("reports orphans and the memory they held in the summary", () => {
    const { summary } = runScenario(sc);
    const n = log.orphaned.length;
    expect(summary.sandboxes.orphaned).toBe(n);
    const gbS = (n * 128 * ORPHAN_TIMEOUT) / 1024 / S;
    expect(summary.sandboxes.orphanedGbSeconds).toBeGreaterThanOrEqual(gbS);
    expect(summary.sandboxes.orphanedGbSeconds).toBeLessThanOrEqual(gbS * 1.01);
  });
});

describe("replication modes", () => {
  // Two load steps before the crash create sandboxes before and inside the replication lag.
  const LAG = 100 * MS;
  const step: ArrivalSpec = {
    process: "steps",
    steps: [
      { atUs: 0, rate: 100 },
      { atUs: T - 2 * LAG, rate: 600 },
      { atUs: T - 60 * MS, rate: 1500 },
    ],
  };
  const orphans = (mode: ResolvedScenario["balancer"]["replication"]) =>
    runWithFaults(cluster(mode, [leaderCrash], step));

  it("async orphans exactly the sandboxes created in the last replicationLag", () => {
    const none = orphans("none").log;
    const { log } = orphans("async");
    const inLag = log.created.filter((c) => c.atUs > T - LAG && c.atUs <= T);
    const justBefore = log.created.filter((c) => c.atUs > T - 2 * LAG && c.atUs <= T - LAG);
    expect(inLag.length).toBeGreaterThan(5);
    expect(justBefore.length).toBeGreaterThan(5);
    expect(log.orphaned.length).toBe(inLag.length);
    expect(log.orphaned.length).toBeLessThan(none.orphaned.length);
    expect(orphans("sync").log.orphaned).toEqual([]);
  });

  it("sync orphans nothing and needs no cold start after the failover", () => {
    const { log } = runWithFaults(cluster("sync"), 10 * S);
    expect(log.orphaned).toEqual([]);
    expect(coldIn(log.starts, T - 5 * S, 20 * S)).toBe(0);
    expect(log.failures.length).toBeGreaterThan(120);
    expect(log.failures.every((f) => f.cause === Cause.BalancerUnavailable)).toBe(true);
  });

  it("sync costs a cross-zone round trip on every decision", () => {
    const p50 = (mode: ResolvedScenario["balancer"]["replication"]) =>
      runScenario(cluster(mode, [])).summary.latencyMs.p50;
    const extra = p50("sync") - p50("none");
    expect(extra).toBeGreaterThan(1.6);
    expect(extra).toBeLessThan(2.4);
    expect(p50("async")).toBeCloseTo(p50("none"), 6);
  });
});

describe("an outage of the leader's zone", () => {
  it("fails the leader over to another zone; frontends of the zone take no requests", () => {
    const outage: FaultSpec = { kind: "zone-outage", atUs: T, zone: "a", durationUs: 30 * S };
    const h = harness(cluster("sync", [outage]));
    const p = h.world.partitions[0]!;
    h.runUntil(T + FAILOVER - 1);
    expect(p.leader >= 0).toBe(false);
    h.runUntil(T + FAILOVER);
    expect(p.leader >= 0).toBe(true);
    expect(p.leaderZone).toBe(1);
    h.runUntil(h.world.endUs + 10 * S);
    const { log } = h;
    const during = between(log.failures, T, T + FAILOVER - MS);
    expect(during.length).toBeGreaterThan(120);
    const causes = new Set(log.failures.map((f) => f.cause));
    expect([...causes].sort()).toEqual([Cause.HostCrash, Cause.BalancerUnavailable]);
    expect(between(log.failures, T + FAILOVER, Number.POSITIVE_INFINITY)).toEqual([]);
    const after = between(log.done, T, Number.POSITIVE_INFINITY);
    expect(after.length).toBeGreaterThan(850);
    expect(after.every((d) => d.zone !== 0)).toBe(true);
    expect(log.starts.filter((s) => s.atUs > T).every((s) => s.host >= 2)).toBe(true);
  });
});

describe("a leader crash while the next replica's zone is out", () => {
  it("skips that replica: the leader moves to the zone after it", () => {
    const outage: FaultSpec = { kind: "zone-outage", atUs: 5 * S, zone: "b", durationUs: 30 * S };
    const { log, world } = runWithFaults(cluster("sync", [outage, leaderCrash]));
    expect(world.partitions[0]!.leaderZone).toBe(2);
    expect(between(log.failures, T + FAILOVER, Number.POSITIVE_INFINITY)).toEqual([]);
    expect(between(log.done, T + FAILOVER, Number.POSITIVE_INFINITY).length).toBeGreaterThan(850);
  });
});

describe("a fast failover without replication", () => {
  // Failover after 10 ms, a load step 20 ms before the crash: orphans are busy or still
  // initializing when the new leader forgets them.
  const fast = (faults: FaultSpec[], f: Partial<ResolvedScenario["functions"][0]> = {}) => {
    const base = cluster("none", faults, {
      process: "steps",
      steps: [
        { atUs: 0, rate: 100 },
        { atUs: T - 20 * MS, rate: 1000 },
      ],
    });
    return {
      ...base,
      balancer: { ...base.balancer, failover: { detectionUs: 10 * MS, electionUs: 0 } },
      functions: [{ ...base.functions[0]!, ...f }],
    };
  };

  it("lets orphans finish what they run; each is reclaimed orphanTimeout after its last end", () => {
    const { log } = runWithFaults(fast([leaderCrash]), 30 * S);
    const initializing = log.orphaned.filter((o) =>
      log.created.some((c) => c.sb === o.sb && c.atUs > T - 20 * MS && c.atUs <= T),
    );
    expect(initializing.length).toBeGreaterThan(2);
    let busy = 0;
    for (const o of log.orphaned) {
      const back = log.reclaimed.find((r) => r.sb === o.sb && r.atUs > o.atUs)!;
      const ends = log.ends.filter((e) => e.sb === o.sb && e.atUs >= o.atUs && e.atUs < back.atUs);
      if (ends.length > 0) busy++;
      const idleFrom = Math.max(o.atUs, ...ends.map((e) => e.atUs));
      expect(back.atUs - idleFrom).toBe(ORPHAN_TIMEOUT);
    }
    expect(busy).toBeGreaterThan(initializing.length);
    // Whatever was sent before the crash got its answer.
    expect(between(log.failures, 0, T)).toEqual([]);
  });

  it("fails the requests waiting in the overflow queue at the crash", () => {
    const sc = fast([leaderCrash], { maxSandboxes: 2 });
    const queued = { ...sc, balancer: { ...sc.balancer, overflow: "queue" as const } };
    const h = harness(queued);
    h.runUntil(T - 1);
    const waiting = h.world.fns[0]!.queueLength;
    expect(waiting).toBeGreaterThan(5);
    h.runUntil(T);
    const atCrash = h.log.failures.filter((f) => f.atUs === T);
    expect(atCrash).toHaveLength(waiting);
    expect(atCrash.every((f) => f.cause === Cause.BalancerUnavailable)).toBe(true);
    expect(h.world.fns[0]!.queueLength).toBe(0);
  });
});
