/**
 * The run loop's contract on time (SPEC 2): an integer number of microseconds, never in
 * the past. A model that scales a duration rounds it before scheduling.
 */
import { describe, expect, it } from "vitest";
import { Simulator } from "../../src/kernel/simulator.js";

describe("Simulator time", () => {
  it("rejects times and delays that are not whole microseconds", () => {
    const sim = new Simulator();
    const kind = sim.register(() => {});
    expect(() => sim.at(1.5, kind)).toThrow(/not whole microseconds: 1.5/);
    expect(() => sim.after(0.25, kind)).toThrow(/not whole microseconds/);
    expect(() => sim.at(Number.NaN, kind)).toThrow();
    expect(sim.pending).toBe(0);
  });

  it("rejects the past and negative delays, and accepts whole times", () => {
    const sim = new Simulator();
    const seen: number[] = [];
    const kind = sim.register(() => seen.push(sim.now));
    sim.at(10, kind);
    sim.run(10);
    expect(() => sim.at(9, kind)).toThrow(/in the past: 9 < 10/);
    expect(() => sim.after(-1, kind)).toThrow(/in the past/);
    sim.after(5, kind);
    sim.run(100);
    expect(seen).toEqual([10, 15]);
  });
});
