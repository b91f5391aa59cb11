/**
 * The head of an lbsim trace file (lbsim-format.ts describes the format), and the
 * checked field readers the two kinds of data share.
 */
import type { DistSpec } from "../../kernel/dist-spec.js";
import { showField, TraceError } from "./errors.js";
import type { LineReader } from "./lines.js";
import type { TraceFunction } from "./trace.js";

export const MAGIC = "lbsim-trace";
const VERSION = "1";

export interface Header {
  readonly kind: "minutes" | "invocations";
  readonly source: string;
  readonly firstMinute: number;
  readonly lastMinute: number;
  readonly functions: TraceFunction[];
}

export function readHeader(lines: LineReader): Header {
  const first = lines.next();
  if (first === null)
    throw new TraceError(
      { file: lines.file, line: 1 },
      "the file is empty (expected `lbsim-trace 1 KIND`)",
    );
  const [magic, version, kind] = first.split(" ");
  if (magic !== MAGIC)
    throw lines.error(
      `expected \`${MAGIC} ${VERSION} minutes|invocations\`, got ${showField(first)}`,
      1,
    );
  if (version !== VERSION)
    throw lines.error(`version ${version} is not known (this lbsim reads ${VERSION})`, 2);
  if (kind !== "minutes" && kind !== "invocations")
    throw lines.error(`expected the kind minutes or invocations, got ${showField(kind ?? "")}`, 3);
  let source = "";
  let window: [number, number] | null = null;
  let count = -1;
  const functions: TraceFunction[] = [];
  for (let line = lines.next(); ; line = lines.next()) {
    if (line === null) throw lines.error("the file ends before its `data` line");
    if (line === "" || line.startsWith("#")) continue;
    const fields = line.split(" ");
    const tag = fields[0];
    if (tag === "data") break;
    if (tag === "source") source = fields.slice(1).join(" ");
    else if (tag === "window") window = [int(lines, fields, 1, true), int(lines, fields, 2, true)];
    else if (tag === "functions") count = int(lines, fields, 1);
    else if (tag === "f") functions.push(functionLine(lines, fields));
    else
      throw lines.error(
        `expected source, window, functions, f or data, got ${showField(tag ?? "")}`,
        1,
      );
  }
  if (window === null) throw lines.error("the header has no `window` line");
  if (window[1] < window[0])
    throw lines.error(`the window ends (${window[1]}) before it starts (${window[0]})`);
  if (count !== functions.length)
    throw lines.error(`the header announces ${count} functions and lists ${functions.length}`);
  return { kind, source, firstMinute: window[0], lastMinute: window[1], functions };
}

function functionLine(lines: LineReader, fields: readonly string[]): TraceFunction {
  if (fields.length < 6)
    throw lines.error(
      `expected \`f NAME MEMORY_MB INVOCATIONS KEY DURATION...\`, got ${fields.length} fields`,
      fields.length + 1,
    );
  const memoryMb = num(lines, fields, 2);
  if (memoryMb <= 0)
    throw lines.error(`expected a positive memory size, got ${showField(fields[2]!)}`, 3);
  return {
    name: fields[1]!,
    memoryMb,
    invocations: int(lines, fields, 3),
    key: fields[4]!,
    duration: durationOf(lines, fields.slice(5)),
  };
}

function durationOf(lines: LineReader, tokens: readonly string[]): DistSpec {
  if (tokens.length === 1 && tokens[0]!.startsWith("mean:")) {
    const ms = Number(tokens[0]!.slice(5));
    if (!(ms >= 0)) throw lines.error(`expected mean:MS, got ${showField(tokens[0]!)}`, 6);
    return { dist: "constant", value: ms * 1000 };
  }
  const points = tokens.map((t, i) => {
    const [p, ms] = t.split(":").map(Number);
    if (!(p !== undefined && ms !== undefined && p >= 0 && p <= 1 && ms >= 0))
      throw lines.error(`expected a point P:MS, got ${showField(t)}`, 6 + i);
    return [p, ms * 1000] as const;
  });
  const ok =
    points.length >= 2 &&
    points[0]![0] === 0 &&
    points[points.length - 1]![0] === 1 &&
    points.every((pt, i) => i === 0 || (pt[0] > points[i - 1]![0] && pt[1] >= points[i - 1]![1]));
  if (!ok)
    throw lines.error("expected duration points from probability 0 to 1, both increasing", 6);
  return { dist: "empirical", points };
}

export function int(
  lines: LineReader,
  fields: readonly string[],
  i: number,
  signed = false,
): number {
  const text = fields[i] ?? "";
  if (!(signed ? /^-?\d+$/ : /^\d+$/).test(text))
    throw lines.error(
      `expected ${signed ? "an integer" : "a non-negative integer"}, got ${showField(text)}`,
      i + 1,
    );
  return Number(text);
}

export function num(lines: LineReader, fields: readonly string[], i: number): number {
  const text = fields[i] ?? "";
  const value = text === "" ? Number.NaN : Number(text);
  if (!Number.isFinite(value))
    throw lines.error(`expected a number, got ${showField(text)}`, i + 1);
  return value;
}

/** The window asked for, which must lie inside the file's. */
export function subWindow(
  lines: LineReader,
  header: Header,
  minutes?: readonly [number, number],
): [number, number] {
  if (!minutes) return [header.firstMinute, header.lastMinute];
  if (minutes[0] < header.firstMinute || minutes[1] > header.lastMinute)
    throw lines.error(
      `minutes ${minutes[0]}..${minutes[1]} are not all in the file (it holds ${header.firstMinute}..${header.lastMinute})`,
    );
  return [minutes[0], minutes[1]];
}

/** Reads data lines up to `end N`, checking N against the sum of what `each` returns. */
export function countsUntilEnd(lines: LineReader, each: (fields: string[]) => number): number {
  let total = 0;
  for (let line = lines.next(); ; line = lines.next()) {
    if (line === null) throw lines.error("the file ends without its `end` line (cut short?)");
    if (line.startsWith("end")) {
      const declared = int(lines, line.split(" "), 1);
      if (declared !== total)
        throw lines.error(`the data holds ${total} invocations, the end line says ${declared}`, 2);
      if (lines.next() !== null) throw lines.error("nothing may follow the `end` line");
      return total;
    }
    total += each(line.split(" "));
  }
}
