/**
 * Schemas of distributions and arrival processes, resolved as they validate: every
 * time to microseconds, lognormals given by median and p99 to mu and sigma of
 * ln(microseconds), empirical percentiles to inverse-CDF points.
 */
import * as z from "zod";
import type { DistSpec } from "../kernel/dist-spec.js";
import { durationParam, nonNegativeNumber, positiveNumber, rate, time } from "./schema-values.js";
import type { ArrivalSpec } from "./types.js";
import { DURATION_HINT } from "./units.js";

/** z-score of the 99th percentile of the standard normal distribution. */
const Z99 = 2.3263478740408408;
/** mu given in ln(seconds) becomes mu of ln(microseconds) by adding this. */
const LN_US_PER_S = Math.log(1e6);

const kind = <N extends string>(name: N, what: string) =>
  z.literal(name).describe(`${name}: ${what}`);

const constant = z
  .object({
    dist: kind("constant", "always the same time."),
    value: durationParam().describe("The time, every draw: a duration."),
  })
  .strict();
const exponential = z
  .object({
    dist: kind("exponential", "memoryless times of a given mean."),
    mean: durationParam({ positive: true }).describe(
      "Mean of the exponential distribution: a positive duration.",
    ),
  })
  .strict();
const pareto = z
  .object({
    dist: kind("pareto", "heavy-tailed times from a minimum."),
    scale: durationParam({ positive: true }).describe(
      "The smallest time (x_m of the Pareto distribution): a positive duration.",
    ),
    shape: positiveNumber().describe(
      "Tail index alpha: smaller is heavier (the mean is infinite at 1 or below).",
    ),
  })
  .strict();

const uniform = z
  .object({
    dist: kind("uniform", "times equally likely between min and max."),
    min: durationParam().describe("Smallest time of the uniform distribution: a duration."),
    max: durationParam().describe("Largest time of the uniform distribution, >= min: a duration."),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.max < d.min)
      ctx.addIssue({ code: "custom", path: ["max"], message: "expected max >= min" });
  });

const lognormal = z
  .object({
    dist: kind("lognormal", "given by median and p99, or by mu and sigma."),
    median: durationParam({ positive: true })
      .optional()
      .describe("Median of the lognormal (with p99): a positive duration."),
    p99: durationParam({ positive: true })
      .optional()
      .describe("99th percentile of the lognormal (with median), >= median: a positive duration."),
    mu: z
      .number({ error: "expected a number (mu of ln seconds)" })
      .optional()
      .describe("Mean of the logarithm of the time in seconds (with sigma)."),
    sigma: nonNegativeNumber()
      .optional()
      .describe("Standard deviation of the logarithm of the time (with mu), >= 0."),
  })
  .strict()
  .transform((d, ctx): DistSpec => {
    if (
      d.median !== undefined &&
      d.p99 !== undefined &&
      d.mu === undefined &&
      d.sigma === undefined
    ) {
      if (d.p99 >= d.median) {
        return {
          dist: "lognormal",
          mu: Math.log(d.median),
          sigma: (Math.log(d.p99) - Math.log(d.median)) / Z99,
        };
      }
      ctx.addIssue({ code: "custom", path: ["p99"], message: "expected p99 >= median" });
      return z.NEVER;
    }
    if (
      d.mu !== undefined &&
      d.sigma !== undefined &&
      d.median === undefined &&
      d.p99 === undefined
    ) {
      return { dist: "lognormal", mu: d.mu + LN_US_PER_S, sigma: d.sigma };
    }
    ctx.addIssue({
      code: "custom",
      message: "expected either median and p99, or mu and sigma (of ln seconds)",
    });
    return z.NEVER;
  });

const empirical = z
  .object({
    dist: kind("empirical", "interpolated between given percentiles."),
    percentiles: z
      .record(z.string(), durationParam())
      .describe(
        "Percentile (0 to 100, including both) → time (a duration), not decreasing; times between are interpolated linearly.",
      ),
  })
  .strict()
  .transform((d, ctx): DistSpec => {
    const points = percentilePoints(d.percentiles, ctx);
    return points === undefined ? z.NEVER : { dist: "empirical", points };
  });

function percentilePoints(
  percentiles: Record<string, number>,
  ctx: z.core.$RefinementCtx,
): [number, number][] | undefined {
  const points: [number, number][] = [];
  for (const [key, value] of Object.entries(percentiles)) {
    const p = key.trim() === "" ? Number.NaN : Number(key);
    if (!(p >= 0 && p <= 100)) {
      ctx.addIssue({
        code: "custom",
        path: ["percentiles", key],
        message: "expected a percentile key from 0 to 100",
      });
      return undefined;
    }
    points.push([p / 100, value]);
  }
  points.sort((a, b) => a[0] - b[0]);
  if (points[0]?.[0] !== 0 || points[points.length - 1]?.[0] !== 1) {
    ctx.addIssue({
      code: "custom",
      path: ["percentiles"],
      message: "expected percentiles including 0 and 100",
    });
    return undefined;
  }
  for (let i = 1; i < points.length; i++) {
    const [p, value] = points[i] ?? [0, 0];
    if (value < (points[i - 1]?.[1] ?? 0)) {
      const key = Object.keys(percentiles).find((k) => Number(k) === p * 100) ?? String(p * 100);
      ctx.addIssue({
        code: "custom",
        path: ["percentiles", key],
        message: "expected values that do not decrease",
      });
      return undefined;
    }
  }
  return points;
}

const distObject = z.discriminatedUnion("dist", [
  constant,
  exponential,
  uniform,
  lognormal,
  pareto,
  empirical,
]);

/** A distribution of a time: a plain duration (constant) or `{dist: ...}`. */
export const distSchema = z.union(
  [durationParam().transform((value): DistSpec => ({ dist: "constant", value })), distObject],
  {
    error: `expected ${DURATION_HINT}, or a distribution such as {dist: exponential, mean: 100ms}`,
  },
);

/** `coldStart`: one distribution (cached and uncached alike) or `{cached, uncached}`. */
export const coldStartSchema = z
  .union([
    distSchema.transform((d) => ({ cached: d, uncached: d })),
    z
      .object({
        cached: distSchema.describe(
          "Cold-start time on a host whose code cache holds the package: a duration or a distribution.",
        ),
        uncached: distSchema.describe(
          "Cold-start time on a host that must fetch the package: a duration or a distribution.",
        ),
      })
      .strict(),
  ])
  .describe(
    "Time to start a new sandbox before its first request: one duration or distribution, or {cached, uncached} to tell hosts with the package cached from others. Default 250ms.",
  );

const process = <N extends string>(name: N, what: string) =>
  z.literal(name).describe(`${name}: ${what}`);

const poisson = z
  .object({
    process: process("poisson", "independent arrivals at a constant rate."),
    rate: rate({ positive: true }).describe("Mean arrival rate of the Poisson process: a rate."),
  })
  .strict();
const evenlySpaced = z
  .object({
    process: process("constant", "arrivals evenly spaced (a timer)."),
    rate: rate({ positive: true }).describe(
      "Arrivals per unit of time, evenly spaced (1/5min: every 5 minutes): a rate.",
    ),
  })
  .strict();

const steps = z
  .object({
    process: process("steps", "Poisson arrivals whose rate changes at given times."),
    steps: z
      .array(
        z
          .object({
            at: time().describe(
              "When this step's rate starts (it holds until the next step's at): a duration from time 0.",
            ),
            rate: rate().describe("Poisson rate from then on: a rate (0 for silence)."),
          })
          .strict(),
      )
      .min(1)
      .describe("The steps, in increasing order of at; before the first, no arrivals."),
  })
  .strict()
  .transform((a, ctx): ArrivalSpec => {
    for (let i = 1; i < a.steps.length; i++) {
      if ((a.steps[i]?.at ?? 0) <= (a.steps[i - 1]?.at ?? 0)) {
        ctx.addIssue({
          code: "custom",
          path: ["steps", i, "at"],
          message: "expected steps in increasing order of at",
        });
        return z.NEVER;
      }
    }
    return { process: "steps", steps: a.steps.map((s) => ({ atUs: s.at, rate: s.rate })) };
  });

const phase = (name: string) =>
  z
    .object({
      rate: rate().describe(`Poisson rate while ${name}: a rate.`),
      mean: time({ positive: true }).describe(
        `Mean length of an ${name} period (exponential): a positive duration.`,
      ),
    })
    .strict()
    .describe(`The ${name} state.`);
const onoff = z
  .object({
    process: process("onoff", "bursts: a two-state Markov-modulated Poisson process."),
    on: phase("on"),
    off: phase("off"),
  })
  .strict()
  .transform(
    (a): ArrivalSpec => ({
      process: "onoff",
      on: { rate: a.on.rate, meanUs: a.on.mean },
      off: { rate: a.off.rate, meanUs: a.off.mean },
    }),
  );

const diurnal = z
  .object({
    process: process("diurnal", "a Poisson rate that rises and falls as a cosine."),
    mean: rate({ positive: true }).describe("Rate averaged over a period: a rate."),
    amplitude: z
      .number({ error: "expected a number from 0 to 1" })
      .min(0)
      .max(1)
      .describe(
        "Swing of the rate as a fraction of the mean, 0 to 1: it goes from mean × (1 - amplitude) to mean × (1 + amplitude).",
      ),
    period: time({ positive: true })
      .prefault("1d")
      .describe("Length of one cycle: a positive duration. Default 1d."),
    peakAt: time()
      .prefault(0)
      .describe("Time of the peak within the period: a duration. Default 0."),
  })
  .strict()
  .transform((a, ctx): ArrivalSpec => {
    if (a.peakAt >= a.period) {
      ctx.addIssue({
        code: "custom",
        path: ["peakAt"],
        message: "expected peakAt within the period",
      });
      return z.NEVER;
    }
    return {
      process: "diurnal",
      mean: a.mean,
      amplitude: a.amplitude,
      periodUs: a.period,
      peakAtUs: a.peakAt,
    };
  });

export const arrivalSchema = z
  .discriminatedUnion("process", [poisson, evenlySpaced, steps, onoff, diurnal], {
    error: "expected an arrival process such as {process: poisson, rate: 10/s}",
  })
  .describe(
    "The function's arrival process: {process: poisson | constant | steps | onoff | diurnal, ...}. Required.",
  );
