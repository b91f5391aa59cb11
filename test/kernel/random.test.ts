import { describe, expect, it } from "vitest";
import { createStream, hashString, Streams } from "../../src/kernel/random.js";
import { ksCritical, ksStatistic } from "./ks.js";

const take = (rng: () => number, n: number) => Array.from({ length: n }, () => rng());

describe("Streams", () => {
  it("gives the same sequence for the same seed and name", () => {
    const a = new Streams(7).get("arrivals/checkout");
    const b = new Streams(7).get("arrivals/checkout");
    expect(take(a, 1_000)).toEqual(take(b, 1_000));
  });

  it("is pinned: these values change only if the generator or the key scheme does", () => {
    // Every golden scenario output depends on them; update them on purpose only.
    expect(take(new Streams(1).get("arrivals/checkout"), 3)).toEqual(PINNED_ARRIVALS_CHECKOUT);
  });

  it("gives different sequences for different names and for different seeds", () => {
    const first = take(new Streams(7).get("arrivals/checkout"), 100);
    for (const other of [
      new Streams(7).get("arrivals/checkouu"),
      new Streams(7).get("durations/checkout"),
      new Streams(8).get("arrivals/checkout"),
    ]) {
      const seq = take(other, 100);
      expect(seq.filter((x, i) => x === first[i]).length).toBe(0);
    }
  });

  it("keeps the key unambiguous across seed and name", () => {
    // "1" + "/1/x" and "11" + "/x" must not collide: the seed is an integer, never "/".
    expect(take(new Streams(1).get("1/x"), 5)).not.toEqual(take(new Streams(11).get("x"), 5));
  });

  it("caches: get() of one name returns one stream that advances once", () => {
    const streams = new Streams(3);
    const a = streams.get("placement");
    expect(streams.get("placement")).toBe(a);
    const fresh = createStream(3, "placement");
    const expected = take(fresh, 4);
    expect([a(), streams.get("placement")(), a(), streams.get("placement")()]).toEqual(expected);
  });

  it("does not let one stream's use shift another's (common random numbers)", () => {
    const quiet = new Streams(5);
    const busy = new Streams(5);
    take(busy.get("placement"), 10_000); // a policy that draws a lot more
    expect(take(busy.get("arrivals/f"), 50)).toEqual(take(quiet.get("arrivals/f"), 50));
  });

  it("draws uniformly on [0, 1) (KS, alpha = 0.001)", () => {
    const n = 20_000;
    const u = take(new Streams(1).get("uniformity"), n);
    expect(u.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(ksStatistic(u, (x) => x)).toBeLessThan(ksCritical(n));
  });

  it("rejects a seed that is not a safe integer", () => {
    expect(() => new Streams(1.5)).toThrow(RangeError);
    expect(() => new Streams(Number.NaN)).toThrow(RangeError);
    expect(() => new Streams(2 ** 60)).toThrow(RangeError);
  });
});

const PINNED_ARRIVALS_CHECKOUT = [0.9387978294398636, 0.41957666212692857, 0.37463942146860063];

describe("hashString", () => {
  it("is a stable unsigned 32-bit integer", () => {
    const h = hashString(1, "checkout");
    expect(Number.isInteger(h) && h >= 0 && h < 2 ** 32).toBe(true);
    expect(hashString(1, "checkout")).toBe(h);
    expect(h).toBe(PINNED_HASH_CHECKOUT);
  });

  it("depends on the seed, including its high bits", () => {
    const h = hashString(1, "checkout");
    expect(hashString(2, "checkout")).not.toBe(h);
    expect(hashString(1 + 2 ** 32, "checkout")).not.toBe(h);
  });

  /** Chi-square statistic of `counts` against equal expected counts. */
  function chiSquare(counts: number[]): number {
    const total = counts.reduce((a, c) => a + c, 0);
    const expected = total / counts.length;
    return counts.reduce((a, c) => a + (c - expected) ** 2 / expected, 0);
  }

  // Chi-square with 7 degrees of freedom: 24.32 is the 0.999 quantile (alpha = 0.001).
  const CHI2_7DF_ALPHA_001 = 24.32;
  const names = Array.from({ length: 10_000 }, (_, i) => `fn-${i}`);

  it.each([
    ["low bits (h % 8)", (h: number) => h % 8],
    ["high bits (h >>> 29)", (h: number) => h >>> 29],
  ])("spreads similar names evenly over 8 buckets: %s", (_what, bucket) => {
    for (const seed of [1, 2, 12345]) {
      const counts = new Array<number>(8).fill(0);
      for (const name of names) counts[bucket(hashString(seed, name))]!++;
      expect(chiSquare(counts)).toBeLessThan(CHI2_7DF_ALPHA_001);
    }
  });

  it("the chi-square check has power: it rejects a skewed spread", () => {
    const counts = new Array<number>(8).fill(0);
    for (const name of names) counts[name.length % 8]!++;
    expect(chiSquare(counts)).toBeGreaterThan(CHI2_7DF_ALPHA_001);
  });
});

const PINNED_HASH_CHECKOUT = 1489244685;
