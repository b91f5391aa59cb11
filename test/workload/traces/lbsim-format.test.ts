/**
 * lbsim's compact format: what `trace convert` writes reads back as the same trace;
 * an expanded per-minute trace replays the very arrivals and durations the per-minute
 * replay draws with that seed; an invocation trace converts to the same replay.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../../src/experiment/run.js";
import { sampler } from "../../../src/kernel/distributions.js";
import { createStream } from "../../../src/kernel/random.js";
import { loadScenarioText } from "../../../src/scenario/load.js";
import { InvocationStream } from "../../../src/workload/traces/invocation-stream.js";
import { writeLbsim } from "../../../src/workload/traces/lbsim-writer.js";
import type { FileRef } from "../../../src/workload/traces/lines.js";
import { readTrace } from "../../../src/workload/traces/load.js";
import { MinuteSource } from "../../../src/workload/traces/minute-source.js";
import {
  type InvocationTrace,
  type LoadedTrace,
  MINUTE_US,
  type MinuteTrace,
  windowStartUs,
} from "../../../src/workload/traces/trace.js";
import { file, read2019, sample, TRACES, tmp } from "./helpers.js";

const dir = tmp();
const lbsim = (ref: FileRef, minutes?: [number, number]) =>
  readTrace({
    format: "lbsim",
    invocations: ref,
    minutes,
    selection: { kind: "all" },
    memoryMb: 1,
  });
const out = (name: string): FileRef => ({ path: join(dir, name), file: name });

/** What a replay depends on: functions and counts, without where it was read from. */
const essence = (t: LoadedTrace) => ({
  functions: t.functions,
  minutes: [t.firstMinute, t.lastMinute],
  invocations: t.invocations,
  perMinute: [...t.perMinute],
  counts: t.kind === "minutes" ? t.counts.map((c) => [[...c.minutes], [...c.counts]]) : null,
});

function invocations(trace: InvocationTrace): number[][] {
  const startUs = windowStartUs(trace);
  const endUs = startUs + (trace.lastMinute - trace.firstMinute + 1) * MINUTE_US;
  const s = new InvocationStream(trace.rows(), trace.lagUs, { startUs, endUs }, 1, () => 0);
  const rows: number[][] = [];
  while (s.next()) rows.push([s.arrivalUs, s.fn, s.durationUs]);
  return rows;
}

describe("lbsim's compact format", () => {
  it("a per-minute trace reads back as it was written, plain or gzipped, and takes less room", () => {
    const files = sample("azure2019-500fn-8h");
    const original = read2019(files);
    writeLbsim(original, out("500.lbtrace").path);
    writeLbsim(original, out("500.lbtrace.gz").path);
    expect(essence(lbsim(out("500.lbtrace")))).toEqual(essence(original));
    expect(essence(lbsim(out("500.lbtrace.gz")))).toEqual(essence(original));
    const csv = ["invocations.csv", "durations.csv", "memory.csv"].reduce(
      (sum, f) => sum + statSync(join(TRACES, "azure2019-500fn-8h", f)).size,
      0,
    );
    expect(statSync(out("500.lbtrace").path).size).toBeLessThan(csv * 0.5);
    expect(statSync(out("500.lbtrace.gz").path).size).toBeLessThan(csv * 0.2);
    // A window of the converted file is the same window of the original.
    expect(essence(lbsim(out("500.lbtrace"), [600, 659]))).toEqual(
      essence(read2019(files, { minutes: [600, 659] })),
    );
  });

  it("counts round-trip whatever their pattern", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 50_000 })), {
            minLength: 1,
            maxLength: 30,
          }),
          { minLength: 1, maxLength: 5 },
        ),
        (rows) => {
          const width = Math.max(...rows.map((r) => r.length));
          const padded = rows.map((r) => [...r, ...Array(width - r.length).fill(0)]);
          const inv = [
            ["HashOwner", "HashApp", "HashFunction", ...padded[0]!.map((_, i) => i + 5)].join(","),
            ...padded.map((r, i) => ["o", "a", `f${i}`, ...r].join(",")),
          ].join("\n");
          const dur = [
            "HashOwner,HashApp,HashFunction,percentile_Average_0,percentile_Average_1,percentile_Average_25,percentile_Average_50,percentile_Average_75,percentile_Average_99,percentile_Average_100",
            ...padded.map((_, i) => `o,a,f${i},0,0.5,1,2,3,40,41.5`),
          ].join("\n");
          const t = read2019({
            invocations: file(dir, "p.csv", inv),
            durations: file(dir, "pd.csv", dur),
          });
          writeLbsim(t, out("p.lbtrace").path);
          expect(essence(lbsim(out("p.lbtrace")))).toEqual(essence(t));
        },
      ),
      { numRuns: 40 },
    );
  });

  it("an expanded trace holds the arrivals and durations a run with that seed draws", () => {
    const minutes = read2019(sample("azure2019-500fn-8h"), { minutes: [480, 499] }) as MinuteTrace;
    writeLbsim(minutes, out("x.lbtrace.gz").path, { expandSeed: 7 });
    const expanded = lbsim(out("x.lbtrace.gz")) as InvocationTrace;
    expect(expanded.kind).toBe("invocations");
    expect(expanded.invocations).toBe(minutes.invocations);
    const rows = invocations(expanded);
    expect(rows).toHaveLength(minutes.invocations);
    const byFunction = minutes.functions.map((): number[][] => []);
    for (const r of rows) byFunction[r[1]!]!.push(r);
    const wrong: string[] = [];
    minutes.functions.forEach((f, i) => {
      const source = new MinuteSource(minutes.counts[i]!, createStream(7, `arrivals/${f.name}`));
      const draw = sampler(f.duration, createStream(7, `durations/${f.name}`));
      for (const [t, , d] of byFunction[i]!)
        if (t !== Math.round(source.next()) || d !== Math.round(draw()))
          wrong.push(`${f.name} at ${t}`);
      if (source.next() !== Number.POSITIVE_INFINITY) wrong.push(`${f.name}: arrivals missing`);
    });
    expect(wrong).toEqual([]);
  });

  it("a run of the expanded file equals a run of the minutes with the same seed", () => {
    const minutes = read2019(sample("azure2019-10fn-day"), { minutes: [600, 609] });
    writeLbsim(minutes, out("day.lbtrace").path);
    writeLbsim(minutes, out("day-x.lbtrace").path, { expandSeed: 1 });
    const run = (f: string) => {
      const { summary } = runScenario(
        loadScenarioText(
          `name: t\nduration: 10min\nworkload:\n  trace: { format: lbsim, invocations: ${f} }\n`,
          join(dir, "s.yaml"),
        ),
      );
      return { ...summary, wallSeconds: 0, detail: null };
    };
    const a = run("day.lbtrace");
    expect(a.requests.arrived).toBe(minutes.invocations);
    expect(run("day-x.lbtrace")).toEqual(a);
  });

  it("an invocation trace converts to a file that replays the same, in arrival order", () => {
    const csv = [
      "app,func,end_timestamp,duration",
      ...Array.from(
        { length: 3000 },
        (_, i) => `a${i % 3},f${i % 7},${(i * 0.05 + 1).toFixed(3)},${((i * 37) % 100) / 100}`,
      ),
    ].join("\n");
    const source = file(dir, "t2021.csv.gz", gzipSync(Buffer.from(csv)));
    const t = readTrace({
      format: "azure2021",
      invocations: source,
      selection: { kind: "all" },
      memoryMb: 64,
    }) as InvocationTrace;
    expect(t.lagUs).toBeGreaterThan(0);
    writeLbsim(t, out("t.lbtrace").path);
    const back = lbsim(out("t.lbtrace")) as InvocationTrace;
    expect(back.lagUs).toBe(0);
    expect(invocations(back)).toEqual(invocations(t));
    expect(back.functions.map((f) => [f.name, f.memoryMb, f.invocations])).toEqual(
      t.functions.map((f) => [f.name, f.memoryMb, f.invocations]),
    );
    const text = readFileSync(out("t.lbtrace").path, "utf8");
    expect(text.split("\n")[0]).toBe("lbsim-trace 1 invocations");
    expect(text.trimEnd().endsWith("end 3000")).toBe(true);
  });
});
