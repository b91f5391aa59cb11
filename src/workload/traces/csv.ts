/**
 * Comma-separated trace files with a header line: columns are found by name (in any
 * order), every row must have as many fields as the header, and a field that should be
 * a number and is not is reported with its line and column. Blank lines are skipped.
 * Fields may be double-quoted (a quote inside doubled); the Azure files never are, so
 * the quick split is tried first.
 */
import { showField, TraceError } from "./errors.js";
import type { LineReader } from "./lines.js";

export class CsvFile {
  readonly header: readonly string[];
  /** The line the header is on. */
  readonly headerLine: number;
  private readonly index = new Map<string, number>();

  constructor(readonly lines: LineReader) {
    let first = lines.next();
    while (first !== null && first.trim() === "") first = lines.next();
    if (first === null)
      throw new TraceError(
        { file: lines.file, line: 1 },
        "the file is empty (expected a header line)",
      );
    this.headerLine = lines.lineNo;
    this.header = splitCsv(first.charCodeAt(0) === 0xfeff ? first.slice(1) : first).map((h) =>
      h.trim(),
    );
    this.header.forEach((name, i) => {
      if (!this.index.has(name)) this.index.set(name, i);
    });
  }

  get file(): string {
    return this.lines.file;
  }

  /** The 0-based index of column `name`; a missing column is an error at the header line. */
  column(name: string): number {
    const i = this.index.get(name);
    if (i !== undefined) return i;
    throw this.headerError(
      `no column ${JSON.stringify(name)} (the header has: ${this.shownHeader()})`,
    );
  }

  /** A problem of the header (a column missing). */
  headerError(problem: string): TraceError {
    return new TraceError({ file: this.file, line: this.headerLine }, problem);
  }

  private shownHeader(): string {
    const h = this.header;
    return h.length > 8 ? `${h.slice(0, 7).join(", ")}, ... (${h.length} columns)` : h.join(", ");
  }

  /** The index of column `name`, or -1. */
  optionalColumn(name: string): number {
    return this.index.get(name) ?? -1;
  }

  /** The next row's fields, or null at the end. A row of the wrong width is an error. */
  row(): string[] | null {
    for (;;) {
      const line = this.lines.next();
      if (line === null) return null;
      if (line === "" || line.trim() === "") continue;
      const fields = splitCsv(line);
      if (fields.length !== this.header.length) {
        throw this.lines.error(
          `expected ${this.header.length} fields (as in the header), got ${fields.length}`,
          fields.length < this.header.length ? fields.length + 1 : this.header.length + 1,
        );
      }
      return fields;
    }
  }

  /** Field `col` of `fields` as a count: a non-negative integer. */
  count(fields: readonly string[], col: number): number {
    const text = fields[col] ?? "";
    const value = parseCount(text);
    if (value < 0) throw this.fieldError(col, "expected a count (a non-negative integer)", text);
    return value;
  }

  /** Field `col` as a finite number (>= 0 unless `signed`). */
  number(fields: readonly string[], col: number, what: string, signed = false): number {
    const text = (fields[col] ?? "").trim();
    const value = text === "" ? Number.NaN : Number(text);
    if (!Number.isFinite(value) || (!signed && value < 0))
      throw this.fieldError(col, `expected ${what}`, text);
    return value;
  }

  fieldError(col: number, expected: string, got: string) {
    return this.lines.error(`${expected}, got ${showField(got)}`, col + 1, this.header[col]);
  }
}

/** A non-negative integer written in decimal (an integral "12.0" too); -1 if it is not one. */
export function parseCount(text: string): number {
  const n = text.length;
  if (n === 0 || n > 15) return n > 15 && /^\d+$/.test(text) ? Number(text) : -1;
  let value = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) {
      if (c === -2 && i > 0 && /^\.0*$/.test(text.slice(i))) return value;
      return -1;
    }
    value = value * 10 + c;
  }
  return value;
}

/** Fields of one CSV line. */
export function splitCsv(line: string): string[] {
  if (line.indexOf('"') < 0) return line.split(",");
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      fields.push(field);
      field = "";
    } else field += c;
  }
  fields.push(field);
  return fields;
}
