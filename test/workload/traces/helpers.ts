/** Shared by the trace tests: the bundled samples, small files written on the fly, an oracle. */

import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packageRoot } from "../../../src/package-info.js";
import type { FileRef } from "../../../src/workload/traces/lines.js";
import { readTrace, type TraceRequest } from "../../../src/workload/traces/load.js";
import type { LoadedTrace } from "../../../src/workload/traces/trace.js";

export const TRACES = join(packageRoot(), "scenarios", "traces");

export function sample(name: "azure2019-10fn-day" | "azure2019-500fn-8h") {
  const ref = (f: string): FileRef => ({ path: join(TRACES, name, f), file: `${name}/${f}` });
  return {
    invocations: ref("invocations.csv"),
    durations: ref("durations.csv"),
    memory: ref("memory.csv"),
  };
}

export function read2019(
  files: { invocations: FileRef; durations: FileRef; memory?: FileRef },
  options: Partial<TraceRequest> = {},
): LoadedTrace {
  return readTrace({
    format: "azure2019",
    selection: { kind: "all" },
    memoryMb: 128,
    ...files,
    ...options,
  });
}

export const tmp = (): string => mkdtempSync(join(tmpdir(), "lbsim-traces-"));

/** Writes `text` to `dir/name` and returns its ref. */
export function file(dir: string, name: string, text: string | Buffer): FileRef {
  const path = join(dir, name);
  writeFileSync(path, text);
  return { path, file: name };
}

/**
 * An independent reading of a 2019 invocations file: per function key, its counts by
 * minute number (a plain split, no code shared with the reader).
 */
export function oracleCounts(path: string): Map<string, Map<number, number>> {
  const [header, ...rows] = readFileSync(path, "utf8").trim().split("\n");
  const names = header!.split(",");
  const out = new Map<string, Map<number, number>>();
  for (const row of rows) {
    const fields = row.split(",");
    const at = (n: string) => fields[names.indexOf(n)]!;
    const key = `${at("HashOwner")}/${at("HashApp")}/${at("HashFunction")}`;
    const byMinute = new Map<number, number>();
    names.forEach((n, i) => {
      if (/^\d+$/.test(n)) byMinute.set(Number(n), Number(fields[i]));
    });
    out.set(key, byMinute);
  }
  return out;
}

/** A small 2019 triple: functions f0..f(n-1) of app a0 (owner o), minutes `first`.. with given counts. */
export function small2019(counts: number[][], first = 1, memoryPerFunction = true) {
  const n = counts.length;
  const minutes = counts[0]!.map((_, i) => first + i);
  const inv = [
    ["HashOwner", "HashApp", "HashFunction", "Trigger", ...minutes.map(String)].join(","),
    ...counts.map((c, i) => ["o", "a0", `f${i}`, "http", ...c].join(",")),
  ].join("\n");
  const dur = [
    "HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum,percentile_Average_0,percentile_Average_1,percentile_Average_25,percentile_Average_50,percentile_Average_75,percentile_Average_99,percentile_Average_100",
    ...Array.from({ length: n }, (_, i) => `o,a0,f${i},100,10,1,1000,1,2,50,100,150,900,1000`),
  ].join("\n");
  const mem = memoryPerFunction
    ? [
        "HashOwner,HashApp,HashFunction,SampleCount,AverageAllocatedMb",
        ...Array.from({ length: n }, (_, i) => `o,a0,f${i},10,${100 + i}`),
      ].join("\n")
    : ["HashOwner,HashApp,SampleCount,AverageAllocatedMb", "o,a0,10,300"].join("\n");
  return { inv, dur, mem };
}

export function sha(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
