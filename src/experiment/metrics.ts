/**
 * The metrics a comparison tabulates, each read from a run's summary. A metric a run
 * does not have (recovery of a fault that never recovered, or of a scenario without
 * faults) is null and left out of that run's statistics.
 */
import type { Summary } from "../metrics/summary.js";

export interface ComparedMetric {
  readonly name: string;
  readonly label: string;
  readonly unit: string;
  /** Whether smaller is better (for "best variant" statements). */
  readonly lowerIsBetter: boolean;
  read(s: Summary): number | null;
}

export const METRICS: readonly ComparedMetric[] = [
  {
    name: "latencyP50",
    label: "latency p50",
    unit: "ms",
    lowerIsBetter: true,
    read: (s) => s.latencyMs.p50,
  },
  {
    name: "latencyP99",
    label: "latency p99",
    unit: "ms",
    lowerIsBetter: true,
    read: (s) => s.latencyMs.p99,
  },
  {
    name: "latencyP999",
    label: "latency p99.9",
    unit: "ms",
    lowerIsBetter: true,
    read: (s) => s.latencyMs.p999,
  },
  {
    name: "errorRatio",
    label: "error ratio",
    unit: "",
    lowerIsBetter: true,
    read: (s) => s.errorRatio,
  },
  {
    name: "coldStartRatio",
    label: "cold-start ratio",
    unit: "",
    lowerIsBetter: true,
    read: (s) => s.coldStartRatio,
  },
  {
    name: "idleGbSeconds",
    label: "idle GB-s",
    unit: "GB-s",
    lowerIsBetter: true,
    read: (s) => s.sandboxes.idleGbSeconds,
  },
  {
    name: "activeHostHours",
    label: "active host-hours",
    unit: "h",
    lowerIsBetter: true,
    read: (s) => s.hosts.activeHostHours,
  },
  {
    name: "recoverySeconds",
    label: "recovery",
    unit: "s",
    lowerIsBetter: true,
    read: (s) => (s.faults.length > 0 ? s.faults[0]!.recoverySeconds : null),
  },
];

export function metricByName(name: string): ComparedMetric | undefined {
  return METRICS.find((m) => m.name === name);
}
