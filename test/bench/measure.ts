/**
 * Runs one bundled scenario in this process and prints one JSON line of figures:
 * simulated requests/s and events/s, and the peak memory of the process. Kept apart
 * from run.ts so that every measurement starts in a fresh process.
 *
 * Usage: node dist/test/bench/measure.js <bundled name | path.yaml> [--set k=v ...]
 */
import { basename, join } from "node:path";
import { Run } from "../../src/experiment/run.js";
import { packageRoot } from "../../src/package-info.js";
import { loadScenario } from "../../src/scenario/load.js";

export interface Measurement {
  name: string;
  requests: number;
  events: number;
  wallSeconds: number;
  requestsPerSecond: number;
  eventsPerSecond: number;
  peakRssMb: number;
}

const [name = "quickstart", ...rest] = process.argv.slice(2);
const sets = rest.filter((_, i) => rest[i - 1] === "--set");
const file = name.endsWith(".yaml") ? name : join(packageRoot(), "scenarios", `${name}.yaml`);
const scenario = loadScenario(file, { sets });
const started = performance.now();
const run = new Run(scenario);
run.runToEnd();
const { summary } = run.finish();
const wallSeconds = (performance.now() - started) / 1000;
const requests = summary.requests.arrived;
const result: Measurement = {
  name: [basename(name, ".yaml"), ...sets].join(" "),
  requests,
  events: run.events,
  wallSeconds,
  requestsPerSecond: requests / wallSeconds,
  eventsPerSecond: run.events / wallSeconds,
  peakRssMb: process.resourceUsage().maxRSS / 1024,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
