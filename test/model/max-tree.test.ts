/**
 * The indexes placement reads: the max-tree (range maximum, argmax, first and last leaf
 * reaching a threshold) and the by-value index of best-fit, both against brute force
 * over random updates.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MaxTree } from "../../src/model/max-tree.js";
import { ValueIndex } from "../../src/model/value-index.js";

/** Unbiased, so that `x % n` reaches every index, not mostly 0. */
const anyIndex = fc.noBias(fc.nat());

/** Brute-force answers over a plain array. */
const brute = {
  max: (v: number[], lo: number, hi: number) =>
    Math.max(Number.NEGATIVE_INFINITY, ...v.slice(lo, hi)),
  first: (v: number[], lo: number, hi: number, x: number) => {
    for (let i = lo; i < hi; i++) if (v[i]! >= x) return i;
    return -1;
  },
  last: (v: number[], lo: number, hi: number, x: number) => {
    for (let i = hi - 1; i >= lo; i--) if (v[i]! >= x) return i;
    return -1;
  },
};

const value = fc.oneof(
  fc.integer({ min: -5, max: 20 }),
  fc.double({ min: -5, max: 20, noNaN: true }),
);
const query = fc.record({ a: anyIndex, b: anyIndex, x: value });

describe("MaxTree", () => {
  it("answers max, argMax, firstAtLeast and lastAtLeast like brute force", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: -3, max: 10 }),
        fc.array(fc.tuple(anyIndex, value), { maxLength: 80, size: "max" }),
        fc.array(query, { minLength: 1, maxLength: 30, size: "max" }),
        (n, initial, updates, queries) => {
          const tree = new MaxTree(n, initial);
          const v = new Array<number>(n).fill(initial);
          const check = () => {
            for (const { a, b, x } of queries) {
              const lo = a % (n + 1);
              const hi = lo + (b % (n + 1 - lo));
              expect(tree.max(lo, hi)).toBe(brute.max(v, lo, hi));
              expect(tree.firstAtLeast(lo, hi, x)).toBe(brute.first(v, lo, hi, x));
              expect(tree.lastAtLeast(lo, hi, x)).toBe(brute.last(v, lo, hi, x));
              const m = brute.max(v, lo, hi);
              expect(tree.argMax(lo, hi)).toBe(lo < hi ? brute.first(v, lo, hi, m) : -1);
            }
          };
          check();
          for (const [i, x] of updates) {
            tree.set(i % n, x);
            v[i % n] = x;
            expect(tree.get(i % n)).toBe(x);
          }
          check();
        },
      ),
      { numRuns: 200 },
    );
  });

  it("never reports the padding leaves beyond n (n not a power of two)", () => {
    const tree = new MaxTree(5, -1);
    expect(tree.firstAtLeast(0, 5, -2)).toBe(0);
    expect(tree.lastAtLeast(0, 5, -2)).toBe(4);
    expect(tree.max(0, 5)).toBe(-1);
    expect(tree.argMax(3, 5)).toBe(3);
  });
});

describe("ValueIndex", () => {
  it("finds a host with the least value >= x among those it holds", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            host: fc.noBias(fc.nat(15)),
            value: fc.noBias(fc.integer({ min: 0, max: 100 })),
            add: fc.boolean(),
          }),
          { maxLength: 100, size: "max" },
        ),
        fc.array(fc.integer({ min: 0, max: 110 }), { minLength: 1, maxLength: 20 }),
        (ops, xs) => {
          const index = new ValueIndex(100, 64);
          const held = new Map<number, number>(); // host -> value
          for (const { host, value, add } of ops) {
            const current = held.get(host);
            if (current !== undefined) {
              index.remove(host, current);
              held.delete(host);
            }
            if (add) {
              index.add(host, value);
              held.set(host, value);
            }
            for (const x of xs) {
              const fits = [...held.values()].filter((v) => v >= x);
              const got = index.leastAtLeast(x);
              if (fits.length === 0) expect(got).toBe(-1);
              else expect(held.get(got)).toBe(Math.min(...fits));
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("with fractional values, never returns one below x", () => {
    const index = new ValueIndex(10, 8);
    const values = new Map([
      [1, 4.5],
      [2, 7.25],
      [3, 7.75],
    ]);
    for (const [h, v] of values) index.add(h, v);
    for (const x of [0, 4, 4.2, 4.5, 4.7, 5, 7.25, 7.5, 7.75, 7.8, 8]) {
      const got = index.leastAtLeast(x);
      if (got >= 0) expect(values.get(got)).toBeGreaterThanOrEqual(x);
    }
    expect(index.leastAtLeast(4)).toBe(1);
    expect(index.leastAtLeast(8)).toBe(-1);
    index.remove(2, 7.25);
    index.remove(3, 7.75);
    expect(index.leastAtLeast(5)).toBe(-1);
  });
});
