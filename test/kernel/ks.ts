/**
 * One-sample Kolmogorov–Smirnov test for continuous distributions.
 *
 * D = sup_x |F_n(x) - F(x)|. For large n, P(sqrt(n) * D > c) is about 0.05 at
 * c = 1.36 and 0.001 at c = 1.95 (Kolmogorov's limit distribution). The tests assert
 * at alpha = 0.001 with a fixed seed: a correct sampler passes with a wide margin, and
 * a change of seed or generator that is still correct fails only one time in a thousand.
 * The CDF must be continuous: with atoms, the sup also needs F(x-) and this D is wrong.
 */

/** Critical value of D at alpha = 0.05. */
export const KS_C_ALPHA_05 = 1.36;
/** Critical value of D at alpha = 0.001. */
export const KS_C_ALPHA_001 = 1.95;

export function ksCritical(n: number, c: number = KS_C_ALPHA_001): number {
  return c / Math.sqrt(n);
}

/** The KS statistic of `samples` against `cdf` (the samples are not modified). */
export function ksStatistic(samples: ArrayLike<number>, cdf: (x: number) => number): number {
  const sorted = Float64Array.from(samples).sort();
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]!);
    // The empirical CDF jumps from i/n to (i+1)/n at the i-th order statistic.
    d = Math.max(d, f - i / n, (i + 1) / n - f);
  }
  return d;
}
