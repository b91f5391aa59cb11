/**
 * The routing family's shared conformance suite (STYLE 4): every policy in the registry
 * is driven the way the model drives it (sandboxes become candidates when ready, are
 * acquired and released, leave when full or reclaimed, come back when a slot frees)
 * and must pick a current candidate, or null exactly when there is none. Then the
 * properties that make each policy what its name says.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createStream } from "../../src/kernel/random.js";
import { Sandbox } from "../../src/model/sandbox.js";
import { routingPolicies } from "../../src/policies/routing/registry.js";
import type { RoutingIndex } from "../../src/policies/routing/routing-policy.js";
import type { RoutingPolicyName } from "../../src/scenario/types.js";

/** Unbiased, so that `x % n` reaches every index, not mostly 0. */
const anyIndex = fc.noBias(fc.nat());

/** Slots plus local queue of every sandbox here: a candidate has outstanding < CAPACITY. */
const CAPACITY = 3;

type Op =
  | { op: "create"; outstanding: number }
  | { op: "acquire"; pick: number }
  | { op: "release"; pick: number }
  | { op: "reclaim"; pick: number }
  | { op: "pick" };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ op: fc.constant("create"), outstanding: fc.nat(1) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("acquire"), pick: anyIndex }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("release"), pick: anyIndex }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("reclaim"), pick: anyIndex }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("pick") }) },
) as fc.Arbitrary<Op>;
const opsArb = fc.array(opArb, { maxLength: 200, size: "max" });

/** What the test knows independently of the index: the candidates and their recency. */
interface Truth {
  readonly members: Set<Sandbox>;
  /** Candidates, least recently added or touched first. */
  readonly recency: Sandbox[];
}

const make = (name: RoutingPolicyName, d = 2, seed = 1): RoutingIndex =>
  routingPolicies[name]({ d, rng: createStream(seed, "routing") });

/**
 * Applies `ops` to `index` as the model would, checking the family's contract at every
 * step; `onPick(picked, truth)` adds a policy's own check. Returns the ids picked.
 */
function drive(
  index: RoutingIndex,
  ops: readonly Op[],
  onPick?: (picked: Sandbox, truth: Truth) => void,
): number[] {
  const truth: Truth = { members: new Set(), recency: [] };
  const live: Sandbox[] = []; // every sandbox not reclaimed, candidate or full
  const picks: number[] = [];
  let nextId = 0;
  const enter = (sb: Sandbox) => {
    index.add(sb);
    truth.members.add(sb);
    truth.recency.push(sb);
  };
  const leave = (sb: Sandbox) => {
    index.remove(sb);
    truth.members.delete(sb);
    truth.recency.splice(truth.recency.indexOf(sb), 1);
  };
  const touch = (sb: Sandbox) => {
    index.touched(sb);
    truth.recency.splice(truth.recency.indexOf(sb), 1);
    truth.recency.push(sb);
  };
  for (const o of ops) {
    if (o.op === "create") {
      const sb = new Sandbox(nextId, nextId++, 0, 0, 128, 0);
      sb.outstanding = o.outstanding;
      live.push(sb);
      enter(sb);
    } else if (o.op === "pick") {
      const picked = index.pick();
      if (picked === null) {
        if (truth.members.size > 0) expect.fail(`null with ${truth.members.size} candidates`);
      } else {
        if (!truth.members.has(picked)) expect.fail(`picked sandbox ${picked.id}, not a candidate`);
        onPick?.(picked, truth);
        picks.push(picked.id);
      }
    } else if (o.op === "acquire") {
      const candidates = [...truth.members];
      const sb = candidates[o.pick % Math.max(1, candidates.length)];
      if (!sb) continue;
      sb.outstanding++;
      if (sb.outstanding >= CAPACITY) leave(sb);
      else touch(sb);
    } else if (o.op === "release") {
      const busy = live.filter((sb) => sb.outstanding > 0);
      const sb = busy[o.pick % Math.max(1, busy.length)];
      if (!sb) continue;
      sb.outstanding--;
      if (truth.members.has(sb)) touch(sb);
      else enter(sb);
    } else {
      const sb = live[o.pick % Math.max(1, live.length)];
      if (!sb) continue;
      live.splice(live.indexOf(sb), 1);
      if (truth.members.has(sb)) leave(sb);
    }
    if (index.size !== truth.members.size)
      expect.fail(`size ${index.size}, but ${truth.members.size} candidates`);
  }
  return picks;
}

const names = Object.keys(routingPolicies) as RoutingPolicyName[];

describe.each(names)("routing policy %s (conformance)", (name) => {
  it("picks a current candidate, or null exactly when there is none; size is right", () => {
    fc.assert(
      fc.property(opsArb, fc.integer({ min: 1, max: 4 }), (ops, d) => {
        drive(make(name, d), ops);
      }),
      { numRuns: 150 },
    );
  });

  it("never picks a sandbox that was removed, even when it was the last one picked", () => {
    const index = make(name);
    const sbs = [0, 1, 2].map((id) => new Sandbox(id, id, 0, 0, 128, 0));
    for (const sb of sbs) index.add(sb);
    for (let round = 0; round < 3; round++) {
      const victim = index.pick()!;
      index.remove(victim);
      sbs.splice(sbs.indexOf(victim), 1);
      for (let i = 0; i < 10; i++) {
        const p = index.pick();
        if (sbs.length === 0) expect(p).toBeNull();
        else expect(sbs).toContain(p);
      }
    }
    expect(index.size).toBe(0);
    expect(index.pick()).toBeNull();
  });

  it("is deterministic: the same seed and the same operations give the same picks", () => {
    fc.assert(
      fc.property(opsArb, fc.nat(1000), (ops, seed) => {
        const a = drive(make(name, 2, seed), ops);
        const b = drive(make(name, 2, seed), ops);
        expect(a).toEqual(b);
      }),
      { numRuns: 50 },
    );
  });
});

describe("routing policies (what each name means)", () => {
  const property = (name: RoutingPolicyName, d: number, check: Parameters<typeof drive>[2]) =>
    fc.assert(
      fc.property(opsArb, (ops) => {
        drive(make(name, d), ops, check);
      }),
      { numRuns: 150 },
    );

  it("mru picks the most recently used candidate", () => {
    property("mru", 2, (picked, truth) => expect(picked).toBe(truth.recency.at(-1)));
  });

  it("lru picks the least recently used candidate", () => {
    property("lru", 2, (picked, truth) => expect(picked).toBe(truth.recency[0]));
  });

  const minOutstanding = (truth: Truth) =>
    Math.min(...[...truth.members].map((sb) => sb.outstanding));

  it("least-outstanding picks the fewest outstanding, ties to the longest unchanged", () => {
    property("least-outstanding", 2, (picked, truth) => {
      const min = minOutstanding(truth);
      expect(picked.outstanding).toBe(min);
      expect(picked).toBe(truth.recency.find((sb) => sb.outstanding === min));
    });
  });

  it("p2c with a large d picks the minimum, ties to the lower id", () => {
    // With at most ~60 candidates, missing one in 2000 draws has probability < e^-33.
    property("p2c", 2000, (picked, truth) => {
      const min = minOutstanding(truth);
      const ids = [...truth.members].filter((sb) => sb.outstanding === min).map((sb) => sb.id);
      expect(picked.id).toBe(Math.min(...ids));
    });
  });

  /** Counts how often each of 5 equal candidates is picked in `n` picks. */
  function pickCounts(index: RoutingIndex, n: number): number[] {
    const sbs = [0, 1, 2, 3, 4].map((id) => new Sandbox(id, id, 0, 0, 128, 0));
    sbs.forEach((sb, i) => {
      sb.outstanding = i % 2; // unequal loads: p2c with d = 1 must ignore them
      index.add(sb);
    });
    const counts = [0, 0, 0, 0, 0];
    for (let i = 0; i < n; i++) counts[index.pick()!.id]!++;
    return counts;
  }

  it.each([
    ["p2c", 1],
    ["random", 2],
  ] as const)("%s (d = %i) picks uniformly among candidates", (name, d) => {
    const n = 50_000;
    const counts = pickCounts(make(name, d, 7), n);
    const sd = Math.sqrt(n * 0.2 * 0.8);
    for (const c of counts) expect(Math.abs(c - n / 5)).toBeLessThan(4 * sd);
  });

  it("p2c with d = 2 prefers the less loaded (not uniform)", () => {
    const counts = pickCounts(make("p2c", 2, 7), 10_000);
    // Ids 0, 2, 4 hold 0 outstanding: one of them wins unless both draws hit 1 or 3, so
    // with probability 1 - (2/5)^2 = 0.84, against 0.6 for a uniform pick.
    expect(counts[0]! + counts[2]! + counts[4]!).toBeGreaterThan(0.8 * 10_000);
  });

  it("round-robin visits every candidate once per cycle, whatever came before", () => {
    fc.assert(
      fc.property(opsArb, (ops) => {
        const index = make("round-robin");
        drive(index, [...ops, { op: "create", outstanding: 0 }]);
        const n = index.size;
        const cycle = Array.from({ length: n }, () => index.pick()!.id);
        expect(new Set(cycle).size).toBe(n);
        const next = Array.from({ length: n }, () => index.pick()!.id);
        expect(next).toEqual(cycle);
      }),
      { numRuns: 150 },
    );
  });

  it("round-robin makes a newcomer wait a full turn: every member once, then it", () => {
    const index = make("round-robin");
    const sbs = [0, 1, 2, 3].map((id) => new Sandbox(id, id, 0, 0, 128, 0));
    for (const sb of sbs.slice(0, 3)) index.add(sb);
    expect(index.pick()!.id).toBe(0);
    index.add(sbs[3]!);
    expect([1, 2, 3, 4, 5].map(() => index.pick()!.id)).toEqual([1, 2, 0, 3, 1]);
  });
});
