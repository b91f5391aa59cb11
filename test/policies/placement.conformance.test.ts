/**
 * The placement family's shared conformance suite (STYLE 4): on hosts with random
 * reservations, releases and outages, every policy in the registry returns an up host
 * of the asked range with room, and -1 only when no such host exists (checked by brute
 * force). Then what first-, best- and worst-fit mean. Every decision is for one of a few
 * functions; as in the model, the chosen host then loads that function's package into
 * its code cache (and "cache" operations load packages anywhere, down hosts included),
 * so that cache-affinity meets caching hosts that are full, down or out of the range.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Hosts } from "../../src/model/hosts.js";
import { placementPolicies } from "../../src/policies/placement/registry.js";
import type { PlacementPolicyName } from "../../src/scenario/types.js";
import { type Built, buildPlacement, setHostUp } from "../support/placement.js";

/** Unbiased, so that `x % n` reaches every index, not mostly 0. */
const anyIndex = fc.noBias(fc.nat());

const HOST_MB = 4096;
const SIZES = [128, 256, 512, 1024, 1769, 3000];

type Op =
  | { op: "reserve"; host: number; size: number }
  | { op: "release"; pick: number }
  | { op: "down"; host: number }
  | { op: "up"; host: number }
  | { op: "cache"; host: number; fn: number }
  | { op: "choose"; zoneA: number; zoneB: number; size: number; fn: number };

/** Functions the decisions are for (their packages: 100, 250, 400, 550 MB, ...). */
const FUNCTIONS = 6;

const opArb = (sizes: readonly number[]): fc.Arbitrary<Op> =>
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
    {
      weight: 1,
      arbitrary: fc.record({ op: fc.constant("cache"), host: anyIndex, fn: anyIndex }),
    },
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
  ) as fc.Arbitrary<Op>;

const shapeArb = fc.record({
  zones: fc.integer({ min: 1, max: 3 }),
  perZone: fc.integer({ min: 1, max: 7 }),
});

/** The up hosts of [lo, hi) with at least `mb` free, by brute force. */
function fitting(hosts: Hosts, lo: number, hi: number, mb: number): number[] {
  const out: number[] = [];
  for (let h = lo; h < hi; h++) if (hosts.up[h] && hosts.freeMb[h]! >= mb) out.push(h);
  return out;
}

interface Choice {
  readonly hosts: Hosts;
  readonly lo: number;
  readonly hi: number;
  readonly mb: number;
  readonly chosen: number;
}

/**
 * Applies `ops` to fresh hosts, asks `policy` where each "choose" would go (ranges are
 * whole zones, as the model asks: the cluster or one zone), checks the family's
 * contract, and reserves the chosen host as the model would. Returns the choices.
 */
function drive(
  { policy, cache }: Built,
  shape: { zones: number; perZone: number },
  ops: readonly Op[],
  onChoice?: (c: Choice) => void,
): number[] {
  const hosts = new Hosts(shape.zones, shape.perZone, { memoryMb: HOST_MB, cpus: 4 }, true);
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
      // A release may reach a host that is down (its sandbox ends while it is out).
      const r = held.splice(o.pick % Math.max(1, held.length), 1)[0];
      if (r) hosts.release(r.host, r.mb);
    } else if (o.op === "down" || o.op === "up") {
      setHostUp(hosts, o.host % hosts.count, o.op === "up");
    } else if (o.op === "cache") {
      cache.load(o.host % hosts.count, o.fn % FUNCTIONS);
    } else {
      const za = o.zoneA % shape.zones;
      const zb = o.zoneB % shape.zones;
      const lo = Math.min(za, zb) * shape.perZone;
      const hi = (Math.max(za, zb) + 1) * shape.perZone;
      const fn = o.fn % FUNCTIONS;
      const chosen = policy.choose(hosts, lo, hi, o.size, fn);
      const fit = fitting(hosts, lo, hi, o.size);
      if (fit.length === 0) expect(chosen).toBe(-1);
      else expect(fit).toContain(chosen);
      onChoice?.({ hosts, lo, hi, mb: o.size, chosen });
      choices.push(chosen);
      if (chosen >= 0) {
        reserve(chosen, o.size);
        cache.load(chosen, fn);
      }
    }
    // The indexes the policies read agree with the plain arrays.
    for (let h = 0; h < hosts.count; h++)
      if (hosts.freeTree.get(h) !== (hosts.up[h] ? hosts.freeMb[h] : -1))
        expect.fail(`free-memory tree disagrees at host ${h}`);
  }
  return choices;
}

/** The policy, with a code cache over more hosts than any shape here has. */
const build = (name: PlacementPolicyName, seed = 1, d = 2): Built =>
  buildPlacement(name, { seed, d, functionCount: FUNCTIONS, cacheHosts: 32 });
const make = (name: PlacementPolicyName, seed = 1, d = 2) => build(name, seed, d).policy;

const names = Object.keys(placementPolicies) as PlacementPolicyName[];
const opsArb = (sizes: readonly number[] = SIZES) =>
  fc.array(opArb(sizes), { maxLength: 120, size: "max" });

describe.each(names)("placement policy %s (conformance)", (name) => {
  it("returns an up host of the range with room, and -1 only when none has room", () => {
    fc.assert(
      fc.property(shapeArb, opsArb(), fc.integer({ min: 1, max: 4 }), (shape, ops, d) => {
        drive(build(name, 1, d), shape, ops);
      }),
      { numRuns: 150 },
    );
  });

  it("also with memory sizes that are not whole MB", () => {
    fc.assert(
      fc.property(shapeArb, opsArb([100.5, 0.25, 1000.75, 2047.5]), (shape, ops) => {
        drive(build(name), shape, ops);
      }),
      { numRuns: 100 },
    );
  });

  it("finds room that is not a whole number of MB", () => {
    const hosts = new Hosts(1, 2, { memoryMb: 201, cpus: 4 }, true);
    hosts.reserve(0, 100.5); // 100.5 MB left: exactly one more of 100.5
    hosts.reserve(1, 150);
    expect(make(name).choose(hosts, 0, 2, 100.5, 0)).toBe(0);
    expect(make(name).choose(hosts, 0, 2, 100.25, 1)).toBe(0);
    expect(make(name).choose(hosts, 0, 2, 100.75, 2)).toBe(-1);
  });

  it("never returns a host that is down, even the one that would fit best", () => {
    const hosts = new Hosts(2, 4, { memoryMb: HOST_MB, cpus: 4 }, true);
    const { policy, cache } = build(name);
    // Host 5 alone has room (and every kind of "best" room) but is down; its cache,
    // and host 1's (full), hold every function.
    for (let h = 0; h < hosts.count; h++) if (h !== 5) hosts.reserve(h, HOST_MB - 100);
    for (let fn = 0; fn < FUNCTIONS; fn++) for (const h of [1, 5]) cache.load(h, fn);
    setHostUp(hosts, 5, false);
    for (let i = 0; i < 20; i++) expect(policy.choose(hosts, 0, 8, 512, i % FUNCTIONS)).toBe(-1);
    expect(policy.choose(hosts, 4, 8, 50, 0)).toBeGreaterThanOrEqual(4);
    setHostUp(hosts, 5, true);
    for (let i = 0; i < 20; i++) expect(policy.choose(hosts, 0, 8, 512, i % FUNCTIONS)).toBe(5);
    expect(policy.choose(hosts, 0, 4, 512, 0)).toBe(-1); // 5 is outside zone 0
  });

  it("is deterministic: the same seed and the same operations give the same hosts", () => {
    fc.assert(
      fc.property(shapeArb, opsArb(), fc.nat(1000), (shape, ops, seed) => {
        expect(drive(build(name, seed), shape, ops)).toEqual(drive(build(name, seed), shape, ops));
      }),
      { numRuns: 50 },
    );
  });
});

describe("placement policies (what each name means)", () => {
  const property = (name: PlacementPolicyName, check: (c: Choice) => void) =>
    fc.assert(
      fc.property(shapeArb, opsArb(), (shape, ops) => {
        drive(build(name), shape, ops, check);
      }),
      { numRuns: 150 },
    );
  const freeOf = (c: Choice) => fitting(c.hosts, c.lo, c.hi, c.mb).map((h) => c.hosts.freeMb[h]!);

  it("first-fit returns the lowest-numbered host with room", () => {
    property("first-fit", (c) =>
      expect(c.chosen).toBe(fitting(c.hosts, c.lo, c.hi, c.mb)[0] ?? -1),
    );
  });

  it("best-fit returns a host with the least free memory that fits", () => {
    property("best-fit", (c) => {
      if (c.chosen >= 0) expect(c.hosts.freeMb[c.chosen]).toBe(Math.min(...freeOf(c)));
    });
  });

  it("worst-fit returns a host with the most free memory", () => {
    property("worst-fit", (c) => {
      if (c.chosen >= 0) expect(c.hosts.freeMb[c.chosen]).toBe(Math.max(...freeOf(c)));
    });
  });

  it("round-robin moves on: on empty hosts it visits each host of the range in turn", () => {
    const hosts = new Hosts(1, 5, { memoryMb: HOST_MB, cpus: 4 }, false);
    const policy = make("round-robin");
    const seen = Array.from({ length: 10 }, () => policy.choose(hosts, 0, 5, 1, 0));
    expect(seen).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4]);
  });

  it.each(["random", "p2c"] as const)("%s spreads over the hosts with room", (name) => {
    const hosts = new Hosts(1, 8, { memoryMb: HOST_MB, cpus: 4 }, false);
    const policy = make(name, 3);
    const counts = new Array<number>(8).fill(0);
    for (let i = 0; i < 8000; i++) counts[policy.choose(hosts, 0, 8, 1, 0)]!++;
    // Equal hosts: each gets about 1/8 (sd ~30 of 1000).
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(150);
  });
});
