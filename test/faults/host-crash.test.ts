/**
 * Host crashes (SPEC 2.4): attempts on a crashed host fail with `host-crash` at once;
 * until the balancer detects the crash, attempts it sends there fail as `unreachable`
 * after the connect timeout; then new sandboxes go to other hosts, and a repaired host
 * takes sandboxes again. Random crashes keep the run consistent.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { runScenario } from "../../src/experiment/run.js";
import { Cause } from "../../src/model/observer.js";
import type { FaultSpec } from "../../src/scenario/types.js";
import { fn, scenario } from "../support/scenario.js";
import { between, type Command, constant, type FaultLog, MS, runWithFaults, S } from "./harness.js";

const T = 5 * S + 5 * MS; // between two arrivals
const DETECT = 2 * S;
const CONNECT = 200 * MS;
const EXEC = 35 * MS;
const COLD = 50 * MS;

/**
 * Zones a and b of two hosts; the leader in a; first-fit packs every sandbox on host 0.
 * 100 requests/s of exactly 35 ms: about four sandboxes, all warm after the first second.
 */
const cluster = (faults: FaultSpec[], over: Parameters<typeof scenario>[0] = {}) =>
  scenario({
    durationUs: 20 * S,
    cluster: { zones: ["a", "b"], hostsPerZone: 2, failureDetectionUs: DETECT },
    network: { sameZone: constant(100), crossZone: constant(500), connectTimeoutUs: CONNECT },
    functions: [
      fn({
        arrivals: { process: "constant", rate: 100 },
        duration: constant(EXEC),
        coldStartCached: constant(COLD),
        coldStartUncached: constant(COLD),
      }),
    ],
    faults,
    ...over,
  });

const crash = (count: number, zone: string | null, repairUs = Number.POSITIVE_INFINITY) =>
  ({ kind: "host-crash", atUs: T, count, zone, repairUs }) as const;

describe("a crash of the hosts of zone a (every sandbox)", () => {
  const sc = cluster([crash(2, "a")]);
  let log: FaultLog;
  let commands: Command[];
  beforeAll(() => {
    ({ log, commands } = runWithFaults(sc, 10 * S));
  });
  const crashed = (host: number) => host < 2;

  it("crashes exactly the hosts of the zone", () => {
    expect(commands.map((c) => [c.what, c.arg, c.atUs]).sort()).toEqual([
      ["crashHost", 0, T],
      ["crashHost", 1, T],
    ]);
  });

  it("fails the attempts executing there with host-crash, at the crash", () => {
    const executing = log.starts.filter((s) => crashed(s.host) && s.atUs <= T && s.atUs + EXEC > T);
    const initializing = log.created.filter((c) => crashed(c.host) && c.atUs > T - COLD - MS);
    const hostCrash = log.attemptFailures.filter((f) => f.cause === Cause.HostCrash);
    expect(executing.length).toBeGreaterThan(1);
    expect(hostCrash.map((f) => f.atUs)).toEqual(
      new Array(executing.length + initializing.length).fill(T),
    );
    // Their executions stop: nothing ends on those hosts after the crash.
    expect(log.ends.filter((e) => crashed(e.host) && e.atUs > T)).toEqual([]);
  });

  it("fails what the balancer sends there before detection as unreachable, after connectTimeout", () => {
    const before = between(log.failures, T + MS, T + DETECT - MS);
    const arrived = log.arrivals.filter((t) => t >= T + MS && t < T + DETECT - MS);
    expect(before.length).toBe(arrived.length);
    expect(before.length).toBeGreaterThan(190);
    expect(between(log.done, T + MS, T + DETECT - MS)).toEqual([]);
    for (const f of before) {
      expect(f.cause).toBe(Cause.Unreachable);
      expect(f.atUs - f.arrivalUs).toBeGreaterThanOrEqual(CONNECT);
      expect(f.atUs - f.arrivalUs).toBeLessThanOrEqual(CONNECT + MS);
    }
  });

  it("after detection, cold-starts new sandboxes on the other zone's hosts and succeeds", () => {
    const after = T + DETECT;
    expect(between(log.failures, after, Number.POSITIVE_INFINITY)).toEqual([]);
    expect(between(log.done, after, sc.durationUs).length).toBeGreaterThan(1000);
    const starts = log.starts.filter((s) => s.atUs > after);
    expect(starts.every((s) => !crashed(s.host))).toBe(true);
    expect(starts[0]!.cold).toBe(true);
    expect(log.created.filter((c) => c.atUs > T).every((c) => !crashed(c.host))).toBe(true);
  });

  it("loses every sandbox that was there, at detection", () => {
    const there = log.created.filter((c) => crashed(c.host) && c.atUs <= T);
    expect(there.length).toBeGreaterThan(2);
    expect(log.lost.map((l) => l.atUs)).toEqual(new Array(there.length).fill(T + DETECT));
    expect(runScenario(sc).summary.sandboxes.lost).toBe(there.length);
  });
});

describe("a crash of every host, repaired", () => {
  const REPAIR = 5 * S;
  const sc = cluster([crash(4, null, REPAIR)]);
  let log: FaultLog;
  let commands: Command[];
  beforeAll(() => {
    ({ log, commands } = runWithFaults(sc));
  });

  it("repairs the hosts it crashed, repair later", () => {
    const at = (what: string) => commands.filter((c) => c.what === what);
    expect(at("crashHost").map((c) => c.atUs)).toEqual([T, T, T, T]);
    expect(at("repairHost").map((c) => c.atUs)).toEqual([
      T + REPAIR,
      T + REPAIR,
      T + REPAIR,
      T + REPAIR,
    ]);
    expect(at("repairHost").map((c) => c.arg)).toEqual(at("crashHost").map((c) => c.arg));
  });

  it("fails with capacity once every host is known down, until the repair", () => {
    const down = between(log.failures, T + DETECT + MS, T + REPAIR);
    expect(down.length).toBeGreaterThan(250);
    expect(down.every((f) => f.cause === Cause.Capacity)).toBe(true);
  });

  it("places new sandboxes on the repaired hosts and serves everything again", () => {
    expect(between(log.failures, T + REPAIR, Number.POSITIVE_INFINITY)).toEqual([]);
    const after = log.starts.filter((s) => s.arrivalUs >= T + REPAIR);
    expect(after.length).toBeGreaterThan(900);
    expect(after[0]!.cold).toBe(true);
    expect(log.created.filter((c) => c.atUs >= T + REPAIR).length).toBeGreaterThan(2);
  });
});

describe("a host repaired before the crash is detected", () => {
  it("comes back empty: its sandboxes are lost at the repair, the next requests are cold", () => {
    const REPAIR = S; // detection takes 2 s
    const { log } = runWithFaults(cluster([crash(4, null, REPAIR)]));
    const there = log.created.filter((c) => c.atUs <= T);
    expect(log.lost.map((l) => l.atUs)).toEqual(new Array(there.length).fill(T + REPAIR));
    const after = log.starts.filter((s) => s.arrivalUs > T + REPAIR);
    expect(after[0]!.cold).toBe(true);
    expect(between(log.failures, T + REPAIR, Number.POSITIVE_INFINITY)).toEqual([]);
  });
});

describe("a crash of one host of zone b", () => {
  it("crashes a host of b only; sandboxes elsewhere carry on", () => {
    const sc = cluster([crash(1, "b")], {
      placement: { policy: "round-robin", zoneBalance: true },
    });
    const { log, commands } = runWithFaults(sc);
    expect(commands).toHaveLength(1);
    const h = commands[0]!.arg;
    expect(h === 2 || h === 3).toBe(true);
    const lost = log.lost.map((l) => l.host);
    expect(lost.length).toBeGreaterThan(0);
    expect(lost.every((x) => x === h)).toBe(true);
    expect(log.starts.some((s) => s.atUs > T && s.host !== h)).toBe(true);
  });
});

describe("requests queued for a function whose sandboxes are lost", () => {
  it("get new sandboxes once the loss is known, instead of waiting forever", () => {
    const sc = scenario({
      durationUs: 5 * S,
      cluster: { hostsPerZone: 2, failureDetectionUs: S },
      balancer: { overflow: "queue" },
      functions: [
        fn({
          maxSandboxes: 1,
          duration: constant(100 * MS),
          arrivals: { process: "constant", rate: 20 },
        }),
      ],
      faults: [{ ...crash(1, null), atUs: 4.95 * S }],
    });
    const { log, world } = runWithFaults(sc, 100 * S);
    expect(log.arrivals).toHaveLength(100);
    expect(world.requests.inFlight).toBe(0);
    expect(log.failures.map((f) => f.cause)).toEqual([Cause.HostCrash]);
    expect(log.done).toHaveLength(99);
    expect(log.created.at(-1)!.atUs).toBe(5.95 * S);
  });
});

describe("random host crashes", () => {
  const MTBF = 3 * S;
  const REPAIR = 500 * MS;
  const sc = scenario({
    durationUs: 30 * S,
    cluster: { zones: ["a", "b"], hostsPerZone: 2, failureDetectionUs: 200 * MS },
    network: { sameZone: constant(100), crossZone: constant(500), connectTimeoutUs: 50 * MS },
    placement: { policy: "random" },
    functions: [fn({ arrivals: { process: "poisson", rate: 200 }, duration: constant(20 * MS) })],
    faults: [{ kind: "random-host-crashes", mtbfUs: MTBF, repairUs: REPAIR, zone: null }],
  });

  it("crash hosts often, repair each one repair later, and the run stays consistent", () => {
    const { log, commands } = runWithFaults(sc, 10 * S);
    const crashes = commands.filter((c) => c.what === "crashHost");
    expect(crashes.length).toBeGreaterThan(10);
    for (const c of crashes) {
      if (c.atUs + REPAIR > sc.durationUs) continue;
      const repair = commands.find(
        (r) => r.what === "repairHost" && r.arg === c.arg && r.atUs >= c.atUs,
      );
      expect(repair?.atUs).toBe(c.atUs + REPAIR);
    }
    expect(log.lost.length).toBeGreaterThan(5);
    const causes = new Set(log.failures.map((f) => f.cause));
    // Capacity: now and then every host is down at once.
    expect([...causes].sort()).toEqual([Cause.Capacity, Cause.HostCrash, Cause.Unreachable]);
    expect(log.done.length + log.failures.length).toBe(log.arrivals.length);

    const { summary } = runScenario(sc);
    expect(summary.sandboxes.lost).toBe(log.lost.filter((l) => l.atUs <= sc.durationUs).length);
    expect(summary.failures["host-crash"]).toBeGreaterThan(0);
    expect(summary.requests.completed).toBeGreaterThan(0.9 * summary.requests.arrived);
  });
});
