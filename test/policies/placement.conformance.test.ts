/**
 * The placement family's shared conformance suite (src/policies/conformance/placement.ts,
 * the one `lbsim check-policy` runs on a policy module) for every built-in, then what
 * first-, best- and worst-fit, round-robin and the sampling policies mean.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createStream } from "../../src/kernel/random.js";
import {
  drivePlacement,
  PlacementBench,
  type PlacementChoice,
  placementConformance,
  placementOpsArb,
  placementShapeArb,
} from "../../src/policies/conformance/placement.js";
import { failureSummary } from "../../src/policies/conformance/property.js";
import { placementPolicies } from "../../src/policies/placement/registry.js";
import type { PlacementPolicyName } from "../../src/scenario/types.js";
import { placementOptions } from "../support/placement.js";

const names = Object.keys(placementPolicies) as PlacementPolicyName[];
const make = (name: PlacementPolicyName, seed = 1, d = 2, functions?: readonly string[]) =>
  placementPolicies[name](
    placementOptions({
      seed,
      d,
      rng: createStream(seed, "placement"),
      ...(functions ? { functions } : {}),
    }),
  );

describe.each(names)("placement policy %s (conformance)", (name) => {
  for (const property of placementConformance({
    make: ({ seed, d, functions }) => make(name, seed, d, functions),
  }))
    it(property.name, () => property.run());
});

describe("placement policies (what each name means)", () => {
  const property = (name: PlacementPolicyName, check: (c: PlacementChoice) => void) =>
    fc.assert(
      fc.property(placementShapeArb, placementOpsArb(), (shape, ops) => {
        drivePlacement(make(name), shape, ops, check);
      }),
      { numRuns: 150 },
    );
  const freeOf = (c: PlacementChoice) =>
    c.bench.fitting(c.lo, c.hi, c.mb).map((h) => c.bench.hosts.freeMb[h]!);

  it("first-fit returns the lowest-numbered host with room", () => {
    property("first-fit", (c) => expect(c.chosen).toBe(c.bench.fitting(c.lo, c.hi, c.mb)[0] ?? -1));
  });

  it("best-fit returns a host with the least free memory that fits", () => {
    property("best-fit", (c) => {
      if (c.chosen >= 0) expect(c.bench.hosts.freeMb[c.chosen]).toBe(Math.min(...freeOf(c)));
    });
  });

  it("worst-fit returns a host with the most free memory", () => {
    property("worst-fit", (c) => {
      if (c.chosen >= 0) expect(c.bench.hosts.freeMb[c.chosen]).toBe(Math.max(...freeOf(c)));
    });
  });

  it("round-robin moves on: on empty hosts it visits each host of the range in turn", () => {
    const { view } = new PlacementBench(1, 5);
    const policy = make("round-robin");
    const seen = Array.from({ length: 10 }, () => policy.choose(view, 0, 5, 1, 0));
    expect(seen).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4]);
  });

  it.each(["random", "p2c"] as const)("%s spreads over the hosts with room", (name) => {
    const { view } = new PlacementBench(1, 8);
    const policy = make(name, 3);
    const counts = new Array<number>(8).fill(0);
    for (let i = 0; i < 8000; i++) counts[policy.choose(view, 0, 8, 1, 0)]!++;
    // Equal hosts: each gets about 1/8 (sd ~30 of 1000).
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(150);
  });

  it("the suite itself fails a policy that breaks the contract", () => {
    const greedy = placementConformance({ make: () => ({ choose: (_h, lo) => lo }) });
    let summary = "";
    try {
      greedy[0]!.run();
    } catch (error) {
      summary = failureSummary(error);
    }
    expect(summary).toMatch(
      /^chose host \d+ for [\d.]+ MB in \[\d+, \d+\)(, where no up host has room|; the up hosts with room are)/,
    );
  });
});
