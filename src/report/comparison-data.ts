/**
 * A comparison's numbers arranged for charts: per metric, per sweep point and variant,
 * the estimate and the paired difference, scaled for display (ratios in percent).
 */
import type { Comparison, Difference, Estimate } from "../experiment/comparison.js";
import { type ComparedMetric, metricByName } from "../experiment/metrics.js";

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
  const m: ComparedMetric | undefined = metricByName(name);
  const ratio = name.endsWith("Ratio");
  const cell = <T>(
    f: (x: { estimate: Estimate | null; difference: Difference | null }) => T | null,
  ) =>
    c.results.map((p) =>
      p.variants.map((v) => {
        const x = v.metrics[name];
        return x ? f(x) : null;
      }),
    );
  return {
    name,
    label: m?.label ?? name,
    unit: ratio ? "%" : (m?.unit ?? ""),
    scale: ratio ? 100 : 1,
    lowerIsBetter: m?.lowerIsBetter ?? true,
    estimates: cell((x) => x.estimate),
    differences: cell((x) => x.difference),
  };
}

/** "latency p99 (ms)" */
export function axisLabel(m: MetricView): string {
  return m.unit ? `${m.label} (${m.unit})` : m.label;
}

/** Whether any estimate has a value other than exactly 0. */
export function hasSignal(m: MetricView): boolean {
  return m.estimates.some((row) =>
    row.some((e) => e !== null && (e.mean !== 0 || (e.halfWidth ?? 0) !== 0)),
  );
}

export function hasData(m: MetricView): boolean {
  return m.estimates.some((row) => row.some((e) => e !== null));
}

/** Index of the best variant at a point (by mean); -1 if none has a value. */
export function bestAt(m: MetricView, point: number): number {
  let best = -1;
  (m.estimates[point] ?? []).forEach((e, v) => {
    if (!e) return;
    const current = best >= 0 ? m.estimates[point]![best]! : null;
    if (!current || (m.lowerIsBetter ? e.mean < current.mean : e.mean > current.mean)) best = v;
  });
  return best;
}

export function worstAt(m: MetricView, point: number): number {
  const flipped = { ...m, lowerIsBetter: !m.lowerIsBetter };
  return bestAt(flipped, point);
}
