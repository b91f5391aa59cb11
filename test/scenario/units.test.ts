import { describe, expect, it } from "vitest";
import { formatUs, parseDurationUs, parseMemoryMb, parseRate } from "../../src/scenario/units.js";

function us(input: unknown, positive = false): number | string {
  const r = parseDurationUs(input, { positive });
  return r.ok ? r.value : r.message;
}

function perSecond(input: unknown, positive = false): number | string {
  const r = parseRate(input, { positive });
  return r.ok ? r.value : r.message;
}

describe("durations", () => {
  it.each([
    ["500us", 500],
    ["250ms", 250_000],
    ["1.5s", 1_500_000],
    ["10min", 600_000_000],
    ["2h", 7_200_000_000],
    ["1d", 86_400_000_000],
    [" 3 s ", 3_000_000],
    ["1e3ms", 1_000_000],
    [".5s", 500_000],
    ["0us", 0],
    [2, 2_000_000],
    [0.25, 250_000],
    [0, 0],
  ])("%j is %d microseconds", (input, expected) => {
    expect(us(input)).toBe(expected);
  });

  it("keeps decimal products exact (1.1s is 1100000us)", () => {
    expect(us("1.1s")).toBe(1_100_000);
    expect(us("0.3ms")).toBe(300);
  });

  it("keeps fractions of a microsecond (distribution parameters may need them)", () => {
    expect(us("0.5us")).toBe(0.5);
  });

  it.each(["10", "", "s", "10 parsecs", "1.5m", "ten s", "1s2", "--1s", "NaNs"])(
    "rejects %j",
    (input) => {
      expect(us(input)).toMatch(/^expected a duration such as 500us/);
    },
  );

  it.each([-1, "-5ms", Number.NaN, Number.POSITIVE_INFINITY, "1e400s"])(
    "rejects %j as out of range",
    (input) => {
      expect(us(input)).toMatch(/^expected a non-negative duration/);
    },
  );

  it.each([true, null, undefined, {}, []])("rejects %j as not a duration", (input) => {
    expect(us(input)).toMatch(/^expected a duration/);
  });

  it("rejects zero where a positive duration is required", () => {
    expect(us(0, true)).toBe("expected a positive duration, got 0");
    expect(us("1ms", true)).toBe(1000);
  });

  it("formats microseconds back in the largest exact unit", () => {
    expect(formatUs(600_000_000)).toBe("10min");
    expect(formatUs(1_500_000)).toBe("1500ms");
    expect(formatUs(7)).toBe("7us");
    expect(formatUs(Number.POSITIVE_INFINITY)).toBe("unlimited");
  });
});

describe("rates", () => {
  it.each([
    ["100/s", 100],
    ["6000/min", 100],
    ["7200/h", 2],
    ["86400/d", 1],
    ["1/ms", 1000],
    [" 5 / s ", 5],
    [12.5, 12.5],
    [0, 0],
  ])("%j is %d per second", (input, expected) => {
    expect(perSecond(input)).toBeCloseTo(expected, 12);
  });

  it("2/h is 2/3600 per second", () => {
    expect(perSecond("2/h")).toBeCloseTo(2 / 3600, 15);
  });

  it.each(["100", "100/sec", "100 per second", "/s", "1/", ""])("rejects %j", (input) => {
    expect(perSecond(input)).toMatch(/^expected a rate such as 100\/s/);
  });

  it.each([-1, "-3/s", Number.NaN])("rejects %j as negative or not a number", (input) => {
    expect(perSecond(input)).toMatch(/^expected a non-negative rate/);
  });

  it("rejects zero where a positive rate is required", () => {
    expect(perSecond("0/s", true)).toMatch(/^expected a positive rate/);
  });
});

describe("memory sizes", () => {
  const mb = (input: unknown, positive = false): number | string => {
    const r = parseMemoryMb(input, { positive });
    return r.ok ? r.value : r.message;
  };

  it("reads numbers as MB and sizes in powers of 1024, ignoring case", () => {
    expect(mb(512)).toBe(512);
    expect(mb("512MB")).toBe(512);
    expect(mb("1.5GB")).toBe(1536);
    expect(mb("2GiB")).toBe(2048);
    expect(mb("2 gb")).toBe(2048);
    expect(mb("1TB")).toBe(1024 * 1024);
    expect(mb("512kb")).toBe(0.5);
  });

  it("rejects sizes without a known unit, negative ones and zero where positive", () => {
    expect(mb("512")).toMatch(/^expected a size such as 512MB, .*, got "512"$/);
    expect(mb("1PB")).toMatch(/^expected a size such as/);
    expect(mb("-1GB")).toBe('expected a non-negative size, got "-1GB"');
    expect(mb(-5, true)).toBe("expected a positive number, got -5");
    expect(mb("0MB", true)).toBe('expected a positive size, got "0MB"');
    expect(mb(0)).toBe(0);
  });
});
