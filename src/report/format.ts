/**
 * Number and text formatting for the report, `run` and `compare`. Nothing here depends
 * on the locale or the clock, so the same data always gives the same page.
 */
import { formatNumber } from "./client/number.js";

export { formatNumber };

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/**
 * A number for reading: lbsim's one formatter (client/number.ts, shared with the page's
 * charts): whole numbers in full with thousands separators, others to `digits`
 * significant digits; "–" for null, NaN or missing.
 */
export function num(x: number | null | undefined, digits = 4): string {
  return formatNumber(x, digits);
}

/** A ratio (0..1) as a percentage: 0.01234 → "1.234%". */
export function pct(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || Number.isNaN(x)) return "–";
  return `${formatNumber(x * 100, digits)}%`;
}

/** A signed number, for differences: "+1,234", "-0.5", "0". */
export function signed(x: number | null | undefined, digits = 4): string {
  const text = formatNumber(x, digits);
  return x !== null && x !== undefined && x > 0 ? `+${text}` : text;
}

/** Rounds for the embedded chart data: 5 significant digits keep the page small. */
export function compact(x: number | null | undefined): number | null {
  if (x === null || x === undefined || !Number.isFinite(x)) return null;
  return Number(x.toPrecision(5));
}

/** Relative change of `x` over `base` as "23% lower" / "1.5× higher" / "equal". */
export function relative(x: number, base: number): string {
  if (x === base) return "equal";
  if (base === 0) return x > 0 ? "higher (from 0)" : "lower (from 0)";
  const r = x / base;
  if (r >= 2) return `${num(r, 2)}× higher`;
  if (r > 0 && r <= 0.5) return `${num(1 / r, 2)}× lower`;
  const change = Math.abs(r - 1) * 100;
  return `${num(change, 2)}% ${r > 1 ? "higher" : "lower"}`;
}

/** The unit a span of simulated seconds reads best in, for time axes. */
export function timeUnit(spanSeconds: number): { label: string; seconds: number } {
  if (spanSeconds > 3 * 3600) return { label: "h", seconds: 3600 };
  if (spanSeconds > 20 * 60) return { label: "min", seconds: 60 };
  return { label: "s", seconds: 1 };
}

/** Seconds in a short readable form ("90 s", "12.5 min", "3 h"). */
export function duration(seconds: number): string {
  const unit = timeUnit(seconds * 2);
  return `${num(seconds / unit.seconds)} ${unit.label}`;
}
