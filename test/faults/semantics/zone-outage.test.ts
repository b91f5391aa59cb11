/**
 * Zone outages (SPEC 2.4, amended): an outage kills the zone's frontends, hosts and
 * balancer nodes. Attempts whose frontend was there fail for their clients at the onset
 * (`unreachable`), while work already running elsewhere runs to its end, counted as
 * wasted; new arrivals go to the frontends of the zones that are up. Outages compose
 * with each other and with host crashes: a zone (or host) is down while any fault
 * holds it down.
 *
 * Seed 1 puts function f's first arrival at 0.7136 of a gap (100/s: 7.136 ms + k * 10 ms).
 */
import { describe, expect, it } from "vitest";
import { runScenario } from "../../../src/experiment/run.js";
import { Cause } from "../../../src/model/observer.js";
import type { FaultSpec } from "../../../src/scenario/types.js";
import { fn, scenario } from "../../support/scenario.js";
import { between, constant, harness, MS, S } from "../harness.js";

const EXEC = 100 * MS;
const PHASE = 7136;

/**
 * Zones a and b of one host each, no network latency, first-fit: every sandbox on host
 * 0 (zone a), the leader in a. f: 100/s of exactly 100 ms, no cold-start time: 10
 * requests execute at any time, each through a frontend of a or b (a seeded draw).
 */
const twoZones = (faults: FaultSpec[]) =>
  scenario({
    durationUs: 20 * S,
    cluster: { zones: ["a", "b"], hostsPerZone: 1 },
    network: { sameZone: constant(0), crossZone: constant(0), connectTimeoutUs: 100 * MS },
    functions: [
      fn({
        arrivals: { process: "constant", rate: 100 },
        duration: constant(EXEC),
        coldStartCached: constant(0),
        coldStartUncached: constant(0),
      }),
    ],
    faults,
  });

const outageOf = (zone: string, atUs: number, durationUs: number): FaultSpec => ({
  kind: "zone-outage",
  atUs,
  zone,
  durationUs,
});

describe("an outage of the zone of some frontends, not of the work", () => {
  const T = 5 * S + 2 * MS; // between two arrivals
  const D = 3 * S;

  it("fails the attempts that came through it at the onset; their work runs on, wasted", () => {
    const h = harness(twoZones([outageOf("b", T, D)]));
    h.runUntil(T - 1);
    // In flight at T: the 10 arrivals of (T - 100 ms, T], executing on host 0 (zone a).
    const rq = h.world.requests;
    const inFlight = [...rq.liveIds()];
    expect(inFlight.map((r) => rq.arrivalUs[r]!).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 10 }, (_, k) => 4_907_136 + k * 10 * MS),
    );
    const viaB = inFlight.filter((r) => rq.zone[r] === 1).map((r) => rq.arrivalUs[r]!);
    expect(viaB.length).toBeGreaterThan(0); // the draw sends some through b ...
    expect(viaB.length).toBeLessThan(10); // ... and some through a
    h.runUntil(h.world.endUs + 10 * S);
    const { log } = h;

    // Exactly those fail, at T, as unreachable, for their clients.
    const atOnset = log.failures.filter((f) => f.atUs === T);
    expect(atOnset.map((f) => f.arrivalUs).sort((x, y) => x - y)).toEqual(
      viaB.sort((x, y) => x - y),
    );
    expect(atOnset.every((f) => f.cause === Cause.Unreachable && f.zone === 1)).toBe(true);
    // Their executions run to the end on host 0 and count as wasted; the others complete.
    const wasted = log.ends.filter((e) => e.wasted);
    expect(wasted).toHaveLength(viaB.length);
    expect(wasted.every((e) => e.host === 0 && e.executedUs === EXEC && e.atUs <= T + EXEC)).toBe(
      true,
    );
    expect(between(log.done, T - EXEC, T)).toHaveLength(10 - viaB.length);

    // Nothing else fails; every arrival during the outage goes through a and completes.
    expect(log.failures).toHaveLength(viaB.length);
    const during = between(log.done, T, T + D);
    expect(during).toHaveLength(300); // 5.007136 s .. 8.007136 s excluded: 300 arrivals
    expect(during.every((d) => d.zone === 0)).toBe(true);
    // After the outage b's frontends take arrivals again.
    expect(between(log.done, T + D, Number.POSITIVE_INFINITY).some((d) => d.zone === 1)).toBe(true);
  });

  it("counts those failures in the summary and measures them against the twin", () => {
    const sc = twoZones([outageOf("b", T, D)]);
    const h = harness(sc);
    h.runUntil(T - 1);
    const rq = h.world.requests;
    const viaB = [...rq.liveIds()].filter((r) => rq.zone[r] === 1).length;
    const { summary } = runScenario(sc);
    expect(summary.requests.failed).toBe(viaB);
    expect(summary.failures.unreachable).toBe(viaB);
    expect(summary.faults[0]!.failedDuring).toBe(viaB);
    expect(summary.faults[0]!.extraColdStarts).toBe(0);
  });
});

describe("overlapping outages of one zone", () => {
  // Zone b's frontends and host 1: observed through the zone, the host and the answers.
  const probe = (faults: FaultSpec[], times: number[]) => {
    const h = harness(twoZones(faults));
    const states: [number, boolean, boolean][] = [];
    for (const t of times) {
      h.runUntil(t);
      states.push([t, h.world.zones.isUp(1), h.world.hosts.alive[1] === 1]);
    }
    h.runUntil(h.world.endUs + 10 * S);
    return { states, log: h.log };
  };

  it("keep the zone down until the later one ends (the second starts during the first)", () => {
    // [4 s, 8 s) and [6 s, 12 s): b is down from 4 s to 12 s, not back at 8 s.
    const { states, log } = probe(
      [outageOf("b", 4 * S, 4 * S), outageOf("b", 6 * S, 6 * S)],
      [4 * S - 1, 4 * S, 8 * S - 1, 8 * S, 10 * S, 12 * S - 1, 12 * S],
    );
    expect(states).toEqual([
      [4 * S - 1, true, true],
      [4 * S, false, false],
      [8 * S - 1, false, false],
      [8 * S, false, false],
      [10 * S, false, false],
      [12 * S - 1, false, false],
      [12 * S, true, true],
    ]);
    // No answer through b's frontends for requests arriving while it is down.
    expect(between(log.done, 4 * S, 12 * S).every((d) => d.zone === 0)).toBe(true);
    expect(between(log.done, 4 * S, 12 * S)).toHaveLength(800);
    expect(between(log.done, 12 * S, 20 * S).some((d) => d.zone === 1)).toBe(true);
  });

  it("end with the outer one when the second lies inside the first", () => {
    // [4 s, 12 s) and [6 s, 8 s): b comes back at 12 s, not at 8 s.
    const { states } = probe(
      [outageOf("b", 4 * S, 8 * S), outageOf("b", 6 * S, 2 * S)],
      [8 * S, 12 * S - 1, 12 * S],
    );
    expect(states).toEqual([
      [8 * S, false, false],
      [12 * S - 1, false, false],
      [12 * S, true, true],
    ]);
  });

  it("a host crash begun before an outage keeps its host down after the outage, to its repair", () => {
    // Host 1 (zone b) crashes at 3 s, repaired at 15 s; b is out from 4 s to 8 s. The end
    // of the outage must not revive host 1: it runs again at 15 s.
    const crash: FaultSpec = {
      kind: "host-crash",
      atUs: 3 * S,
      count: 1,
      zone: "b",
      repairUs: 12 * S,
    };
    const { states } = probe(
      [crash, outageOf("b", 4 * S, 4 * S)],
      [3 * S, 8 * S, 15 * S - 1, 15 * S],
    );
    expect(states).toEqual([
      [3 * S, true, false],
      [8 * S, true, false],
      [15 * S - 1, true, false],
      [15 * S, true, true],
    ]);
  });

  it("a host crash begun inside an outage keeps its host down after the outage, to its repair", () => {
    // b is out from 4 s to 8 s; a crash of b's one host at 5 s, repaired at 15 s. The
    // crash holds host 1 down too (SPEC 2.4: down while any fault holds it), so the end
    // of the outage at 8 s must not revive it: it runs again at 15 s.
    const crash: FaultSpec = {
      kind: "host-crash",
      atUs: 5 * S,
      count: 1,
      zone: "b",
      repairUs: 10 * S,
    };
    const { states } = probe(
      [outageOf("b", 4 * S, 4 * S), crash],
      [5 * S, 8 * S, 15 * S - 1, 15 * S],
    );
    expect(states).toEqual([
      [5 * S, false, false],
      [8 * S, true, false],
      [15 * S - 1, true, false],
      [15 * S, true, true],
    ]);
  });

  it("an outage that ends while a crash still holds its host does not detect the crash early", () => {
    // The crash of host 1 at 3 s (its own detection at 3 s + 3 s) and an outage [4 s, 5 s):
    // when the outage ends host 1 is still down (crashed), believed up until 6 s.
    const crash: FaultSpec = {
      kind: "host-crash",
      atUs: 3 * S,
      count: 1,
      zone: "b",
      repairUs: 12 * S,
    };
    const h = harness(twoZones([crash, outageOf("b", 4 * S, 1 * S)]));
    h.runUntil(5 * S);
    expect(h.world.hosts.alive[1]).toBe(0);
    h.runUntil(6 * S - 1);
    // The outage's own down episode began at 3 s with the crash: the crash's detection
    // (epoch of 3 s) is the one that counts.
    expect(h.world.hosts.up[1]).toBe(1);
    h.runUntil(6 * S);
    expect(h.world.hosts.up[1]).toBe(0);
  });
});

it("the phase of f's arrivals is the one the counts assume", () => {
  const h = harness(twoZones([]));
  h.runUntil(30 * MS);
  expect(h.log.arrivals).toEqual([PHASE, PHASE + 10 * MS, PHASE + 20 * MS]);
});
