/**
 * The scenario's side of trace replay: finding the files (relative to the scenario
 * file that names them), loading the trace, turning its functions into resolved
 * functions, and keeping the loaded data with the resolved scenario.
 *
 * The data rides on `workload.trace` as a non-enumerable property: JSON (printing,
 * hashing, results) sees only the plain description, and a World built from the
 * scenario finds the data without reading the files again.
 */
import { dirname, isAbsolute, join, normalize, resolve } from "node:path";
import type { FileRef } from "../workload/traces/azure2019.js";
import { loadTrace, type TraceRequest } from "../workload/traces/load.js";
import type { Selection } from "../workload/traces/select.js";
import type { LoadedTrace } from "../workload/traces/trace.js";
import { windowMinutes } from "../workload/traces/trace.js";
import type { RawProblem } from "./issues.js";
import { MB_PER_VCPU } from "./population.js";
import type { TraceOutput } from "./schema-trace.js";
import type { ResolvedFunction, ResolvedScenario, ResolvedTrace } from "./types.js";

const SECONDS_PER_MINUTE = 60;
const DATA = Symbol("lbsim.trace.data");

/** For each file field, the scenario file (as displayed) that holds it. */
export type FieldFile = (field: "invocations" | "durations" | "memory") => string;

/** Loads the trace a scenario names; throws TraceError if a file is missing or bad. */
export function loadScenarioTrace(t: TraceOutput, seed: number, fileOf: FieldFile): LoadedTrace {
  const ref = (field: "invocations" | "durations" | "memory"): FileRef | undefined => {
    const value = t[field];
    if (value === undefined) return undefined;
    return fileRef(value, fileOf(field));
  };
  const request: TraceRequest = {
    format: t.format,
    invocations: ref("invocations")!,
    durations: ref("durations"),
    memory: ref("memory"),
    minutes: t.minutes,
    selection: selectionOf(t, seed),
    memoryMb: t.memoryMb,
  };
  return loadTrace(request);
}

/** `value` as written in `scenarioFile`: the path to open and the name to show. */
export function fileRef(value: string, scenarioFile: string): FileRef {
  if (isAbsolute(value)) return { path: value, file: value };
  const dir = dirname(scenarioFile);
  return { path: resolve(dir, value), file: normalize(join(dir, value)) };
}

function selectionOf(t: TraceOutput, seed: number): Selection {
  if (t.topFunctions !== undefined) return { kind: "top", count: t.topFunctions };
  if (t.sampleFunctions !== undefined) return { kind: "sample", count: t.sampleFunctions, seed };
  return { kind: "all" };
}

/** The replayed functions, after the explicit ones and the population. */
export function traceFunctions(
  t: TraceOutput,
  trace: LoadedTrace,
  scale: number,
): ResolvedFunction[] {
  const seconds = windowMinutes(trace) * SECONDS_PER_MINUTE;
  return trace.functions.map((f, index) => ({
    name: f.name,
    memoryMb: f.memoryMb,
    codeMb: f.memoryMb / 4,
    cpu: f.memoryMb / MB_PER_VCPU,
    duration: f.duration,
    coldStartCached: t.coldStart.cached,
    coldStartUncached: t.coldStart.uncached,
    arrivals:
      t.arrivals === "poisson"
        ? { process: "poisson", rate: (f.invocations / seconds) * scale }
        : { process: "trace", index },
    maxSandboxes: t.maxSandboxes,
    minSandboxes: 0,
    slots: t.slots,
    queue: t.queue,
  }));
}

/** The plain description of the replay, carrying the data out of JSON's sight. */
export function resolvedTrace(t: TraceOutput, trace: LoadedTrace): ResolvedTrace {
  const files = [t.invocations, t.durations, t.memory].filter((f) => f !== undefined);
  const selection =
    t.topFunctions !== undefined
      ? `top ${t.topFunctions}`
      : t.sampleFunctions !== undefined
        ? `sample ${t.sampleFunctions}`
        : "all";
  const info: ResolvedTrace = {
    format: t.format,
    files,
    digest: trace.digest,
    minutes: [trace.firstMinute, trace.lastMinute],
    selection,
    arrivals: t.arrivals,
    functions: trace.functions.length,
    invocations: trace.invocations,
  };
  Object.defineProperty(info, DATA, { value: trace, enumerable: false });
  return info;
}

/** The loaded trace of a resolved scenario. */
export function traceData(scenario: ResolvedScenario): LoadedTrace {
  const info = scenario.workload.trace;
  const data = info && (info as unknown as Record<symbol, LoadedTrace | undefined>)[DATA];
  if (!data)
    throw new Error(
      "the scenario replays a trace whose data is not loaded (resolve it with loadScenario)",
    );
  return data;
}

/**
 * Problems only known once the trace is read: nothing to replay, names taken twice,
 * functions fitting no host. `traced` is the number of functions the trace added
 * (undefined without a trace).
 */
export function traceProblems(r: ResolvedScenario, traced: number | undefined): RawProblem[] {
  if (traced === undefined) return [];
  const problems: RawProblem[] = [];
  const info = r.workload.trace;
  if (traced === 0 && info !== undefined)
    problems.push({
      path: ["workload", "trace"],
      message: `the trace has no invocation to replay in minutes ${info.minutes[0]}..${info.minutes[1]}`,
    });
  const first = r.functions.length - traced;
  const names = new Set(r.functions.slice(0, first).map((f) => f.name));
  const hostMb = r.cluster.host.memoryMb;
  let tooBig = 0;
  let example = "";
  for (const f of r.functions.slice(first)) {
    if (names.has(f.name))
      problems.push({
        path: ["workload", "trace"],
        message: `the trace's function ${f.name} has the name of another function`,
      });
    if (f.memoryMb > hostMb) {
      tooBig++;
      example ||= `${f.name} needs ${f.memoryMb} MB`;
    }
  }
  if (tooBig > 0)
    problems.push({
      path: ["workload", "trace"],
      message: `${tooBig} function(s) of the trace fit on no host (${example}, a host has ${hostMb} MB: cluster.host.memoryMb)`,
    });
  return problems;
}
