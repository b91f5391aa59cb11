/**
 * The Azure 2019 reader and the per-minute replay: every minute replays exactly its
 * count (checked against an independent reading of the file), durations follow the
 * file's percentiles, columns are found by name, windows, memory per app or function,
 * topFunctions and sampleFunctions.
 */
import { describe, expect, it } from "vitest";
import { sampler } from "../../../src/kernel/distributions.js";
import { createStream } from "../../../src/kernel/random.js";
import { MinuteSource } from "../../../src/workload/traces/minute-source.js";
import { MINUTE_US, type MinuteTrace } from "../../../src/workload/traces/trace.js";
import { file, oracleCounts, read2019, sample, small2019, tmp } from "./helpers.js";

/** Replays every function to its end: counts by (function, minute offset), checking order. */
function replay(trace: MinuteTrace, seed = 1): Map<number, number>[] {
  return trace.functions.map((f, i) => {
    const source = new MinuteSource(trace.counts[i]!, createStream(seed, `arrivals/${f.name}`));
    const byMinute = new Map<number, number>();
    let last = -1;
    for (let t = source.next(); t !== Number.POSITIVE_INFINITY; t = source.next()) {
      const us = Math.round(t);
      if (us < last) throw new Error(`${f.name}: arrivals out of order`);
      last = us;
      const m = Math.floor(us / MINUTE_US);
      byMinute.set(m, (byMinute.get(m) ?? 0) + 1);
    }
    return byMinute;
  });
}

/** Every minute of every function replays exactly the file's count (compared both ways). */
function expectExactReplay(trace: MinuteTrace, invocationsPath: string): number {
  const oracle = oracleCounts(invocationsPath);
  const replayed = replay(trace);
  const wrong: string[] = [];
  let total = 0;
  trace.functions.forEach((f, i) => {
    const want = oracle.get(f.key)!;
    const got = replayed[i]!;
    for (const [minute, count] of want) {
      if (minute < trace.firstMinute || minute > trace.lastMinute) continue;
      const n = got.get(minute - trace.firstMinute) ?? 0;
      if (n !== count)
        wrong.push(`${f.name} minute ${minute}: ${n} replayed, ${count} in the file`);
      total += n;
    }
    for (const offset of got.keys())
      if (!(want.get(offset + trace.firstMinute)! > 0))
        wrong.push(`${f.name}: arrivals at offset ${offset}`);
  });
  expect(wrong).toEqual([]);
  return total;
}

describe("the bundled Azure 2019 samples", () => {
  it("the 10-function whole day replays every minute's count exactly: 13,037,064 invocations", () => {
    const files = sample("azure2019-10fn-day");
    const trace = read2019(files) as MinuteTrace;
    expect([trace.firstMinute, trace.lastMinute]).toEqual([1, 1440]);
    expect(trace.functions).toHaveLength(10);
    expect(trace.invocations).toBe(13_037_064);
    expect(expectExactReplay(trace, files.invocations.path)).toBe(13_037_064);
  });

  it("the 500-function sample (minutes 480..959, memory per function) replays 3,037,902", () => {
    const files = sample("azure2019-500fn-8h");
    const trace = read2019(files) as MinuteTrace;
    expect([trace.firstMinute, trace.lastMinute]).toEqual([480, 959]);
    expect(trace.functions).toHaveLength(500);
    expect(trace.defaultMemory).toBe(0);
    expect(trace.leftOut).toEqual([]);
    expect(expectExactReplay(trace, files.invocations.path)).toBe(3_037_902);
  });

  it("a window of minutes starts at time 0 and replays only its minutes", () => {
    const files = sample("azure2019-500fn-8h");
    const trace = read2019(files, { minutes: [600, 659] }) as MinuteTrace;
    expect([trace.firstMinute, trace.lastMinute]).toEqual([600, 659]);
    const total = expectExactReplay(trace, files.invocations.path);
    expect(total).toBe(trace.invocations);
    expect(trace.perMinute).toHaveLength(60);
    expect(trace.perMinute.reduce((a, b) => a + b, 0)).toBe(total);
  });

  it("sampled durations follow the file's percentiles", () => {
    const trace = read2019(sample("azure2019-10fn-day")) as MinuteTrace;
    const f = trace.functions[0]!;
    // From the durations file: percentile_Average_0 .. _100 of this function, in ms.
    expect(f.duration).toEqual({
      dist: "empirical",
      points: [
        [0, 1000],
        [0.01, 247000],
        [0.25, 269000],
        [0.5, 282000],
        [0.75, 304000],
        [0.99, 481000],
        [1, 130686000],
      ],
    });
    const draw = sampler(f.duration, createStream(1, `durations/${f.name}`));
    const n = 200_000;
    const xs = Float64Array.from({ length: n }, () => draw()).sort();
    const at = (p: number) => xs[Math.floor(p * (n - 1))]! / 1000;
    for (const [p, ms] of [
      [0.01, 247],
      [0.25, 269],
      [0.5, 282],
      [0.75, 304],
      [0.99, 481],
    ] as const)
      expect(Math.abs(at(p) - ms) / ms, `p${p * 100}`).toBeLessThan(0.02);
    expect(xs[0]! / 1000).toBeGreaterThanOrEqual(1);
    expect(xs[n - 1]! / 1000).toBeLessThanOrEqual(130686);
  });

  it("memory comes from the average allocation", () => {
    const trace = read2019(sample("azure2019-10fn-day"));
    expect(trace.functions[0]!.memoryMb).toBe(204);
  });
});

describe("reading the 2019 format", () => {
  it("finds columns by name in any order", () => {
    const dir = tmp();
    const { inv, dur, mem } = small2019(
      [
        [1, 0, 2],
        [0, 5, 0],
      ],
      7,
    );
    const shuffle = (text: string, order: number[]) =>
      text
        .split("\n")
        .map((line) => {
          const f = line.split(",");
          return order.map((i) => f[i]).join(",");
        })
        .join("\n");
    const plain = read2019({
      invocations: file(dir, "i.csv", inv),
      durations: file(dir, "d.csv", dur),
      memory: file(dir, "m.csv", mem),
    });
    const shuffled = read2019({
      invocations: file(dir, "i2.csv", shuffle(inv, [6, 2, 4, 0, 5, 3, 1])),
      durations: file(dir, "d2.csv", shuffle(dur, [13, 2, 12, 0, 11, 1, 10, 3, 9, 4, 8, 5, 7, 6])),
      memory: file(dir, "m2.csv", shuffle(mem, [4, 3, 2, 1, 0])),
    });
    const strip = (t: typeof plain) => ({ ...t, files: [], digest: "" });
    expect(strip(shuffled)).toEqual(strip(plain));
    expect(plain.functions.map((f) => [f.name, f.invocations, f.memoryMb])).toEqual([
      ["f0", 3, 100],
      ["f1", 5, 101],
    ]);
    expect([plain.firstMinute, plain.lastMinute]).toEqual([7, 9]);
  });

  it("takes memory per application when the file has no HashFunction column", () => {
    const dir = tmp();
    const { inv, dur, mem } = small2019([[1], [2]], 1, false);
    const trace = read2019({
      invocations: file(dir, "i.csv", inv),
      durations: file(dir, "d.csv", dur),
      memory: file(dir, "m.csv", mem),
    });
    expect(trace.functions.map((f) => f.memoryMb)).toEqual([300, 300]);
  });

  it("gives the default memory without a memory file, and leaves out functions without durations or invocations", () => {
    const dir = tmp();
    const { inv, dur } = small2019([
      [1, 1],
      [0, 0],
      [4, 0],
    ]);
    const noF2 = dur
      .split("\n")
      .filter((l) => !l.startsWith("o,a0,f2,"))
      .join("\n");
    const trace = read2019(
      { invocations: file(dir, "i.csv", inv), durations: file(dir, "d.csv", noF2) },
      { memoryMb: 256 },
    );
    expect(trace.functions.map((f) => [f.name, f.memoryMb])).toEqual([["f0", 256]]);
    expect(trace.defaultMemory).toBe(1);
    expect(trace.leftOut).toEqual([
      { reason: "no invocations in the window", functions: 1, invocations: 0 },
      { reason: "no row in the durations file", functions: 1, invocations: 4 },
    ]);
  });

  it("adds up the rows of one function", () => {
    const dir = tmp();
    const { inv, dur } = small2019([[1, 0, 3]]);
    const twice = `${inv}\no,a0,f0,timer,0,2,1`;
    const trace = read2019({
      invocations: file(dir, "i.csv", twice),
      durations: file(dir, "d.csv", dur),
    }) as MinuteTrace;
    expect([...trace.counts[0]!.minutes]).toEqual([0, 1, 2]);
    expect([...trace.counts[0]!.counts]).toEqual([1, 2, 4]);
  });

  it("topFunctions keeps the busiest; sampleFunctions a seeded sample", () => {
    const files = sample("azure2019-500fn-8h");
    const all = read2019(files);
    const top = read2019(files, { selection: { kind: "top", count: 20 } });
    const busiest = [...all.functions].sort((a, b) => b.invocations - a.invocations).slice(0, 20);
    expect(new Set(top.functions.map((f) => f.key))).toEqual(new Set(busiest.map((f) => f.key)));
    expect(top.leftOut.at(-1)).toMatchObject({ functions: 480 });
    const a = read2019(files, { selection: { kind: "sample", count: 50, seed: 3 } });
    const b = read2019(files, { selection: { kind: "sample", count: 50, seed: 3 } });
    const c = read2019(files, { selection: { kind: "sample", count: 50, seed: 4 } });
    expect(a.functions).toHaveLength(50);
    expect(a.functions.map((f) => f.key)).toEqual(b.functions.map((f) => f.key));
    expect(a.functions.map((f) => f.key)).not.toEqual(c.functions.map((f) => f.key));
  });

  it("scale multiplies each minute's count, rounding at random", () => {
    const counts = { minutes: Uint32Array.from([0, 1]), counts: Uint32Array.from([1000, 3]) };
    const count = (scale: number) => {
      const s = new MinuteSource(counts, createStream(1, "x"), scale);
      let n = 0;
      while (s.next() !== Number.POSITIVE_INFINITY) n++;
      return n;
    };
    expect(count(1)).toBe(1003);
    expect(count(2)).toBe(2006);
    expect(Math.abs(count(0.5) - 501.5)).toBeLessThanOrEqual(1);
  });
});
