/**
 * Checking a scenario's `expect:` against numbers: a summary's (run) or the mean of a
 * variant's runs (compare). Bounds are inclusive. A value that is null (a fault that
 * never recovered) or missing (a function not among those the summary lists) fails
 * every bound: an expectation can only pass on a number. Pure; the command line prints.
 */
import type { Expectation } from "../scenario/types.js";
import { resolvePath } from "./summary-path.js";

export interface ExpectationOutcome {
  readonly expectation: Expectation;
  /** The number checked; null when the field was null, undefined when it was missing. */
  readonly value: number | null | undefined;
  readonly passed: boolean;
  /** One line: `✓ latencyMs.mean = 2.058 (expected between 1.9 and 2.1)`. */
  readonly text: string;
}

export const PASS_MARK = "✓";
export const FAIL_MARK = "✗";

/** `between 1.9 and 2.1`, `at least 10`, `at most 0`. */
export function describeBounds(e: Expectation): string {
  if (e.min !== null && e.max !== null) return `between ${e.min} and ${e.max}`;
  if (e.min !== null) return `at least ${e.min}`;
  return `at most ${e.max}`;
}

/**
 * Checks one value. `what` names where the value comes from when it is not a single
 * summary's (`mean of 5 seeds`); `why` explains a missing value.
 */
export function checkValue(
  e: Expectation,
  value: number | null | undefined,
  options: { what?: string; why?: string } = {},
): ExpectationOutcome {
  const expected = `expected ${describeBounds(e)}`;
  const what = options.what === undefined ? "" : `, ${options.what}`;
  if (value === undefined || value === null) {
    const reason =
      options.why ?? (value === null ? "null: no number to compare" : "not in the summary");
    return {
      expectation: e,
      value,
      passed: false,
      text: `${FAIL_MARK} ${e.metric}${what}: ${reason}, ${expected}`,
    };
  }
  const low = e.min !== null && value < e.min;
  const high = e.max !== null && value > e.max;
  const shown = `${e.metric} = ${show(value)}${what}`;
  if (low) return fail(e, value, `${shown}: below the min ${e.min} (${expected})`);
  if (high) return fail(e, value, `${shown}: above the max ${e.max} (${expected})`);
  return { expectation: e, value, passed: true, text: `${PASS_MARK} ${shown} (${expected})` };
}

function fail(e: Expectation, value: number, text: string): ExpectationOutcome {
  return { expectation: e, value, passed: false, text: `${FAIL_MARK} ${text}` };
}

/** Every expectation checked on one run's summary. */
export function checkSummary(
  expectations: readonly Expectation[],
  summary: unknown,
): ExpectationOutcome[] {
  return expectations.map((e) => checkValue(e, resolvePath(summary, e.metric)));
}

/** Six significant digits at most, as the summary rounds; no exponent for ordinary sizes. */
function show(value: number): string {
  return String(Number(value.toPrecision(6)));
}
