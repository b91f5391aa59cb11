/**
 * The metrics a comparison tabulates: any numeric field of a run's summary, named by its
 * dotted path (summary-fields.ts). A run whose summary lacks the field (a fault that did
 * not happen, a function not listed) is left out of that metric's statistics; a run
 * where it is null (a fault never recovered from) is counted apart, as "never".
 *
 * Without --metric the set follows the scenario: the latency, error, cold-start and
 * cost metrics always; each fault's impact when there are faults; wait and orphaned
 * memory when the variants differ in balancer replication; attempts, retries and
 * wasted execution when clients retry.
 */
import type { Summary } from "../metrics/summary.js";
import type { ResolvedScenario } from "../scenario/types.js";
import {
  type FieldUnit,
  type PathStep,
  parsePath,
  readPath,
  SUMMARY_FIELDS,
  type SummaryField,
  templateOf,
} from "./summary-fields.js";

export interface ComparedMetric {
  /** The dotted path (comparison.json's `metrics` and `results` keys). */
  readonly name: string;
  /** A short label for tables ("latency p99", "fault 1 recovery", "checkout: latency p99"). */
  readonly label: string;
  readonly unit: FieldUnit;
  /** Whether smaller is better (for "best variant" statements). */
  readonly lowerIsBetter: boolean;
  readonly nullMeansNever?: SummaryField["nullMeansNever"];
  /** The value in a summary: a number, null (present but null) or undefined (absent). */
  read(s: Summary): number | null | undefined;
}

/** The names of the fixed metrics of earlier versions, still accepted (comparison.json, --metric). */
export const METRIC_ALIASES: Readonly<Record<string, string>> = {
  latencyP50: "latencyMs.p50",
  latencyP99: "latencyMs.p99",
  latencyP999: "latencyMs.p999",
  idleGbSeconds: "sandboxes.idleGbSeconds",
  activeHostHours: "hosts.activeHostHours",
  recoverySeconds: "faults[0].recoverySeconds",
};

/** The metrics every comparison shows by default. */
export const BASE_METRICS = [
  "latencyMs.p50",
  "latencyMs.p99",
  "latencyMs.p999",
  "latencyMs.mean",
  "waitMs.mean",
  "errorRatio",
  "coldStartRatio",
  "sandboxes.idleGbSeconds",
  "hosts.activeHostHours",
] as const;

const FAULT_METRICS = ["failedDuring", "extraColdStarts", "recoverySeconds"] as const;
const REPLICATION_METRICS = ["sandboxes.orphanedGbSeconds", "sandboxes.orphaned"] as const;
const RETRY_METRICS = ["requests.attempts", "requests.retries", "wastedExecutionSeconds"] as const;

/**
 * The metric a path names, or null if the path is malformed or names no numeric
 * summary field. Array elements are not checked here (see `checkMetricNames`).
 */
export function metricByName(name: string): ComparedMetric | null {
  const path = METRIC_ALIASES[name] ?? name;
  const steps = parsePath(path);
  if (!steps) return null;
  const f = SUMMARY_FIELDS[templateOf(steps)];
  if (!f) return null;
  return {
    name,
    label: labelOf(steps, f),
    unit: f.unit,
    lowerIsBetter: f.lowerIsBetter,
    ...(f.nullMeansNever ? { nullMeansNever: f.nullMeansNever } : {}),
    read: (s) => readPath(s, steps),
  };
}

function labelOf(steps: readonly PathStep[], f: SummaryField): string {
  const first = steps[0];
  const element = steps[1];
  if (first && "key" in first && element && "element" in element) {
    if (first.key === "faults") return `fault ${Number(element.element) + 1} ${f.label}`;
    return `${element.element}: ${f.label}`;
  }
  return f.label;
}

/** What the scenario's variants have: for the default metrics and for checking names. */
export interface MetricContext {
  /** Scheduled faults (random crashes aside) of the variant that has the most. */
  readonly faults: number;
  readonly functions: readonly string[];
  readonly replicationDiffers: boolean;
  readonly clientsRetry: boolean;
}

/** The context of a comparison from each variant's resolved scenario. */
export function metricContext(scenarios: readonly ResolvedScenario[]): MetricContext {
  const scheduled = (s: ResolvedScenario): number =>
    s.faults.filter((f) => f.kind !== "random-host-crashes").length;
  const functions = new Set<string>();
  for (const s of scenarios) for (const f of s.functions) functions.add(f.name);
  return {
    faults: Math.max(0, ...scenarios.map(scheduled)),
    functions: [...functions],
    replicationDiffers: new Set(scenarios.map((s) => s.balancer.replication)).size > 1,
    clientsRetry: scenarios.some((s) => (s.clients?.retry.maxAttempts ?? 1) > 1),
  };
}

/** The default metric names for a comparison with this context. */
export function defaultMetricNames(ctx: MetricContext): string[] {
  const names: string[] = [...BASE_METRICS];
  for (let i = 0; i < ctx.faults; i++)
    for (const m of FAULT_METRICS) names.push(`faults[${i}].${m}`);
  if (ctx.replicationDiffers) names.push(...REPLICATION_METRICS);
  if (ctx.clientsRetry) names.push(...RETRY_METRICS);
  return names;
}

/**
 * Resolves --metric names against the scenario; throws an Error whose message lists
 * the valid names when one is unknown (the caller makes it a usage error).
 */
export function checkMetricNames(names: readonly string[], ctx: MetricContext): ComparedMetric[] {
  return names.map((name) => {
    const m = metricByName(name);
    const problem = m ? elementProblem(name, ctx) : `unknown metric ${JSON.stringify(name)}`;
    if (problem) throw new Error(`--metric: ${problem}. Valid metrics:\n${validMetricsText(ctx)}`);
    return m!;
  });
}

function elementProblem(name: string, ctx: MetricContext): string | null {
  const steps = parsePath(METRIC_ALIASES[name] ?? name)!;
  const [first, element] = steps;
  if (!first || !("key" in first) || !element || !("element" in element)) return null;
  if (first.key === "faults") {
    const i = Number(element.element);
    if (!/^\d+$/.test(element.element) || i >= ctx.faults)
      return `${name}: the scenario has ${ctx.faults === 0 ? "no scheduled faults" : `faults[0] to faults[${ctx.faults - 1}]`}`;
    return null;
  }
  if (!ctx.functions.includes(element.element))
    return `${name}: no function ${JSON.stringify(element.element)} in the scenario`;
  return null;
}

/** The valid metric names, one group per line, for the usage error. */
export function validMetricsText(ctx: MetricContext): string {
  const plain = Object.keys(SUMMARY_FIELDS).filter((t) => !t.includes("[]"));
  const of = (prefix: string): string[] =>
    Object.keys(SUMMARY_FIELDS)
      .filter((t) => t.startsWith(`${prefix}[].`))
      .map((t) => t.slice(prefix.length + 3));
  const lines = [`  ${plain.join(", ")}`];
  if (ctx.faults > 0)
    lines.push(
      `  faults[I].${of("faults").join("|")} (I from 0 to ${ctx.faults - 1}, in order of onset)`,
    );
  const shown = ctx.functions.slice(0, 5).join(", ");
  const more = ctx.functions.length > 5 ? `, … (${ctx.functions.length} in all)` : "";
  lines.push(`  functions[NAME].${of("functions").join("|")} (NAME: ${shown}${more})`);
  return lines.join("\n");
}
