/**
 * The routing family's shared conformance suite (src/policies/conformance/routing.ts,
 * the one `lbsim check-policy` runs on a policy module) for every built-in, then the
 * properties that make each policy what its name says.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createStream } from "../../src/kernel/random.js";
import {
  driveRouting as drive,
  routingOpsArb as opsArb,
  routingConformance,
  type RoutingTruth as Truth,
  testSandbox,
} from "../../src/policies/conformance/routing.js";
import { routingPolicies } from "../../src/policies/routing/registry.js";
import type { RoutingIndex } from "../../src/policies/routing/routing-policy.js";
import type { SandboxView } from "../../src/policies/views.js";
import type { RoutingPolicyName } from "../../src/scenario/types.js";

const make = (name: RoutingPolicyName, d = 2, seed = 1): RoutingIndex =>
  routingPolicies[name]({ d, rng: createStream(seed, "routing") });

const names = Object.keys(routingPolicies) as RoutingPolicyName[];

describe.each(names)("routing policy %s (conformance)", (name) => {
  for (const property of routingConformance({ make: ({ seed, d }) => make(name, d, seed) }))
    it(property.name, () => property.run());
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
    // Unequal loads: p2c with d = 1 must ignore them.
    const sbs = [0, 1, 2, 3, 4].map((id) => testSandbox(id, id % 2).view);
    for (const sb of sbs) index.add(sb);
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
    const sbs: SandboxView[] = [0, 1, 2, 3].map((id) => testSandbox(id).view);
    for (const sb of sbs.slice(0, 3)) index.add(sb);
    expect(index.pick()!.id).toBe(0);
    index.add(sbs[3]!);
    expect([1, 2, 3, 4, 5].map(() => index.pick()!.id)).toEqual([1, 2, 0, 3, 1]);
  });
});

describe("routing conformance suite", () => {
  it("fails an index that picks a sandbox it was told to remove", () => {
    let last: SandboxView | null = null;
    let size = 0;
    const sticky: RoutingIndex = {
      get size() {
        return size;
      },
      add(sb) {
        last = sb;
        size++;
      },
      remove() {
        size--;
      },
      touched() {},
      pick: () => last,
    };
    const [, removed] = routingConformance({ make: () => sticky });
    expect(() => removed!.run()).toThrow(/removed or unknown|after every one was removed/);
  });
});
