/**
 * A synthetic comparison of any size, built in a second: one real run's summary as the
 * template, its numbers varied by variant, sweep point and seed, and latency buckets
 * drawn from a lognormal whose median grows with both, tabulated by the real code.
 */
import { assemble } from "../../src/experiment/compare.js";
import type { Comparison, RunRecord } from "../../src/experiment/comparison.js";
import { planRuns } from "../../src/experiment/plan.js";
import { runScenario } from "../../src/experiment/run.js";
import { bucketOf } from "../../src/metrics/log-buckets.js";
import type { Summary } from "../../src/metrics/summary.js";
import { loadScenarioText } from "../../src/scenario/load.js";

const TEMPLATE = `name: synthetic
duration: 5s
functions:
  - name: f
    duration: 10ms
    arrivals: { process: poisson, rate: 50/s }
faults:
  - { at: 2s, kind: host-crash, count: 1, repair: 1s }
`;

/** The metrics the synthetic runs vary (those of the first versions of compare). */
export const SYNTHETIC_METRICS = [
  "latencyMs.p50",
  "latencyMs.p99",
  "latencyMs.p999",
  "errorRatio",
  "coldStartRatio",
  "sandboxes.idleGbSeconds",
  "hosts.activeHostHours",
  "faults[0].recoverySeconds",
] as const;

/** A small deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function lognormalBuckets(medianUs: number, sigma: number, n: number, r: () => number) {
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const z = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    const b = bucketOf(Math.round(medianUs * Math.exp(sigma * z)));
    counts.set(b, (counts.get(b) ?? 0) + 1);
  }
  return [...counts.entries()].sort((x, y) => x[0] - y[0]);
}

/** `tweak` may change each run's summary before the statistics are computed. */
export function syntheticComparison(
  variantCount: number,
  pointCount: number,
  seeds: number,
  tweak: (s: Summary) => void = () => {},
): Comparison {
  const run = runScenario(loadScenarioText(TEMPLATE, "synthetic.yaml"));
  const template = run.summary;
  const variants = Array.from({ length: variantCount }, (_, i) => `policy-${i + 1}`);
  const sweep = {
    param: "workload.scale",
    values: Array.from({ length: pointCount }, (_, i) => 0.5 + 0.1 * i),
  };
  const plan = planRuns({ variants, sweep, baseSeed: 1, seeds });
  const runs: RunRecord[] = plan.map((spec) => {
    const r = rng(spec.index * 7919 + 13);
    const v = variants.indexOf(spec.variant!);
    const load = 1 + spec.point * 0.4;
    const noise = (): number => 1 + (r() - 0.5) * 0.1;
    const s: Summary = structuredClone(template);
    s.variant = spec.variant;
    s.seed = spec.seed;
    s.wallSeconds = 0;
    s.latencyMs = {
      ...s.latencyMs,
      p50: 50 * load * (1 + 0.05 * v) * noise(),
      p99: 400 * load ** 2 * (1 + 0.1 * v) * noise(),
    };
    s.latencyMs.p999 = s.latencyMs.p99 * 2;
    s.errorRatio = 0.001 * load * (1 + v) * noise();
    s.coldStartRatio = (0.02 / load) * (1 + 0.2 * v) * noise();
    s.sandboxes = { ...s.sandboxes, idleGbSeconds: 1000 * load * (1 + 0.1 * v) * noise() };
    s.hosts = { ...s.hosts, activeHostHours: 10 * load * (1 - 0.05 * v) * noise() };
    s.faults = [
      {
        kind: "host-crash",
        atSeconds: 2,
        failedDuring: 10,
        extraColdStarts: 3,
        recoverySeconds: 5 * noise(),
      },
    ];
    tweak(s);
    const latencyBuckets = lognormalBuckets(50_000 * load * (1 + 0.05 * v), 1.2, 4000, r);
    return {
      ...spec,
      summary: s,
      latencyBuckets,
      timeseriesCsv: run.timeseriesCsv,
      faultWindows: run.detail.faultWindows,
    };
  });
  const meta = {
    kind: "lbsim-comparison" as const,
    version: template.version,
    scenario: "synthetic",
    scenarioHash: "0000000000000000",
    baseSeed: 1,
    seeds,
    variants,
    sweep,
    metrics: [...SYNTHETIC_METRICS],
    plannedRuns: plan.length,
  };
  return assemble(meta, runs, null, false);
}
