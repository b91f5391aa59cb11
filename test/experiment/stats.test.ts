import { describe, expect, it } from "vitest";
import { confidenceHalfWidth, mean, stdDev, studentTQuantile } from "../../src/experiment/stats.js";

describe("Student's t quantiles", () => {
  // Values from standard tables (two-sided 95% and 99.9%).
  const table: [number, number, number][] = [
    [0.975, 1, 12.706],
    [0.975, 2, 4.303],
    [0.975, 3, 3.182],
    [0.975, 4, 2.776],
    [0.975, 9, 2.262],
    [0.975, 29, 2.045],
    [0.9995, 4, 8.61],
    [0.9995, 9, 4.781],
    [0.9995, 19, 3.883],
    [0.9995, 100, 3.39],
  ];
  it.each(table)("quantile %f with %i degrees of freedom is %f", (p, df, expected) => {
    // Tables give 4 significant digits: agree to within their rounding.
    expect(Math.abs(studentTQuantile(p, df) - expected)).toBeLessThan(0.0006 * expected);
  });
});

describe("sample statistics", () => {
  it("mean, standard deviation and half-width", () => {
    const xs = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(mean(xs)).toBe(5);
    expect(stdDev(xs)).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(confidenceHalfWidth(xs, 0.95)).toBeCloseTo(
      (2.365 * Math.sqrt(32 / 7)) / Math.sqrt(8),
      2,
    );
  });
});
