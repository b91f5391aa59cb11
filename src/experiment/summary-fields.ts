/**
 * The numeric fields of a run's summary, by dotted path, with what a table needs to show
 * them: a short label, the unit, and which way is better. Paths are summary.json's own:
 * `latencyMs.p99`, `sandboxes.orphanedGbSeconds`, `faults[0].recoverySeconds` (a fault by
 * its index), `functions[checkout].latencyMs.p99` (a function by its name).
 *
 * The table is keyed by template (`faults[].recoverySeconds`); a test checks that every
 * numeric field of a real summary is in it, so a new summary field cannot be left out.
 */
import { parseSummaryPath, resolvePath, type SummarySegment } from "../metrics/summary-path.js";
import { FAILURE_CAUSES } from "../model/observer.js";
import { BREAKDOWN_COMPONENTS } from "../model/requests.js";

/** "ratio" is 0..1 and shown as a percentage; "" is a count or a plain number. */
export type FieldUnit = "ms" | "s" | "h" | "GB·s" | "ratio" | "";

export interface SummaryField {
  readonly label: string;
  readonly unit: FieldUnit;
  readonly lowerIsBetter: boolean;
  /**
   * What a null value means, for fields that may be null in some runs: the word for
   * the runs that have a value ("recovered": `84 s (3/5 recovered)`, `never (0/5)`).
   * A run with null counts as worse than any run with a value.
   */
  readonly nullMeansNever?: { readonly present: string };
}

const field = (label: string, unit: FieldUnit, lowerIsBetter = true): SummaryField => ({
  label,
  unit,
  lowerIsBetter,
});

const distribution = (prefix: string, what: string): Record<string, SummaryField> =>
  Object.fromEntries(
    (
      [
        ["mean", "mean"],
        ["p50", "p50"],
        ["p90", "p90"],
        ["p99", "p99"],
        ["p999", "p99.9"],
        ["max", "max"],
      ] as const
    ).map(([key, name]) => [`${prefix}.${key}`, field(`${what} ${name}`, "ms")]),
  );

/** Every numeric field of a summary, by template path. */
export const SUMMARY_FIELDS: Readonly<Record<string, SummaryField>> = {
  simulatedSeconds: field("simulated time", "s", false),
  wallSeconds: field("wall time", "s"),
  events: field("events", "", false),
  counterfactualEvents: field("events of the fault-free twin", "", false),
  "requests.arrived": field("arrived", "", false),
  "requests.completed": field("completed", "", false),
  "requests.failed": field("failed", ""),
  "requests.inFlightAtEnd": field("in flight at the end", ""),
  "requests.attempts": field("attempts", ""),
  "requests.retries": field("retries", ""),
  ...Object.fromEntries(
    FAILURE_CAUSES.map((cause) => [`failures.${cause}`, field(`failed: ${cause}`, "")]),
  ),
  errorRatio: field("error ratio", "ratio"),
  wastedExecutionSeconds: field("wasted execution", "s"),
  coldStarts: field("cold starts", ""),
  coldStartRatio: field("cold-start ratio", "ratio"),
  "coldStartCache.hits": field("cold starts, package cached", "", false),
  "coldStartCache.misses": field("cold starts, package fetched", ""),
  "coldStartCache.hitRatio": field("code-cache hit ratio", "ratio", false),
  ...distribution("latencyMs", "latency"),
  ...Object.fromEntries(
    BREAKDOWN_COMPONENTS.map((c) => [
      `latencyBreakdownMs.${c}`,
      field(`mean latency in ${c.replace(/[A-Z]/g, (x) => ` ${x.toLowerCase()}`)}`, "ms"),
    ]),
  ),
  ...distribution("waitMs", "wait"),
  "sandboxes.created": field("sandboxes created", ""),
  "sandboxes.reclaimed": field("sandboxes reclaimed", ""),
  "sandboxes.lost": field("sandboxes lost", ""),
  "sandboxes.orphaned": field("sandboxes orphaned", ""),
  "sandboxes.peak": field("peak sandboxes", ""),
  "sandboxes.idleGbSeconds": field("idle", "GB·s"),
  "sandboxes.orphanedGbSeconds": field("orphaned", "GB·s"),
  "hosts.activeHostHours": field("active host-hours", "h"),
  "hosts.memoryUtilizationMean": field("memory utilisation, mean", "ratio", false),
  "hosts.memoryUtilizationP99": field("memory utilisation, p99", "ratio", false),
  "hosts.imbalance": field("host imbalance (max/mean)", ""),
  "balancer.utilizationMax": field("busiest leader utilisation", "ratio"),
  "balancer.queueWaitMsP99": field("leader queue wait p99", "ms"),
  "faults[].atSeconds": field("onset", "s", false),
  "faults[].failedDuring": field("failed during", ""),
  "faults[].extraColdStarts": field("extra cold starts", ""),
  "faults[].recoverySeconds": {
    ...field("recovery", "s"),
    nullMeansNever: { present: "recovered" },
  },
  "functions[].arrived": field("arrived", "", false),
  "functions[].coldStartRatio": field("cold-start ratio", "ratio"),
  "functions[].latencyMs.p50": field("latency p50", "ms"),
  "functions[].latencyMs.p99": field("latency p99", "ms"),
};

/**
 * One step of a path: a field name, or an array element by index or by name. The
 * parsing and reading are summary-path.ts's (the one path syntax of `expect:` and
 * `--metric`); these are its steps as the field table keys them.
 */
export type PathStep = { readonly key: string } | { readonly element: string };

/** Splits `functions[a.b].latencyMs.p99` into steps; null when malformed. */
export function parsePath(path: string): PathStep[] | null {
  const parsed = parseSummaryPath(path);
  if (!parsed.ok || parsed.segments[0]?.kind !== "key") return null;
  return parsed.segments.map((s) =>
    s.kind === "key" ? { key: s.key } : { element: s.kind === "index" ? String(s.index) : s.name },
  );
}

/** The template of a path: element steps become `[]` (`faults[0].x` → `faults[].x`). */
export function templateOf(steps: readonly PathStep[]): string {
  let out = "";
  for (const s of steps) out += "key" in s ? (out === "" ? s.key : `.${s.key}`) : "[]";
  return out;
}

/**
 * The value at a path: a number, null (the field is there and null: a fault that never
 * recovered), or undefined (not in this summary: a fault that did not happen, a function
 * not among those listed).
 */
export function readPath(root: unknown, steps: readonly PathStep[]): number | null | undefined {
  const segments: SummarySegment[] = steps.map((s) =>
    "key" in s
      ? { kind: "key", key: s.key }
      : /^\d+$/.test(s.element)
        ? { kind: "index", index: Number(s.element) }
        : { kind: "name", name: s.element },
  );
  return resolvePath(root, segments);
}

/**
 * Every numeric leaf of a summary by its path, in the summary's field order; arrays of
 * named elements (functions) by name, others (faults) by index. Booleans, strings and
 * the run's seed (its own column wherever runs are listed) are left out.
 */
export function numericLeaves(summary: object): [string, number | null][] {
  const out: [string, number | null][] = [];
  const walk = (path: string, v: unknown, template: string): void => {
    if (typeof v === "number") out.push([path, v]);
    else if (v === null) {
      if (SUMMARY_FIELDS[template]) out.push([path, null]);
    } else if (Array.isArray(v))
      v.forEach((e, i) => {
        const name = (e as { name?: unknown } | null)?.name;
        walk(`${path}[${typeof name === "string" ? name : i}]`, e, `${template}[]`);
      });
    else if (typeof v === "object")
      for (const [k, x] of Object.entries(v as Record<string, unknown>))
        walk(path === "" ? k : `${path}.${k}`, x, template === "" ? k : `${template}.${k}`);
  };
  for (const [k, v] of Object.entries(summary)) if (k !== "seed" && k !== "detail") walk(k, v, k);
  return out;
}
