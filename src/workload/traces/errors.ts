/**
 * What is wrong with a trace file, and where: the file, the line and, when one field is
 * at fault, its column (1-based number and header name). The command line shows the
 * message alone and exits 2; the scenario loader reports it as a problem of the
 * scenario, before anything runs.
 */

export interface TraceLocation {
  /** The file as the user named it (relative to the scenario, or as given). */
  readonly file: string;
  /** 1-based line; absent for problems of the whole file (it cannot be opened). */
  readonly line?: number;
  /** 1-based column number of the field at fault. */
  readonly column?: number;
  /** The header name of that column, when the file has a header. */
  readonly columnName?: string;
}

export class TraceError extends Error {
  override readonly name = "TraceError";

  constructor(
    readonly where: TraceLocation,
    readonly problem: string,
  ) {
    super(formatTraceProblem(where, problem));
  }
}

/** `invocations.csv: line 7, column 12 (485): expected a count, got "x"`. */
export function formatTraceProblem(where: TraceLocation, problem: string): string {
  return `${where.file}: ${placedProblem(where, problem)}`;
}

/** The message without the file: `line 7, column 12 (485): expected ...`. */
export function placedProblem(where: TraceLocation, problem: string): string {
  const parts: string[] = [];
  if (where.line !== undefined) parts.push(`line ${where.line}`);
  if (where.column !== undefined) {
    const name = where.columnName === undefined ? "" : ` (${where.columnName})`;
    parts.push(`column ${where.column}${name}`);
  }
  const place = parts.length > 0 ? `${parts.join(", ")}: ` : "";
  return `${place}${problem}`;
}

/** A short rendering of a field for "got ...". */
export function showField(text: string): string {
  if (text === "") return "an empty field";
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 37)}...` : text);
}
