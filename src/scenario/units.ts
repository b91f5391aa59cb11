/**
 * Units of scenario files. Durations are strings with a unit (`500us`, `250ms`, `1.5s`,
 * `10min`, `2h`, `1d`) or plain numbers of seconds; rates are `100/s`, `6000/min`,
 * `2/h` or plain numbers per second. A string without a unit is an error rather than a
 * guess: `"10"` could mean seconds or milliseconds, and guessing wrong is silent.
 * Memory sizes are plain numbers of MB (the fields say so: `memoryMb`) or strings with
 * a unit (`512MB`, `1.5GB`, `2GiB`), in powers of 1024: 1 GB = 1024 MB, as hosts count.
 */

export type Parsed =
  | { readonly ok: true; readonly value: number }
  | { readonly ok: false; readonly message: string };

/** Microseconds per unit. */
export const DURATION_UNITS: Readonly<Record<string, number>> = {
  us: 1,
  µs: 1,
  ms: 1e3,
  s: 1e6,
  min: 60e6,
  h: 3600e6,
  d: 86_400e6,
};

/** Events per second, per unit of the denominator. */
export const RATE_UNITS: Readonly<Record<string, number>> = {
  us: 1e6,
  ms: 1e3,
  s: 1,
  min: 1 / 60,
  h: 1 / 3600,
  d: 1 / 86_400,
};

/** MB per unit, in powers of 1024 (KB and KiB alike); units are matched ignoring case. */
export const MEMORY_UNITS: Readonly<Record<string, number>> = {
  kb: 1 / 1024,
  mb: 1,
  gb: 1024,
  tb: 1024 * 1024,
};

export const DURATION_HINT =
  "a duration such as 500us, 250ms, 1.5s, 10min, 2h, 1d or a number of seconds";
export const RATE_HINT = "a rate such as 100/s, 6000/min, 2/h or a number per second";
export const MEMORY_HINT = "a size such as 512MB, 1.5GB, 2GiB (1 GB = 1024 MB) or a number of MB";

/**
 * JSON Schema patterns of the strings parseDurationUs and parseRate accept, for editors
 * (a negative one matches no pattern: it is rejected anyway).
 */
const NUMBER_PATTERN = String.raw`\+?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?`;
const unitsPattern = (units: Readonly<Record<string, number>>) => Object.keys(units).join("|");
export const DURATION_PATTERN = String.raw`^\s*${NUMBER_PATTERN}\s*(?:${unitsPattern(DURATION_UNITS)})\s*$`;
export const RATE_PATTERN = String.raw`^\s*${NUMBER_PATTERN}\s*/\s*(?:${unitsPattern(RATE_UNITS)})\s*$`;
export const MEMORY_PATTERN = String.raw`^\s*${NUMBER_PATTERN}\s*[kKmMgGtT][iI]?[bB]\s*$`;

/** Past this many microseconds (about 285 years) integer arithmetic on times loses precision. */
const MAX_US = Number.MAX_SAFE_INTEGER;

const NUMBER = String.raw`[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?`;
const DURATION_RE = new RegExp(String.raw`^\s*(${NUMBER})\s*([a-zµ]+)\s*$`);
const RATE_RE = new RegExp(String.raw`^\s*(${NUMBER})\s*/\s*([a-zµ]+)\s*$`);
const MEMORY_RE = new RegExp(String.raw`^\s*(${NUMBER})\s*([kmgt])i?b\s*$`, "i");

export interface DurationOptions {
  /** Reject zero (an interval, a period). */
  readonly positive?: boolean;
}

/**
 * A duration in microseconds, not rounded (distribution parameters may be fractional).
 * Products such as 1.1 × 1e6 are snapped to the nearest integer when within 1e-6, so
 * `1.1s` is exactly 1100000.
 */
export function parseDurationUs(input: unknown, options: DurationOptions = {}): Parsed {
  let us: number;
  if (typeof input === "number") {
    us = input * 1e6;
  } else if (typeof input === "string") {
    const match = DURATION_RE.exec(input);
    const factor = match?.[2] === undefined ? undefined : DURATION_UNITS[match[2]];
    if (match?.[1] === undefined || factor === undefined) {
      return { ok: false, message: `expected ${DURATION_HINT}, got ${JSON.stringify(input)}` };
    }
    us = Number(match[1]) * factor;
  } else {
    return { ok: false, message: `expected ${DURATION_HINT}` };
  }
  return checkMagnitude(
    snap(us),
    input,
    options.positive === true ? "a positive duration" : "a non-negative duration",
  );
}

/** A rate in events per second. */
export function parseRate(input: unknown, options: DurationOptions = {}): Parsed {
  let perSecond: number;
  if (typeof input === "number") {
    perSecond = input;
  } else if (typeof input === "string") {
    const match = RATE_RE.exec(input);
    const factor = match?.[2] === undefined ? undefined : RATE_UNITS[match[2]];
    if (match?.[1] === undefined || factor === undefined) {
      return { ok: false, message: `expected ${RATE_HINT}, got ${JSON.stringify(input)}` };
    }
    perSecond = Number(match[1]) * factor;
  } else {
    return { ok: false, message: `expected ${RATE_HINT}` };
  }
  return checkMagnitude(
    perSecond,
    input,
    options.positive === true ? "a positive rate" : "a non-negative rate",
  );
}

/** A memory size in MB: a number (MB already) or a string with a unit. */
export function parseMemoryMb(input: unknown, options: { positive?: boolean } = {}): Parsed {
  let mb: number;
  let what = "number";
  if (typeof input === "number") {
    mb = input;
  } else if (typeof input === "string") {
    const match = MEMORY_RE.exec(input);
    const factor = MEMORY_UNITS[`${match?.[2]?.toLowerCase()}b`];
    if (match?.[1] === undefined || factor === undefined) {
      return { ok: false, message: `expected ${MEMORY_HINT}, got ${JSON.stringify(input)}` };
    }
    mb = Number(match[1]) * factor;
    what = "size";
  } else {
    return { ok: false, message: `expected ${MEMORY_HINT}` };
  }
  const expected = options.positive === true ? `a positive ${what}` : `a non-negative ${what}`;
  const got = JSON.stringify(input);
  if (!Number.isFinite(mb) || mb < 0 || (mb === 0 && options.positive === true))
    return { ok: false, message: `expected ${expected}, got ${got}` };
  return { ok: true, value: mb };
}

function snap(value: number): number {
  const nearest = Math.round(value);
  return Math.abs(value - nearest) < 1e-6 ? nearest : value;
}

function checkMagnitude(value: number, input: unknown, expected: string): Parsed {
  const got = JSON.stringify(input) ?? String(input);
  if (Number.isNaN(value)) return { ok: false, message: `expected ${expected}, got ${got}` };
  if (value < 0 || (value === 0 && expected.includes("positive"))) {
    return { ok: false, message: `expected ${expected}, got ${got}` };
  }
  if (!Number.isFinite(value) || value > MAX_US) {
    return {
      ok: false,
      message: `expected ${expected} below 2^53 (microseconds or events per second), got ${got}`,
    };
  }
  return { ok: true, value };
}

/** Render microseconds back in the largest unit that keeps them exact (for messages). */
export function formatUs(us: number): string {
  if (!Number.isFinite(us)) return "unlimited";
  for (const unit of ["d", "h", "min", "s", "ms"] as const) {
    const factor = DURATION_UNITS[unit] ?? 1;
    if (us !== 0 && us % factor === 0) return `${us / factor}${unit}`;
  }
  return `${us}us`;
}
