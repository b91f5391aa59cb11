/**
 * Network partitions (SPEC 2.4): while a zone is cut off, messages between it and the
 * other zones are lost (`unreachable` after connectTimeout) and traffic inside it works;
 * placement uses only zones the leader reaches; releases that cannot reach the leader
 * wait for the cut to heal, so no sandbox stays busy once the run drains.
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
  // First-fit: every sandbox is on host 0, in zone a with the leader.
  let log: FaultLog;
  beforeAll(() => {
    ({ log } = runWithFaults(cluster([cut("a")]), 10 * S));
  });

  it("fails requests arriving in the other zones as unreachable, after connectTimeout", () => {
    const failed = between(log.failures, T, T + CUT);
    expect(failed.length).toBeGreaterThan(500);
    for (const f of failed) {
      expect(f.zone).not.toBe(0);
      expect(f.cause).toBe(Cause.Unreachable);
      expect(f.atUs - f.arrivalUs).toBe(CONNECT);
    }
  });

  it("serves every request arriving inside the cut zone", () => {
    const inside = between(log.done, T, T + CUT);
    expect(inside.length).toBeGreaterThan(250);
    expect(inside.every((d) => d.zone === 0)).toBe(true);
    const arrived = between(log.failures, T, T + CUT).length + inside.length;
    expect(arrived).toBe(log.arrivals.filter((t) => t >= T && t < T + CUT).length);
  });

  it("serves everything again once healed", () => {
    expect(between(log.failures, T + CUT, Number.POSITIVE_INFINITY)).toEqual([]);
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
  it("two zones cut at once are cut off from each other too", () => {
    // Leader in a; a and b both cut: only requests arriving in a get through.
    const { log } = runWithFaults(cluster([cut("a"), cut("b")]), 10 * S);
    const during = between(log.done, T, T + CUT);
    expect(during.length).toBeGreaterThan(250);
    expect(during.every((d) => d.zone === 0)).toBe(true);
    const failed = between(log.failures, T, T + CUT);
    expect(new Set(failed.map((f) => f.zone))).toEqual(new Set([1, 2]));
  });

  it("cut one zone twice, overlapping: it stays cut until the later cut ends", () => {
    const { log } = runWithFaults(cluster([cut("a", T, 2 * S), cut("a", T + S, 3 * S)]), 10 * S);
    const late = between(log.failures, T + 2 * S, T + 4 * S);
    expect(late.length).toBeGreaterThan(200);
    expect(late.every((f) => f.zone !== 0 && f.cause === Cause.Unreachable)).toBe(true);
    expect(between(log.failures, T + 4 * S, Number.POSITIVE_INFINITY)).toEqual([]);
  });

  it("hold each zone's releases until its own cut heals", () => {
    // b is cut for 5 s, c for 2 s inside it: healing c must not deliver b's releases.
    const sc = cluster([cut("b"), cut("c", T + S, 2 * S)], {
      policy: "round-robin",
      zoneBalance: true,
    });
    const h = harness(sc);
    const p = h.world.partitions[0]!;
    const zoneOfPending = () =>
      new Set(p.pendingReleases.map((r) => hostZone(h.world.book.find(r.sandbox, r.serial)!.host)));
    h.runUntil(T + 2 * S);
    expect(zoneOfPending()).toEqual(new Set([1, 2]));
    h.runUntil(T + 4 * S);
    expect(zoneOfPending()).toEqual(new Set([1]));
    h.runUntil(T + CUT);
    expect(p.pendingReleases).toEqual([]);
    h.runUntil(h.world.endUs + 10 * S);
    expect(h.world.book.busySandboxes).toBe(0);
  });
});
