/**
 * Network partitions (SPEC 2.4): while a zone is cut off, messages between it and the
 * other zones are lost (`unreachable` after connectTimeout) and traffic inside it works;
 * a leader cut off from the majority is replaced after failover; once the cut is
 * detected, placement and routing use only zones the leader reaches; releases that
 * cannot reach the leader wait for the cut to heal, so no sandbox stays busy once the
 * run drains.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { Cause } from "../../src/model/observer.js";
import type { FaultSpec, ResolvedScenario } from "../../src/scenario/types.js";
import { fn, scenario } from "../support/scenario.js";
import {
  between,
  constant,
  expectBooksBalance,
  type FaultLog,
  type Harness,
  harness,
  MS,
  runWithFaults,
  S,
} from "./harness.js";

const T = 5 * S + 5 * MS; // between two arrivals
const CUT = 5 * S;
const CONNECT = 100 * MS;
const EXEC = 35 * MS;

const cut = (zone: string, atUs = T, durationUs = CUT): FaultSpec => ({
  kind: "network-partition",
  atUs,
  zone,
  durationUs,
});

/** Zones a, b, c of two hosts; one partition led from a; 200 requests/s of 35 ms. */
function cluster(
  faults: FaultSpec[],
  placement: Partial<ResolvedScenario["placement"]> = {},
): ResolvedScenario {
  return scenario({
    durationUs: 15 * S,
    cluster: { zones: ["a", "b", "c"], hostsPerZone: 2 },
    network: { sameZone: constant(200), crossZone: constant(MS), connectTimeoutUs: CONNECT },
    balancer: { replicas: 3 },
    placement,
    functions: [fn({ arrivals: { process: "constant", rate: 200 }, duration: constant(EXEC) })],
    faults,
  });
}
const hostZone = (h: number) => Math.floor(h / 2);

describe("the leader's zone cut off", () => {
  // First-fit: every sandbox is on host 0, in zone a with the leader. Replication none.
  // Zone a is cut off during [T, T + 5 s). Hand-derived phases (failover 1 s + 300 ms,
  // failure detection 3 s, connectTimeout 100 ms, arrivals every 5 ms through a uniformly
  // drawn frontend zone):
  // - [T, T + 1.3 s): the leader in a lacks a majority but, without sync replication,
  //   serves its own side until deposed: requests through a complete; through b and c
  //   they cannot reach it (unreachable, exactly connectTimeout after arrival).
  // - At T + 1.3 s the majority side (b, c) elects replica 1, in zone b, with no state:
  //   every sandbox (all on host 0) is orphaned.
  // - [T + 1.3 s, T + 3 s): through a, the new leader is out of reach (unreachable after
  //   connectTimeout); through b and c, first-fit still places on host 0 (the cut is not
  //   yet detected), which the leader cannot reach: unreachable after connectTimeout.
  // - [T + 3 s, T + 5 s): the cut is detected; placement avoids zone a: requests through
  //   b and c complete (a cold start on host 2, then warm); through a they still fail.
  // - From T + 5 s everything completes.
  const margin = 50 * MS; // keeps requests in flight across a boundary out of each phase
  const phase = (from: number, to: number) => [T + from + margin, T + to - margin] as const;
  let log: FaultLog;
  let world: Harness["world"];
  beforeAll(() => {
    ({ log, world } = runWithFaults(cluster([cut("a")]), 10 * S));
  });
  const ends = (from: number, to: number) => ({
    done: between(log.done, ...phase(from, to)),
    failed: between(log.failures, ...phase(from, to)),
  });
  const arrivals = (from: number, to: number) =>
    log.arrivals.filter((t) => t >= T + from + margin && t < T + to - margin).length;

  it("before the failover, serves its own side and fails the others after connectTimeout", () => {
    const { done, failed } = ends(0, 1.3 * S);
    expect(done.length + failed.length).toBe(arrivals(0, 1.3 * S));
    expect(done.length).toBeGreaterThan(50);
    expect(done.every((d) => d.zone === 0)).toBe(true);
    expect(failed.length).toBeGreaterThan(100);
    for (const f of failed) {
      expect(f.zone).not.toBe(0);
      expect(f.cause).toBe(Cause.Unreachable);
      expect(f.atUs - f.arrivalUs).toBe(CONNECT);
    }
  });

  it("fails over to zone b at T + 1.3 s, orphaning every sandbox (no replication)", () => {
    const p = world.partitions[0]!;
    expect(p.leaderZone).toBe(1);
    const orphaned = log.orphaned.map((o) => o.atUs);
    expect(orphaned.length).toBeGreaterThan(0);
    expect(new Set(orphaned)).toEqual(new Set([T + 1.3 * S]));
    expect(log.orphaned.every((o) => hostZone(o.host) === 0)).toBe(true);
  });

  it("until the cut is detected, places on the host it cannot reach: everything fails", () => {
    const { done, failed } = ends(1.3 * S, 3 * S);
    expect(done).toEqual([]);
    expect(failed.length).toBe(arrivals(1.3 * S, 3 * S));
    expect(failed.every((f) => f.cause === Cause.Unreachable)).toBe(true);
  });

  it("once detected, serves b and c from zone b; a stays cut off", () => {
    const { done, failed } = ends(3 * S, 5 * S);
    expect(done.length + failed.length).toBe(arrivals(3 * S, 5 * S));
    expect(done.length).toBeGreaterThan(150);
    expect(done.every((d) => d.zone !== 0)).toBe(true);
    expect(failed.every((f) => f.zone === 0 && f.cause === Cause.Unreachable)).toBe(true);
    const placed = log.created.filter((c) => c.atUs >= T + 3 * S && c.atUs < T + 5 * S);
    expect(placed.length).toBeGreaterThan(0);
    expect(placed.every((c) => hostZone(c.host) !== 0)).toBe(true);
  });

  it("serves everything again once healed", () => {
    expect(between(log.failures, T + CUT + margin, Number.POSITIVE_INFINITY)).toEqual([]);
    expect(between(log.done, T + CUT, Number.POSITIVE_INFINITY).length).toBeGreaterThan(950);
  });
});

describe("a zone holding sandboxes cut off from the leader", () => {
  // Sandboxes spread over the three zones; zone c is cut off.
  // A load step down before the cut leaves idle sandboxes in c that round-robin routing
  // keeps sending to; a step up during the cut needs new sandboxes.
  const base = cluster([cut("c")], { policy: "round-robin", zoneBalance: true });
  const sc: ResolvedScenario = {
    ...base,
    balancer: { ...base.balancer, routing: { policy: "round-robin", d: 2 } },
    functions: [
      {
        ...base.functions[0]!,
        arrivals: {
          process: "steps",
          steps: [
            { atUs: 0, rate: 600 },
            { atUs: 4 * S, rate: 200 },
            { atUs: T + 2 * S, rate: 1500 },
          ],
        },
      },
    ],
  };

  it("holds the releases of executions there until the cut heals, then delivers them", () => {
    const h = harness(sc);
    const p = h.world.partitions[0]!;
    h.runUntil(T + CUT / 2);
    const held = p.pendingReleases.length;
    expect(held).toBeGreaterThan(0);
    const inC = [...h.world.book.byId].filter((sb) => sb && hostZone(sb.host) === 2);
    expect(inC.some((sb) => sb!.outstanding > 0)).toBe(true);
    h.runUntil(T + CUT);
    expect(p.pendingReleases).toEqual([]);
    h.runUntil(h.world.endUs + 10 * S);
    expectBooksBalance(h.world);
    expect(h.world.book.busySandboxes).toBe(0);
    expect(h.world.requests.inFlight).toBe(0);
    for (const sb of h.world.book.byId) expect(sb?.outstanding ?? 0).toBe(0);
  });

  it("fails what needs zone c, places no sandbox there, and recovers after healing", () => {
    const { log } = runWithFaults(sc, 10 * S);
    const during = between(log.failures, T, T + CUT);
    expect(during.some((f) => f.zone === 2)).toBe(true);
    expect(during.some((f) => f.zone !== 2)).toBe(true); // routed to a sandbox in c
    expect(during.every((f) => f.cause === Cause.Unreachable)).toBe(true);
    expect(during.every((f) => f.atUs - f.arrivalUs >= CONNECT)).toBe(true);
    const placed = log.created.filter((c) => c.atUs >= T && c.atUs < T + CUT);
    expect(placed.length).toBeGreaterThan(0);
    expect(placed.every((c) => hostZone(c.host) !== 2)).toBe(true);
    expect(log.starts.some((s) => s.atUs > T + CUT && hostZone(s.host) === 2)).toBe(true);
    expect(between(log.failures, T + CUT + 50 * MS, Number.POSITIVE_INFINITY)).toEqual([]);
  });
});

describe("overlapping cuts", () => {
  it("two zones cut at once: no side holds a majority, so no leader until one heals", () => {
    // Leader in a; a and b both cut during [T, T + 5 s): every replica is alone. The
    // leader (no sync) serves requests through a until it is deposed at T + 1.3 s; then
    // nothing is elected and every request fails; at T + 5 s both heal and a leader with
    // a majority is elected at once (the failover time has long passed).
    const { log } = runWithFaults(cluster([cut("a"), cut("b")]), 10 * S);
    const before = between(log.done, T, T + 1.3 * S - 50 * MS);
    expect(before.length).toBeGreaterThan(50);
    expect(before.every((d) => d.zone === 0)).toBe(true);
    expect(between(log.done, T + 1.3 * S + 50 * MS, T + CUT - 50 * MS)).toEqual([]);
    const leaderless = between(log.failures, T + 1.3 * S + 50 * MS, T + CUT - 50 * MS);
    expect(leaderless.some((f) => f.zone === 0 && f.cause === Cause.BalancerUnavailable)).toBe(
      true,
    );
    expect(between(log.failures, T + CUT + 50 * MS, Number.POSITIVE_INFINITY)).toEqual([]);
  });

  it("cut one zone twice, overlapping: it stays cut until the later cut ends", () => {
    // a is cut during [T, T + 2 s) and [T + 1 s, T + 4 s): cut off during [T, T + 4 s).
    // Its leader is replaced at T + 1.3 s by one in b; through a, nothing reaches it
    // until T + 4 s; after that nothing fails.
    const { log } = runWithFaults(cluster([cut("a", T, 2 * S), cut("a", T + S, 3 * S)]), 10 * S);
    const late = between(log.failures, T + 3 * S + 50 * MS, T + 4 * S - 50 * MS);
    expect(late.length).toBeGreaterThan(50);
    expect(late.every((f) => f.zone === 0 && f.cause === Cause.Unreachable)).toBe(true);
    expect(between(log.failures, T + 4 * S + 50 * MS, Number.POSITIVE_INFINITY)).toEqual([]);
  });

  it("hold a zone's releases until its last cut heals", () => {
    // b is cut for 5 s, and again during [T + 1 s, T + 3 s) inside it: the end of the
    // inner cut delivers nothing; the end of the outer one delivers everything.
    const sc = cluster([cut("b"), cut("b", T + S, 2 * S)], {
      policy: "round-robin",
      zoneBalance: true,
    });
    const h = harness(sc);
    const p = h.world.partitions[0]!;
    const zoneOfPending = () =>
      new Set(p.pendingReleases.map((r) => hostZone(h.world.book.find(r.sandbox, r.serial)!.host)));
    h.runUntil(T + 2 * S);
    expect(zoneOfPending()).toEqual(new Set([1]));
    h.runUntil(T + 4 * S);
    expect(zoneOfPending()).toEqual(new Set([1]));
    h.runUntil(T + CUT);
    expect(p.pendingReleases).toEqual([]);
    h.runUntil(h.world.endUs + 10 * S);
    expect(h.world.book.busySandboxes).toBe(0);
  });
});
