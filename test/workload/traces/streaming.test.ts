/**
 * Streaming: a trace of a billion invocations goes through the readers with memory that
 * stays flat. The traces are generated as they are read, never stored. By default the
 * 2021-format stream is consumed for its first LBSIM_TRACE_ROWS rows (2 million) and
 * the 2019-format billion is read whole but replayed for two minutes; set
 * LBSIM_TRACE_BILLION=1 to go through every one of the billion invocations (minutes).
 */

import { createHash } from "node:crypto";
import v8 from "node:v8";
import vm from "node:vm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createStream } from "../../../src/kernel/random.js";
import { readAzure2019 } from "../../../src/workload/traces/azure2019.js";
import { azure2021Rows } from "../../../src/workload/traces/azure2021.js";
import { generatedBytes } from "../../../src/workload/traces/bytes.js";
import {
  type InvocationRows,
  InvocationStream,
} from "../../../src/workload/traces/invocation-stream.js";
import { MinuteSource } from "../../../src/workload/traces/minute-source.js";
import { InvocationTally } from "../../../src/workload/traces/tally.js";
import { MINUTE_US } from "../../../src/workload/traces/trace.js";
import { file, small2019, tmp } from "./helpers.js";

const BILLION = 1_000_000_000;
const FULL = process.env.LBSIM_TRACE_BILLION === "1";
const ROWS = FULL ? BILLION : Number(process.env.LBSIM_TRACE_ROWS ?? 2_000_000);

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;
/** Live memory after a full collection: heap plus buffers. */
function liveMb(): number {
  gc();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 2 ** 20;
}

/** Text lines, batched into blocks of ~64 KB, made as they are read. */
function* blocks(lines: Iterable<string>): Generator<Uint8Array> {
  let batch: string[] = [];
  let chars = 0;
  for (const line of lines) {
    batch.push(line);
    chars += line.length + 1;
    if (chars >= 65_536) {
      yield Buffer.from(`${batch.join("\n")}\n`);
      batch = [];
      chars = 0;
    }
  }
  if (batch.length > 0) yield Buffer.from(`${batch.join("\n")}\n`);
}

/**
 * A 2021 trace of `n` invocations, 10,000/s over 1,000 functions, durations up to 10 s,
 * written in blocks of 1,000 rows in reverse arrival order (so the replay must reorder).
 */
function* trace2021(n: number): Generator<string> {
  yield "app,func,end_timestamp,duration";
  const block = 1000;
  for (let start = 0; start < n; start += block) {
    const end = Math.min(n, start + block);
    for (let i = end - 1; i >= start; i--) {
      const arrivalUs = i * 100;
      const durationMs = (i * 7919) % 10_000;
      yield `app${(i % 1000) % 97},fn${i % 1000},${((arrivalUs + durationMs * 1000) / 1e6).toFixed(6)},${(durationMs / 1000).toFixed(3)}`;
    }
  }
}

describe("a billion-invocation 2021 trace streams with flat memory", () => {
  it(`replays its rows in arrival order, the buffer and the heap bounded (${ROWS.toLocaleString("en-US")} rows read of ${BILLION.toLocaleString("en-US")})`, () => {
    const replay = new Map<string, number>();
    for (let j = 0; j < 1000; j++) replay.set(`app${j % 97}/fn${j}`, j);
    const rows = azure2021Rows(
      { path: "", file: "generated.csv", bytes: () => generatedBytes(blocks(trace2021(BILLION))) },
      replay,
    );
    const lag = 99_900; // the blocks' reversal: at most 999 rows of 100 µs
    const stream = new InvocationStream(
      rows,
      lag,
      { startUs: 0, endUs: Number.POSITIVE_INFINITY },
      1,
      () => 0,
    );
    let last = -1;
    let buffered = 0;
    let start = 0;
    let most = 0;
    for (let i = 0; i < ROWS; i++) {
      if (!stream.next()) throw new Error(`the stream ended after ${i} rows`);
      if (stream.arrivalUs !== i * 100 || stream.fn !== i % 1000)
        throw new Error(
          `row ${i}: ${stream.arrivalUs} ${stream.fn} ${stream.durationUs} out of order`,
        );
      if (stream.arrivalUs < last) throw new Error("out of order");
      last = stream.arrivalUs;
      buffered = Math.max(buffered, stream.buffered);
      if (i === 500_000) start = liveMb();
      if (i > 500_000 && i % 500_000 === 0) most = Math.max(most, liveMb());
    }
    stream.close();
    expect(buffered).toBeLessThanOrEqual(1000);
    expect(most - start).toBeLessThan(8);
  });
});

describe("a billion-invocation 2019 trace", () => {
  it("is read as it is generated, replays exactly, with memory independent of its counts", () => {
    const functions = 1000;
    const minutes = 1440;
    const cells = functions * minutes;
    const base = Math.floor(BILLION / cells); // 694; the first 640,000 cells one more
    const extra = BILLION - base * cells;
    const count = (fn: number, m: number) => base + (fn * minutes + m < extra ? 1 : 0);
    function* invocations(): Generator<string> {
      yield [
        "HashOwner",
        "HashApp",
        "HashFunction",
        "Trigger",
        ...Array.from({ length: minutes }, (_, m) => m + 1),
      ].join(",");
      for (let f = 0; f < functions; f++)
        yield [
          "o",
          "a0",
          `f${f}`,
          "http",
          ...Array.from({ length: minutes }, (_, m) => count(f, m)),
        ].join(",");
    }
    const dir = tmp();
    const durations = small2019(Array.from({ length: functions }, () => [1])).dur;
    const before = liveMb();
    const trace = readAzure2019(
      {
        invocations: {
          path: "",
          file: "generated.csv",
          bytes: () => generatedBytes(blocks(invocations())),
        },
        durations: file(dir, "d.csv", durations),
      },
      { selection: { kind: "all" }, defaultMemoryMb: 128, hash: createHash("sha256") },
    );
    expect(trace.invocations).toBe(BILLION);
    expect(trace.functions).toHaveLength(functions);
    // Two 32-bit numbers per (function, minute): ~11 MB for a billion invocations.
    expect(liveMb() - before).toBeLessThan(40);
    const replayMinutes = FULL ? minutes : 2;
    let replayed = 0;
    trace.functions.forEach((f, i) => {
      const source = new MinuteSource(trace.counts[i]!, createStream(1, `arrivals/${f.name}`));
      const per = new Uint32Array(replayMinutes);
      for (let t = source.next(); t < replayMinutes * MINUTE_US; t = source.next()) {
        per[Math.floor(Math.round(t) / MINUTE_US)]!++;
        replayed++;
      }
      per.forEach((n, m) => {
        if (n !== count(i, m)) throw new Error(`${f.name} minute ${m + 1}: ${n}`);
      });
    });
    let expected = 0;
    for (let f = 0; f < functions; f++)
      for (let m = 0; m < replayMinutes; m++) expected += count(f, m);
    expect(replayed).toBe(expected);
    if (FULL) expect(replayed).toBe(BILLION);
    expect(liveMb() - before).toBeLessThan(40);
  });
});

describe("the reorder buffer", () => {
  it("releases rows in (arrival, file) order whatever the file's order, given its lag", () => {
    const row = fc.record({
      arrival: fc.integer({ min: 0, max: 5000 }),
      duration: fc.integer({ min: 0, max: 3000 }),
      fn: fc.integer({ min: 0, max: 3 }),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 200 }), fc.boolean(), (rows, byEnd) => {
        // As a file might be written: in end order (stable), or as generated.
        const file = byEnd
          ? [...rows].sort((a, b) => a.arrival + a.duration - (b.arrival + b.duration))
          : rows;
        const tally = new InvocationTally();
        for (let f = 0; f < 4; f++) tally.addFunction(`k${f}`, `k${f}`);
        for (const r of file) tally.add(r.fn, r.arrival, r.duration);
        let i = 0;
        const source: InvocationRows = {
          arrivalUs: 0,
          fn: 0,
          durationUs: 0,
          next() {
            const r = file[i++];
            if (!r) return false;
            source.arrivalUs = r.arrival;
            source.fn = r.fn === 3 ? -1 : r.fn; // function 3 is not replayed
            source.durationUs = r.duration;
            return true;
          },
          close() {},
        };
        const window = { startUs: 1000, endUs: 4000 };
        const stream = new InvocationStream(source, tally.lagUs, window, 1, () => 0);
        const got: number[][] = [];
        while (stream.next()) got.push([stream.arrivalUs, stream.fn, stream.durationUs]);
        const want = file
          .map((r, seq) => ({ ...r, seq }))
          .filter((r) => r.fn !== 3 && r.arrival >= 1000 && r.arrival < 4000)
          .sort((a, b) => a.arrival - b.arrival || a.seq - b.seq)
          .map((r) => [r.arrival - 1000, r.fn, r.duration]);
        expect(got).toEqual(want);
      }),
    );
  });
});
