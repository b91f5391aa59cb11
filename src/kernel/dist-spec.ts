/**
 * A probability distribution of a non-negative quantity, resolved to microseconds.
 * The scenario loader turns the user's forms (durations with units, lognormal by
 * median/p99, empirical percentiles) into these; `sampler()` in distributions.ts
 * turns one into a function that draws from a random stream.
 */
export type DistSpec =
  | { readonly dist: "constant"; readonly value: number }
  | { readonly dist: "exponential"; readonly mean: number }
  | { readonly dist: "uniform"; readonly min: number; readonly max: number }
  /** mu and sigma of ln(value in microseconds). */
  | { readonly dist: "lognormal"; readonly mu: number; readonly sigma: number }
  /** Pareto type I: P(X > x) = (scale / x)^shape for x >= scale. */
  | { readonly dist: "pareto"; readonly scale: number; readonly shape: number }
  /**
   * Piecewise-linear inverse CDF through (probability, value) points, probabilities
   * in [0, 1] strictly increasing from 0 to 1, values non-decreasing.
   */
  | { readonly dist: "empirical"; readonly points: ReadonlyArray<readonly [number, number]> };

/** A source of uniform numbers in [0, 1): one named random stream. */
export type Rng = () => number;
