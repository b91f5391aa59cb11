/**
 * Malformed scenarios and the message each must give: shared by the loader's tests and
 * the command line's end-to-end tests.
 */
import { MINIMAL } from "./helpers.js";

const FN = "  - name: f\n    duration: 10ms\n    arrivals: { process: poisson, rate: 10/s }\n";

/** MINIMAL with `from` replaced by `to` (which must occur). */
export function edit(from: string, to: string): string {
  if (!MINIMAL.includes(from)) throw new Error(`MINIMAL has no ${from}`);
  return MINIMAL.replace(from, to);
}

export const cases: [string, string, string | RegExp][] = [
  [
    "a wrong type",
    edit("duration: 1min", "duration: [1]"),
    /^test\.yaml: duration: expected a duration such as .*, got a list \(line 2\)$/,
  ],
  [
    "a negative number",
    edit("duration: 10ms", "duration: 10ms\n    memoryMb: -5"),
    "test.yaml: functions[0].memoryMb: expected a positive number, got -5 (line 6)",
  ],
  [
    "a unit-less duration",
    edit("duration: 1min", 'duration: "60"'),
    /^test\.yaml: duration: expected a duration such as 500us, .*, got "60" \(line 2\)$/,
  ],
  [
    "a unit-less rate",
    edit("rate: 10/s", 'rate: "10"'),
    /^test\.yaml: functions\[0\]\.arrivals\.rate: expected a rate such as 100\/s.*, got "10" \(line 6\)$/,
  ],
  [
    "a negative duration",
    edit("duration: 10ms", "duration: -10ms"),
    /^test\.yaml: functions\[0\]\.duration: expected a non-negative duration, got "-10ms" \(line 5\)$/,
  ],
  [
    "an unknown top-level field",
    `${MINIMAL}seeed: 3\n`,
    "test.yaml: seeed: unknown field (did you mean seed?) (line 7)",
  ],
  [
    "an unknown nested field",
    `${MINIMAL}placement: { policy: p2c, dd: 3 }\n`,
    "test.yaml: placement.dd: unknown field (did you mean d?) (line 7)",
  ],
  [
    "an unknown placement policy",
    `${MINIMAL}placement: { policy: nearest }\n`,
    /^test\.yaml: placement\.policy: expected one of random \| round-robin \| .*, got "nearest" \(line 7\)$/,
  ],
  [
    "an unknown routing policy",
    `${MINIMAL}balancer: { routing: fastest }\n`,
    /^test\.yaml: balancer\.routing: expected one of mru \| lru .*, got "fastest" \(line 7\)$/,
  ],
  [
    "an unknown distribution",
    edit("duration: 10ms", "duration: { dist: gamma, k: 2 }"),
    /^test\.yaml: functions\[0\]\.duration\.dist: expected one of constant \| exponential .*, got "gamma" \(line 5\)$/,
  ],
  [
    "an unknown arrival process",
    edit("process: poisson", "process: bursty"),
    /^test\.yaml: functions\[0\]\.arrivals\.process: expected one of poisson \| .*, got "bursty" \(line 6\)$/,
  ],
  [
    "a missing name",
    MINIMAL.replace("name: mini\n", ""),
    /^test\.yaml: name: required, expected a string$/,
  ],
  [
    "a missing duration",
    MINIMAL.replace("duration: 1min\n", ""),
    /^test\.yaml: duration: required, expected a duration such as/,
  ],
  [
    "no function and no population",
    "name: x\nduration: 1s\n",
    "test.yaml: functions: expected at least one function, a population or a trace",
  ],
  [
    "a function that fits on no host",
    `${edit("duration: 10ms", "duration: 10ms\n    memoryMb: 40000")}`,
    "test.yaml: functions[0].memoryMb: fits on no host: needs 40000 MB, a host has 32768 MB (cluster.host.memoryMb) (line 6)",
  ],
  [
    "minSandboxes above maxSandboxes",
    edit("duration: 10ms", "duration: 10ms\n    minSandboxes: 5\n    maxSandboxes: 2"),
    "test.yaml: functions[0].minSandboxes: expected minSandboxes <= maxSandboxes (2), got 5 (line 6)",
  ],
  [
    "more provisioned memory than the cluster",
    edit("duration: 10ms", "duration: 10ms\n    memoryMb: 32768\n    minSandboxes: 11"),
    /^test\.yaml: functions: provisioned sandboxes .* need 360448 MB, the cluster holds 327680 MB \(line 3\)$/,
  ],
  [
    "a fault naming a missing zone",
    `${MINIMAL}faults: [{ kind: zone-outage, at: 10s, zone: b, duration: 1min }]\n`,
    'test.yaml: faults[0].zone: no zone "b" (zones: z1) (line 7)',
  ],
  [
    "a fault naming a missing partition",
    `${MINIMAL}faults: [{ kind: balancer-crash, at: 10s, partition: 4 }]\n`,
    "test.yaml: faults[0].partition: no partition 4 (partitions are numbered 0 to 0) (line 7)",
  ],
  [
    "an unknown fault kind",
    `${MINIMAL}faults: [{ kind: meteor, at: 10s }]\n`,
    /^test\.yaml: faults\[0\]\.kind: expected one of host-crash \| zone-outage .*, got "meteor" \(line 7\)$/,
  ],
  [
    "a fault field of another kind",
    `${MINIMAL}faults: [{ kind: zone-outage, at: 10s, zone: z1, duration: 1s, count: 2 }]\n`,
    "test.yaml: faults[0].count: unknown field (line 7)",
  ],
  [
    "an unknown retry cause",
    `${MINIMAL}clients: { retry: { policy: immediate, retryOn: [timeout, boredom] } }\n`,
    /^test\.yaml: clients\.retry\.retryOn\[1\]: expected one of throttled \| .*, got "boredom" \(line 7\)$/,
  ],
  [
    "duplicate function names",
    `${MINIMAL}${FN}`,
    "test.yaml: functions[1].name: duplicate function name (also functions[0]) (line 7)",
  ],
  [
    "duplicate zone names",
    `${MINIMAL}cluster: { zones: [a, b, a] }\n`,
    'test.yaml: cluster.zones[2]: duplicate zone name "a" (line 7)',
  ],
  [
    "a trace without its invocations file",
    `${MINIMAL}workload: { trace: { format: azure2019 } }\n`,
    "test.yaml: workload.trace.invocations: required, expected a string (line 7)",
  ],
  [
    "an azure2019 trace without its durations file",
    `${MINIMAL}workload: { trace: { format: azure2019, invocations: x.csv } }\n`,
    "test.yaml: workload.trace.durations: azure2019 needs a durations file (line 7)",
  ],
  [
    "empirical percentiles without 100",
    edit("duration: 10ms", "duration: { dist: empirical, percentiles: { 0: 1ms, 50: 2ms } }"),
    "test.yaml: functions[0].duration.percentiles: expected percentiles including 0 and 100 (line 5)",
  ],
  [
    "decreasing empirical values",
    edit(
      "duration: 10ms",
      "duration: { dist: empirical, percentiles: { 0: 1ms, 50: 9ms, 100: 2ms } }",
    ),
    "test.yaml: functions[0].duration.percentiles.100: expected values that do not decrease (line 5)",
  ],
  [
    "lognormal p99 below its median",
    edit("duration: 10ms", "duration: { dist: lognormal, median: 1s, p99: 10ms }"),
    "test.yaml: functions[0].duration.p99: expected p99 >= median (line 5)",
  ],
  [
    "steps out of order",
    edit(
      "arrivals: { process: poisson, rate: 10/s }",
      "arrivals: { process: steps, steps: [{ at: 1min, rate: 1 }, { at: 0, rate: 2 }] }",
    ),
    "test.yaml: functions[0].arrivals.steps[1].at: expected steps in increasing order of at (line 6)",
  ],
  [
    "a fractional integer",
    edit("duration: 10ms", "duration: 10ms\n    slots: 1.5"),
    "test.yaml: functions[0].slots: expected an integer from 1 to 100,000, got 1.5 (line 6)",
  ],
  [
    "bad YAML syntax",
    "name: x\nduration: [1s\nfunctions: 3\n",
    /^test\.yaml: invalid YAML: Flow sequence .* \(line 3\)/,
  ],
  [
    "a duplicate key",
    "name: x\nname: y\n",
    "test.yaml: invalid YAML: Map keys must be unique (line 2)",
  ],
  [
    "a list instead of a mapping",
    "- name: x\n",
    "test.yaml: expected a mapping of scenario fields, got a list",
  ],
  ["an empty file", "", "test.yaml: expected a mapping of scenario fields, got an empty file"],
  ["bad JSON", '{"name": "x",}', /^test\.json: invalid JSON: .* \(line 1\)$/],
];
