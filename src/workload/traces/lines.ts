/**
 * Lines of a trace file, one at a time, with their numbers: the bytes are decoded a
 * block at a time (UTF-8, a character split between blocks kept whole), so only one
 * block and the line being cut out of it are in memory. Line ends may be \n or \r\n.
 */
import type { Hash } from "node:crypto";
import { StringDecoder } from "node:string_decoder";
import { type ByteSource, openBytes } from "./bytes.js";
import { TraceError } from "./errors.js";

/** A file to read: where it is, what to call it in messages, and optionally its bytes made on demand (a generated trace). */
export interface FileRef {
  readonly path: string;
  readonly file: string;
  readonly bytes?: () => ByteSource;
}

export class LineReader {
  /** The number of the line last returned (1-based; 0 before the first). */
  lineNo = 0;
  private readonly decoder = new StringDecoder("utf8");
  private text = "";
  private pos = 0;
  private ended = false;

  constructor(
    /** The file's name in messages. */
    readonly file: string,
    private readonly bytes: ByteSource,
    /** Fed every byte read (decompressed), to fingerprint the data. */
    private readonly hash?: Hash,
  ) {}

  /** Opens a file (its `path` is absolute). */
  static open(ref: FileRef, hash?: Hash): LineReader {
    try {
      return new LineReader(ref.file, ref.bytes ? ref.bytes() : openBytes(ref.path), hash);
    } catch (error) {
      throw new TraceError({ file: ref.file }, openProblem(error));
    }
  }

  /** The next line without its end, or null after the last. */
  next(): string | null {
    for (;;) {
      const end = this.text.indexOf("\n", this.pos);
      if (end >= 0) {
        const stop = end > this.pos && this.text.charCodeAt(end - 1) === 13 ? end - 1 : end;
        const line = this.text.slice(this.pos, stop);
        this.pos = end + 1;
        this.lineNo++;
        return line;
      }
      if (this.ended) return this.lastLine();
      this.refill();
    }
  }

  /** A problem at the current line. */
  error(problem: string, column?: number, columnName?: string): TraceError {
    return new TraceError({ file: this.file, line: this.lineNo, column, columnName }, problem);
  }

  close(): void {
    this.ended = true;
    this.text = "";
    this.pos = 0;
    this.bytes.close();
  }

  private refill(): void {
    let block: Uint8Array | null;
    try {
      block = this.bytes.read();
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new TraceError({ file: this.file, line: this.lineNo + 1 }, why);
    }
    const rest = this.text.slice(this.pos);
    this.pos = 0;
    if (block === null) {
      this.ended = true;
      this.text = rest + this.decoder.end();
    } else {
      this.hash?.update(block);
      this.text = rest + this.decoder.write(block as Buffer);
    }
  }

  /** What follows the last line end: a last line without one, or nothing. */
  private lastLine(): string | null {
    if (this.pos >= this.text.length) {
      this.text = "";
      return null;
    }
    let line = this.text.slice(this.pos);
    if (line.endsWith("\r")) line = line.slice(0, -1);
    this.pos = this.text.length;
    this.lineNo++;
    return line;
  }
}

function openProblem(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === "ENOENT") return "file not found";
  if (code === "EISDIR") return "is a directory";
  return `cannot be read (${error instanceof Error ? error.message : String(error)})`;
}
