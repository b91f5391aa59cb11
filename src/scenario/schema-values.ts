/**
 * Zod schemas for the value types of scenario files: durations, rates, counts and
 * "unlimited". Each converts while it validates (durations to microseconds, rates to
 * per second), so a bad value is reported at its own path with what was expected.
 */
import * as z from "zod";
import { POLICY_PATH_HINT } from "./issues.js";
import {
  DURATION_HINT,
  DURATION_PATTERN,
  type DurationOptions,
  MEMORY_HINT,
  MEMORY_PATTERN,
  parseDurationUs,
  parseMemoryMb,
  parseRate,
  RATE_HINT,
  RATE_PATTERN,
} from "./units.js";

/*
 * The patterns are for editors (they appear in `lbsim schema`); validation parses the
 * strings itself (units.ts), to say what is wrong with one rather than "no match".
 */
const durationInput = z
  .union([z.number(), z.string()], { error: `expected ${DURATION_HINT}` })
  .meta({ description: `${capitalize(DURATION_HINT)}.`, pattern: DURATION_PATTERN });

const rateInput = z
  .union([z.number(), z.string()], { error: `expected ${RATE_HINT}` })
  .meta({ description: `${capitalize(RATE_HINT)}.`, pattern: RATE_PATTERN });

const memoryInput = z
  .union([z.number(), z.string()], { error: `expected ${MEMORY_HINT}` })
  .meta({ description: `${capitalize(MEMORY_HINT)}.`, pattern: MEMORY_PATTERN });

/** A memory size in MB: a number of MB or a string with a unit (`2GB`). */
export function memory(options: { positive?: boolean } = {}) {
  return memoryInput.transform((value, ctx) => {
    const parsed = parseMemoryMb(value, options);
    if (parsed.ok) return parsed.value;
    ctx.addIssue({ code: "custom", message: parsed.message, input: value });
    return z.NEVER;
  });
}

/** A duration in microseconds, possibly fractional: for distribution parameters. */
export function durationParam(options: DurationOptions = {}) {
  return durationInput.transform((value, ctx) => {
    const parsed = parseDurationUs(value, options);
    if (parsed.ok) return parsed.value;
    ctx.addIssue({ code: "custom", message: parsed.message, input: value });
    return z.NEVER;
  });
}

/** A point in or span of simulated time: whole microseconds. */
export function time(options: DurationOptions = {}) {
  return durationParam(options).transform((us) => Math.round(us));
}

/** A time that may be `unlimited` (resolved to Infinity). */
export function timeOrUnlimited(options: DurationOptions = {}) {
  return z
    .union([z.literal("unlimited"), durationInput], {
      error: `expected ${DURATION_HINT}, or unlimited`,
    })
    .transform((value, ctx) => {
      if (value === "unlimited") return Number.POSITIVE_INFINITY;
      const parsed = parseDurationUs(value, options);
      if (parsed.ok) return Math.round(parsed.value);
      ctx.addIssue({ code: "custom", message: parsed.message, input: value });
      return z.NEVER;
    });
}

/** Events per second. */
export function rate(options: DurationOptions = {}) {
  return rateInput.transform((value, ctx) => {
    const parsed = parseRate(value, options);
    if (parsed.ok) return parsed.value;
    ctx.addIssue({ code: "custom", message: parsed.message, input: value });
    return z.NEVER;
  });
}

export function positiveNumber() {
  return z
    .number({ error: "expected a positive number" })
    .positive({ error: "expected a positive number" });
}

export function nonNegativeNumber() {
  return z
    .number({ error: "expected a non-negative number" })
    .nonnegative({ error: "expected a non-negative number" });
}

export function positiveInt() {
  return z
    .number({ error: "expected a positive integer" })
    .int({ error: "expected a positive integer" })
    .positive({ error: "expected a positive integer" });
}

export function nonNegativeInt() {
  return z
    .number({ error: "expected a non-negative integer" })
    .int({ error: "expected a non-negative integer" })
    .nonnegative({ error: "expected a non-negative integer" });
}

/** Requests one sandbox runs at once, at most (functions, population and trace alike). */
export const MAX_SLOTS = 100_000;

/**
 * An integer from `min` to `max`; every way of missing says both, so a typo such as
 * `hostsPerZone: 1e9` reads "expected an integer from 1 to 1,000,000".
 */
export function intBetween(min: number, max: number) {
  const error = `expected an integer from ${withCommas(min)} to ${withCommas(max)}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

/** 1000000 → 1,000,000 (no locale: the same text everywhere). */
export function withCommas(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** A non-negative integer or `unlimited` (resolved to Infinity). */
export function countOrUnlimited() {
  return z
    .union([nonNegativeInt(), z.literal("unlimited")], {
      error: "expected a non-negative integer or unlimited",
    })
    .transform((value) => (value === "unlimited" ? Number.POSITIVE_INFINITY : value));
}

/** A non-negative number or `unlimited` (resolved to Infinity). */
export function numberOrUnlimited() {
  return z
    .union([nonNegativeNumber(), z.literal("unlimited")], {
      error: "expected a non-negative number or unlimited",
    })
    .transform((value) => (value === "unlimited" ? Number.POSITIVE_INFINITY : value));
}

export function nonEmptyString() {
  return z.string({ error: "expected a string" }).min(1, { error: "expected a non-empty string" });
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A policy module's path as a scenario writes it (SPEC 12): relative to the file, or absolute. */
export type PolicyModulePath = `./${string}` | `../${string}` | `/${string}`;

/** Whether a policy value names a module (a path) rather than a built-in. */
export function isModulePath(value: string): value is PolicyModulePath {
  return value.startsWith("./") || value.startsWith("../") || value.startsWith("/");
}

/**
 * A policy: one of the built-in `names`, or a module's path (`./`, `../` or `/`). A bare
 * name that is not a built-in is an error listing the built-ins: only paths load code,
 * never a package name.
 */
export function policyValue<const T extends readonly [string, ...string[]]>(names: T) {
  return z.union(
    [
      z.enum(names),
      z.templateLiteral(["./", z.string()]),
      z.templateLiteral(["../", z.string()]),
      z.templateLiteral(["/", z.string()]),
    ],
    // Only paths load code: a bare name that is not a built-in is this error, never a package.
    { error: `expected one of ${names.join(" | ")}, ${POLICY_PATH_HINT}` },
  );
}

/** A policy module's own options (validated when the module loads, by its `options` schema). */
export function policyOptions() {
  return z.record(z.string(), z.unknown(), { error: "expected a map of option names to values" });
}
