/**
 * The Azure Functions 2021 invocation trace: one row per invocation, columns `app`,
 * `func`, `end_timestamp` and `duration` (seconds, found by name in any order).
 * Replayed exactly: each invocation arrives at end − duration (whole µs) and runs for
 * its own duration. The file is read twice, a row at a time: at load, to find the
 * functions and check every row (bad data is refused before anything runs); during
 * the run, to replay it. The trace has no memory sizes: every function gets
 * `memoryMb`.
 */
import type { Hash } from "node:crypto";
import type { FileRef } from "./azure2019.js";
import { CsvFile } from "./csv.js";
import type { InvocationRows } from "./invocation-stream.js";
import { LineReader } from "./lines.js";
import type { Selection } from "./select.js";
import { InvocationTally } from "./tally.js";
import type { InvocationTrace } from "./trace.js";

export interface Azure2021Options {
  readonly minutes?: readonly [number, number];
  readonly selection: Selection;
  readonly memoryMb: number;
  readonly hash: Hash;
}

const US_PER_S = 1_000_000;

interface Columns {
  readonly app: number;
  readonly func: number;
  readonly end: number;
  readonly duration: number;
}

function columns(csv: CsvFile): Columns {
  return {
    app: csv.column("app"),
    func: csv.column("func"),
    end: csv.column("end_timestamp"),
    duration: csv.column("duration"),
  };
}

/** One row's arrival and duration in whole µs (checked). */
function times(csv: CsvFile, fields: readonly string[], c: Columns): [number, number] {
  const end = Math.round(csv.number(fields, c.end, "an end time in seconds") * US_PER_S);
  const duration = Math.round(csv.number(fields, c.duration, "a duration in seconds") * US_PER_S);
  return [end - duration, duration];
}

export function readAzure2021(ref: FileRef, options: Azure2021Options): InvocationTrace {
  const tally = new InvocationTally();
  const csv = new CsvFile(LineReader.open(ref, options.hash));
  try {
    const c = columns(csv);
    const byApp = new Map<string, Map<string, number>>();
    for (let fields = csv.row(); fields !== null; fields = csv.row()) {
      const [arrival, duration] = times(csv, fields, c);
      const app = fields[c.app]!;
      const func = fields[c.func]!;
      let funcs = byApp.get(app);
      if (!funcs) {
        funcs = new Map();
        byApp.set(app, funcs);
      }
      let fn = funcs.get(func);
      if (fn === undefined) {
        fn = tally.addFunction(`${app}/${func}`, func);
        funcs.set(func, fn);
      }
      tally.add(fn, arrival, duration);
    }
  } finally {
    csv.lines.close();
  }
  const [firstMinute, lastMinute] = tally.window(options.minutes);
  const done = tally.finish(firstMinute, lastMinute, options.selection, () => options.memoryMb);
  const replay = new Map<string, number>();
  tally.keys.forEach((key, i) => {
    if (done.replayIndex[i]! >= 0) replay.set(key, done.replayIndex[i]!);
  });
  return {
    kind: "invocations",
    format: "azure2021",
    files: [ref.file],
    digest: "",
    firstMinute,
    lastMinute,
    functions: done.functions,
    invocations: done.invocations,
    perMinute: done.perMinute,
    defaultMemory: done.functions.length,
    leftOut: done.leftOut,
    lagUs: tally.lagUs,
    rows: () => azure2021Rows(ref, replay),
  };
}

/** The file's rows again, for the replay: `fn` is the replayed function's index or -1. */
export function azure2021Rows(ref: FileRef, replay: ReadonlyMap<string, number>): InvocationRows {
  const csv = new CsvFile(LineReader.open(ref));
  const c = columns(csv);
  const rows: InvocationRows = {
    arrivalUs: 0,
    fn: -1,
    durationUs: 0,
    next() {
      const fields = csv.row();
      if (fields === null) return false;
      const [arrival, duration] = times(csv, fields, c);
      rows.arrivalUs = arrival;
      rows.durationUs = duration;
      rows.fn = replay.get(`${fields[c.app]}/${fields[c.func]}`) ?? -1;
      return true;
    },
    close() {
      csv.lines.close();
    },
  };
  return rows;
}
