/**
 * Runs one scenario in this process and prints one JSON line of figures: simulated
 * requests/s and events/s, the set-up time of the world before the first event, the
 * cost of an event, the heap held once the world is built, and the peak memory of the
 * process. Kept apart from run.ts so that every measurement starts in a fresh process.
 *
 * Usage: node [--expose-gc] dist/test/bench/measure.js <bundled name | path.yaml> [--set k=v ...]
 * With --expose-gc the heap after set-up is measured after a full collection (else 0).
 */
import { basename, join } from "node:path";
import { Run } from "../../src/experiment/run.js";
import { packageRoot } from "../../src/package-info.js";
import { loadScenario } from "../../src/scenario/load.js";

export interface Measurement {
  name: string;
  requests: number;
  events: number;
  /** Everything: loading the scenario, building the world, the run and its summary. */
  wallSeconds: number;
  /** Loading (and expanding) the scenario and building the world, before the first event. */
  setupSeconds: number;
  /** The events alone. */
  runSeconds: number;
  /** CPU time of the process for the events alone (steadier than wall time on a shared machine). */
  runCpuSeconds: number;
  /** CPU time of the events after the warmup: the steady state, without the first cold starts. */
  measuredCpuSeconds: number;
  requestsPerSecond: number;
  eventsPerSecond: number;
  /** runCpuSeconds per event, in nanoseconds. */
  nsPerEvent: number;
  /** runCpuSeconds per request, in nanoseconds. */
  nsPerRequest: number;
  /** Heap and array buffers in use once the world is built (after a full GC), in MB. */
  setupHeapMb: number;
  peakRssMb: number;
}

const [name = "quickstart", ...rest] = process.argv.slice(2);
const sets = rest.filter((_, i) => rest[i - 1] === "--set");
const file = name.endsWith(".yaml") ? name : join(packageRoot(), "scenarios", `${name}.yaml`);
const gc = (globalThis as { gc?: () => void }).gc;
const started = performance.now();
const scenario = loadScenario(file, { sets });
const run = new Run(scenario);
const built = performance.now();
let setupHeapMb = 0;
if (gc) {
  gc();
  const m = process.memoryUsage();
  setupHeapMb = (m.heapUsed + m.arrayBuffers) / 2 ** 20;
}
const cpuSeconds = (since?: NodeJS.CpuUsage): number => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
};
const runStarted = performance.now();
const runCpu = process.cpuUsage();
run.advance(scenario.warmupUs);
const measuredCpu = process.cpuUsage();
run.runToEnd();
const runSeconds = (performance.now() - runStarted) / 1000;
const runCpuSeconds = cpuSeconds(runCpu);
const measuredCpuSeconds = cpuSeconds(measuredCpu);
const { summary } = run.finish();
const wallSeconds = (performance.now() - started - (runStarted - built)) / 1000;
const requests = summary.requests.arrived;
const result: Measurement = {
  name: [basename(name, ".yaml"), ...sets].join(" "),
  requests,
  events: run.events,
  wallSeconds,
  setupSeconds: (built - started) / 1000,
  runSeconds,
  runCpuSeconds,
  measuredCpuSeconds,
  requestsPerSecond: requests / wallSeconds,
  eventsPerSecond: run.events / wallSeconds,
  nsPerEvent: (runCpuSeconds / run.events) * 1e9,
  nsPerRequest: (runCpuSeconds / requests) * 1e9,
  setupHeapMb,
  peakRssMb: process.resourceUsage().maxRSS / 1024,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
