/**
 * The balancer's replica set under `sync` replication (SPEC 2.4, amended): a leader
 * commits on a majority, so one that cannot reach a majority (followers down or cut off)
 * serves nothing; the side holding a majority elects a leader after detection +
 * election; with no live majority nothing is elected; a new leader without the state
 * starts empty. A commit costs the round trip to the majority-th fastest follower.
 *
 * Seed 1 puts f's first arrival at 0.7136 of a gap: at 10/s, 71.36 ms + k * 100 ms; at
 * 100/s, 7.136 ms + k * 10 ms.
 */
import { describe, expect, it } from "vitest";
import { runScenario } from "../../../src/experiment/run.js";
import { Cause } from "../../../src/model/observer.js";
import type { FaultSpec, ResolvedScenario } from "../../../src/scenario/types.js";
import { fn, scenario } from "../../support/scenario.js";
import { between, constant, harness, MS, runWithFaults, S } from "../harness.js";

const SAME = 100;
const CROSS = MS;
const CONNECT = 200 * MS;
const FAILOVER = 1 * S + 300 * MS;
const T = 5 * S + 50 * MS; // nothing in flight at 10/s (the last request ends by 5.011 s)

type Replication = ResolvedScenario["balancer"]["replication"];

/**
 * One host per zone, first-fit (every sandbox on host 0, zone a), one partition whose
 * replica r lives in zone r mod Z: the leader in a. f: 10/s of 35 ms, 50 ms cold starts:
 * one sandbox serves everything.
 */
const cluster = (
  zones: string[],
  replicas: number,
  replication: Replication,
  faults: FaultSpec[] = [],
  rate = 10,
) =>
  scenario({
    durationUs: 20 * S,
    cluster: { zones, hostsPerZone: 1 },
    network: { sameZone: constant(SAME), crossZone: constant(CROSS), connectTimeoutUs: CONNECT },
    balancer: { replicas, replication },
    functions: [
      fn({
        arrivals: { process: "constant", rate },
        duration: constant(35 * MS),
        coldStartCached: constant(50 * MS),
        coldStartUncached: constant(50 * MS),
      }),
    ],
    faults,
  });

const outage = (zone: string, atUs: number, durationUs: number): FaultSpec => ({
  kind: "zone-outage",
  atUs,
  zone,
  durationUs,
});

/** Arrivals at 10/s in [from, to). */
const arrivals10 = (from: number, to: number) => {
  const out: number[] = [];
  for (let t = 71_360; t < to; t += 100 * MS) if (t >= from) out.push(t);
  return out;
};

describe("sync, both followers' zones out", () => {
  const D = 3 * S;
  const abc = ["a", "b", "c"];

  it("the leader cannot commit: every acquire fails balancer-unavailable after connectTimeout", () => {
    const h = harness(cluster(abc, 3, "sync", [outage("b", T, D), outage("c", T, D)]));
    const p = h.world.partitions[0]!;
    h.runUntil(T);
    expect(p.serving).toBe(false);
    h.runUntil(T + FAILOVER - 1);
    expect(p.leader).toBe(0); // not yet deposed ...
    h.runUntil(T + FAILOVER);
    expect(p.leader).toBe(-1); // ... then deposed, and no side holds a majority
    h.runUntil(T + D - 1);
    expect(p.leader).toBe(-1);
    h.runUntil(T + D);
    // Both zones back: the old leader, which holds the state, is elected at once.
    expect(p.leader).toBe(0);
    h.runUntil(h.world.endUs + 5 * S);
    const { log } = h;
    // Arrivals in [5.05 s, 8.05 s): 5.07136 s .. 7.97136 s -> 30, all through a's
    // frontends (b's and c's are dead), each failing 100 µs (frontend -> leader) + 200 ms
    // after it arrived. Nothing is committed for them: none starts.
    const window = arrivals10(T, T + D);
    expect(window).toHaveLength(30);
    expect(log.failures.map((f) => f.arrivalUs)).toEqual(window);
    for (const f of log.failures) {
      expect(f.cause).toBe(Cause.BalancerUnavailable);
      expect(f.atUs - f.arrivalUs).toBe(SAME + CONNECT);
      expect(f.zone).toBe(0);
    }
    expect(between(log.starts, T, T + D)).toEqual([]);
    // Sync kept the state: nothing orphaned, and the sandbox serves on warm.
    expect(log.orphaned).toEqual([]);
    expect(log.done).toHaveLength(200 - 30);
    expect(between(log.starts, T + D, 20 * S).every((s) => !s.cold)).toBe(true);
  });

  it("a crashed leader is not re-elected while no other replica runs; the next starts empty", () => {
    // b and c out from T for 10 s; the leader crashes at T + 0.5 s and its node restarts
    // (empty) 1.3 s later: alone it has no majority, so no leader until b and c are back
    // at T + 10 s. Then replica 1 (zone b) leads: no replica holding the state was on the
    // electing side (the leader's was lost in its crash, b's and c's went down with their
    // zones), so it starts empty and the one sandbox is orphaned.
    const crash: FaultSpec = {
      kind: "balancer-crash",
      atUs: T + 500 * MS,
      partition: 0,
      zone: null,
    };
    const h = harness(
      cluster(abc, 3, "sync", [outage("b", T, 10 * S), outage("c", T, 10 * S), crash]),
    );
    const p = h.world.partitions[0]!;
    for (const t of [T + 500 * MS, T + FAILOVER, T + 500 * MS + FAILOVER, T + 10 * S - 1]) {
      h.runUntil(t);
      expect([t, p.leader]).toEqual([t, -1]);
    }
    h.runUntil(T + 10 * S);
    expect(p.leader).toBe(1);
    expect(p.leaderZone).toBe(1);
    h.runUntil(h.world.endUs + 5 * S);
    const { log } = h;
    expect(log.orphaned.map((o) => o.atUs)).toEqual([T + 10 * S]);
    // Arrivals of [T, T + 10 s): 100, all balancer-unavailable.
    expect(log.failures.map((f) => f.arrivalUs)).toEqual(arrivals10(T, T + 10 * S));
    expect(log.failures.every((f) => f.cause === Cause.BalancerUnavailable)).toBe(true);
  });
});

describe("sync, the leader's zone cut off", () => {
  it("stops committing at once; the majority side (b, c) elects b after detection + election", () => {
    const cut: FaultSpec = { kind: "network-partition", atUs: T, zone: "a", durationUs: 10 * S };
    const h = harness(cluster(["a", "b", "c"], 3, "sync", [cut]));
    const p = h.world.partitions[0]!;
    h.runUntil(T);
    expect([p.leader, p.serving]).toEqual([0, false]);
    h.runUntil(T + FAILOVER - 1);
    expect([p.leader, p.serving]).toEqual([0, false]);
    h.runUntil(T + FAILOVER);
    expect([p.leader, p.leaderZone, p.serving]).toEqual([1, 1, true]);
    h.runUntil(h.world.endUs + 5 * S);
    const { log } = h;
    // Arrivals of [T, T + 1.3 s): 13, all fail: through a's frontends the leader answers
    // but cannot commit (balancer-unavailable); through b's or c's they cannot reach it
    // (unreachable).
    const window = arrivals10(T, T + FAILOVER);
    expect(window).toHaveLength(13);
    const failed = between(log.failures, T, T + FAILOVER);
    expect(failed.map((f) => f.arrivalUs)).toEqual(window);
    for (const f of failed)
      expect(f.cause).toBe(f.zone === 0 ? Cause.BalancerUnavailable : Cause.Unreachable);
    // The elected replica held the state (it was caught up): nothing is orphaned.
    expect(log.orphaned).toEqual([]);
  });
});

describe("sync with one replica", () => {
  it("orphans every sandbox after a balancer crash: the node restarts empty after 1.3 s", () => {
    // One zone, no latency, 100/s of 35 ms with 50 ms cold starts: 9 sandboxes (the first
    // request holds its sandbox 85 ms, so the 8 arrivals after it find none free). The
    // leader crashes at 5.002 s; its node restarts empty and leads at 6.302 s.
    const crashAt = 5 * S + 2 * MS;
    const sc = scenario({
      durationUs: 10 * S,
      balancer: { replicas: 1, replication: "sync" },
      network: { sameZone: constant(0), crossZone: constant(0), connectTimeoutUs: CONNECT },
      functions: [
        fn({
          arrivals: { process: "constant", rate: 100 },
          duration: constant(35 * MS),
          coldStartCached: constant(50 * MS),
          coldStartUncached: constant(50 * MS),
        }),
      ],
      faults: [{ kind: "balancer-crash", atUs: crashAt, partition: 0, zone: null }],
    });
    const { log } = runWithFaults(sc, 5 * S);
    expect(log.created.filter((c) => c.atUs < crashAt)).toHaveLength(9);
    expect(log.orphaned.map((o) => o.atUs)).toEqual(new Array(9).fill(crashAt + FAILOVER));
    // Arrivals of [5.002 s, 6.302 s): 5.007136 s .. 6.297136 s -> 130, balancer-unavailable.
    expect(log.failures).toHaveLength(130);
    expect(log.failures.every((f) => f.cause === Cause.BalancerUnavailable)).toBe(true);
    // The empty leader cold-starts anew: 9 more sandboxes.
    expect(log.created.filter((c) => c.atUs >= crashAt)).toHaveLength(9);
    expect(runScenario(sc).summary.sandboxes.orphaned).toBe(9);
  });
});

describe("the cost of a sync commit", () => {
  // Per request, sync minus none: exactly the round trip to the majority-th fastest
  // follower (the (majority - 1)-th smallest follower round trip), since latencies are
  // constant and everything else (arrivals, frontends, the one sandbox) is the same.
  const waits = (sc: ResolvedScenario) =>
    runWithFaults(sc).log.starts.map((s) => s.atUs - s.arrivalUs);
  const extra = (zones: string[], replicas: number, faults: FaultSpec[] = []) => {
    const none = waits(cluster(zones, replicas, "none", faults));
    const sync = waits(cluster(zones, replicas, "sync", faults));
    expect(sync).toHaveLength(200);
    expect(none).toHaveLength(200);
    return [...new Set(sync.map((w, i) => w - none[i]!))];
  };

  it("3 replicas in a, b, c: majority 2, followers b and c both cross-zone -> 2 ms", () => {
    expect(extra(["a", "b", "c"], 3)).toEqual([2 * CROSS]);
  });

  it("3 replicas in a, b, a: the follower in a is the fastest -> 200 µs", () => {
    expect(extra(["a", "b"], 3)).toEqual([2 * SAME]);
  });

  it("4 replicas in a, b, a, b: majority 3 needs the 2nd fastest of [200 µs, 2 ms, 2 ms] -> 2 ms", () => {
    expect(extra(["a", "b"], 4)).toEqual([2 * CROSS]);
  });

  it("5 replicas in a, b, a, b, a: majority 3, 2nd fastest of [200, 200, 2000, 2000] µs -> 200 µs", () => {
    expect(extra(["a", "b"], 5)).toEqual([2 * SAME]);
  });

  it("3 replicas in a, b, c with c out throughout: b still makes the majority -> 2 ms", () => {
    expect(extra(["a", "b", "c"], 3, [outage("c", 0, 100 * S)])).toEqual([2 * CROSS]);
  });
});
