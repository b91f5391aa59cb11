import { describe, expect, it } from "vitest";
import type { DistSpec, Rng } from "../../src/kernel/dist-spec.js";
import { mean, normalQuantile, quantile, sampler } from "../../src/kernel/distributions.js";
import { createStream } from "../../src/kernel/random.js";
import { KS_C_ALPHA_001, ksCritical, ksStatistic } from "./ks.js";

const N = 20_000;
const SEED = 20240601;

/*
 * Analytic CDFs and variances, written independently of src/ so that the sampler, the
 * quantile and the mean are each checked against a second derivation.
 */

/** erfc with fractional error below 1.2e-7 (Chebyshev fit, Numerical Recipes' erfcc). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t *
                          (-1.13520398 +
                            t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(-z * z + poly);
  return x >= 0 ? r : 2 - r;
}

const normalCdf = (z: number) => 0.5 * erfc(-z / Math.SQRT2);

type Points = ReadonlyArray<readonly [number, number]>;

/** Inverse of a piecewise-linear inverse CDF whose values strictly increase. */
function empiricalCdf(points: Points, x: number): number {
  const first = points[0]!;
  const last = points[points.length - 1]!;
  if (x <= first[1]) return 0;
  if (x >= last[1]) return 1;
  for (let i = 1; i < points.length; i++) {
    const [p0, v0] = points[i - 1]!;
    const [p1, v1] = points[i]!;
    if (x <= v1) return p0 + ((x - v0) / (v1 - v0)) * (p1 - p0);
  }
  return 1;
}

function cdf(spec: DistSpec, x: number): number {
  switch (spec.dist) {
    case "constant":
      return x >= spec.value ? 1 : 0;
    case "exponential":
      return x <= 0 ? 0 : 1 - Math.exp(-x / spec.mean);
    case "uniform":
      return Math.min(1, Math.max(0, (x - spec.min) / (spec.max - spec.min)));
    case "lognormal":
      return x <= 0 ? 0 : normalCdf((Math.log(x) - spec.mu) / spec.sigma);
    case "pareto":
      return x <= spec.scale ? 0 : 1 - (spec.scale / x) ** spec.shape;
    case "empirical":
      return empiricalCdf(spec.points, x);
  }
}

function variance(spec: DistSpec): number {
  switch (spec.dist) {
    case "constant":
      return 0;
    case "exponential":
      return spec.mean ** 2;
    case "uniform":
      return (spec.max - spec.min) ** 2 / 12;
    case "lognormal":
      return Math.expm1(spec.sigma ** 2) * Math.exp(2 * spec.mu + spec.sigma ** 2);
    case "pareto": {
      const a = spec.shape;
      return a <= 2 ? Number.POSITIVE_INFINITY : (spec.scale ** 2 * a) / ((a - 1) ** 2 * (a - 2));
    }
    case "empirical": {
      // Each segment is uniform in value over its probability mass.
      let m1 = 0;
      let m2 = 0;
      for (let i = 1; i < spec.points.length; i++) {
        const [p0, v0] = spec.points[i - 1]!;
        const [p1, v1] = spec.points[i]!;
        m1 += ((p1 - p0) * (v0 + v1)) / 2;
        m2 += ((p1 - p0) * (v0 * v0 + v0 * v1 + v1 * v1)) / 3;
      }
      return m2 - m1 * m1;
    }
  }
}

/** Azure Functions-like durations: 1 ms floor, 80 ms median, 2 s p99, 9 s max. */
const AZURE_LIKE: Points = [
  [0, 1_000],
  [0.5, 80_000],
  [0.99, 2_000_000],
  [1, 9_000_000],
];

/** lognormal with median 80 ms and p99 900 ms, as the scenario loader would resolve it. */
const LOGNORMAL: DistSpec = {
  dist: "lognormal",
  mu: Math.log(80_000),
  sigma: Math.log(900 / 80) / 2.3263478740408408,
};

const CONTINUOUS: ReadonlyArray<readonly [string, DistSpec]> = [
  ["exponential", { dist: "exponential", mean: 1_000 }],
  ["uniform", { dist: "uniform", min: 500, max: 2_500 }],
  ["lognormal", LOGNORMAL],
  ["pareto (shape 1.5)", { dist: "pareto", scale: 1_000, shape: 1.5 }],
  ["pareto (shape 3)", { dist: "pareto", scale: 1_000, shape: 3 }],
  ["empirical", { dist: "empirical", points: AZURE_LIKE }],
];

function draw(spec: DistSpec, name: string, n = N): Float64Array {
  const next = sampler(spec, createStream(SEED, name));
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = next();
  return out;
}

describe("sampler matches the analytic CDF (Kolmogorov–Smirnov, alpha = 0.001)", () => {
  it.each(CONTINUOUS)("%s", (name, spec) => {
    const samples = draw(spec, `ks/${name}`);
    expect(samples.every((x) => x >= 0 && Number.isFinite(x))).toBe(true);
    expect(ksStatistic(samples, (x) => cdf(spec, x))).toBeLessThan(ksCritical(N, KS_C_ALPHA_001));
  });

  it("constant returns its value and draws nothing", () => {
    let draws = 0;
    const counting: Rng = () => {
      draws++;
      return 0.5;
    };
    const next = sampler({ dist: "constant", value: 42 }, counting);
    expect([next(), next(), next()]).toEqual([42, 42, 42]);
    expect(draws).toBe(0);
  });

  it("the KS test has power: it rejects a 10% error in an exponential mean", () => {
    const samples = draw({ dist: "exponential", mean: 1_000 }, "ks/power");
    const wrong: DistSpec = { dist: "exponential", mean: 1_100 };
    expect(ksStatistic(samples, (x) => cdf(wrong, x))).toBeGreaterThan(ksCritical(N));
  });
});

describe("mean", () => {
  it.each(CONTINUOUS.filter(([, s]) => Number.isFinite(variance(s))))(
    "%s: the sample mean is within 4 standard errors of mean()",
    (name, spec) => {
      const samples = draw(spec, `mean/${name}`);
      const sampleMean = samples.reduce((a, x) => a + x, 0) / N;
      const standardError = Math.sqrt(variance(spec) / N);
      expect(Math.abs(sampleMean - mean(spec))).toBeLessThan(4 * standardError);
    },
  );

  it("has closed forms for each kind", () => {
    expect(mean({ dist: "constant", value: 7 })).toBe(7);
    expect(mean({ dist: "uniform", min: 2, max: 6 })).toBe(4);
    expect(mean({ dist: "lognormal", mu: 0, sigma: 1 })).toBeCloseTo(Math.exp(0.5), 12);
    expect(mean({ dist: "pareto", scale: 10, shape: 2 })).toBe(20);
    expect(
      mean({
        dist: "empirical",
        points: [
          [0, 0],
          [0.5, 10],
          [1, 30],
        ],
      }),
    ).toBe(12.5);
  });

  it("is infinite for a Pareto with shape <= 1", () => {
    expect(mean({ dist: "pareto", scale: 1, shape: 1 })).toBe(Number.POSITIVE_INFINITY);
    expect(mean({ dist: "pareto", scale: 1, shape: 0.5 })).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("quantile", () => {
  const grid = [0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999];

  it.each(CONTINUOUS)("%s: is the inverse of the CDF", (_name, spec) => {
    for (const p of grid) expect(cdf(spec, quantile(spec, p))).toBeCloseTo(p, 6);
  });

  it("handles the ends of [0, 1]", () => {
    expect(quantile({ dist: "exponential", mean: 5 }, 0)).toBe(0);
    expect(quantile({ dist: "exponential", mean: 5 }, 1)).toBe(Number.POSITIVE_INFINITY);
    expect(quantile(LOGNORMAL, 0)).toBe(0);
    expect(quantile(LOGNORMAL, 1)).toBe(Number.POSITIVE_INFINITY);
    expect(quantile({ dist: "pareto", scale: 3, shape: 2 }, 0)).toBe(3);
    expect(quantile({ dist: "empirical", points: AZURE_LIKE }, 0)).toBe(1_000);
    expect(quantile({ dist: "empirical", points: AZURE_LIKE }, 1)).toBe(9_000_000);
    expect(quantile({ dist: "empirical", points: AZURE_LIKE }, 0.5)).toBe(80_000);
  });

  it("recovers the median and p99 a lognormal was built from", () => {
    expect(quantile(LOGNORMAL, 0.5)).toBeCloseTo(80_000, 6);
    expect(quantile(LOGNORMAL, 0.99)).toBeCloseTo(900_000, 6);
  });

  it("rejects p outside [0, 1]", () => {
    expect(() => quantile({ dist: "exponential", mean: 1 }, 1.5)).toThrow(RangeError);
    expect(() => quantile({ dist: "exponential", mean: 1 }, Number.NaN)).toThrow(RangeError);
  });
});

describe("normalQuantile (AS241)", () => {
  it("matches reference values to 1e-12", () => {
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0.99)).toBeCloseTo(2.3263478740408408, 12);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 12);
  });

  it("inverts the normal CDF across all three branches", () => {
    for (const p of [1e-300, 1e-20, 1e-10, 1e-5, 0.01, 0.07, 0.3, 0.5, 0.8, 0.95, 1 - 1e-9]) {
      const z = normalQuantile(p);
      // erfc is good to 1.2e-7 relative, so compare tail probabilities relatively.
      const tail = 0.5 * erfc(Math.abs(z) / Math.SQRT2);
      expect(Math.abs(tail / Math.min(p, 1 - p) - 1)).toBeLessThan(1e-5);
    }
  });

  it("is infinite at 0 and 1", () => {
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("edge draws and validation", () => {
  const lowest: Rng = () => 0;
  const highest: Rng = () => 1 - 2 ** -32; // the largest value a 32-bit stream returns

  it.each(CONTINUOUS)("%s: finite and non-negative at u = 0 and the largest u", (_n, spec) => {
    for (const rng of [lowest, highest]) {
      const x = sampler(spec, rng)();
      expect(Number.isFinite(x) && x >= 0 && !Object.is(x, -0)).toBe(true);
    }
  });

  it("a lognormal with sigma 0 is its median", () => {
    expect(sampler({ dist: "lognormal", mu: Math.log(50), sigma: 0 }, lowest)()).toBeCloseTo(50, 9);
  });

  const invalid: ReadonlyArray<readonly [string, DistSpec]> = [
    ["negative constant", { dist: "constant", value: -1 }],
    ["NaN mean", { dist: "exponential", mean: Number.NaN }],
    ["min above max", { dist: "uniform", min: 5, max: 4 }],
    ["negative sigma", { dist: "lognormal", mu: 0, sigma: -1 }],
    ["zero pareto scale", { dist: "pareto", scale: 0, shape: 2 }],
    ["zero pareto shape", { dist: "pareto", scale: 1, shape: 0 }],
    ["one point", { dist: "empirical", points: [[0, 1]] }],
    [
      "not ending at 1",
      {
        dist: "empirical",
        points: [
          [0, 1],
          [0.9, 2],
        ],
      },
    ],
    [
      "repeated probability",
      {
        dist: "empirical",
        points: [
          [0, 1],
          [0.5, 2],
          [0.5, 3],
          [1, 4],
        ],
      },
    ],
    [
      "decreasing value",
      {
        dist: "empirical",
        points: [
          [0, 5],
          [1, 4],
        ],
      },
    ],
  ];

  it.each(invalid)("rejects %s", (_why, spec) => {
    expect(() => sampler(spec, lowest)).toThrow(RangeError);
    expect(() => mean(spec)).toThrow(RangeError);
  });
});
