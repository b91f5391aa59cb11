/**
 * Loading a trace by format, with a small cache: a scenario is resolved once per
 * variant and sweep point, and each would otherwise read the same files again. The
 * cache key holds the files' paths, sizes and modification times and every option,
 * so an edited file is read afresh.
 */
import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import { type FileRef, readAzure2019 } from "./azure2019.js";
import { readAzure2021 } from "./azure2021.js";
import { TraceError } from "./errors.js";
import { readLbsim } from "./lbsim-format.js";
import type { Selection } from "./select.js";
import type { LoadedTrace, TraceFormat } from "./trace.js";

export interface TraceRequest {
  readonly format: TraceFormat;
  readonly invocations: FileRef;
  /** azure2019 only (required there). */
  readonly durations?: FileRef;
  /** azure2019 only. */
  readonly memory?: FileRef;
  readonly minutes?: readonly [number, number];
  readonly selection: Selection;
  /** Memory of functions the trace gives none (all of azure2021). */
  readonly memoryMb: number;
}

const CACHE_SIZE = 4;
const cache = new Map<string, LoadedTrace>();

export function loadTrace(request: TraceRequest): LoadedTrace {
  const key = cacheKey(request);
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const trace = readTrace(request);
  cache.set(key, trace);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return trace;
}

/** Reads the trace (no cache). */
export function readTrace(request: TraceRequest): LoadedTrace {
  const hash = createHash("sha256");
  const { format, minutes, selection } = request;
  let trace: LoadedTrace;
  if (format === "azure2019") {
    if (!request.durations)
      throw new TraceError({ file: request.invocations.file }, "azure2019 needs a durations file");
    trace = readAzure2019(
      { invocations: request.invocations, durations: request.durations, memory: request.memory },
      { minutes, selection, defaultMemoryMb: request.memoryMb, hash },
    );
  } else if (format === "azure2021") {
    trace = readAzure2021(request.invocations, {
      minutes,
      selection,
      memoryMb: request.memoryMb,
      hash,
    });
  } else {
    trace = readLbsim(request.invocations, { minutes, selection, hash });
  }
  return { ...trace, digest: hash.digest("hex").slice(0, 16) };
}

function cacheKey(request: TraceRequest): string {
  const files = [request.invocations, request.durations, request.memory].map((ref) => {
    if (!ref) return null;
    try {
      const st = statSync(ref.path);
      return [ref.path, ref.file, st.size, st.mtimeMs];
    } catch {
      return [ref.path, ref.file];
    }
  });
  return JSON.stringify([
    request.format,
    files,
    request.minutes,
    request.selection,
    request.memoryMb,
  ]);
}
