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
import { PLACEMENT_POLICIES } from "../../src/scenario/schema-platform.js";
import type { Measurement } from "./measure.js";

const dist = join(packageRoot(), "dist", "test", "bench");

function node(script: string, args: string[]): string {
  return execFileSync(process.execPath, [join(dist, script), ...args], { encoding: "utf8" });
}

function measure(scenario: string, sets: string[] = [], nodeFlags: string[] = []): Measurement {
  const args = [
    ...nodeFlags,
    join(dist, "measure.js"),
    scenario,
    ...sets.flatMap((s) => ["--set", s]),
  ];
  const out = execFileSync(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 20 });
  return JSON.parse(out) as Measurement;
}

/** A measurement that may fail (out of memory, by design of the limit): null then. */
function tryMeasure(scenario: string, sets: string[], nodeFlags: string[]): Measurement | null {
  try {
    return measure(scenario, sets, nodeFlags);
  } catch {
    return null;
  }
}

interface Baseline {
  impl: string;
  requests: number;
  wallSeconds: number;
  cpuSeconds?: number;
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
    ` -> lbsim reaches ${((p2c.requestsPerSecond / hand.requestsPerSecond) * 100).toFixed(0)}% of it (target: 35%, issue 13; SPEC 10: 50%)`,
);
// The same ratio on CPU time, steadier on a shared machine (lbsim's run without set-up).
const p2cCpuRate = p2c.requests / p2c.runCpuSeconds;
console.log(
  `  on CPU time: ${fmt(p2cCpuRate)} against ${fmt(hand.requests / (hand.cpuSeconds ?? hand.wallSeconds))} requests/s` +
    ` -> ${((p2cCpuRate / (hand.requests / (hand.cpuSeconds ?? hand.wallSeconds))) * 100).toFixed(0)}%`,
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
// The model with nothing watching it (no metrics, no invariant checks): what the model
// itself costs, and so how far the watching is from the SimPy target (issue 13).
const alone = JSON.parse(node("model-alone.js", [])) as Baseline & { events: number };
const aloneNsPerEvent = ((alone.cpuSeconds ?? alone.wallSeconds) / alone.events) * 1e9;
console.log(
  `power-of-two, the model alone (no metrics, no invariant checks; not a way to run lbsim): ${fmt(alone.requestsPerSecond)} requests/s` +
    ` -> ${((alone.requestsPerSecond / hand.requestsPerSecond) * 100).toFixed(0)}% of the hand-written loop` +
    (py ? `, ${(alone.requestsPerSecond / py.requestsPerSecond).toFixed(1)}x SimPy` : "") +
    `; per event (CPU time) ${aloneNsPerEvent.toFixed(0)} ns against lbsim's ${p2c.nsPerEvent.toFixed(0)}: the watching takes ${((1 - aloneNsPerEvent / p2c.nsPerEvent) * 100).toFixed(0)}%`,
);

/**
 * The day model (issue 13): scenarios/region.yaml, 10,000 functions at 10,000 requests/s.
 * Two slices of it, after the same warmup: the longer one gives the steady cost of a
 * simulated second (the day's wall time is extrapolated from it), and the peak memory
 * of the two shows whether memory follows the run length. The warmup is 40 minutes, not
 * the scenario's 10: past 2^31 µs (35.8 simulated minutes) times no longer fit V8's
 * small integers, and the model runs about 6% slower there, as it does for the rest of
 * the day; a slice before that point would flatter the day.
 */
const DAY_WARMUP_MIN = 40;
const sliceMinutes = [2, 6];
const slices = sliceMinutes.map((m) =>
  measure("region", [`warmup=${DAY_WARMUP_MIN}min`, `duration=${m}min`]),
);
console.log(
  "\nday model (region: 10,000 functions, 10,000 requests/s, 3 x 100 hosts, 16 partitions, sync; CPU time):",
);
for (const [i, m] of slices.entries())
  console.log(
    `  ${sliceMinutes[i]} simulated minutes after a ${DAY_WARMUP_MIN}-minute warmup: ${fmt(m.requests)} requests in ${m.measuredCpuSeconds.toFixed(1)} s` +
      ` -> ${fmt(m.requests / m.measuredCpuSeconds)} requests/s, ${m.nsPerEvent.toFixed(0)} ns/event, set-up ${m.setupSeconds.toFixed(2)} s, peak ${m.peakRssMb.toFixed(0)} MB`,
  );
const [short, long] = slices as [Measurement, Measurement];
const dayRate = long.requests / long.measuredCpuSeconds;
const handCpuRate = hand.requests / (hand.cpuSeconds ?? hand.wallSeconds);
console.log(
  `  steady: ${fmt(dayRate)} requests/s = ${(dayRate / handCpuRate).toFixed(3)} of the bare loop's ${fmt(handCpuRate)} (target: at least 0.09)` +
    `; the day (86,400 s, ${fmt(10_000 * 86_400)} requests) in ${((10_000 * 86_400) / dayRate / 60).toFixed(0)} min (target: under 30 min)`,
);
console.log(
  `  peak memory ${long.peakRssMb.toFixed(0)} MB over ${sliceMinutes[1]} min against ${short.peakRssMb.toFixed(0)} MB over ${sliceMinutes[0]} min: x${(long.peakRssMb / short.peakRssMb).toFixed(2)} (target: flat)`,
);

/**
 * The function-count curve (issue 13): function-count.yaml, one total rate (10,000/s)
 * spread over 100 to 1,000,000 functions. Each run gets a 2 GB heap, the budget of a
 * million functions at 2 KB each; a run that does not fit is reported as such.
 */
const counts = [100, 1_000, 10_000, 100_000, 1_000_000];
const curveFile = join(packageRoot(), "test", "bench", "function-count.yaml");
console.log(
  "\nfunction count (same total rate, 10,000 requests/s for 20 s; heap limit 2 GB; CPU time):",
);
console.log(
  `${"functions".padStart(10)}${"set-up s".padStart(10)}${"set-up MB".padStart(11)}${"ns/event".padStart(10)}${"ns/request".padStart(12)}${"events/req".padStart(12)}${"peak MB".padStart(9)}`,
);
const curve = new Map<number, Measurement>();
for (const n of counts) {
  const m = tryMeasure(
    curveFile,
    [`population.count=${n}`],
    ["--expose-gc", "--max-old-space-size=2048"],
  );
  if (!m) {
    console.log(`${fmt(n).padStart(10)}  did not complete within a 2 GB heap`);
    continue;
  }
  curve.set(n, m);
  console.log(
    `${fmt(n).padStart(10)}${m.setupSeconds.toFixed(2).padStart(10)}${m.setupHeapMb.toFixed(0).padStart(11)}${m.nsPerEvent.toFixed(0).padStart(10)}${m.nsPerRequest.toFixed(0).padStart(12)}${(m.events / m.requests).toFixed(2).padStart(12)}${m.peakRssMb.toFixed(0).padStart(9)}`,
  );
}
const c1k = curve.get(1_000);
const c100k = curve.get(100_000);
const c100 = curve.get(100);
if (c1k && c100k) {
  // The ratio the target is on, from the fastest of five runs of each size, the sizes
  // interleaved (as the placement scaling below), so that a busy moment of the shared
  // machine does not land on one size alone; the single runs above are the first round.
  // Five, not three: with three the ratio of one build moved from 1.45x to 1.54x
  // between two bench runs an hour apart.
  const rounds = 5;
  const fastest = { 1000: c1k.nsPerEvent, 100000: c100k.nsPerEvent };
  for (let round = 1; round < rounds; round++)
    for (const n of [1_000, 100_000] as const) {
      const m = measure(
        curveFile,
        [`population.count=${n}`],
        ["--expose-gc", "--max-old-space-size=2048"],
      );
      fastest[n] = Math.min(fastest[n], m.nsPerEvent);
    }
  console.log(
    `  cost per event 100,000 / 1,000 functions, fastest of ${rounds} interleaved runs: ${(fastest[100_000] / fastest[1_000]).toFixed(2)}x (target: at most 1.5x;` +
      ` first round ${(c100k.nsPerEvent / c1k.nsPerEvent).toFixed(2)}x); per request ${(c100k.nsPerRequest / c1k.nsPerRequest).toFixed(2)}x;` +
      ` set-up of 100,000 functions ${c100k.setupSeconds.toFixed(2)} s (target: under 1 s)`,
  );
}
const largest = [...curve.keys()].filter((n) => n >= 100_000).pop();
if (c100 && largest !== undefined) {
  const m = curve.get(largest)!;
  const perFn = ((m.setupHeapMb - c100.setupHeapMb) * 2 ** 20) / (largest - 100);
  console.log(
    `  memory per function (set-up heap, 100 -> ${fmt(largest)} functions): ${(perFn / 1024).toFixed(2)} KB (target: at most 2 KB)`,
  );
}

/**
 * Placement cost against cluster size: every request of placement-scaling.yaml is a cold
 * start, so requests/s is decisions/s. SPEC 10: at most 1.5x the cost per request at
 * 100,000 hosts as at 1,000.
 */
console.log(
  "\nplacement scaling (keep-alive none: every request a cold start), requests per CPU second by hosts, fastest of 3:",
);
const scaling = join(packageRoot(), "test", "bench", "placement-scaling.yaml");
const policies = PLACEMENT_POLICIES;
console.log(
  `${"policy".padEnd(16)}${["1,000", "10,000", "100,000"].map((h) => h.padStart(12)).join("")}   cost 100k/1k`,
);
// Fastest of three rounds, the sizes interleaved, so that a busy moment of the shared
// machine does not land on one size alone.
const perZones = [100, 1000, 10000];
for (const policy of policies) {
  const rates = perZones.map(() => 0);
  for (let round = 0; round < 3; round++)
    for (const [i, perZone] of perZones.entries()) {
      const m = measure(scaling, [`placement.policy=${policy}`, `cluster.hostsPerZone=${perZone}`]);
      rates[i] = Math.max(rates[i]!, m.requests / m.runCpuSeconds);
    }
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
      "--no-expect",
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
