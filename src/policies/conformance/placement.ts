/**
 * The placement family's conformance suite: on hosts with random reservations,
 * releases, outages and code-cache loads, a policy must return an up host of the asked
 * range with room, and -1 only when no such host exists (checked by brute force); it
 * must find room that is not a whole number of MB, never return a host that is down,
 * and give the same hosts for the same seed and operations. As in the model, the
 * chosen host then takes the sandbox and loads the function's package, and "cache"
 * operations load packages anywhere (down hosts included), so cache-reading policies
 * meet caching hosts that are full, down or out of range.
 */
import fc from "fast-check";
import { CodeCache } from "../../model/code-cache.js";
import { Hosts } from "../../model/hosts.js";
import { HostsReadView } from "../../model/hosts-view.js";
import type { PlacementPolicy } from "../placement/placement-policy.js";
import type { HostsView } from "../views.js";
import { type ConformanceProperty, check, holds } from "./property.js";

/** What a suite knows of the policy under test: how to make one. */
export interface PlacementSubject {
  /** A fresh policy: `seed` seeds its stream, `d` its sample size, over `functions`. */
  make(options: { seed: number; d: number; functions: readonly string[] }): PlacementPolicy;
}

/** Unbiased, so that `x % n` reaches every index, not mostly 0. */
const anyIndex = fc.noBias(fc.nat());
const HOST_MB = 4096;
const SIZES = [128, 256, 512, 1024, 1769, 3000];
/** Functions the decisions are for; their packages are 100, 250, 400, 550 MB, ... */
const FUNCTIONS = Array.from({ length: 6 }, (_, i) => `fn-${i}`);
const CACHE_HOSTS = 32;

export type PlacementOp =
  | { op: "reserve"; host: number; size: number }
  | { op: "release"; pick: number }
  | { op: "down"; host: number }
  | { op: "up"; host: number }
  | { op: "cache"; host: number; fn: number }
  | { op: "choose"; zoneA: number; zoneB: number; size: number; fn: number };

const opArb = (sizes: readonly number[]): fc.Arbitrary<PlacementOp> =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        op: fc.constant("reserve"),
        host: anyIndex,
        size: fc.constantFrom(...sizes),
      }),
    },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("release"), pick: anyIndex }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("down"), host: anyIndex }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("up"), host: anyIndex }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("cache"), host: anyIndex, fn: anyIndex }) },
    {
      weight: 4,
      arbitrary: fc.record({
        op: fc.constant("choose"),
        zoneA: anyIndex,
        zoneB: anyIndex,
        size: fc.constantFrom(...sizes),
        fn: anyIndex,
      }),
    },
  ) as fc.Arbitrary<PlacementOp>;

export const placementShapeArb = fc.record({
  zones: fc.integer({ min: 1, max: 3 }),
  perZone: fc.integer({ min: 1, max: 7 }),
});
export const placementOpsArb = (sizes: readonly number[] = SIZES) =>
  fc.array(opArb(sizes), { maxLength: 120, size: "max" });

/** A world of hosts and code caches to drive a policy in, as the model would. */
export class PlacementBench {
  readonly hosts: Hosts;
  readonly cache = new CodeCache(
    CACHE_HOSTS,
    1000,
    FUNCTIONS.map((_, i) => 100 + 150 * (i % 4)),
  );
  readonly view: HostsView;

  constructor(zones: number, perZone: number, memoryMb = HOST_MB) {
    this.hosts = new Hosts(zones, perZone, { memoryMb, cpus: 4 }, true);
    this.view = new HostsReadView(this.hosts, this.cache);
  }

  /** Takes host h down (a crash the balancer knows at once) or brings it back. */
  setUp(h: number, up: boolean): void {
    const hosts = this.hosts;
    if (up && !hosts.alive[h]) hosts.removeDownCause(h, true);
    else if (!up && hosts.alive[h]) {
      hosts.addDownCause(h, true);
      hosts.detectDown(h, hosts.epochOf(h));
    }
  }

  /** The up hosts of [lo, hi) with at least `mb` free, by brute force. */
  fitting(lo: number, hi: number, mb: number): number[] {
    const out: number[] = [];
    for (let h = lo; h < hi; h++) if (this.hosts.up[h] && this.hosts.freeMb[h]! >= mb) out.push(h);
    return out;
  }
}

/** One decision and what it was asked. */
export interface PlacementChoice {
  readonly bench: PlacementBench;
  readonly lo: number;
  readonly hi: number;
  readonly mb: number;
  readonly chosen: number;
}

/**
 * Applies `ops` to fresh hosts, asks `policy` where each "choose" goes (whole zones, as
 * the model asks), checks the contract, and reserves the chosen host. Returns the choices.
 */
export function drivePlacement(
  policy: PlacementPolicy,
  shape: { zones: number; perZone: number },
  ops: readonly PlacementOp[],
  onChoice?: (c: PlacementChoice) => void,
): number[] {
  const bench = new PlacementBench(shape.zones, shape.perZone);
  const { hosts } = bench;
  const held: { host: number; mb: number }[] = [];
  const choices: number[] = [];
  const reserve = (host: number, mb: number) => {
    hosts.reserve(host, mb);
    held.push({ host, mb });
  };
  for (const o of ops) {
    if (o.op === "reserve") {
      const h = o.host % hosts.count;
      if (hosts.up[h] && hosts.freeMb[h]! >= o.size) reserve(h, o.size);
    } else if (o.op === "release") {
      const r = held.splice(o.pick % Math.max(1, held.length), 1)[0];
      if (r) hosts.release(r.host, r.mb); // possibly on a host that is down
    } else if (o.op === "down" || o.op === "up") {
      bench.setUp(o.host % hosts.count, o.op === "up");
    } else if (o.op === "cache") {
      bench.cache.load(o.host % hosts.count, o.fn % FUNCTIONS.length);
    } else {
      const za = o.zoneA % shape.zones;
      const zb = o.zoneB % shape.zones;
      const lo = Math.min(za, zb) * shape.perZone;
      const hi = (Math.max(za, zb) + 1) * shape.perZone;
      const fn = o.fn % FUNCTIONS.length;
      const chosen = policy.choose(bench.view, lo, hi, o.size, fn);
      const fit = bench.fitting(lo, hi, o.size);
      if (fit.length === 0)
        check(
          chosen === -1,
          () =>
            `chose host ${chosen} for ${o.size} MB in [${lo}, ${hi}), where no up host has room (expected -1)`,
        );
      else
        check(
          fit.includes(chosen),
          () =>
            `chose host ${chosen} for ${o.size} MB in [${lo}, ${hi}); the up hosts with room are ${fit.join(", ")}`,
        );
      onChoice?.({ bench, lo, hi, mb: o.size, chosen });
      choices.push(chosen);
      if (chosen >= 0) {
        reserve(chosen, o.size);
        bench.cache.load(chosen, fn);
      }
    }
  }
  return choices;
}

export function placementConformance(subject: PlacementSubject): ConformanceProperty[] {
  const make = (seed = 1, d = 2) => subject.make({ seed, d, functions: FUNCTIONS });
  return [
    {
      name: "returns an up host of the range with room, and -1 only when none has room",
      run: () =>
        holds(
          [placementShapeArb, placementOpsArb(), fc.integer({ min: 1, max: 4 })],
          (shape, ops, d) => void drivePlacement(make(1, d), shape, ops),
          150,
        ),
    },
    {
      name: "also with memory sizes that are not whole MB",
      run: () =>
        holds(
          [placementShapeArb, placementOpsArb([100.5, 0.25, 1000.75, 2047.5])],
          (shape, ops) => void drivePlacement(make(), shape, ops),
          100,
        ),
    },
    { name: "finds room that is not a whole number of MB", run: () => fractionalRoom(make) },
    {
      name: "never returns a host that is down, even the one that would fit best",
      run: () => neverDown(make),
    },
    {
      name: "is deterministic: the same seed and the same operations give the same hosts",
      run: () =>
        holds(
          [placementShapeArb, placementOpsArb(), fc.nat(1000)],
          (shape, ops, seed) => {
            const a = drivePlacement(make(seed), shape, ops);
            const b = drivePlacement(make(seed), shape, ops);
            const i = a.findIndex((h, k) => h !== b[k]);
            check(
              i < 0,
              () =>
                `seed ${seed}: decision ${i} was host ${a[i]} once and host ${b[i]} the second time`,
            );
          },
          50,
        ),
    },
  ];
}

function fractionalRoom(make: () => PlacementPolicy): void {
  const bench = new PlacementBench(1, 2, 201);
  bench.hosts.reserve(0, 100.5); // 100.5 MB left: exactly one more of 100.5
  bench.hosts.reserve(1, 150);
  const cases: [number, number][] = [
    [100.5, 0],
    [100.25, 0],
    [100.75, -1],
  ];
  cases.forEach(([mb, expected], fn) => {
    const got = make().choose(bench.view, 0, 2, mb, fn);
    check(
      got === expected,
      () => `${mb} MB with 100.5 and 51 MB free: chose ${got}, expected ${expected}`,
    );
  });
}

function neverDown(make: () => PlacementPolicy): void {
  const bench = new PlacementBench(2, 4);
  const { hosts, view } = bench;
  const policy = make();
  // Host 5 alone has room (and every kind of "best" room) but is down; its cache and
  // host 1's (full) hold every function.
  for (let h = 0; h < hosts.count; h++) if (h !== 5) hosts.reserve(h, HOST_MB - 100);
  for (let fn = 0; fn < FUNCTIONS.length; fn++) for (const h of [1, 5]) bench.cache.load(h, fn);
  bench.setUp(5, false);
  const expect = (got: number, ok: boolean, what: string) =>
    check(ok, () => `${what}: chose ${got}`);
  for (let i = 0; i < 20; i++) {
    const got = policy.choose(view, 0, 8, 512, i % FUNCTIONS.length);
    expect(got, got === -1, "512 MB where only the down host 5 has room (expected -1)");
  }
  const small = policy.choose(view, 4, 8, 50, 0);
  expect(small, small >= 4 && small < 8, "50 MB in zone 1 (expected a host of 4..7)");
  bench.setUp(5, true);
  for (let i = 0; i < 20; i++) {
    const got = policy.choose(view, 0, 8, 512, i % FUNCTIONS.length);
    expect(got, got === 5, "512 MB where only host 5, up again, has room (expected 5)");
  }
  const outside = policy.choose(view, 0, 4, 512, 0);
  expect(outside, outside === -1, "512 MB in zone 0, host 5 being in zone 1 (expected -1)");
}
