/**
 * The one number formatter of lbsim: `run`'s and `compare`'s tables, the report's text
 * and tables, and the report's chart axes and legends (this file is also inlined into
 * the page's script, so it imports nothing and depends on no locale).
 *
 * - whole numbers in full, digits grouped by thousands with commas: 2,631,734;
 * - other numbers to `digits` (default 4) significant digits, trailing zeros dropped:
 *   0.01234, 12.5, 28,910 (from 28,910.6);
 * - very small or very large magnitudes in exponent form: 1.234e-6;
 * - "–" for null, undefined or NaN; "∞" for infinities.
 */
export function formatNumber(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || Number.isNaN(x)) return "–";
  if (!Number.isFinite(x)) return x > 0 ? "∞" : "-∞";
  if (x === 0) return "0";
  const abs = Math.abs(x);
  if (abs >= 1e15 || abs < 1e-4) return trimExponent(x.toExponential(digits - 1));
  if (Number.isInteger(x)) return groupThousands(String(x));
  const rounded = Number(x.toPrecision(digits));
  if (Number.isInteger(rounded)) return groupThousands(String(rounded));
  // Below 10^digits toPrecision never uses an exponent; drop trailing zeros.
  return groupThousands(
    rounded
      .toPrecision(digits)
      .replace(/(\.\d*?)0+$/, "$1")
      .replace(/\.$/, ""),
  );
}

/** Commas between groups of three digits of the integer part ("-1234.5" → "-1,234.5"). */
function groupThousands(text: string): string {
  const [whole = "", fraction] = text.split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** "1.230e-6" → "1.23e-6"; "1.000e+15" → "1e15". */
function trimExponent(text: string): string {
  return text.replace(/\.?0+e/, "e").replace("e+", "e");
}
