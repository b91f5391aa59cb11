/**
 * The code cache (SPEC 2.3): the LRU set per host and its per-function index of caching
 * hosts, checked against a plain model; then in the world: which cold-start
 * distribution a cold start samples, the hit and miss counts of the summary, the
 * streams, provisioned sandboxes and crashes.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/experiment/run.js";
import { Streams } from "../../src/kernel/random.js";
import { CodeCache } from "../../src/model/code-cache.js";
import { ObserverPair } from "../../src/model/observer.js";
import { World } from "../../src/model/world.js";
import { fn, scenario } from "../support/scenario.js";
import { constant, Log, MS, S, simulate } from "./recording.js";

describe("CodeCache (one host's LRU set, the per-function index)", () => {
  it("a load misses, then hits; the least recently loaded package goes first", () => {
    const cache = new CodeCache(1, 300, [100, 100, 100, 100]);
    expect([0, 1, 2].map((f) => cache.load(0, f))).toEqual([false, false, false]);
    expect(cache.load(0, 0)).toBe(true); // 0 is now the most recent: order 1, 2, 0
    expect(cache.load(0, 3)).toBe(false); // evicts 1
    expect(cache.packages(0)).toEqual([2, 0, 3]);
    expect(cache.holds(0, 1)).toBe(false);
    expect(cache.usedMb[0]).toBe(300);
  });

  it("evicts as many packages as it takes, and never caches a package larger than itself", () => {
    const cache = new CodeCache(1, 300, [100, 100, 100, 250, 301]);
    for (const f of [0, 1, 2]) cache.load(0, f);
    cache.load(0, 3); // needs 250: evicts 0 and 1 and 2
    expect(cache.packages(0)).toEqual([3]);
    expect(cache.load(0, 4)).toBe(false);
    expect(cache.load(0, 4)).toBe(false); // still a miss: never cached
    expect(cache.packages(0)).toEqual([3]); // and evicted nothing
  });

  it("without capacity there is no cache: every load misses", () => {
    const cache = new CodeCache(4, 0, [10, 20]);
    expect(cache.enabled).toBe(false);
    expect([cache.load(1, 0), cache.load(1, 0)]).toEqual([false, false]);
    expect(cache.holderCount(0)).toBe(0);
    expect(cache.holds(1, 0)).toBe(false);
  });

  it("agrees with a plain LRU model under any loads and clears", () => {
    const op = fc.record({
      host: fc.nat(5),
      fn: fc.nat(7),
      clear: fc.nat(9).map((x) => x === 0),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), fc.constantFrom(250, 500, 1000), (ops, cap) => {
        const sizes = [50, 100, 150, 200, 300, 400, 600, 1200];
        const cache = new CodeCache(6, cap, sizes);
        const model: number[][] = Array.from({ length: 6 }, () => []);
        for (const { host, fn: f, clear } of ops) {
          if (clear) {
            cache.clear(host);
            model[host] = [];
            continue;
          }
          const lru = model[host]!;
          const hit = lru.includes(f);
          expect(cache.load(host, f)).toBe(hit);
          if (hit) lru.splice(lru.indexOf(f), 1);
          if (sizes[f]! <= cap) {
            const total = () => lru.reduce((a, g) => a + sizes[g]!, 0);
            while (total() + sizes[f]! > cap) lru.shift();
            lru.push(f);
          }
          for (let h = 0; h < 6; h++) {
            expect(cache.packages(h)).toEqual(model[h]);
            const used = model[h]!.reduce((a, g) => a + sizes[g]!, 0);
            expect(cache.usedMb[h]).toBeCloseTo(used, 9);
          }
          for (let g = 0; g < sizes.length; g++) {
            const holders = Array.from({ length: cache.holderCount(g) }, (_, i) =>
              cache.holder(g, i),
            );
            const expected = model.flatMap((lru2, h) => (lru2.includes(g) ? [h] : []));
            expect(holders.sort((a, b) => a - b)).toEqual(expected);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

/** One host, every request its own cold start (keep-alive none), one per 100 ms. */
const coldEveryTime = (
  cacheMb: number,
  functions = [fn({ arrivals: { process: "constant", rate: 10 } })],
) =>
  scenario({
    durationUs: 2 * S,
    cluster: {
      hostsPerZone: 1,
      host: { memoryMb: 32768, cpus: 16, codeCacheMb: cacheMb },
    },
    keepAlive: { policy: "none", ttlUs: 0 },
    functions,
  });

const timed = { coldStartCached: constant(10 * MS), coldStartUncached: constant(300 * MS) };

describe("cold starts and the cache in the world", () => {
  it("the first cold start on a host misses (uncached time), the next ones hit (cached time)", () => {
    const f = fn({ arrivals: { process: "constant", rate: 2 }, codeMb: 32, ...timed });
    const { log } = simulate(coldEveryTime(64, [f]));
    expect(log.starts).toHaveLength(4);
    expect(log.starts.map((s) => [s.cold, s.cached, s.waitUs])).toEqual([
      [true, false, 300 * MS],
      [true, true, 10 * MS],
      [true, true, 10 * MS],
      [true, true, 10 * MS],
    ]);
  });

  it("a package larger than the cache, or no cache at all: every cold start misses", () => {
    const f = fn({ arrivals: { process: "constant", rate: 2 }, codeMb: 100, ...timed });
    for (const cacheMb of [0, 64]) {
      const { log } = simulate(coldEveryTime(cacheMb, [f]));
      expect(log.starts.every((s) => s.cold && !s.cached && s.waitUs === 300 * MS)).toBe(true);
    }
  });

  it("two functions taking turns thrash a cache that holds one package, not one that holds both", () => {
    // Same period: their cold starts alternate (each starts at a random phase).
    const f = fn({ arrivals: { process: "constant", rate: 2 }, codeMb: 40, ...timed });
    const g = fn({ ...f, name: "g" });
    const hits = (cacheMb: number) =>
      simulate(coldEveryTime(cacheMb, [f, g])).log.starts.filter((s) => s.cached).length;
    expect(hits(60)).toBe(0);
    expect(hits(80)).toBe(6); // 8 cold starts, the first of each function misses
  });

  it("hits draw from a stream of their own: the uncached draws are the same with and without a cache", () => {
    const f = fn({
      arrivals: { process: "constant", rate: 5 },
      codeMb: 32,
      coldStartCached: { dist: "exponential", mean: 5 * MS },
      coldStartUncached: { dist: "exponential", mean: 100 * MS },
    });
    // The cache holds one of the two packages: f hits when it follows itself.
    const g = fn({ ...f, name: "g", codeMb: 48, arrivals: { process: "constant", rate: 2 } });
    const misses = (cacheMb: number, index: number) =>
      simulate(coldEveryTime(cacheMb, [f, g]))
        .log.starts.filter((s) => s.fn === index && !s.cached)
        .map((s) => s.waitUs);
    expect(misses(0, 0)).toHaveLength(10);
    expect(misses(64, 0).length).toBeLessThan(10);
    for (const index of [0, 1]) {
      const without = misses(0, index);
      const withCache = misses(64, index);
      expect(withCache.length).toBeGreaterThan(0);
      expect(withCache).toEqual(without.slice(0, withCache.length));
    }
  });

  it("provisioned sandboxes load their package: the first cold start on their host hits", () => {
    const f = fn({
      arrivals: { process: "constant", rate: 2 },
      minSandboxes: 1,
      maxSandboxes: 2,
      duration: constant(800 * MS), // the provisioned sandbox is busy: the next request is cold
      ...timed,
    });
    const sc = coldEveryTime(64, [f]);
    const { log } = simulate({ ...sc, keepAlive: { policy: "fixed", ttlUs: 60 * S } });
    const colds = log.starts.filter((s) => s.cold);
    expect(colds.length).toBeGreaterThan(0);
    expect(colds.every((s) => s.cached)).toBe(true);
  });

  it("a crashed host's cache is empty: it comes back without packages", () => {
    const f = fn({ arrivals: { process: "constant", rate: 2 }, codeMb: 32, ...timed });
    const sc = { ...coldEveryTime(64, [f]), durationUs: 10 * S };
    const log = new Log();
    const world = new World(sc, new Streams(sc.seed), new ObserverPair(log, new Log()));
    const failures = world.failures;
    world.start();
    world.sim.run(600 * MS);
    expect(world.codeCache.packages(0)).toEqual([0]);
    failures.crashHost(0);
    expect(world.codeCache.packages(0)).toEqual([]);
    world.sim.run(600 * MS + sc.cluster.failureDetectionUs);
    failures.repairHost(0);
    world.sim.run(sc.durationUs + 10 * S);
    const after = log.starts.filter((s) => s.atUs > 600 * MS);
    expect(after[0]).toMatchObject({ cold: true, cached: false, waitUs: 300 * MS });
    expect(after.slice(1).every((s) => s.cached)).toBe(true);
  });
});

describe("the summary's coldStartCache", () => {
  it("hits + misses = cold starts after the warmup; without a cache every cold start misses", () => {
    const f = fn({ arrivals: { process: "poisson", rate: 20 }, codeMb: 32, ...timed });
    const many = (cacheMb: number) =>
      runScenario({
        ...coldEveryTime(cacheMb, [f]),
        warmupUs: 5 * S,
        durationUs: 20 * S,
        cluster: { ...coldEveryTime(cacheMb).cluster, hostsPerZone: 4 },
        placement: { ...coldEveryTime(0).placement, policy: "random" },
      }).summary;
    const cached = many(64);
    const { hits, misses, hitRatio } = cached.coldStartCache;
    expect(cached.coldStarts).toBeGreaterThan(300);
    expect(hits + misses).toBe(cached.coldStarts);
    // Four hosts, one package: only each host's first cold start misses, in the warmup.
    expect(misses).toBe(0);
    expect(hitRatio).toBe(1);
    const none = many(0);
    expect(none.coldStartCache).toEqual({ hits: 0, misses: none.coldStarts, hitRatio: 0 });
    const keys = Object.keys(none);
    expect(keys.indexOf("coldStartCache")).toBe(keys.indexOf("coldStartRatio") + 1);
  });
});
