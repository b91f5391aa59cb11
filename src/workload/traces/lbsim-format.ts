/**
 * lbsim's compact workload format (`lbsim trace convert` writes it, `format: lbsim`
 * replays it): UTF-8 text, one record per line, fields separated by one space, gzip
 * optional (when the name ends in .gz; read whatever the name). Layout:
 *
 *     lbsim-trace 1 minutes            magic, version, kind: minutes | invocations
 *     # ...                            comments (only here, before `data`)
 *     source azure2019 a.csv b.csv     what it was converted from (information only)
 *     window 480 959                   the minutes held, in the source's numbering
 *     functions 500
 *     f NAME MEMORY_MB INVOCATIONS KEY DURATION...     one line per function
 *     data
 *     ...                              the data of the kind (below)
 *     end 3037902                      the total number of invocations: a check
 *
 * DURATION is the execution time, either `P:MS` points of a piecewise-linear inverse
 * CDF (probability from 0 to 1, milliseconds), e.g. `0:1 0.01:247 ... 1:130686`, or
 * `mean:MS` (an invocation trace's mean, information only). KEY is the function's
 * identity in the source (owner/app/function hashes).
 *
 * Data of `minutes`: one line per function with invocations, `c FN TOKENS`: FN its
 * 0-based index in the function list, each token the count of the next minute (from
 * the window's first) or `+K` to skip K minutes without invocations; trailing empty
 * minutes are left out. The 500-function, 8-hour sample takes 40% of its three CSV
 * files (330 KB), 11% gzipped (92 KB).
 *
 * Data of `invocations`: one line per invocation in arrival order, `DT FN DURATION`:
 * whole µs since the previous arrival (the first since the window's start), the
 * function's index, the execution time in whole µs. Replayed as read: no reordering.
 */
import type { Hash } from "node:crypto";
import { readHeader } from "./lbsim-header.js";
import { scanInvocations } from "./lbsim-invocations.js";
import { readMinutes } from "./lbsim-minutes.js";
import type { FileRef } from "./lines.js";
import { LineReader } from "./lines.js";
import type { Selection } from "./select.js";
import type { LoadedTrace } from "./trace.js";

export { MAGIC } from "./lbsim-header.js";

export interface LbsimOptions {
  readonly minutes?: readonly [number, number];
  readonly selection: Selection;
  readonly hash: Hash;
}

/** Reads a file of either kind; a minutes file whole, an invocations file in a first pass. */
export function readLbsim(ref: FileRef, options: LbsimOptions): LoadedTrace {
  const lines = LineReader.open(ref, options.hash);
  try {
    const header = readHeader(lines);
    if (header.kind === "minutes") return readMinutes(lines, header, ref, options);
    return scanInvocations(lines, header, ref, options);
  } finally {
    lines.close();
  }
}
