/**
 * A comparison's numbers arranged for charts: per metric, per sweep point and variant,
 * the estimate and the paired difference, scaled for display (ratios in percent).
 */
import type { Comparison, Difference, Estimate, MetricResult } from "../experiment/comparison.js";
import { METRIC_ALIASES, metricByName } from "../experiment/metrics.js";
import { num } from "./format.js";

export interface MetricView {
  readonly name: string;
  readonly label: string;
  /** Unit as displayed ("%" for ratios). */
  readonly unit: string;
  readonly scale: number;
  readonly lowerIsBetter: boolean;
  /** [point][variant] */
  readonly estimates: (Estimate | null)[][];
  readonly differences: (Difference | null)[][];
  /** [point][variant]: runs where the value is null (never recovered); worse than any value. */
  readonly never: number[][];
  /** The word for runs that have a value, when null means "never" ("recovered"). */
  readonly presentWord: string | null;
}

export function variantName(v: string | null): string {
  return v ?? "baseline";
}

export function pointLabels(c: Comparison): string[] {
  if (!c.sweep) return [""];
  return c.sweep.values.map((v) => `${c.sweep!.param}=${valueText(v)}`);
}

export function valueText(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** The sweep's values as numbers, if every one is a number. */
export function numericSweep(c: Comparison): number[] | null {
  const values = c.sweep?.values;
  if (!values?.every((v) => typeof v === "number")) return null;
  return values as number[];
}

export function metricView(c: Comparison, name: string): MetricView {
  const m = metricByName(name);
  const ratio = m?.unit === "ratio";
  const cell = <T>(f: (x: MetricResult) => T | null) =>
    c.results.map((p) =>
      p.variants.map((v) => {
        const x = v.metrics[name];
        return x ? f(x) : null;
      }),
    );
  return {
    name,
    label: m ? labelWithFault(c, m.name, m.label) : name,
    unit: ratio ? "%" : (m?.unit ?? ""),
    scale: ratio ? 100 : 1,
    lowerIsBetter: m?.lowerIsBetter ?? true,
    estimates: cell((x) => x.estimate),
    differences: cell((x) => x.difference),
    // Comparisons written before `never` was counted have none.
    never: cell((x) => x.never ?? 0).map((row) => row.map((n) => n ?? 0)),
    presentWord: m?.nullMeansNever?.present ?? null,
  };
}

/** "fault 1 recovery" → "fault 1 (zone-outage) recovery", the kind from the runs. */
function labelWithFault(c: Comparison, path: string, label: string): string {
  const i = /^faults\[(\d+)\]/.exec(METRIC_ALIASES[path] ?? path)?.[1];
  if (i === undefined) return label;
  const kind = c.runs.map((r) => r.summary.faults[Number(i)]?.kind).find((k) => k !== undefined);
  return kind ? label.replace(/^fault \d+/, (f) => `${f} (${kind})`) : label;
}

/**
 * A variant's value at a point for reading: "84 ± 3", with the runs that never got a
 * value counted ("84 ± 3 (3/5 recovered)", "never (0/5)"); "–" when no run has it.
 * `unit`: append the unit ("84 s"), for sentences; tables put it in the header.
 */
export function estimateText(m: MetricView, point: number, v: number, unit = false): string {
  const e = m.estimates[point]?.[v] ?? null;
  const never = m.never[point]?.[v] ?? 0;
  const n = e?.n ?? 0;
  if (!e) return never > 0 ? `never (0/${never})` : "–";
  const k = m.scale;
  const value = unit ? withUnit(num(e.mean * k), m) : num(e.mean * k);
  const body = e.halfWidth === null ? value : `${value} ± ${num(e.halfWidth * k)}`;
  return never > 0 ? `${body} (${n}/${n + never} ${m.presentWord ?? "with a value"})` : body;
}

/** "84 s", "1.2%", "3": a formatted number with the view's unit. */
export function withUnit(text: string, m: MetricView): string {
  return `${text}${m.unit === "%" ? "%" : m.unit ? ` ${m.unit}` : ""}`;
}

/** "latency p99 (ms)" */
export function axisLabel(m: MetricView): string {
  return m.unit ? `${m.label} (${m.unit})` : m.label;
}

/** Whether any estimate has a value other than exactly 0, or some run never got one. */
export function hasSignal(m: MetricView): boolean {
  return (
    m.estimates.some((row) =>
      row.some((e) => e !== null && (e.mean !== 0 || (e.halfWidth ?? 0) !== 0)),
    ) || m.never.some((row) => row.some((n) => n > 0))
  );
}

export function hasData(m: MetricView): boolean {
  return (
    m.estimates.some((row) => row.some((e) => e !== null)) ||
    m.never.some((row) => row.some((n) => n > 0))
  );
}

/**
 * Orders two variants at a point, best first: a variant whose runs more often never got
 * a value (never recovered) is worse whatever its mean; then by mean. Variants without
 * any run sort last.
 */
function compareAt(m: MetricView, point: number, a: number, b: number): number {
  const share = (v: number): number | null => {
    const n = m.estimates[point]?.[v]?.n ?? 0;
    const never = m.never[point]?.[v] ?? 0;
    return n + never === 0 ? null : never / (n + never);
  };
  const [sa, sb] = [share(a), share(b)];
  if (sa === null || sb === null) return sa === sb ? 0 : sa === null ? 1 : -1;
  if (sa !== sb) return sa - sb;
  const ea = m.estimates[point]?.[a];
  const eb = m.estimates[point]?.[b];
  if (!ea || !eb) return 0;
  return m.lowerIsBetter ? ea.mean - eb.mean : eb.mean - ea.mean;
}

function present(m: MetricView, point: number): number[] {
  const row = m.estimates[point] ?? [];
  return row.map((_, v) => v).filter((v) => row[v] !== null || (m.never[point]?.[v] ?? 0) > 0);
}

/** Index of the best variant at a point; -1 if none has a value. The first wins a tie. */
export function bestAt(m: MetricView, point: number): number {
  let best = -1;
  for (const v of present(m, point)) if (best < 0 || compareAt(m, point, v, best) < 0) best = v;
  return best;
}

/** Index of the worst variant at a point (never recovered counts as worst). */
export function worstAt(m: MetricView, point: number): number {
  let worst = -1;
  for (const v of present(m, point)) if (worst < 0 || compareAt(m, point, v, worst) > 0) worst = v;
  return worst;
}
