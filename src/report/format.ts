/**
 * Number and text formatting for the report. Nothing here depends on the locale or the
 * clock, so the same data always gives the same page.
 */

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** Groups the digits of a whole number by thousands with thin spaces ("12 345"). */
function grouped(n: number): string {
  const sign = n < 0 ? "-" : "";
  const digits = String(Math.abs(n));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, "\u2009");
}

/**
 * A number for reading: whole numbers in full (grouped), others to `digits`
 * significant digits without trailing zeros; "–" for null, NaN or missing.
 */
export function num(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || Number.isNaN(x)) return "–";
  if (!Number.isFinite(x)) return x > 0 ? "∞" : "-∞";
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return grouped(x);
  const abs = Math.abs(x);
  if (abs >= 10 ** digits) return grouped(Math.round(x));
  if (abs < 1e-4) return x.toExponential(digits - 1).replace(/\.?0+e/, "e");
  const text = x.toPrecision(digits);
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

/** A ratio (0..1) as a percentage. */
export function pct(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || Number.isNaN(x)) return "–";
  return `${num(x * 100, digits)}%`;
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
