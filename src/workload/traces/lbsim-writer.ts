/**
 * Writing lbsim's compact workload format (lbsim-format.ts describes it), streaming:
 * text is buffered a megabyte at a time and written out, gzipped block by block when
 * the name ends in .gz (a file of concatenated gzip members, which gunzip reads as
 * one). The file appears under its name only once complete (written to a temporary
 * name, then renamed).
 *
 * `expand` turns a per-minute trace into an invocation trace: every arrival and
 * duration drawn as a run with that seed would draw them (the same named streams), so
 * replaying the expanded file gives the same arrivals and durations as replaying the
 * minutes with that seed.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import type { DistSpec } from "../../kernel/dist-spec.js";
import { sampler } from "../../kernel/distributions.js";
import { createStream } from "../../kernel/random.js";
import { InvocationStream, RowHeap } from "./invocation-stream.js";
import { MAGIC } from "./lbsim-format.js";
import { MinuteSource } from "./minute-source.js";
import type { LoadedTrace, MinuteTrace, TraceFunction } from "./trace.js";
import { MINUTE_US, windowStartUs } from "./trace.js";

const FLUSH_CHARS = 1 << 20;

export interface WriteOptions {
  /** Expand a per-minute trace into invocations drawn with this seed. */
  readonly expandSeed?: number;
}

export interface Written {
  readonly bytes: number;
  readonly kind: "minutes" | "invocations";
}

export function writeLbsim(trace: LoadedTrace, path: string, options: WriteOptions = {}): Written {
  const out = new Sink(path);
  try {
    const expand = options.expandSeed !== undefined && trace.kind === "minutes";
    const kind = trace.kind === "invocations" || expand ? "invocations" : "minutes";
    writeHeader(out, trace, kind);
    if (trace.kind === "minutes" && !expand) writeCounts(out, trace);
    else if (trace.kind === "minutes") writeExpanded(out, trace, options.expandSeed!);
    else writeInvocations(out, trace);
    out.line(`end ${trace.invocations}`);
    return { bytes: out.finish(), kind };
  } catch (error) {
    out.abandon();
    throw error;
  }
}

function writeHeader(out: Sink, trace: LoadedTrace, kind: string): void {
  out.line(`${MAGIC} 1 ${kind}`);
  out.line(
    "# lbsim compact workload (lbsim trace convert); see src/workload/traces/lbsim-format.ts",
  );
  out.line(`source ${trace.format} ${trace.files.join(" ")}`);
  out.line(`window ${trace.firstMinute} ${trace.lastMinute}`);
  out.line(`functions ${trace.functions.length}`);
  for (const f of trace.functions)
    out.line(`f ${f.name} ${f.memoryMb} ${f.invocations} ${f.key} ${durationTokens(f.duration)}`);
  out.line("data");
}

function durationTokens(d: DistSpec): string {
  if (d.dist === "empirical") return d.points.map(([p, us]) => `${p}:${us / 1000}`).join(" ");
  if (d.dist === "constant") return `mean:${d.value / 1000}`;
  throw new Error(`a trace function's duration is ${d.dist}: not representable`);
}

/** `c FN TOKENS`: counts of successive minutes, `+K` skipping K empty ones. */
function writeCounts(out: Sink, trace: MinuteTrace): void {
  trace.counts.forEach((c, fn) => {
    if (c.minutes.length === 0) return;
    const tokens: string[] = [`c ${fn}`];
    let next = 0;
    c.minutes.forEach((m, i) => {
      const gap = m - next;
      if (gap > 2) tokens.push(`+${gap}`);
      else for (let k = 0; k < gap; k++) tokens.push("0");
      tokens.push(String(c.counts[i]!));
      next = m + 1;
    });
    out.line(tokens.join(" "));
  });
}

/** Every invocation as a run with `seed` would draw it, merged in arrival order. */
function writeExpanded(out: Sink, trace: MinuteTrace, seed: number): void {
  const fns = trace.functions;
  const sources = fns.map(
    (f, i) => new MinuteSource(trace.counts[i]!, createStream(seed, `arrivals/${f.name}`)),
  );
  const durations = fns.map((f: TraceFunction) =>
    sampler(f.duration, createStream(seed, `durations/${f.name}`)),
  );
  const heap = new RowHeap();
  const push = (fn: number) => {
    const t = sources[fn]!.next();
    if (t < Number.POSITIVE_INFINITY) heap.push(Math.round(t), fn, fn, 0);
  };
  for (let fn = 0; fn < fns.length; fn++) push(fn);
  let last = 0;
  while (heap.size > 0) {
    const t = heap.topTime();
    const fn = heap.topFn();
    heap.pop();
    out.line(`${t - last} ${fn} ${Math.round(durations[fn]!())}`);
    last = t;
    push(fn);
  }
}

function writeInvocations(out: Sink, trace: Extract<LoadedTrace, { kind: "invocations" }>): void {
  const startUs = windowStartUs(trace);
  const window = {
    startUs,
    endUs: startUs + (trace.lastMinute - trace.firstMinute + 1) * MINUTE_US,
  };
  const stream = new InvocationStream(trace.rows(), trace.lagUs, window, 1, () => 0);
  let last = 0;
  try {
    while (stream.next()) {
      out.line(`${stream.arrivalUs - last} ${stream.fn} ${stream.durationUs}`);
      last = stream.arrivalUs;
    }
  } finally {
    stream.close();
  }
}

/** Text written a block at a time to a temporary file, renamed into place at the end. */
class Sink {
  private readonly fd: number;
  private readonly tmp: string;
  private readonly gzip: boolean;
  private parts: string[] = [];
  private chars = 0;
  private bytes = 0;

  constructor(private readonly path: string) {
    this.gzip = path.endsWith(".gz");
    this.tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
    this.fd = openSync(this.tmp, "w");
  }

  line(text: string): void {
    this.parts.push(text);
    this.chars += text.length + 1;
    if (this.chars >= FLUSH_CHARS) this.flush();
  }

  finish(): number {
    this.flush();
    closeSync(this.fd);
    renameSync(this.tmp, this.path);
    return this.bytes;
  }

  abandon(): void {
    try {
      closeSync(this.fd);
    } catch {}
    rmSync(this.tmp, { force: true });
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    const text = Buffer.from(`${this.parts.join("\n")}\n`);
    const data = this.gzip ? gzipSync(text) : text;
    for (let off = 0; off < data.length; ) off += writeSync(this.fd, data, off);
    this.bytes += data.length;
    this.parts = [];
    this.chars = 0;
  }
}
