/**
 * The file `run --trace` writes as the run goes: lines are gathered into chunks of about
 * 64 KB and written to a temporary file beside the target, which is renamed over it once
 * the trace is whole (at the end, or at the truncated end after Ctrl-C). On an error the
 * temporary file is removed: there is never half a trace at the target (SPEC 4).
 */
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { LineSink } from "../metrics/attempt-trace.js";

const CHUNK_CHARS = 1 << 16;

export class TraceFile implements LineSink {
  private readonly tmp: string;
  private fd: number;
  private chunk: string[] = [];
  private chars = 0;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
    this.fd = openSync(this.tmp, "w");
  }

  write(text: string): void {
    this.chunk.push(text);
    this.chars += text.length;
    if (this.chars >= CHUNK_CHARS) this.flush();
  }

  private flush(): void {
    if (this.chunk.length === 0) return;
    writeSync(this.fd, this.chunk.join(""));
    this.chunk = [];
    this.chars = 0;
  }

  /** The trace is whole: it replaces the target. */
  commit(): void {
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
    renameSync(this.tmp, this.path);
  }

  /** The run failed: the partial trace is removed and the target left as it was. */
  abort(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    rmSync(this.tmp, { force: true });
  }
}
