import { describe, expect, it } from "vitest";
import { erlangB, erlangC, supermarketMeanTime } from "./formulas.js";

describe("the theory's own formulas", () => {
  it("Erlang B: one server is a/(1+a); tables give B(5, 4) = 0.1991", () => {
    expect(erlangB(1, 3)).toBeCloseTo(3 / 4, 12);
    expect(erlangB(5, 4)).toBeCloseTo(0.1991, 4);
  });
  it("Erlang C: one server waits with probability rho; tables give C(4, 3) = 0.5094", () => {
    expect(erlangC(1, 0.6)).toBeCloseTo(0.6, 12);
    expect(erlangC(4, 3)).toBeCloseTo(0.5094, 4);
  });
  it("supermarket: d = 1 is M/M/1; d = 2 at 0.9 is 2.6141 (Mitzenmacher)", () => {
    expect(supermarketMeanTime(0.9, 1)).toBeCloseTo(10, 9);
    expect(supermarketMeanTime(0.9, 2)).toBeCloseTo(2.6141, 4);
  });
});
