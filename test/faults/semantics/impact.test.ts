/**
 * Fault impact against the fault-free twin (SPEC 5, amended), on scenarios small enough
 * that the answer is a hand count. `runScenario` runs the twin beside the run; the
 * figures are read from `summary.faults`.
 *
 * Seed 1 draws the phase of function `f`'s constant arrivals at 0.7136 of a gap: at
 * 100/s, `f` arrives at 7.136 ms + k * 10 ms (asserted below, so that a change of the
 * streams shows here first and not as wrong counts). Function `g` at 0.2/s arrives at
 * 2.962872 s + k * 5 s.
 */
import { describe, expect, it } from "vitest";
import { runScenario } from "../../../src/experiment/run.js";
import type { FaultSpec, ResolvedFunction } from "../../../src/scenario/types.js";
import { fn, scenario } from "../../support/scenario.js";
import { constant, MS, runWithFaults, S } from "../harness.js";

const PHASE = 7136; // first arrival of f at 100/s, in µs
const CONNECT = 100 * MS;

const f100 = (over: Partial<ResolvedFunction> = {}) =>
  fn({
    arrivals: { process: "constant", rate: 100 },
    duration: constant(5 * MS),
    coldStartCached: constant(0),
    coldStartUncached: constant(0),
    ...over,
  });

/**
 * One zone of two hosts, no network latency, no cold-start time: a request takes exactly
 * 5 ms, one sandbox serves everything (arrivals 10 ms apart), p99 is 5 ms in every
 * interval of the twin. A zone outage kills the only zone's frontends, so every attempt
 * arriving during it fails `unreachable` one connectTimeout (100 ms) after it arrives.
 */
const oneZone = (faults: FaultSpec[], warmupUs = 0) =>
  scenario({
    durationUs: 10 * S,
    warmupUs,
    cluster: { zones: ["z1"], hostsPerZone: 2, failureDetectionUs: 3 * S },
    network: { sameZone: constant(0), crossZone: constant(0), connectTimeoutUs: CONNECT },
    functions: [f100()],
    faults,
  });

const outage = (atUs: number, durationUs: number): FaultSpec => ({
  kind: "zone-outage",
  atUs,
  zone: "z1",
  durationUs,
});

describe("the arrival phase the counts below rely on", () => {
  it("puts f's first arrival at 7.136 ms", () => {
    const { log } = runWithFaults(oneZone([]));
    expect(log.arrivals.slice(0, 3)).toEqual([PHASE, PHASE + 10 * MS, PHASE + 20 * MS]);
  });
});

describe("recovery figures of a fault at time 0, in the warmup, in the first interval", () => {
  it("a zone outage at time 0 for 4.5 s", () => {
    // Arrivals in [0, 4.5 s): 7.136 ms + 10k ms for k = 0..449 -> 450, all fail (the twin
    // fails none). The zone comes back at 4.5 s (hosts empty, a leader elected at once:
    // its failover time ran out at 1.3 s). Interval [4 s, 5 s): 60 failures (arrivals in
    // [3.9 s, 4.5 s) failing 100 ms later) and 50 completions: unhealthy. [5 s, 6 s) and on:
    // 100 completions of 5 ms, no failure: healthy -> recovery at 5 s, 5 s after the onset.
    // Cold starts: the run's at 4.507 s, the twin's at 7 ms: one each -> 0 extra.
    const { summary } = runScenario(oneZone([outage(0, 4.5 * S)]));
    expect(summary.requests.failed).toBe(450);
    expect(summary.failures.unreachable).toBe(450);
    expect(summary.faults).toEqual([
      {
        kind: "zone-outage",
        atSeconds: 0,
        failedDuring: 450,
        extraColdStarts: 0,
        recoverySeconds: 5,
      },
    ]);
  });

  it("a zone outage in the warmup (1 s to 5.5 s, warmup 2 s)", () => {
    // Counted: arrivals at or after 2 s. Those in [2 s, 5.5 s) fail: 2.007136 s..5.497136 s
    // -> 350. Interval [5 s, 6 s): 60 failures (arrivals in [4.9 s, 5.5 s)) beside 50
    // completions: unhealthy; [6 s, 7 s) on: healthy -> recovery at 6 s = onset + 5 s.
    // Cold starts counted (arrival after the warmup): the run's at 5.507 s; the twin's
    // only one was at 7 ms, in the warmup -> 1 extra.
    const { summary } = runScenario(oneZone([outage(1 * S, 4.5 * S)], 2 * S));
    expect(summary.requests.failed).toBe(350);
    expect(summary.faults).toEqual([
      {
        kind: "zone-outage",
        atSeconds: 1,
        failedDuring: 350,
        extraColdStarts: 1,
        recoverySeconds: 5,
      },
    ]);
  });

  it("a zone outage in the first interval (0.5 s to 5 s)", () => {
    // At 0.5 s the request that arrived at 497.136 ms is executing (until 502.136 ms): its
    // frontend dies, it fails for its client at once (unreachable) -> 1. Arrivals in
    // [0.5 s, 5 s): 507.136 ms..4997.136 ms -> 450. failedDuring = 451.
    // Interval [5 s, 6 s): 10 failures (arrivals in [4.9 s, 5 s)) beside 100 completions:
    // unhealthy; [6 s, ...): healthy -> recovery at 6 s = onset + 5.5 s.
    // Cold starts: the run's at 7 ms and 5.007 s, the twin's at 7 ms -> 1 extra.
    const { summary } = runScenario(oneZone([outage(0.5 * S, 4.5 * S)]));
    expect(summary.requests.failed).toBe(451);
    expect(summary.faults).toEqual([
      {
        kind: "zone-outage",
        atSeconds: 0.5,
        failedDuring: 451,
        extraColdStarts: 1,
        recoverySeconds: 5.5,
      },
    ]);
  });

  it("a fault that never ends before the run does: recoverySeconds null", () => {
    // Outage from 5 s for 100 s in a 10 s run. In flight at 5 s: the request of
    // 4.997136 s (until 5.002136 s) -> 1 failure at once. Arrivals 5.007136 s..9.997136 s
    // (500) fail 100 ms later, so the 490 that arrived before 9.9 s fail within the run
    // and the last 10 are in flight at its end.
    const { summary } = runScenario(oneZone([outage(5 * S, 100 * S)]));
    expect(summary.requests.inFlightAtEnd).toBe(10);
    expect(summary.faults).toEqual([
      {
        kind: "zone-outage",
        atSeconds: 5,
        failedDuring: 491,
        extraColdStarts: 0,
        recoverySeconds: null,
      },
    ]);
  });
});

describe("extra cold starts of a host crash", () => {
  /**
   * Zones a and b of one host each, no network latency, first-fit (everything on host 0,
   * zone a; the leader is in a too). f: 100/s of 35 ms with 50 ms cold starts; g: 0.2/s of
   * 35 ms. Host 0 crashes at T = 5.002 s, for good; detection after 1 s.
   *
   * Warm sandboxes lost, N: f's first request occupies its sandbox 85 ms (cold), so the
   * arrivals 10..80 ms after it find none free: 9 sandboxes, kept (ttl 10 min) though 4
   * suffice warm; g has 1. N = 10, all on host 0, all warm at T.
   *
   * After detection (6.002 s) f's next arrival (6.007136 s) finds no sandbox and the
   * pattern of the start repeats on host 1: 9 cold starts. g's next arrival (7.962872 s)
   * cold-starts 1. The twin has neither. extraColdStarts = 10 = N, and g's cold start
   * comes after the latency recovery (below), so a count cut there would say 9.
   *
   * Failures: the 4 requests executing at T (arrived 4.967..4.997 s) fail host-crash;
   * the 100 arrivals of f in (T, 6.002 s) fail unreachable (sent to the dead sandboxes,
   * or to a new one on host 0, not yet known down). failedDuring = 104.
   *
   * Recovery: [5 s, 6 s) and [6 s, 7 s) have failures (the last at 6.097 s); [6 s, 7 s)
   * also 9 cold requests of 85 ms against a 35 ms p99. [7 s, 8 s) on are healthy (g's
   * 85 ms request, completed at 8.048 s, is 1 of 101: below the p99 rank) -> recovery at
   * 7 s: 1.998 s after the onset.
   */
  const T = 5 * S + 2 * MS;
  const sc = scenario({
    durationUs: 15 * S,
    cluster: { zones: ["a", "b"], hostsPerZone: 1, failureDetectionUs: 1 * S },
    network: { sameZone: constant(0), crossZone: constant(0), connectTimeoutUs: CONNECT },
    functions: [
      f100({ duration: constant(35 * MS), coldStartUncached: constant(50 * MS) }),
      fn({
        name: "g",
        arrivals: { process: "constant", rate: 0.2 },
        duration: constant(35 * MS),
        coldStartCached: constant(50 * MS),
        coldStartUncached: constant(50 * MS),
      }),
    ],
    faults: [
      { kind: "host-crash", atUs: T, count: 1, zone: "a", repairUs: Number.POSITIVE_INFINITY },
    ],
  });

  it("count every warm sandbox lost and cold-started again, beyond the latency recovery", () => {
    const { log } = runWithFaults(sc);
    expect(log.arrivals.filter((t) => t < 10 * S && t % (10 * MS) !== PHASE)).toEqual([
      2_962_872, 7_962_872,
    ]);
    expect(log.lost).toHaveLength(10);
    const { summary } = runScenario(sc);
    expect(summary.coldStarts).toBe(20);
    expect(summary.sandboxes.lost).toBe(10);
    expect(summary.failures["host-crash"]).toBe(4);
    expect(summary.failures.unreachable).toBe(100);
    expect(summary.faults).toEqual([
      {
        kind: "host-crash",
        atSeconds: 5.002,
        failedDuring: 104,
        extraColdStarts: 10,
        recoverySeconds: 1.998,
      },
    ]);
  });
});

describe("a fault that affects nothing", () => {
  it("gives failedDuring 0, extraColdStarts 0, recoverySeconds 0", () => {
    // Zones a and b of one host each, first-fit: every sandbox on host 0 (zone a). Slowing
    // zone b's host (nobody's) changes nothing: the run is its twin interval by interval,
    // and the first interval at or after the onset (3 s, an interval boundary) is healthy.
    const sc = (faults: FaultSpec[]) =>
      scenario({
        durationUs: 10 * S,
        cluster: { zones: ["a", "b"], hostsPerZone: 1 },
        network: { sameZone: constant(100), crossZone: constant(MS), connectTimeoutUs: CONNECT },
        functions: [f100({ duration: constant(35 * MS), coldStartUncached: constant(50 * MS) })],
        faults,
      });
    const slow: FaultSpec = {
      kind: "slow-hosts",
      atUs: 3 * S,
      count: 1,
      factor: 4,
      durationUs: 2 * S,
      zone: "b",
    };
    const { summary } = runScenario(sc([slow]));
    const clean = runScenario(sc([])).summary;
    expect(summary.faults).toEqual([
      { kind: "slow-hosts", atSeconds: 3, failedDuring: 0, extraColdStarts: 0, recoverySeconds: 0 },
    ]);
    expect(summary.requests).toEqual(clean.requests);
    expect(summary.latencyMs).toEqual(clean.latencyMs);
    expect(summary.coldStarts).toBe(clean.coldStarts);
  });
});

describe("faults at or after the end of the run", () => {
  const after: FaultSpec[] = [
    { kind: "zone-outage", atUs: 10 * S, zone: "z1", durationUs: S },
    { kind: "host-crash", atUs: 12 * S, count: 1, zone: null, repairUs: S },
    { kind: "balancer-crash", atUs: 20 * S, partition: 0, zone: null },
    { kind: "network-partition", atUs: 10 * S, zone: "z1", durationUs: S },
    { kind: "slow-hosts", atUs: 11 * S, count: 1, factor: 2, durationUs: S, zone: null },
  ];

  it("are not reported; one inside the run is", () => {
    // The run ends at 10 s: a fault at 10 s or later did not happen.
    const inside: FaultSpec = {
      kind: "slow-hosts",
      atUs: 9 * S,
      count: 1,
      factor: 1,
      durationUs: S,
      zone: null,
    };
    const { summary } = runScenario(oneZone([...after, inside]));
    expect(summary.faults.map((f) => [f.kind, f.atSeconds])).toEqual([["slow-hosts", 9]]);
  });

  it("leave the run fault-free: nothing reported, no twin run", () => {
    const { summary } = runScenario(oneZone(after));
    const clean = runScenario(oneZone([])).summary;
    expect(summary.faults).toEqual([]);
    expect(summary.counterfactualEvents).toBe(0);
    expect(summary.requests).toEqual(clean.requests);
  });
});
