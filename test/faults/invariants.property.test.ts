/**
 * Random fault schedules on small random clusters (SPEC 2.4): whatever fails, when and
 * how often, a run never throws (no invariant violation, no other error), its summary
 * adds up, the model's books match its sandboxes, and once the run drains nothing is
 * left busy, waiting or orphaned.
 * fast-check prints the seed and the shrunk scenario of a failure.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvariantChecker } from "../../src/checks/invariants.js";
import { Run } from "../../src/experiment/run.js";
import { FaultInjector } from "../../src/faults/injector.js";
import type { DistSpec } from "../../src/kernel/dist-spec.js";
import { Streams } from "../../src/kernel/random.js";
import { FAILURE_CAUSES, type ModelObserver, ObserverPair } from "../../src/model/observer.js";
import type { Sandbox } from "../../src/model/sandbox.js";
import { World } from "../../src/model/world.js";
import type {
  ClientsSpec,
  FailureCause,
  FaultSpec,
  PlacementPolicyName,
  ResolvedFunction,
  ResolvedScenario,
  RoutingPolicyName,
} from "../../src/scenario/types.js";
import { fn, scenario } from "../support/scenario.js";
import { expectBooksBalance, harness, MS, S } from "./harness.js";

const ZONES = ["a", "b", "c"];
const DURATION_US = 20 * S;
const CAUSES: FailureCause[] = [...FAILURE_CAUSES];
const ROUTING: RoutingPolicyName[] = ["mru", "lru", "random", "round-robin", "least-outstanding"];
const PLACEMENT: PlacementPolicyName[] = [
  "random",
  "round-robin",
  "first-fit",
  "best-fit",
  "worst-fit",
  "p2c",
];

const time = (maxUs: number) => fc.integer({ min: 0, max: maxUs });
const positiveTime = (minUs: number, maxUs: number) => fc.integer({ min: minUs, max: maxUs });
const maybeZone = (zones: number) =>
  fc.option(fc.constantFrom(...ZONES.slice(0, zones)), { nil: null });

function faultArb(zones: number, partitions: number): fc.Arbitrary<FaultSpec> {
  const at = time(DURATION_US);
  const duration = positiveTime(100 * MS, 8 * S);
  const zone = fc.constantFrom(...ZONES.slice(0, zones));
  return fc.oneof(
    fc.record({
      kind: fc.constant("host-crash" as const),
      atUs: at,
      count: fc.integer({ min: 1, max: 4 }),
      zone: maybeZone(zones),
      repairUs: fc.oneof(positiveTime(100 * MS, 8 * S), fc.constant(Number.POSITIVE_INFINITY)),
    }),
    fc.record({ kind: fc.constant("zone-outage" as const), atUs: at, zone, durationUs: duration }),
    fc.record({
      kind: fc.constant("network-partition" as const),
      atUs: at,
      zone,
      durationUs: duration,
    }),
    fc.oneof(
      fc.record({
        kind: fc.constant("balancer-crash" as const),
        atUs: at,
        partition: fc.integer({ min: 0, max: partitions - 1 }),
        zone: fc.constant(null),
      }),
      fc.record({
        kind: fc.constant("balancer-crash" as const),
        atUs: at,
        partition: fc.constant(null),
        zone,
      }),
    ),
    fc.record({
      kind: fc.constant("slow-hosts" as const),
      atUs: at,
      count: fc.integer({ min: 1, max: 3 }),
      factor: fc.double({ min: 0.5, max: 20, noNaN: true }),
      durationUs: duration,
      zone: maybeZone(zones),
    }),
    fc.record({
      kind: fc.constant("random-host-crashes" as const),
      mtbfUs: positiveTime(2 * S, 60 * S),
      repairUs: positiveTime(100 * MS, 5 * S),
      zone: maybeZone(zones),
    }),
  );
}

const clientsArb: fc.Arbitrary<ClientsSpec | null> = fc.option(
  fc
    .record({
      timeoutUs: fc.oneof(positiveTime(20 * MS, 3 * S), fc.constant(Number.POSITIVE_INFINITY)),
      policy: fc.constantFrom("none" as const, "immediate" as const, "backoff" as const),
      maxAttempts: fc.integer({ min: 1, max: 4 }),
      baseUs: positiveTime(1 * MS, 200 * MS),
      capUs: positiveTime(10 * MS, 2 * S),
      jitter: fc.constantFrom("none", "full", "equal", "decorrelated" as const),
      budget: fc.oneof(
        fc.constant(Number.POSITIVE_INFINITY),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
      ),
      retryOn: fc.subarray(CAUSES),
    })
    .map(({ timeoutUs, ...retry }) => ({
      timeoutUs,
      retry: { ...retry, maxAttempts: retry.policy === "none" ? 1 : retry.maxAttempts },
    })),
  { nil: null },
);

function functionArb(i: number, ratePerFn: number): fc.Arbitrary<ResolvedFunction> {
  const exp = (min: number, max: number): fc.Arbitrary<DistSpec> =>
    positiveTime(min, max).map((mean) => ({ dist: "exponential", mean }));
  const constant = (min: number, max: number): fc.Arbitrary<DistSpec> =>
    time(max - min).map((v) => ({ dist: "constant", value: v + min }));
  return fc
    .record({
      memoryMb: fc.constantFrom(128, 256, 512, 1024),
      duration: fc.oneof(exp(1 * MS, 300 * MS), constant(1 * MS, 200 * MS)),
      coldStart: fc.oneof(constant(0, 0), exp(10 * MS, 500 * MS)),
      maxSandboxes: fc.oneof(fc.constant(Number.POSITIVE_INFINITY), fc.integer({ min: 1, max: 8 })),
      minSandboxes: fc.integer({ min: 0, max: 1 }),
      slots: fc.integer({ min: 1, max: 2 }),
      queue: fc.oneof(fc.integer({ min: 0, max: 2 }), fc.constant(Number.POSITIVE_INFINITY)),
      poisson: fc.boolean(),
    })
    .map((f) =>
      fn({
        name: `f${i}`,
        memoryMb: f.memoryMb,
        cpu: f.memoryMb / 1769,
        duration: f.duration,
        coldStartCached: f.coldStart,
        coldStartUncached: f.coldStart,
        maxSandboxes: f.maxSandboxes,
        minSandboxes: Math.min(f.minSandboxes, f.maxSandboxes),
        slots: f.slots,
        queue: f.queue,
        arrivals: { process: f.poisson ? "poisson" : "constant", rate: ratePerFn },
      }),
    );
}

const scenarioArb: fc.Arbitrary<ResolvedScenario> = fc
  .record({
    zones: fc.integer({ min: 2, max: 3 }),
    partitions: fc.integer({ min: 1, max: 3 }),
    functions: fc.integer({ min: 1, max: 3 }),
    rate: fc.integer({ min: 50, max: 200 }),
  })
  .chain(({ zones, partitions, functions, rate }) =>
    fc.record({
      seed: fc.integer({ min: 1, max: 1_000_000 }),
      warmupUs: fc.constantFrom(0, 2 * S),
      cluster: fc.record({
        zones: fc.constant(ZONES.slice(0, zones)),
        hostsPerZone: fc.integer({ min: 2, max: 4 }),
        host: fc.record({
          memoryMb: fc.constantFrom(2048, 4096, 8192),
          cpus: fc.constantFrom(1, 2, 4),
          codeCacheMb: fc.constant(0),
        }),
        failureDetectionUs: positiveTime(50 * MS, 3 * S),
        orphanTimeoutUs: positiveTime(100 * MS, 10 * S),
        contention: fc.boolean(),
      }),
      network: fc
        .oneof(
          fc.constant({
            sameZone: { dist: "constant", value: 0 },
            crossZone: { dist: "constant", value: 0 },
          } as const),
          fc.constant({
            sameZone: { dist: "exponential", mean: 200 },
            crossZone: { dist: "constant", value: 1000 },
          } as const),
        )
        .chain((net) =>
          positiveTime(5 * MS, 1 * S).map((connectTimeoutUs) => ({ ...net, connectTimeoutUs })),
        ),
      balancer: fc.record({
        partitions: fc.constant(partitions),
        replicas: fc.integer({ min: 1, max: zones }),
        replication: fc.constantFrom("none", "async", "sync" as const),
        replicationLagUs: positiveTime(1 * MS, 2 * S),
        serviceTimeUs: fc.constantFrom(0, 20, 500),
        routing: fc.record({
          policy: fc.constantFrom(...ROUTING, "p2c"),
          d: fc.integer({ min: 1, max: 3 }),
        }),
        overflow: fc.constantFrom("throttle", "queue" as const),
        queue: fc.record({
          maxLength: fc.oneof(
            fc.constant(Number.POSITIVE_INFINITY),
            fc.integer({ min: 0, max: 50 }),
          ),
          maxWaitUs: fc.oneof(fc.constant(Number.POSITIVE_INFINITY), positiveTime(10 * MS, 5 * S)),
        }),
        failover: fc.record({
          detectionUs: positiveTime(10 * MS, 2 * S),
          electionUs: positiveTime(0, 1 * S),
        }),
      }),
      placement: fc.record({
        policy: fc.constantFrom(...PLACEMENT),
        d: fc.integer({ min: 1, max: 3 }),
        zoneBalance: fc.boolean(),
        latencyUs: fc.constantFrom(0, 2 * MS),
        boundedLoad: fc.constant(1.25),
        fallback: fc.constant("random" as const),
      }),
      keepAlive: fc.oneof(
        fc.constant({ policy: "none" as const, ttlUs: 0 }),
        positiveTime(100 * MS, 60 * S).map((ttlUs) => ({ policy: "fixed" as const, ttlUs })),
      ),
      functions: fc.tuple(
        ...Array.from({ length: functions }, (_, i) => functionArb(i, rate / functions)),
      ),
      faults: fc.array(faultArb(zones, partitions), { minLength: 1, maxLength: 4 }),
      clients: clientsArb,
    }),
  )
  .map((parts) => scenario({ ...parts, durationUs: DURATION_US, metricsIntervalUs: S }));

describe("random fault schedules", () => {
  it("never break a run, and its summary adds up", () => {
    fc.assert(
      fc.property(scenarioArb, (sc) => {
        const run = new Run(sc);
        run.runToEnd();
        const { summary: s } = run.finish();
        expectBooksBalance(run.world);
        const r = s.requests;
        expect(r.arrived).toBe(r.completed + r.failed + r.inFlightAtEnd);
        expect(r.attempts).toBe(r.arrived + r.retries);
        const failures = Object.values(s.failures).reduce((a, b) => a + b, 0);
        expect(failures).toBeGreaterThanOrEqual(r.failed);
        for (const v of [r.inFlightAtEnd, r.retries, s.coldStarts, s.wastedExecutionSeconds])
          expect(v).toBeGreaterThanOrEqual(0);
        const sb = s.sandboxes;
        for (const v of [sb.created, sb.reclaimed, sb.lost, sb.orphaned, sb.peak])
          expect(v).toBeGreaterThanOrEqual(0);
        expect(sb.idleGbSeconds).toBeGreaterThanOrEqual(0);
        expect(sb.orphanedGbSeconds).toBeGreaterThanOrEqual(0);
        if (sc.clients === null) expect(r.retries + s.failures.timeout).toBe(0);
      }),
      { seed: 20261126, numRuns: 60 },
    );
  });

  it("drain: once arrivals stop and faults end, no request waits and no sandbox stays busy", () => {
    fc.assert(
      fc.property(scenarioArb, (sc) => {
        // Faults past the end are dropped, so repairs and heals must fall inside the run.
        const faults = sc.faults.map((f) =>
          f.kind === "host-crash" && f.repairUs === Number.POSITIVE_INFINITY
            ? { ...f, repairUs: S }
            : f,
        );
        const h = harness({ ...sc, faults, durationUs: DURATION_US + 10 * S });
        h.runUntil(h.world.endUs + 3600 * S);
        expectBooksBalance(h.world);
        expect(h.world.requests.inFlight).toBe(0);
        expect(h.world.book.busySandboxes).toBe(0);
        expect(h.world.book.orphanedSandboxes).toBe(0);
        for (const sb of h.world.book.byId) expect(sb?.outstanding ?? 0).toBe(0);
      }),
      { seed: 7, numRuns: 40 },
    );
  });
});

/**
 * Watches the semantics of SPEC 2.4 while a run goes, from its own books: the fault
 * commands it sees (crashes, repairs, outages) and what the model reports.
 */
class SemanticWatch implements ModelObserver {
  world!: World;
  readonly violations: string[] = [];
  private readonly crashes = new Map<number, number>();
  private readonly outages = new Map<number, number>();
  private readonly liveSerials = new Set<number>();
  private readonly endedSerials = new Set<number>();

  private fail(what: string): void {
    if (this.violations.length < 5) this.violations.push(`t=${this.world.sim.now}us: ${what}`);
  }

  /** Wraps the fault commands to keep its own count of down causes. */
  watchCommands(): void {
    const f = this.world.failures;
    const wrap = (name: "crashHost" | "repairHost" | "beginOutage" | "endOutage") => {
      const real = f[name].bind(f);
      f[name] = (x: number) => {
        const book = name.endsWith("Host") ? this.crashes : this.outages;
        book.set(x, (book.get(x) ?? 0) + (name === "crashHost" || name === "beginOutage" ? 1 : -1));
        real(x);
        this.checkHosts();
      };
    };
    wrap("crashHost");
    wrap("repairHost");
    wrap("beginOutage");
    wrap("endOutage");
  }

  /** A host runs exactly when no crash of it and no outage of its zone is in force. */
  private checkHosts(): void {
    const { hosts } = this.world;
    for (let h = 0; h < hosts.count; h++) {
      const down = (this.crashes.get(h) ?? 0) > 0 || (this.outages.get(hosts.zoneOf(h)) ?? 0) > 0;
      if (Boolean(hosts.alive[h]) === down)
        this.fail(`host ${h} ${down ? "runs" : "is down"} though its down causes say otherwise`);
    }
  }

  arrived(): void {}
  retried(): void {}
  started(_req: number, _arrivalUs: number, sb: Sandbox): void {
    if (!this.world.hosts.alive[sb.host]) this.fail(`execution starts on down host ${sb.host}`);
  }
  ended(): void {}
  completed(req: number): void {
    const zone = this.world.requests.zone[req]!;
    if (!this.world.zones.isUp(zone)) this.fail(`answer delivered through dead zone ${zone}`);
  }
  attemptFailed(): void {}
  failed(): void {}
  sandboxCreated(sb: Sandbox): void {
    this.liveSerials.add(sb.serial);
    const { partitions, fns, zones } = this.world;
    const p = partitions[fns[sb.fn]!.partition]!;
    if (this.world.sim.now === 0) return; // provisioned before the run
    if (p.leader < 0) return this.fail(`partition ${p.id} creates a sandbox without a leader`);
    if (this.world.scenario.balancer.replication !== "sync") return;
    let reach = 0;
    for (let r = 0; r < p.replicas; r++) {
      const z = p.replicaZones[r]!;
      if (p.nodeUp[r] && zones.isUp(z) && zones.reachable(p.leaderZone, z)) reach++;
    }
    if (reach < p.majority) this.fail(`partition ${p.id} commits with ${reach} of ${p.replicas}`);
  }
  sandboxEnded(sb: Sandbox): void {
    if (!this.liveSerials.delete(sb.serial) || this.endedSerials.has(sb.serial))
      this.fail(`sandbox serial ${sb.serial} ends twice or was never created`);
    this.endedSerials.add(sb.serial);
  }
  sandboxOrphaned(): void {}
  gaugesWillChange(): void {}
  balancerOp(): void {}
}

describe("random fault schedules, watched", () => {
  it("no answer through a dead frontend, no commit without a majority, no start on a down host, every sandbox ends once, hosts up exactly without down causes", () => {
    fc.assert(
      fc.property(scenarioArb, (sc) => {
        const watch = new SemanticWatch();
        const checker = new InvariantChecker((f) => sc.functions[f]!.slots);
        const streams = new Streams(sc.seed);
        const world = new World(sc, streams, new ObserverPair(watch, checker));
        watch.world = world;
        checker.attach(world.hosts);
        watch.watchCommands();
        new FaultInjector(world, world.failures, streams).schedule();
        world.start();
        world.sim.run(world.endUs + 60 * S);
        expect(watch.violations).toEqual([]);
        expect(checker.violations).toEqual([]);
      }),
      { seed: 20261201, numRuns: 60 },
    );
  });
});
