/**
 * The Azure Functions 2019 trace (Shahrad et al., ATC 2020): three files joined on
 * (HashOwner, HashApp, HashFunction), each read once, a row at a time.
 *
 * - invocations: HashOwner, HashApp, HashFunction (Trigger), then one count per
 *   minute, in columns named by the minute's number; any numbered window (a file may
 *   hold minutes 480..959). Rows of one function are added up.
 * - durations: percentile_Average_0, _1, _25, _50, _75, _99, _100 (ms) become the
 *   points of a piecewise-linear inverse CDF at 0, 1, 25, 50, 75, 99, 100%. A function
 *   without a durations row is left out (reported), since it could not be run.
 * - memory (optional): AverageAllocatedMb, keyed per function when the file has a
 *   HashFunction column, else per application (every function of the app gets the app's
 *   figure). Functions without a row (or with 0) get the default.
 *
 * Every field is checked, in and out of the window: a file with a bad count anywhere is
 * refused, with its line and column.
 */
import type { Hash } from "node:crypto";
import type { DistSpec } from "../../kernel/dist-spec.js";
import { CsvFile } from "./csv.js";
import { type FileRef, LineReader } from "./lines.js";
import { type Selection, selectFunctions, uniqueNames } from "./select.js";
import type { LeftOut, MinuteCounts, MinuteTrace, TraceFunction } from "./trace.js";

export type { FileRef } from "./lines.js";

export interface Azure2019Files {
  readonly invocations: FileRef;
  readonly durations: FileRef;
  readonly memory?: FileRef;
}

export interface ReadOptions {
  /** Minutes to replay, inclusive; default every minute of the file. */
  readonly minutes?: readonly [number, number];
  readonly selection: Selection;
  /** For functions the memory file does not list. */
  readonly defaultMemoryMb: number;
  readonly hash: Hash;
}

const PERCENTILES = [0, 1, 25, 50, 75, 99, 100] as const;
const MAX_COUNT = 0xffffffff;

interface Row {
  readonly key: string;
  readonly app: string;
  readonly hash: string;
  counts: MinuteCounts;
  total: number;
}

export function readAzure2019(files: Azure2019Files, options: ReadOptions): MinuteTrace {
  const inv = readInvocations(files.invocations, options);
  const durations = readDurations(files.durations, new Set(inv.rows.map((r) => r.key)), options);
  const memory = files.memory ? readMemory(files.memory, options) : null;
  const leftOut: LeftOut[] = [];
  const idle = inv.rows.filter((r) => r.total === 0);
  if (idle.length > 0)
    leftOut.push({
      reason: "no invocations in the window",
      functions: idle.length,
      invocations: 0,
    });
  const active = inv.rows.filter((r) => r.total > 0);
  const noDurations = active.filter((r) => !durations.has(r.key));
  if (noDurations.length > 0)
    leftOut.push({
      reason: "no row in the durations file",
      functions: noDurations.length,
      invocations: sum(noDurations.map((r) => r.total)),
    });
  const candidates = active.filter((r) => durations.has(r.key));
  const kept = selectFunctions(
    candidates.map((r) => r.total),
    options.selection,
  ).map((i) => candidates[i]!);
  if (kept.length < candidates.length) {
    const keptSet = new Set(kept);
    const dropped = candidates.filter((r) => !keptSet.has(r));
    leftOut.push({
      reason: selectionReason(options.selection),
      functions: dropped.length,
      invocations: sum(dropped.map((r) => r.total)),
    });
  }
  const names = uniqueNames(kept.map((r) => r.hash));
  let defaultMemory = 0;
  const functions: TraceFunction[] = kept.map((r, i) => {
    const mb = memory?.perFunction ? memory.mb.get(r.key) : memory?.mb.get(r.app);
    if (mb === undefined) defaultMemory++;
    return {
      key: r.key,
      name: names[i]!,
      memoryMb: mb ?? options.defaultMemoryMb,
      duration: durations.get(r.key)!,
      invocations: r.total,
    };
  });
  const perMinute = new Float64Array(inv.lastMinute - inv.firstMinute + 1);
  for (const r of kept)
    r.counts.minutes.forEach((m, j) => {
      perMinute[m]! += r.counts.counts[j]!;
    });
  return {
    kind: "minutes",
    format: "azure2019",
    files: [
      files.invocations.file,
      files.durations.file,
      ...(files.memory ? [files.memory.file] : []),
    ],
    digest: "",
    firstMinute: inv.firstMinute,
    lastMinute: inv.lastMinute,
    functions,
    counts: kept.map((r) => r.counts),
    invocations: sum(kept.map((r) => r.total)),
    perMinute,
    defaultMemory: memory === null ? functions.length : defaultMemory,
    leftOut,
  };
}

export function selectionReason(selection: Selection): string {
  if (selection.kind === "top") return `not among the ${selection.count} busiest (topFunctions)`;
  if (selection.kind === "sample")
    return `not in the sample of ${selection.count} (sampleFunctions)`;
  return "not selected";
}

function readInvocations(ref: FileRef, options: ReadOptions) {
  const csv = new CsvFile(LineReader.open(ref, options.hash));
  try {
    const owner = csv.column("HashOwner");
    const app = csv.column("HashApp");
    const fn = csv.column("HashFunction");
    const { firstMinute, lastMinute, windowColumns, otherColumns } = minuteColumns(csv, options);
    const rows: Row[] = [];
    const byKey = new Map<string, Row>();
    const scratchMinutes = new Uint32Array(windowColumns.length);
    const scratchCounts = new Uint32Array(windowColumns.length);
    for (let fields = csv.row(); fields !== null; fields = csv.row()) {
      let n = 0;
      let total = 0;
      for (let j = 0; j < windowColumns.length; j++) {
        const col = windowColumns[j]!;
        const c = csv.count(fields, col);
        if (c > MAX_COUNT)
          throw csv.fieldError(col, `expected a count below ${MAX_COUNT + 1}`, fields[col]!);
        if (c === 0) continue;
        scratchMinutes[n] = j;
        scratchCounts[n] = c;
        n++;
        total += c;
      }
      for (const col of otherColumns) csv.count(fields, col);
      const counts = { minutes: scratchMinutes.slice(0, n), counts: scratchCounts.slice(0, n) };
      const key = `${fields[owner]}/${fields[app]}/${fields[fn]}`;
      const seen = byKey.get(key);
      if (seen) {
        seen.counts = mergeCounts(seen.counts, counts);
        seen.total += total;
      } else {
        const row = {
          key,
          app: `${fields[owner]}/${fields[app]}`,
          hash: fields[fn]!,
          counts,
          total,
        };
        byKey.set(key, row);
        rows.push(row);
      }
    }
    return { rows, firstMinute, lastMinute };
  } finally {
    csv.lines.close();
  }
}

/** The columns of the window's minutes, in order, and the file's other minute columns. */
function minuteColumns(csv: CsvFile, options: ReadOptions) {
  const byMinute = new Map<number, number>();
  csv.header.forEach((name, col) => {
    if (!/^-?\d+$/.test(name)) return;
    const minute = Number(name);
    if (byMinute.has(minute)) throw csv.headerError(`minute ${minute} has two columns`);
    byMinute.set(minute, col);
  });
  if (byMinute.size === 0)
    throw csv.headerError("no minute columns (columns named by the minute's number: 1, 2, ...)");
  const numbers = [...byMinute.keys()];
  const fileFirst = Math.min(...numbers);
  const fileLast = Math.max(...numbers);
  const [firstMinute, lastMinute] = options.minutes ?? [fileFirst, fileLast];
  const windowColumns: number[] = [];
  for (let m = firstMinute; m <= lastMinute; m++) {
    const col = byMinute.get(m);
    if (col === undefined)
      throw csv.headerError(
        `no column for minute ${m} (the file has minutes ${fileFirst}..${fileLast})`,
      );
    windowColumns.push(col);
  }
  const inWindow = new Set(windowColumns);
  const otherColumns = [...byMinute.values()].filter((c) => !inWindow.has(c));
  return { firstMinute, lastMinute, windowColumns, otherColumns };
}

/** Two sparse count lists of one function added up. */
function mergeCounts(a: MinuteCounts, b: MinuteCounts): MinuteCounts {
  const dense = new Map<number, number>();
  for (const list of [a, b])
    list.minutes.forEach((m, i) => {
      dense.set(m, (dense.get(m) ?? 0) + list.counts[i]!);
    });
  const minutes = [...dense.keys()].sort((x, y) => x - y);
  return {
    minutes: Uint32Array.from(minutes),
    counts: Uint32Array.from(minutes, (m) => Math.min(MAX_COUNT, dense.get(m)!)),
  };
}

function readDurations(ref: FileRef, wanted: ReadonlySet<string>, options: ReadOptions) {
  const csv = new CsvFile(LineReader.open(ref, options.hash));
  const out = new Map<string, DistSpec>();
  try {
    const owner = csv.column("HashOwner");
    const app = csv.column("HashApp");
    const fn = csv.column("HashFunction");
    const cols = PERCENTILES.map((p) => csv.column(`percentile_Average_${p}`));
    for (let fields = csv.row(); fields !== null; fields = csv.row()) {
      const ms = cols.map((col) => csv.number(fields, col, "a duration in milliseconds"));
      for (let i = 1; i < ms.length; i++)
        if (ms[i]! < ms[i - 1]!)
          throw csv.fieldError(
            cols[i]!,
            `expected percentiles that do not decrease (${csv.header[cols[i - 1]!]} is ${ms[i - 1]})`,
            fields[cols[i]!]!,
          );
      const key = `${fields[owner]}/${fields[app]}/${fields[fn]}`;
      if (!wanted.has(key) || out.has(key)) continue;
      const points = PERCENTILES.map((p, i) => [p / 100, ms[i]! * 1000] as const);
      out.set(key, { dist: "empirical", points });
    }
    return out;
  } finally {
    csv.lines.close();
  }
}

function readMemory(ref: FileRef, options: ReadOptions) {
  const csv = new CsvFile(LineReader.open(ref, options.hash));
  const mb = new Map<string, number>();
  try {
    const owner = csv.column("HashOwner");
    const app = csv.column("HashApp");
    const fn = csv.optionalColumn("HashFunction");
    const average = csv.column("AverageAllocatedMb");
    for (let fields = csv.row(); fields !== null; fields = csv.row()) {
      const value = csv.number(fields, average, "a memory size in MB");
      const appKey = `${fields[owner]}/${fields[app]}`;
      const key = fn < 0 ? appKey : `${appKey}/${fields[fn]}`;
      if (value > 0 && !mb.has(key)) mb.set(key, value);
    }
    return { mb, perFunction: fn >= 0 };
  } finally {
    csv.lines.close();
  }
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
