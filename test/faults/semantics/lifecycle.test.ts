/**
 * Sandbox lifecycle under faults (SPEC 2.4, amended): provisioned sandboxes
 * (minSandboxes) are restored after a loss or an orphaning; sandboxes destroyed by a
 * crash are `lost` whatever keep-alive had planned; an initializing sandbox with free
 * slots takes further requests, which wait for it; executions stretched by a slow host
 * stay in whole microseconds.
 *
 * Seed 1 puts function f's first arrival at 0.7136 of a gap: at 0.5/s, 1.427193 s +
 * k * 2 s; at 1000/s, 0.714 ms + k * 1 ms (the phase is rounded to whole µs).
 */
import { describe, expect, it } from "vitest";
import { runScenario } from "../../../src/experiment/run.js";
import { Cause } from "../../../src/model/observer.js";
import { type Sandbox, SandboxState } from "../../../src/model/sandbox.js";
import type { World } from "../../../src/model/world.js";
import type { FaultSpec, ResolvedFunction } from "../../../src/scenario/types.js";
import { fn, scenario } from "../../support/scenario.js";
import { constant, harness, MS, runWithFaults, S } from "../harness.js";

const f = (over: Partial<ResolvedFunction>) =>
  fn({
    duration: constant(35 * MS),
    coldStartCached: constant(0),
    coldStartUncached: constant(0),
    ...over,
  });

describe("minSandboxes after a loss or an orphaning", () => {
  /**
   * Zones a and b of one host each, no latency, first-fit: the 3 provisioned sandboxes of
   * f (no arrivals at all) sit on host 0 in zone a, with the leader. A restored sandbox
   * is placed and initialized anew: placement 10 ms + cold start 500 ms.
   */
  const INIT = 10 * MS + 500 * MS;
  const sc = (faults: FaultSpec[]) =>
    scenario({
      durationUs: 20 * S,
      cluster: { zones: ["a", "b"], hostsPerZone: 1, failureDetectionUs: 3 * S },
      placement: { latencyUs: 10 * MS },
      functions: [
        f({
          arrivals: { process: "constant", rate: 0 },
          minSandboxes: 3,
          coldStartUncached: constant(500 * MS),
        }),
      ],
      faults,
    });

  /** The provisioned sandboxes the leader knows: [initializing, ready] with their hosts. */
  const provisioned = (w: World) => {
    const known = w.book.byId.filter(
      (sb): sb is Sandbox => sb?.pinned === true && !sb.orphaned && !sb.destroyed,
    );
    return {
      initializing: known.filter((sb) => sb.state === SandboxState.Initializing).length,
      ready: known.filter((sb) => sb.state === SandboxState.Ready).length,
      hosts: [...new Set(known.map((sb) => sb.host))],
    };
  };

  it("are placed anew when the crash is detected, and ready one initialisation later", () => {
    // Host 0 crashes at 2 s; the balancer learns at 5 s, loses the 3 and places 3 on host
    // 1 (host 0 known down), ready at 5 s + 510 ms.
    const crash: FaultSpec = {
      kind: "host-crash",
      atUs: 2 * S,
      count: 1,
      zone: "a",
      repairUs: Number.POSITIVE_INFINITY,
    };
    const h = harness(sc([crash]));
    h.runUntil(1 * S);
    expect(provisioned(h.world)).toEqual({ initializing: 0, ready: 3, hosts: [0] });
    h.runUntil(5 * S - 1);
    expect(provisioned(h.world)).toEqual({ initializing: 0, ready: 0, hosts: [] });
    h.runUntil(5 * S);
    expect(provisioned(h.world)).toEqual({ initializing: 3, ready: 0, hosts: [1] });
    h.runUntil(5 * S + INIT - 1);
    expect(provisioned(h.world)).toEqual({ initializing: 3, ready: 0, hosts: [1] });
    h.runUntil(5 * S + INIT);
    expect(provisioned(h.world)).toEqual({ initializing: 0, ready: 3, hosts: [1] });
    h.runUntil(30 * S);
    expect(h.log.lost.map((l) => [l.host, l.atUs])).toEqual([
      [0, 5 * S],
      [0, 5 * S],
      [0, 5 * S],
    ]);
    const { summary } = runScenario(sc([crash]));
    expect(summary.sandboxes).toMatchObject({ created: 6, lost: 3, orphaned: 0 });
  });

  it("are placed anew when a failover orphans them, and ready one initialisation later", () => {
    // One replica, replication none: the leader crashes at 2 s, its node leads again
    // (empty) at 3.3 s and orphans the 3; it places 3 new ones at once (host 0 still has
    // room: the orphans hold 3 x 128 MB), ready at 3.3 s + 510 ms.
    const crash: FaultSpec = { kind: "balancer-crash", atUs: 2 * S, partition: 0, zone: null };
    const h = harness(sc([crash]));
    const ELECTED = 2 * S + 1.3 * S;
    h.runUntil(ELECTED - 1);
    expect(provisioned(h.world)).toEqual({ initializing: 0, ready: 3, hosts: [0] });
    h.runUntil(ELECTED);
    expect(h.world.book.orphanedSandboxes).toBe(3);
    expect(provisioned(h.world)).toEqual({ initializing: 3, ready: 0, hosts: [0] });
    h.runUntil(ELECTED + INIT - 1);
    expect(provisioned(h.world).ready).toBe(0);
    h.runUntil(ELECTED + INIT);
    expect(provisioned(h.world)).toEqual({ initializing: 0, ready: 3, hosts: [0] });
    const { summary } = runScenario(sc([crash]));
    expect(summary.sandboxes).toMatchObject({ created: 6, lost: 0, orphaned: 3 });
  });
});

/**
 * Restores under cuts: zones of one host each, 1 ms apart, first-fit, the leader in the
 * first zone, detection 3 s, placement 10 ms; f has 3 provisioned sandboxes (500 ms cold
 * start) and no arrivals. A restored sandbox is ready 511 ms after it is placed.
 */
const restoreScenario = (zones: string[], faults: FaultSpec[]) =>
  scenario({
    durationUs: 10 * S,
    cluster: { zones, hostsPerZone: 1, failureDetectionUs: 3 * S },
    network: { sameZone: constant(0), crossZone: constant(MS), connectTimeoutUs: 100 * MS },
    placement: { latencyUs: 10 * MS },
    functions: [
      f({
        arrivals: { process: "constant", rate: 0 },
        minSandboxes: 3,
        coldStartUncached: constant(500 * MS),
      }),
    ],
    faults,
  });

describe("a restore whose placement a cut loses in flight", () => {
  /**
   * Zones a and b of one host each, 1 ms between them, first-fit, the leader in a: f's 3
   * provisioned sandboxes (no arrivals) sit on host 0. Host 0 crashes at 2 s; the balancer
   * learns at 5 s and places 3 anew on host 1, in b: the placement leaves the leader at
   * 5 s + 10 ms and reaches host 1 1 ms later. Zone b is cut off at 5.0105 s, with the
   * message on the wire, for 2 s (healed at 7.0105 s, before its detection at 8.0105 s).
   * - The host never got the placement: at 5.511 s, when the 3 would be ready, the leader
   *   drops them as lost. It restores at once but finds host 1 (the only one not known
   *   down) out of reach, and defers.
   * - At the heal it places 3 again on host 1, ready at 7.0105 s + 10 ms + 1 ms + 500 ms.
   * Sandboxes: 3 + 3 + 3 created, 3 lost on host 0 and 3 on host 1, 3 ready at the end.
   */
  const CUT_AT = 5 * S + 10.5 * MS;
  const HEAL = CUT_AT + 2 * S;
  const faults: FaultSpec[] = [
    { kind: "host-crash", atUs: 2 * S, count: 1, zone: "a", repairUs: Number.POSITIVE_INFINITY },
    { kind: "network-partition", atUs: CUT_AT, zone: "b", durationUs: 2 * S },
  ];
  const sc = restoreScenario(["a", "b"], faults);
  const readyOn = (w: World) =>
    w.book.byId
      .filter((sb): sb is Sandbox => sb?.state === SandboxState.Ready && !sb.orphaned)
      .map((sb) => sb.host);

  it("drops it as lost when it would be ready, and restores again once the cut heals", () => {
    const h = harness(sc);
    h.runUntil(5 * S + 511 * MS - 1);
    expect(h.log.created.map((c) => [c.host, c.atUs])).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
      [1, 5 * S],
      [1, 5 * S],
      [1, 5 * S],
    ]);
    h.runUntil(5 * S + 511 * MS);
    expect(readyOn(h.world)).toEqual([]);
    expect(h.log.lost.map((l) => [l.host, l.atUs])).toEqual([
      ...Array(3).fill([0, 5 * S]),
      ...Array(3).fill([1, 5 * S + 511 * MS]),
    ]);
    expect(h.log.created).toHaveLength(6); // deferred: host 1 is out of reach
    h.runUntil(HEAL);
    expect(h.log.created.slice(6).map((c) => [c.host, c.atUs])).toEqual(Array(3).fill([1, HEAL]));
    h.runUntil(HEAL + 511 * MS - 1);
    expect(readyOn(h.world)).toEqual([]);
    h.runUntil(HEAL + 511 * MS);
    expect(readyOn(h.world)).toEqual([1, 1, 1]);
    const { summary } = runScenario(sc);
    expect(summary.sandboxes).toMatchObject({ created: 9, lost: 6, orphaned: 0 });
  });
});

describe("a restore deferred by a cut not yet detected", () => {
  it("places in another zone once the cut is detected", () => {
    // Zones a, b, c of one host each, 1 ms apart, first-fit, the leader in a, detection
    // 3 s. Zone b is cut off from 4 s (for 10 s, past the run); host 0 crashes at 2 s.
    // At 5 s the balancer learns of the crash: first-fit picks host 1, in b, which it
    // cannot reach but does not know it: the restore waits. At 7 s it learns of the cut,
    // so placement leaves b out: 3 sandboxes on host 2 at 7 s, ready 511 ms later.
    const sc = restoreScenario(
      ["a", "b", "c"],
      [
        { kind: "host-crash", atUs: 2 * S, count: 1, zone: "a", repairUs: Infinity },
        { kind: "network-partition", atUs: 4 * S, zone: "b", durationUs: 10 * S },
      ],
    );
    const h = harness(sc);
    h.runUntil(7 * S - 1);
    expect(h.log.created.map((c) => c.host)).toEqual([0, 0, 0]);
    h.runUntil(7 * S);
    expect(h.log.created.slice(3).map((c) => [c.host, c.atUs])).toEqual(Array(3).fill([2, 7 * S]));
    const { summary } = runScenario(sc);
    expect(summary.sandboxes).toMatchObject({ created: 6, lost: 3, orphaned: 0 });
  });
});

describe("keep-alive on a crashed host", () => {
  it("does not reclaim its sandboxes: they end as lost", () => {
    // Zones a and b of one host each, no latency, first-fit, keep-alive 1 s, detection
    // 5 s. f: 0.5/s of 35 ms, no cold-start time: every request cold-starts a sandbox on
    // host 0 that keep-alive reclaims 1 s after it ends. Arrival k=4 (9.427193 s) ends at
    // 9.462193 s; host 0 crashes at 9.5 s with that sandbox idle, its keep-alive due at
    // 10.462193 s, before the crash is detected (14.5 s): it must end as lost.
    // Then: k=5, 6 (11.4, 13.4 s) are placed on host 0, not yet known down: unreachable.
    // k=7, 8, 9 cold-start on host 1; the last is still kept at the end (20 s).
    const crash: FaultSpec = {
      kind: "host-crash",
      atUs: 9.5 * S,
      count: 1,
      zone: "a",
      repairUs: Number.POSITIVE_INFINITY,
    };
    const sc = scenario({
      durationUs: 20 * S,
      cluster: { zones: ["a", "b"], hostsPerZone: 1, failureDetectionUs: 5 * S },
      keepAlive: { policy: "fixed", ttlUs: 1 * S },
      functions: [f({ arrivals: { process: "constant", rate: 0.5 } })],
      faults: [crash],
    });
    const { log } = runWithFaults(sc, 5 * S);
    expect(log.arrivals[0]).toBe(1_427_193);
    expect(log.lost).toHaveLength(1);
    expect(log.lost[0]!.host).toBe(0);
    // Lost no earlier than the crash and no later than its detection (the model ends it
    // when keep-alive acts, 10.462193 s: the balancer did not know).
    expect(log.lost[0]!.atUs).toBeGreaterThanOrEqual(9.5 * S);
    expect(log.lost[0]!.atUs).toBeLessThanOrEqual(14.5 * S);
    expect(log.reclaimed.filter((r) => r.host === 0 && r.atUs >= 9.5 * S)).toEqual([]);
    expect(log.failures.map((x) => x.cause)).toEqual([Cause.Unreachable, Cause.Unreachable]);
    const { summary } = runScenario(sc);
    expect(summary.sandboxes).toMatchObject({ created: 8, reclaimed: 6, lost: 1 });
  });
});

describe("an initializing sandbox with free slots", () => {
  it("takes the requests that arrive while it initializes: one sandbox, one cold start", () => {
    // slots 10, 50 ms cold start, 5 ms executions; 10 arrivals 1 ms apart (0.714 ms ..
    // 9.714 ms). The first creates a sandbox (ready at 50.714 ms); the 9 others are routed
    // to it and wait in its queue for it; all 10 start when it is ready. The model counts
    // the 9 as warm starts (their sandbox was not made for them) whose wait includes the
    // rest of the initialisation: 50 ms - k ms for the k-th.
    const sc = scenario({
      durationUs: 10 * MS,
      functions: [
        f({
          arrivals: { process: "constant", rate: 1000 },
          duration: constant(5 * MS),
          coldStartUncached: constant(50 * MS),
          slots: 10,
        }),
      ],
    });
    const { log } = runWithFaults(sc, 1 * S);
    expect(log.arrivals).toEqual(Array.from({ length: 10 }, (_, k) => 714 + k * MS));
    expect(log.created).toHaveLength(1);
    expect(log.starts.map((s) => s.cold)).toEqual([true, ...new Array(9).fill(false)]);
    expect(log.starts.every((s) => s.atUs === 50_714 && s.sb === log.created[0]!.sb)).toBe(true);
    expect(log.starts.map((s) => s.atUs - s.arrivalUs)).toEqual(
      Array.from({ length: 10 }, (_, k) => 50 * MS - k * MS),
    );
    expect(log.done).toHaveLength(10);
  });
});

describe("a slow host", () => {
  it("stretches executions to whole microseconds (factor 1.37), without a non-integer time", () => {
    // 35 ms x 1.37 = 47.95 ms (47950.00000000001 in floating point); 35.001 ms x 1.37 =
    // 47951.37 µs -> 47951 µs. The one host is slow throughout.
    for (const [exec, stretched] of [
      [35 * MS, 47_950],
      [35 * MS + 1, 47_951],
    ] as const) {
      const slow: FaultSpec = {
        kind: "slow-hosts",
        atUs: 0,
        count: 1,
        factor: 1.37,
        durationUs: 100 * S,
        zone: null,
      };
      const sc = scenario({
        durationUs: 2 * S,
        cluster: { hostsPerZone: 1 },
        functions: [f({ arrivals: { process: "constant", rate: 10 }, duration: constant(exec) })],
        faults: [slow],
      });
      const { log } = runWithFaults(sc, S);
      expect(log.ends).toHaveLength(20);
      for (const e of log.ends) {
        expect(e.executedUs).toBe(stretched);
        expect(Number.isInteger(e.atUs)).toBe(true);
      }
      // Arrivals at 71.36 ms + k * 100 ms: the last (1.97136 s) ends after the run's 2 s.
      expect(runScenario(sc).summary.requests).toMatchObject({ completed: 19, inFlightAtEnd: 1 });
    }
  });
});
