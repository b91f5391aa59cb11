/** The data of an lbsim trace of the `minutes` kind: per function, counts by minute. */
import { type FileRef, selectionReason } from "./azure2019.js";
import { showField } from "./errors.js";
import type { LbsimOptions } from "./lbsim-format.js";
import { countsUntilEnd, type Header, int, subWindow } from "./lbsim-header.js";
import type { LineReader } from "./lines.js";
import { type Selection, selectFunctions } from "./select.js";
import type { LeftOut, MinuteCounts, MinuteTrace } from "./trace.js";

export function readMinutes(
  lines: LineReader,
  header: Header,
  ref: FileRef,
  options: LbsimOptions,
): MinuteTrace {
  const span = header.lastMinute - header.firstMinute + 1;
  const counts: (MinuteCounts | null)[] = header.functions.map(() => null);
  const scratchMinutes = new Uint32Array(span);
  const scratchCounts = new Uint32Array(span);
  countsUntilEnd(lines, (fields) => {
    if (fields[0] !== "c")
      throw lines.error(
        `expected a counts line \`c FN COUNTS...\`, got ${showField(fields[0] ?? "")}`,
        1,
      );
    const fn = int(lines, fields, 1);
    if (fn >= header.functions.length || counts[fn] !== null)
      throw lines.error(`expected the index of a function not counted yet, got ${fn}`, 2);
    let minute = 0;
    let n = 0;
    let sum = 0;
    for (let i = 2; i < fields.length; i++) {
      const t = fields[i]!;
      if (t.startsWith("+")) {
        minute += int(lines, [t.slice(1)], 0);
        continue;
      }
      const c = int(lines, fields, i);
      if (minute >= span) throw lines.error(`counts run past the window's ${span} minutes`, i + 1);
      if (c > 0) {
        scratchMinutes[n] = minute;
        scratchCounts[n] = c;
        n++;
        sum += c;
      }
      minute++;
    }
    if (sum !== header.functions[fn]!.invocations)
      throw lines.error(
        `the counts add up to ${sum}, the function line says ${header.functions[fn]!.invocations}`,
      );
    counts[fn] = { minutes: scratchMinutes.slice(0, n), counts: scratchCounts.slice(0, n) };
    return sum;
  });
  const [first, last] = subWindow(lines, header, options.minutes);
  const lo = first - header.firstMinute;
  const hi = last - header.firstMinute;
  const rebased = counts.map((c) =>
    clip(c ?? { minutes: new Uint32Array(), counts: new Uint32Array() }, lo, hi),
  );
  const totals = rebased.map((c) => c.counts.reduce((s, x) => s + x, 0));
  return selectMinutes(header, ref, first, last, rebased, totals, options.selection);
}

function clip(c: MinuteCounts, lo: number, hi: number): MinuteCounts {
  const keep: number[] = [];
  c.minutes.forEach((m, i) => {
    if (m >= lo && m <= hi) keep.push(i);
  });
  return {
    minutes: Uint32Array.from(keep, (i) => c.minutes[i]! - lo),
    counts: Uint32Array.from(keep, (i) => c.counts[i]!),
  };
}

function selectMinutes(
  header: Header,
  ref: FileRef,
  first: number,
  last: number,
  counts: MinuteCounts[],
  totals: number[],
  selection: Selection,
): MinuteTrace {
  const leftOut: LeftOut[] = [];
  const active = totals.flatMap((t, i) => (t > 0 ? [i] : []));
  if (active.length < totals.length)
    leftOut.push({
      reason: "no invocations in the window",
      functions: totals.length - active.length,
      invocations: 0,
    });
  const kept = pick(active, totals, selection, leftOut);
  const perMinute = new Float64Array(last - first + 1);
  for (const i of kept)
    counts[i]!.minutes.forEach((m, j) => {
      perMinute[m]! += counts[i]!.counts[j]!;
    });
  return {
    kind: "minutes",
    format: "lbsim",
    files: [ref.file],
    digest: "",
    firstMinute: first,
    lastMinute: last,
    functions: kept.map((i) => ({ ...header.functions[i]!, invocations: totals[i]! })),
    counts: kept.map((i) => counts[i]!),
    invocations: kept.reduce((s, i) => s + totals[i]!, 0),
    perMinute,
    defaultMemory: 0,
    leftOut,
  };
}

function pick(
  active: number[],
  totals: number[],
  selection: Selection,
  leftOut: LeftOut[],
): number[] {
  const kept = selectFunctions(
    active.map((i) => totals[i]!),
    selection,
  ).map((j) => active[j]!);
  if (kept.length < active.length) {
    const keptSet = new Set(kept);
    const dropped = active.filter((i) => !keptSet.has(i));
    leftOut.push({
      reason: selectionReason(selection),
      functions: dropped.length,
      invocations: dropped.reduce((s, i) => s + totals[i]!, 0),
    });
  }
  return kept;
}
