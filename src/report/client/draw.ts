/// <reference lib="dom" />
/**
 * Drawing the report adds to uPlot (run in the browser, inlined into the page): fault
 * windows shaded behind the series, confidence-interval whiskers, grouped bars and a
 * zero line. Each is a uPlot hook drawing on the chart's canvas in canvas pixels.
 * Client files import nothing at run time: assets.ts concatenates them into one script.
 */
import type UPlot from "uplot";
import type { ChartSpec } from "../chart-spec.js";

/** Share of a category's width the bars of one group take. */
const GROUP_WIDTH = 0.8;

/** Fault windows: grey spans behind the series, their names at the top. */
export function drawBands(u: UPlot, spec: ChartSpec): void {
  if (!spec.bands || spec.bands.length === 0) return;
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox;
  const ratio = window.devicePixelRatio || 1;
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  ctx.font = `${Math.round(11 * ratio)}px system-ui, sans-serif`;
  ctx.textBaseline = "top";
  spec.bands.forEach((band, i) => {
    const x0 = u.valToPos(band.from, "x", true);
    const x1 = Math.max(u.valToPos(band.to, "x", true), x0 + ratio);
    ctx.fillStyle = "rgba(0, 0, 0, 0.09)";
    ctx.fillRect(x0, top, x1 - x0, height);
    ctx.fillStyle = "#444";
    ctx.fillText(band.label, x0 + 3 * ratio, top + (3 + (i % 3) * 13) * ratio);
  });
  ctx.restore();
}

/** The line y = 0 across the plot. */
export function drawZeroLine(u: UPlot): void {
  const y = u.valToPos(0, "y", true);
  const { left, top, width, height } = u.bbox;
  if (y < top || y > top + height) return;
  const ctx = u.ctx;
  ctx.save();
  ctx.strokeStyle = "#333";
  ctx.lineWidth = window.devicePixelRatio || 1;
  ctx.beginPath();
  ctx.moveTo(left, y);
  ctx.lineTo(left + width, y);
  ctx.stroke();
  ctx.restore();
}

/** Horizontal pixel offset of series `s` of `n` within a category (bars and their whiskers). */
export function groupOffset(u: UPlot, spec: ChartSpec, s: number, n: number): number {
  // Lines: whiskers stay on their points.
  if (spec.kind !== "bars" || spec.stacked) return 0;
  const step = Math.abs(u.valToPos(1, "x", true) - u.valToPos(0, "x", true));
  const bar = (step * GROUP_WIDTH) / n;
  return -((step * GROUP_WIDTH) / 2) + bar * (s + 0.5);
}

/**
 * Grouped bars: for each category, one bar per visible series, from 0 to its value.
 * Stacked bars: one bar per category, each visible series on top of the ones before.
 */
export function drawBars(u: UPlot, spec: ChartSpec): void {
  const ctx = u.ctx;
  const n = spec.stacked ? 1 : spec.series.length;
  const step = Math.abs(u.valToPos(1, "x", true) - u.valToPos(0, "x", true));
  const width = Math.max(1, (step * GROUP_WIDTH) / n - 2);
  const below = spec.x.map(() => 0);
  ctx.save();
  spec.series.forEach((series, s) => {
    if (!u.series[s + 1]?.show) return;
    series.values.forEach((v, i) => {
      if (v === null || v === 0) return;
      const from = spec.stacked ? below[i]! : 0;
      if (spec.stacked) below[i] = from + v;
      const cx = u.valToPos(spec.x[i]!, "x", true) + groupOffset(u, spec, s, n);
      const base = u.valToPos(from, "y", true);
      const y = u.valToPos(from + v, "y", true);
      ctx.globalAlpha = series.pale?.[i] ? 0.35 : 0.9;
      ctx.fillStyle = series.colour;
      ctx.fillRect(cx - width / 2, Math.min(y, base), width, Math.max(1, Math.abs(base - y)));
    });
  });
  ctx.restore();
}

/** Confidence intervals: a vertical line with caps at each value that has one. */
export function drawWhiskers(u: UPlot, spec: ChartSpec): void {
  const ctx = u.ctx;
  const ratio = window.devicePixelRatio || 1;
  const n = spec.series.length;
  ctx.save();
  ctx.lineWidth = 1.5 * ratio;
  spec.series.forEach((series, s) => {
    if (!series.lo || !series.hi || !u.series[s + 1]?.show) return;
    ctx.strokeStyle = spec.kind === "bars" ? "#222" : series.colour;
    series.values.forEach((_, i) => {
      const lo = series.lo?.[i];
      const hi = series.hi?.[i];
      if (lo === null || lo === undefined || hi === null || hi === undefined) return;
      const cx = u.valToPos(spec.x[i]!, "x", true) + groupOffset(u, spec, s, n);
      const y0 = u.valToPos(lo, "y", true);
      const y1 = u.valToPos(hi, "y", true);
      const cap = 4 * ratio;
      ctx.beginPath();
      ctx.moveTo(cx, y0);
      ctx.lineTo(cx, y1);
      ctx.moveTo(cx - cap, y0);
      ctx.lineTo(cx + cap, y0);
      ctx.moveTo(cx - cap, y1);
      ctx.lineTo(cx + cap, y1);
      ctx.stroke();
    });
  });
  ctx.restore();
}
