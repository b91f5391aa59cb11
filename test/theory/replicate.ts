/**
 * Theory checks over independent replications: each seed is an independent run, so the
 * Student-t interval over seeds is exact in the limit whatever the autocorrelation
 * inside a run (no batch-means guesswork). A check asserts two things: that the
 * theoretical value lies inside the 99.9% confidence interval of the mean over seeds,
 * and that the mean is within a stated relative tolerance (which must be wider than
 * the interval, so the first assertion is the sharp one). Seeds are fixed, so the
 * outcome is deterministic: a 0.1% false-alarm rate is paid once, when the test is
 * written, not on every run.
 */
import { expect } from "vitest";
import { Run } from "../../src/experiment/run.js";
import { confidenceHalfWidth, mean } from "../../src/experiment/stats.js";
import type { Summary } from "../../src/metrics/summary.js";
import type { ResolvedScenario } from "../../src/scenario/types.js";

export const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

export interface Replication {
  summary: Summary;
  run: Run;
}

export function replicate<T>(
  base: ResolvedScenario,
  measure: (r: Replication) => T,
  seeds: readonly number[] = SEEDS,
): T[] {
  return seeds.map((seed) => {
    const run = new Run({ ...base, seed });
    run.runToEnd();
    const summary = run.finish().summary;
    return measure({ summary, run });
  });
}

export interface TheoryCheck {
  mean: number;
  halfWidth: number;
  relativeError: number;
}

export function expectTheory(
  samples: readonly number[],
  theory: number,
  relativeTolerance: number,
  label = expect.getState().currentTestName ?? "",
): TheoryCheck {
  const m = mean(samples);
  const halfWidth = confidenceHalfWidth(samples, 0.999);
  const relativeError = Math.abs(m - theory) / theory;
  expect(
    halfWidth / theory,
    "the run is too short: the interval is wider than the tolerance",
  ).toBeLessThan(relativeTolerance);
  expect(
    Math.abs(m - theory),
    `mean ${m} vs theory ${theory}, 99.9% half-width ${halfWidth}`,
  ).toBeLessThanOrEqual(halfWidth);
  expect(relativeError).toBeLessThan(relativeTolerance);
  // One line per check, so a test run shows how close the model comes to theory.
  console.log(
    `theory: ${label}: measured ${m.toPrecision(5)} vs ${theory.toPrecision(5)} ` +
      `(error ${(relativeError * 100).toFixed(2)}%, 99.9% half-width ${((halfWidth / theory) * 100).toFixed(2)}%)`,
  );
  return { mean: m, halfWidth, relativeError };
}
