/** The per-minute arrival source: exact counts, increasing times, uniform inside each minute. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createStream } from "../../../src/kernel/random.js";
import { MinuteSource } from "../../../src/workload/traces/minute-source.js";
import { MINUTE_US } from "../../../src/workload/traces/trace.js";

const counts = (pairs: [number, number][]) => ({
  minutes: Uint32Array.from(pairs, (p) => p[0]),
  counts: Uint32Array.from(pairs, (p) => p[1]),
});

describe("MinuteSource", () => {
  it("replays each minute's count exactly, times increasing and inside their minute", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 2000 }), { maxLength: 20 }),
        fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 20, maxLength: 20 }),
        fc.integer({ min: 0, max: 1000 }),
        (minutes, sizes, seed) => {
          const pairs = [...minutes]
            .sort((a, b) => a - b)
            .map((m, i) => [m, sizes[i]!] as [number, number]);
          const source = new MinuteSource(counts(pairs), createStream(seed, "arrivals/f"));
          const got = new Map<number, number>();
          let last = -1;
          for (let t = source.next(); t !== Number.POSITIVE_INFINITY; t = source.next()) {
            const us = Math.round(t);
            expect(us).toBeGreaterThanOrEqual(last);
            last = us;
            const m = Math.floor(us / MINUTE_US);
            got.set(m, (got.get(m) ?? 0) + 1);
          }
          expect([...got.entries()]).toEqual(pairs);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("spreads a minute's arrivals uniformly (Kolmogorov-Smirnov)", () => {
    const n = 100_000;
    const source = new MinuteSource(counts([[3, n]]), createStream(1, "arrivals/f"));
    let d = 0;
    for (let i = 0; i < n; i++) {
      const x = (source.next() - 3 * MINUTE_US) / MINUTE_US;
      d = Math.max(d, Math.abs(x - i / n), Math.abs(x - (i + 1) / n));
    }
    // The 1% critical value of the KS statistic is 1.63 / sqrt(n).
    expect(d).toBeLessThan(1.63 / Math.sqrt(n));
  });

  it("gives nothing for an empty trace", () => {
    expect(new MinuteSource(counts([]), createStream(1, "x")).next()).toBe(
      Number.POSITIVE_INFINITY,
    );
  });
});
