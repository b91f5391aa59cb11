/**
 * consistent-hash (consistent hashing with bounded loads): what it promises beyond the
 * conformance suite — the load bound, stickiness, few moves when hosts come and go, an
 * even spread of functions, and walks that stay bounded however full the cluster is.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Hosts } from "../../src/model/hosts.js";
import { VNODES_PER_HOST, WALK_MAX_STEPS } from "../../src/policies/placement/consistent-hash.js";
import { buildPlacement, setHostUp, type TestPlacement } from "../support/placement.js";

const HOST_MB = 4096;

const make = (functionCount: number, boundedLoad = 1.25, seed = 1) =>
  buildPlacement("consistent-hash", { functionCount, boundedLoad, seed })
    .policy as TestPlacement & { readonly longestWalk: number };

const hostsOf = (zones: number, perZone: number, memoryMb = HOST_MB) =>
  new Hosts(zones, perZone, { memoryMb, cpus: 4 }, false);

/** Where each of `count` functions goes on the given (unchanged) hosts. */
const homes = (policy: ReturnType<typeof make>, hosts: Hosts, count: number, mb = 128) =>
  Array.from({ length: count }, (_, fn) => policy.choose(hosts, 0, hosts.count, mb, fn));

/** The bound, by brute force: c × (memory used on the up hosts + mb) / up hosts. */
function boundMb(hosts: Hosts, lo: number, hi: number, mb: number, c: number): number {
  let used = 0;
  let up = 0;
  for (let h = lo; h < hi; h++) {
    if (!hosts.up[h]) continue;
    up++;
    used += hosts.memoryMb - hosts.freeMb[h]!;
  }
  return (c * (used + mb)) / up;
}

describe("consistent-hash", () => {
  it("never places above the bound while some host within it has room", () => {
    const op = fc.record({
      fn: fc.nat(39),
      size: fc.constantFrom(128, 256, 512, 1024),
      zone: fc.nat(2),
      whole: fc.boolean(),
      release: fc.nat(9).map((x) => x === 0),
      flip: fc.nat(19).map((x) => x === 0),
    });
    const shape = fc.record({
      zones: fc.integer({ min: 1, max: 3 }),
      perZone: fc.integer({ min: 1, max: 12 }),
      c: fc.constantFrom(1, 1.1, 1.25, 2),
    });
    let checked = 0;
    let binding = 0;
    fc.assert(
      fc.property(
        shape,
        fc.array(op, { maxLength: 200, size: "max" }),
        ({ zones, perZone, c }, ops) => {
          const hosts = hostsOf(zones, perZone);
          const policy = make(40, c);
          const held: { h: number; mb: number }[] = [];
          for (const o of ops) {
            if (o.release && held.length > 0) {
              const r = held.splice(o.fn % held.length, 1)[0]!;
              hosts.release(r.h, r.mb);
              continue;
            }
            if (o.flip) setHostUp(hosts, o.fn % hosts.count, !hosts.up[o.fn % hosts.count]);
            const zone = o.zone % zones;
            const [lo, hi] = o.whole ? [0, hosts.count] : [zone * perZone, (zone + 1) * perZone];
            const h = policy.choose(hosts, lo, hi, o.size, o.fn);
            const room: number[] = [];
            for (let k = lo; k < hi; k++)
              if (hosts.up[k] && hosts.freeMb[k]! >= o.size) room.push(k);
            if (room.length === 0) {
              expect(h).toBe(-1);
              continue;
            }
            expect(room).toContain(h);
            const bound = boundMb(hosts, lo, hi, o.size, c);
            const within = room.filter((k) => HOST_MB - hosts.freeMb[k]! <= bound + 1e-9);
            if (within.length > 0) {
              expect(HOST_MB - hosts.freeMb[h]!).toBeLessThanOrEqual(bound + 1e-9);
              checked++;
              if (within.length < room.length) binding++;
            }
            hosts.reserve(h, o.size);
            held.push({ h, mb: o.size });
          }
        },
      ),
      { numRuns: 300 },
    );
    // Not vacuous: ~18,000 decisions checked, in ~11,000 of which the bound kept some
    // host with room out.
    expect(checked).toBeGreaterThan(10_000);
    expect(binding).toBeGreaterThan(5000);
  });

  it("the bound binds: with c = 1 and equal sandboxes no host holds more than the mean plus one", () => {
    const hosts = hostsOf(1, 10, 100 * 128);
    const policy = make(3, 1);
    for (let placed = 1; placed <= 500; placed++) {
      hosts.reserve(policy.choose(hosts, 0, 10, 128, placed % 3), 128);
      expect(Math.max(...hosts.sandboxCount)).toBeLessThanOrEqual(placed / 10 + 1);
    }
  });

  it("is sticky: a function goes to its home host whenever that host is up, has room and is within the bound", () => {
    const functions = 200;
    const hosts = hostsOf(2, 20);
    const policy = make(functions);
    const home = homes(policy, hostsOf(2, 20), functions);
    let atHome = 0;
    for (let i = 0; i < 600; i++) {
      const fn = (i * 7919) % functions;
      const mb = 64 + (i % 5) * 64;
      const h0 = home[fn]!;
      const qualifies =
        hosts.up[h0] &&
        hosts.freeMb[h0]! >= mb &&
        HOST_MB - hosts.freeMb[h0]! <= boundMb(hosts, 0, hosts.count, mb, 1.25);
      const h = policy.choose(hosts, 0, hosts.count, mb, fn);
      if (qualifies) {
        expect(h).toBe(h0);
        atHome++;
      }
      if (h >= 0) hosts.reserve(h, mb);
      if (i % 3 === 0) setHostUp(hosts, i % hosts.count, i % 2 === 0); // some churn
    }
    expect(atHome).toBeGreaterThan(150); // stickiness was exercised (206 of 600 here)
  });

  it("adding a host moves few functions, and only to the new host", () => {
    const functions = 5000;
    const policy = make(functions);
    const before = homes(policy, hostsOf(1, 100), functions);
    const after = homes(policy, hostsOf(1, 101), functions);
    const moved = before.filter((h, fn) => after[fn] !== h).length;
    // Expected 1/101 of them (about 50): the new host's share of the ring.
    expect(moved).toBeGreaterThan(15);
    expect(moved).toBeLessThan(150);
    for (let fn = 0; fn < functions; fn++)
      if (after[fn] !== before[fn]) expect(after[fn]).toBe(100);
  });

  it("growing every zone by one host keeps each function in its zone, moving few", () => {
    const functions = 3000;
    const policy = make(functions);
    const before = homes(policy, hostsOf(3, 40), functions);
    const after = homes(policy, hostsOf(3, 41), functions);
    let moved = 0;
    for (let fn = 0; fn < functions; fn++) {
      const [b, a] = [before[fn]!, after[fn]!];
      expect(Math.floor(a / 41)).toBe(Math.floor(b / 40)); // same zone
      if (a % 41 !== b % 40) {
        moved++;
        expect(a % 41).toBe(40); // to its zone's new host
      }
    }
    expect(moved).toBeLessThan(functions * 0.06); // expected 1/41 ≈ 2.4%
  });

  it("a host going down moves only the functions that lived on it", () => {
    const functions = 2000;
    const policy = make(functions);
    const hosts = hostsOf(1, 50);
    const before = homes(policy, hosts, functions);
    setHostUp(hosts, 7, false);
    const after = homes(policy, hosts, functions);
    for (let fn = 0; fn < functions; fn++) {
      if (before[fn] === 7) expect(after[fn]).not.toBe(7);
      else expect(after[fn]).toBe(before[fn]);
    }
    expect(before.filter((h) => h === 7).length).toBeGreaterThan(10);
  });

  it(`spreads functions evenly with ${VNODES_PER_HOST} virtual nodes per host, over every zone`, () => {
    const functions = 20_000;
    const hosts = hostsOf(4, 25);
    const counts = new Array<number>(hosts.count).fill(0);
    for (const h of homes(make(functions), hosts, functions)) counts[h]!++;
    // Mean 200 per host; shares vary ~18% (1/sqrt(32)) plus sampling (~7%).
    expect(Math.min(...counts)).toBeGreaterThan(100);
    expect(Math.max(...counts)).toBeLessThan(340);
    for (let z = 0; z < 4; z++) {
      const zone = counts.slice(z * 25, (z + 1) * 25).reduce((a, b) => a + b, 0);
      expect(Math.abs(zone - 5000)).toBeLessThan(400); // sd ~61
    }
  });

  it(`walks at most ${WALK_MAX_STEPS} virtual nodes, even when one host of 20,000 has room`, () => {
    const hosts = hostsOf(1, 20_000);
    const policy = make(50);
    for (let h = 0; h < hosts.count; h++) if (h !== 12_345) hosts.reserve(h, HOST_MB - 100);
    for (let fn = 0; fn < 50; fn++)
      expect(policy.choose(hosts, 0, hosts.count, 200, fn)).toBe(12_345);
    expect(policy.longestWalk).toBe(WALK_MAX_STEPS);
    expect(policy.choose(hosts, 0, hosts.count, 5000, 0)).toBe(-1);
  });

  it("walks stay short on a loaded cluster", () => {
    const hosts = hostsOf(1, 1000);
    const policy = make(500);
    const held: { h: number; mb: number }[] = [];
    // Fill to about 85% of memory with sandboxes of random functions, releasing some.
    for (let i = 0; held.length < 0.85 * 1000 * 16; i++) {
      const fn = (i * 2654435761) % 500;
      const h = policy.choose(hosts, 0, hosts.count, 256, fn);
      hosts.reserve(h, 256);
      held.push({ h, mb: 256 });
      if (i % 4 === 3) {
        const r = held.splice((i * 40503) % held.length, 1)[0]!;
        hosts.release(r.h, r.mb);
      }
    }
    expect(policy.longestWalk).toBeLessThan(WALK_MAX_STEPS);
  });
});
