/**
 * `npm run bench`: the speed figures of SPEC 10, printed (never asserted: machines are
 * shared and noisy, so compare ratios within one run). Each measurement runs in its
 * own process, one core each, one after the other.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packageRoot } from "../../src/package-info.js";
import { PLACEMENT_POLICIES } from "../../src/scenario/schema.js";
import type { Measurement } from "./measure.js";

const dist = join(packageRoot(), "dist", "test", "bench");

function node(script: string, args: string[]): string {
  return execFileSync(process.execPath, [join(dist, script), ...args], { encoding: "utf8" });
}

function measure(scenario: string, sets: string[] = []): Measurement {
  const args = [scenario, ...sets.flatMap((s) => ["--set", s])];
  return JSON.parse(node("measure.js", args)) as Measurement;
}

interface Baseline {
  impl: string;
  requests: number;
  wallSeconds: number;
  requestsPerSecond: number;
  meanTimeInSystemMs: number;
}

function simpy(requests: number): Baseline | null {
  const python = "/usr/bin/python3";
  if (spawnSync(python, ["-c", "import simpy"]).status !== 0) return null;
  const script = join(packageRoot(), "test", "bench", "simpy_power_of_two.py");
  const out = execFileSync(python, [script, String(requests)], { encoding: "utf8" });
  return JSON.parse(out) as Baseline;
}

const fmt = (x: number): string => Math.round(x).toLocaleString("en-US");

function row(m: Measurement): string {
  return [
    m.name.padEnd(28),
    fmt(m.requests).padStart(12),
    m.wallSeconds.toFixed(2).padStart(8),
    fmt(m.requestsPerSecond).padStart(12),
    fmt(m.eventsPerSecond).padStart(12),
    m.peakRssMb.toFixed(0).padStart(8),
  ].join("  ");
}

console.log(
  [
    "run".padEnd(28),
    "requests".padStart(12),
    "wall s".padStart(8),
    "requests/s".padStart(12),
    "events/s".padStart(12),
    "peak MB".padStart(8),
  ].join("  "),
);
const quickstart = measure("quickstart");
console.log(row(quickstart));
const p2c = measure("power-of-two");
console.log(row(p2c));
console.log(row(measure("zone-outage")));

// Trace replay (SPEC 7): the 500-function Azure sample, replayed exactly (per-minute counts),
// against the same functions as Poisson processes at their mean rates: same size, same model.
const trace = measure("trace-replay");
console.log(row(trace));
const poisson = measure("trace-replay", ["workload.trace.arrivals=poisson"]);
console.log(row(poisson));
// The same sample expanded into one line per invocation, streamed from a gzipped file.
const expanded = join(mkdtempSync(join(tmpdir(), "lbsim-bench-")), "trace.lbtrace.gz");
const sample = join(packageRoot(), "scenarios", "traces", "azure2019-500fn-8h");
execFileSync(process.execPath, [
  join(packageRoot(), "dist", "src", "cli", "main.js"),
  ...["trace", "convert", join(sample, "invocations.csv"), "--expand", "-o", expanded],
  ...["--durations", join(sample, "durations.csv"), "--memory", join(sample, "memory.csv")],
]);
const streamed = measure("trace-replay", [
  "workload.trace.format=lbsim",
  `workload.trace.invocations=${expanded}`,
  "workload.trace.durations=null",
  "workload.trace.memory=null",
]);
console.log(row({ ...streamed, name: "trace-replay (per-invocation file)" }));
console.log(
  `trace replay: ${((trace.requestsPerSecond / poisson.requestsPerSecond) * 100).toFixed(0)}% of the requests/s of Poisson arrivals of the same size` +
    ` (per-invocation file: ${((streamed.requestsPerSecond / poisson.requestsPerSecond) * 100).toFixed(0)}%; target: at least 80%)`,
);

const hand = JSON.parse(node("baseline-hand-loop.js", ["2000000"])) as Baseline;
console.log(
  `\npower-of-two, hand-written loop (the JavaScript ceiling): ${fmt(hand.requestsPerSecond)} requests/s` +
    ` -> lbsim reaches ${((p2c.requestsPerSecond / hand.requestsPerSecond) * 100).toFixed(0)}% of it (target: 50%)`,
);
const py = simpy(200_000);
if (py) {
  console.log(
    `power-of-two, SimPy: ${fmt(py.requestsPerSecond)} requests/s` +
      ` -> lbsim is ${(p2c.requestsPerSecond / py.requestsPerSecond).toFixed(1)}x faster (target: 25x)`,
  );
} else {
  console.log("power-of-two, SimPy: not measured (install Debian's python3-simpy3 to compare)");
}

/**
 * Placement cost against cluster size: every request of placement-scaling.yaml is a cold
 * start, so requests/s is decisions/s. SPEC 10: at most 1.5x the cost per request at
 * 100,000 hosts as at 1,000.
 */
console.log("\nplacement scaling (every request a cold start), requests/s by hosts:");
const scaling = join(packageRoot(), "test", "bench", "placement-scaling.yaml");
const policies = PLACEMENT_POLICIES;
console.log(
  `${"policy".padEnd(16)}${["1,000", "10,000", "100,000"].map((h) => h.padStart(12)).join("")}   cost 100k/1k`,
);
for (const policy of policies) {
  const rates = [100, 1000, 10000].map(
    (perZone) =>
      measure(scaling, [`placement.policy=${policy}`, `cluster.hostsPerZone=${perZone}`])
        .requestsPerSecond,
  );
  const ratio = rates[0]! / rates[2]!;
  console.log(
    `${policy.padEnd(16)}${rates.map((r) => fmt(r).padStart(12)).join("")}   ${ratio.toFixed(2)}x${ratio > 1.5 ? "  (over 1.5x)" : ""}`,
  );
}

/** Wall time of `lbsim compare` on power-of-two with `jobs` worker threads. */
function compareSeconds(jobs: number): number {
  const cli = join(packageRoot(), "dist", "src", "cli", "main.js");
  const scenario = join(packageRoot(), "scenarios", "power-of-two.yaml");
  const started = performance.now();
  execFileSync(
    process.execPath,
    [
      cli,
      "compare",
      scenario,
      "--seeds",
      "4",
      "--jobs",
      String(jobs),
      "--quiet",
      "--json",
      "--set",
      "duration=20s",
    ],
    {
      encoding: "utf8",
    },
  );
  return (performance.now() - started) / 1000;
}
const one = compareSeconds(1);
const two = compareSeconds(2);
console.log(
  `\ncompare power-of-two (4 variants x 4 seeds): ${one.toFixed(2)} s with --jobs 1, ${two.toFixed(2)} s with --jobs 2` +
    ` -> ${(one / two).toFixed(2)}x (target: 1.8x)`,
);
