/** The one number formatter of run, compare and the report (report/client/number.ts). */
import { describe, expect, it } from "vitest";
import { formatNumber } from "../../src/report/client/number.js";
import { num, pct, signed } from "../../src/report/format.js";

describe("formatNumber", () => {
  it.each([
    [2631734, "2,631,734"],
    [206838, "206,838"],
    [28910.6, "28,910"],
    [0.01234, "0.01234"],
    [0.012345678, "0.01235"],
    [12.5, "12.5"],
    [1507.4, "1,507"],
    [190.83, "190.8"],
    [0.5, "0.5"],
    [1, "1"],
    [0, "0"],
    [-1234.5, "-1,235"],
    [-0.25, "-0.25"],
    [999.96, "1,000"],
    [0.00001234, "1.234e-5"],
    [2e15, "2e15"],
  ])("%d → %s", (x, text) => {
    expect(formatNumber(x)).toBe(text);
  });

  it("says what is not a number", () => {
    expect(formatNumber(null)).toBe("–");
    expect(formatNumber(undefined)).toBe("–");
    expect(formatNumber(Number.NaN)).toBe("–");
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe("∞");
  });

  it("takes fewer digits when asked", () => {
    expect(formatNumber(12.345, 2)).toBe("12");
    expect(formatNumber(0.12345, 2)).toBe("0.12");
  });
});

describe("the report's helpers use it", () => {
  it("num, pct and signed", () => {
    expect(num(2631734)).toBe("2,631,734");
    expect(`${num(206838)} ± ${num(28910.6)}`).toBe("206,838 ± 28,910");
    expect(pct(0.01234)).toBe("1.234%");
    expect(pct(0.5)).toBe("50%");
    expect(pct(0)).toBe("0%");
    expect(signed(3.5)).toBe("+3.5");
    expect(signed(-3.5)).toBe("-3.5");
    expect(signed(0)).toBe("0");
  });
});
