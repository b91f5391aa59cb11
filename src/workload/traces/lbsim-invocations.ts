/**
 * The data of an lbsim trace of the `invocations` kind: a first pass checks every line
 * and tallies the functions; the replay reads the lines again, in order (the file is in
 * arrival order: no reordering).
 */
import type { FileRef } from "./azure2019.js";
import type { InvocationRows } from "./invocation-stream.js";
import type { LbsimOptions } from "./lbsim-format.js";
import { countsUntilEnd, type Header, int, subWindow } from "./lbsim-header.js";
import { LineReader } from "./lines.js";
import { InvocationTally, minuteOf } from "./tally.js";
import { type InvocationTrace, MINUTE_US } from "./trace.js";

export function scanInvocations(
  lines: LineReader,
  header: Header,
  ref: FileRef,
  options: LbsimOptions,
): InvocationTrace {
  const tally = new InvocationTally();
  for (const f of header.functions) tally.addFunction(f.key, f.name);
  const startUs = (header.firstMinute - 1) * MINUTE_US;
  const endUs = header.lastMinute * MINUTE_US;
  const perFunction = new Float64Array(header.functions.length);
  let t = startUs;
  countsUntilEnd(lines, (fields) => {
    const [dt, fn, duration] = invocationLine(lines, fields, header.functions.length);
    t += dt;
    if (t >= endUs)
      throw lines.error(`the arrival (minute ${minuteOf(t)}) is past the window's end`, 1);
    tally.add(fn, t, duration);
    perFunction[fn]!++;
    return 1;
  });
  header.functions.forEach((f, i) => {
    if (perFunction[i] !== f.invocations)
      throw lines.error(
        `function ${i} (${f.name}) has ${perFunction[i]} invocations, its line says ${f.invocations}`,
      );
  });
  const [first, last] = subWindow(lines, header, options.minutes);
  const done = tally.finish(first, last, options.selection, (i) => header.functions[i]!.memoryMb);
  // The file's names and durations stand (the tally would make its own).
  const functions = done.functions.map((f, j) => {
    const original = header.functions[done.kept[j]!]!;
    return { ...f, name: original.name, duration: original.duration };
  });
  return {
    kind: "invocations",
    format: "lbsim",
    files: [ref.file],
    digest: "",
    firstMinute: first,
    lastMinute: last,
    functions,
    invocations: done.invocations,
    perMinute: done.perMinute,
    defaultMemory: 0,
    leftOut: done.leftOut,
    lagUs: 0,
    rows: () => lbsimRows(ref, done.replayIndex, startUs),
  };
}

function invocationLine(
  lines: LineReader,
  fields: readonly string[],
  functions: number,
): [number, number, number] {
  if (fields.length !== 3)
    throw lines.error(
      `expected \`DT FN DURATION\`, got ${fields.length} fields`,
      Math.min(fields.length, 3) + 1,
    );
  const dt = int(lines, fields, 0);
  const fn = int(lines, fields, 1);
  if (fn >= functions)
    throw lines.error(`expected a function index below ${functions}, got ${fn}`, 2);
  return [dt, fn, int(lines, fields, 2)];
}

function lbsimRows(ref: FileRef, replayIndex: Int32Array, startUs: number): InvocationRows {
  const lines = LineReader.open(ref);
  for (let line = lines.next(); line !== null && line !== "data"; line = lines.next());
  let t = startUs;
  const rows: InvocationRows = {
    arrivalUs: 0,
    fn: -1,
    durationUs: 0,
    next() {
      const line = lines.next();
      if (line === null || line.startsWith("end")) return false;
      const a = line.indexOf(" ");
      const b = line.indexOf(" ", a + 1);
      t += Number(line.slice(0, a));
      rows.arrivalUs = t;
      rows.fn = replayIndex[Number(line.slice(a + 1, b))] ?? -1;
      rows.durationUs = Number(line.slice(b + 1));
      return true;
    },
    close() {
      lines.close();
    },
  };
  return rows;
}
