import { describe, expect, it } from "vitest";
import { FunctionTable } from "../../src/metrics/function-table.js";
import { LatencyHistogram } from "../../src/metrics/histogram.js";

/** Latencies spread over several octaves, as a function's cold and warm requests are. */
const values = (n: number, salt: number): number[] =>
  Array.from({ length: n }, (_, i) => ((i * 7919 + salt * 104729) % 50_000) + 10);

function direct(us: readonly number[]): LatencyHistogram {
  const h = new LatencyHistogram();
  for (const v of us) h.record(v);
  return h;
}

describe("FunctionTable", () => {
  it("gives every function the figures of a histogram that recorded all its values", () => {
    // Counts below, at and above the values a row keeps, read after the run.
    const counts = [0, 1, 4, 11, 12, 13, 40];
    const table = new FunctionTable(
      counts.map((_, i) => `f${i}`),
      new LatencyHistogram(),
    );
    for (const [fn, n] of counts.entries())
      for (const v of values(n, fn)) table.recordLatency(fn, v);
    for (const [fn, n] of counts.entries()) {
      const want = direct(values(n, fn));
      const got = table.latency(fn);
      expect(got.count).toBe(n);
      expect(got.sumUs).toBe(want.sumUs);
      expect(got.summaryMs()).toEqual(want.summaryMs());
    }
  });

  it("keeps every function's figures through the pool's compactions", () => {
    // 300 functions recorded round-robin, each over seven octaves: their windows widen
    // at different times, leaving dead entries behind, and together outgrow the pool's
    // first 65,536 entries several times over (300 windows of up to 900 buckets).
    const fns = 300;
    const table = new FunctionTable(
      Array.from({ length: fns }, (_, i) => `f${i}`),
      new LatencyHistogram(),
    );
    const recorded: number[][] = Array.from({ length: fns }, () => []);
    for (let round = 0; round < 200; round++)
      for (let fn = 0; fn < fns; fn++) {
        const v = 300 + ((round * 7919 + fn * 104729) % 40_000) * (1 + (round % 3));
        table.recordLatency(fn, v);
        recorded[fn]!.push(v);
      }
    for (let fn = 0; fn < fns; fn++) {
      const want = direct(recorded[fn]!);
      const got = table.latency(fn);
      expect(got.count).toBe(200);
      expect(got.sumUs).toBe(want.sumUs);
      expect(got.maxUs).toBe(want.maxUs);
      expect(got.summaryMs()).toEqual(want.summaryMs());
    }
  });

  it("turns its counts into doubles before a 32-bit count would overflow", () => {
    // 8-bit counts stand for 32-bit ones: the 256th value in one bucket would wrap to 0.
    const table = new FunctionTable(["a", "b"], new LatencyHistogram(), Uint8Array);
    const us = [...values(12, 1), ...Array<number>(300).fill(700), 90_000];
    for (const v of us) table.recordLatency(1, v);
    const got = table.latency(1);
    expect(got.count).toBe(us.length);
    expect(got.summaryMs()).toEqual(direct(us).summaryMs());
    expect(got.percentileUs(50)).toBeGreaterThan(690); // the 300 values of 700 counted in full
  });

  it("keeps recording into the histogram once it was read", () => {
    const table = new FunctionTable(["a", "b"], new LatencyHistogram());
    table.recordLatency(1, 100);
    expect(table.latency(1).count).toBe(1);
    table.recordLatency(1, 300);
    expect(table.latency(1).count).toBe(2);
    expect(table.latency(1).maxUs).toBe(300);
    expect(table.latency(0).count).toBe(0);
  });

  it("records a single function only in the global histogram", () => {
    const global = new LatencyHistogram();
    const table = new FunctionTable(["only"], global);
    table.recordLatency(0, 5);
    expect(table.latency(0)).toBe(global);
    expect(global.count).toBe(0); // the recorder records the global one itself
  });

  it("counts arrivals, starts and cold starts per function", () => {
    const table = new FunctionTable(["a", "b"], new LatencyHistogram());
    table.countArrival(1);
    table.countStart(1, true);
    table.countStart(1, false);
    expect([table.arrived(1), table.started(1), table.coldStarts(1)]).toEqual([1, 2, 1]);
    expect([table.arrived(0), table.started(0), table.coldStarts(0)]).toEqual([0, 0, 0]);
  });
});
