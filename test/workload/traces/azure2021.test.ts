/**
 * The Azure 2021 invocation trace is replayed exactly: each invocation arrives at
 * end − duration and runs its own duration, in arrival order although the file is in
 * end order; gzip reads the same; the run sees exactly those arrivals and executions.
 */
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../../src/experiment/run.js";
import { Streams } from "../../../src/kernel/random.js";
import type { Sandbox } from "../../../src/model/sandbox.js";
import { World } from "../../../src/model/world.js";
import { loadScenarioText } from "../../../src/scenario/load.js";
import { InvocationStream } from "../../../src/workload/traces/invocation-stream.js";
import type { FileRef } from "../../../src/workload/traces/lines.js";
import { readTrace } from "../../../src/workload/traces/load.js";
import {
  type InvocationTrace,
  MINUTE_US,
  windowStartUs,
} from "../../../src/workload/traces/trace.js";
import { Log, simulate } from "../../model/recording.js";
import { file, tmp } from "./helpers.js";

const dir = tmp();
const TRACE = [
  "app,func,end_timestamp,duration",
  "a1,f1,10.5,0.5",
  "a1,f2,10.6,2.0",
  "a2,f1,11.0,0.001",
  "a1,f1,12.0,5.0",
  "a1,f1,70.25,1.25",
  "a1,f2,130.0,0.5",
].join("\n");
const plain = file(dir, "trace.csv", TRACE);
const gz = file(dir, "trace.csv.gz", gzipSync(Buffer.from(TRACE)));

const read = (ref: FileRef, minutes?: [number, number]) =>
  readTrace({
    format: "azure2021",
    invocations: ref,
    minutes,
    selection: { kind: "all" },
    memoryMb: 256,
  }) as InvocationTrace;

/** [arrival µs from time 0, function name, duration µs] in replay order. */
function replay(trace: InvocationTrace): [number, string, number][] {
  const startUs = windowStartUs(trace);
  const endUs = startUs + (trace.lastMinute - trace.firstMinute + 1) * MINUTE_US;
  const stream = new InvocationStream(trace.rows(), trace.lagUs, { startUs, endUs }, 1, () => 0);
  const out: [number, string, number][] = [];
  while (stream.next())
    out.push([stream.arrivalUs, trace.functions[stream.fn]!.name, stream.durationUs]);
  return out;
}

describe("the Azure 2021 reader", () => {
  it("finds the functions (app, func), the window and how far the file runs out of arrival order", () => {
    const trace = read(plain);
    expect(trace.functions.map((f) => [f.key, f.name, f.invocations, f.memoryMb])).toEqual([
      ["a1/f1", "f1#1", 3, 256],
      ["a1/f2", "f2", 2, 256],
      ["a2/f1", "f1#2", 1, 256],
    ]);
    expect([trace.firstMinute, trace.lastMinute]).toEqual([1, 3]);
    expect(trace.invocations).toBe(6);
    expect(trace.lagUs).toBe(3_999_000); // 7.0 s read after 10.999 s
    expect([...trace.perMinute]).toEqual([4, 1, 1]);
    expect(trace.functions[0]!.duration).toEqual({
      dist: "constant",
      value: (500_000 + 5_000_000 + 1_250_000) / 3,
    });
  });

  it("replays every invocation at end − duration with its own duration, in arrival order", () => {
    const expected = [
      [7_000_000, "f1#1", 5_000_000],
      [8_600_000, "f2", 2_000_000],
      [10_000_000, "f1#1", 500_000],
      [10_999_000, "f1#2", 1_000],
      [69_000_000, "f1#1", 1_250_000],
      [129_500_000, "f2", 500_000],
    ];
    expect(replay(read(plain))).toEqual(expected);
    expect(replay(read(gz))).toEqual(expected);
    expect(read(gz).digest).toBe(read(plain).digest);
  });

  it("a window of minutes starts at time 0", () => {
    const trace = read(plain, [2, 3]);
    expect(trace.functions.map((f) => f.key)).toEqual(["a1/f1", "a1/f2"]);
    expect(trace.leftOut).toEqual([
      { reason: "no invocations in the window", functions: 1, invocations: 0 },
    ]);
    expect(replay(trace)).toEqual([
      [9_000_000, "f1", 1_250_000],
      [69_500_000, "f2", 500_000],
    ]);
  });
});

/** Log that also keeps how long each execution ran. */
class ExecLog extends Log {
  executed: number[] = [];
  override ended(
    req: number,
    sb: Sandbox,
    executedUs: number,
    wasted: boolean,
    nowUs: number,
  ): void {
    super.ended(req, sb, executedUs, wasted, nowUs);
    this.executed.push(executedUs);
  }
}

describe("a run replaying an Azure 2021 trace", () => {
  it("sees exactly the trace's arrivals and execution times", () => {
    const scenario = loadScenarioText(
      `name: t\nduration: 3min\ncluster: { contention: false }\nworkload:\n  trace: { format: azure2021, invocations: trace.csv.gz }\n`,
      `${dir}/s.yaml`,
    );
    expect(scenario.functions.map((f) => f.arrivals)).toEqual([
      { process: "trace", index: 0 },
      { process: "trace", index: 1 },
      { process: "trace", index: 2 },
    ]);
    const { log } = simulate(scenario);
    expect(log.arrivals).toEqual([
      7_000_000, 8_600_000, 10_000_000, 10_999_000, 69_000_000, 129_500_000,
    ]);
    const exec = new ExecLog();
    const world = new World(scenario, new Streams(scenario.seed), exec);
    world.start();
    world.sim.run(3600e6);
    expect(exec.arrivals).toEqual(log.arrivals);
    expect([...exec.executed].sort((a, b) => a - b)).toEqual([
      1_000, 500_000, 500_000, 1_250_000, 2_000_000, 5_000_000,
    ]);
    expect(runScenario(scenario).summary.requests.arrived).toBe(6);
  });

  it("workload.scale replays each invocation floor(scale) times, one more with the fraction's probability", () => {
    const at = (scale: number) =>
      runScenario(
        loadScenarioText(
          `name: t\nduration: 3min\nworkload:\n  scale: ${scale}\n  trace: { format: azure2021, invocations: trace.csv }\n`,
          `${dir}/s.yaml`,
        ),
      ).summary.requests.arrived;
    expect(at(1)).toBe(6);
    expect(at(3)).toBe(18);
    expect(at(2.5)).toBeGreaterThanOrEqual(12);
    expect(at(2.5)).toBeLessThanOrEqual(18);
  });
});
