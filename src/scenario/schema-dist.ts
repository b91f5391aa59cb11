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

const constant = z.object({ dist: z.literal("constant"), value: durationParam() }).strict();
const exponential = z
  .object({ dist: z.literal("exponential"), mean: durationParam({ positive: true }) })
  .strict();
const pareto = z
  .object({
    dist: z.literal("pareto"),
    scale: durationParam({ positive: true }),
    shape: positiveNumber(),
  })
  .strict();

const uniform = z
  .object({ dist: z.literal("uniform"), min: durationParam(), max: durationParam() })
  .strict()
  .superRefine((d, ctx) => {
    if (d.max < d.min)
      ctx.addIssue({ code: "custom", path: ["max"], message: "expected max >= min" });
  });

const lognormal = z
  .object({
    dist: z.literal("lognormal"),
    median: durationParam({ positive: true }).optional(),
    p99: durationParam({ positive: true }).optional(),
    mu: z.number({ error: "expected a number (mu of ln seconds)" }).optional(),
    sigma: nonNegativeNumber().optional(),
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
  .object({ dist: z.literal("empirical"), percentiles: z.record(z.string(), durationParam()) })
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
    z.object({ cached: distSchema, uncached: distSchema }).strict(),
  ])
  .meta({
    description:
      "Cold-start time: one distribution, or {cached, uncached} for hosts with or without the code cached.",
  });

const poisson = z
  .object({ process: z.literal("poisson"), rate: rate({ positive: true }) })
  .strict();
const evenlySpaced = z
  .object({ process: z.literal("constant"), rate: rate({ positive: true }) })
  .strict();

const steps = z
  .object({
    process: z.literal("steps"),
    steps: z.array(z.object({ at: time(), rate: rate() }).strict()).min(1),
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

const phase = z.object({ rate: rate(), mean: time({ positive: true }) }).strict();
const onoff = z
  .object({ process: z.literal("onoff"), on: phase, off: phase })
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
    process: z.literal("diurnal"),
    mean: rate({ positive: true }),
    amplitude: z.number({ error: "expected a number from 0 to 1" }).min(0).max(1),
    /** Default 1d. */
    period: time({ positive: true }).prefault("1d"),
    /** Time of the peak within the period; default 0. */
    peakAt: time().prefault(0),
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

export const arrivalSchema = z.discriminatedUnion(
  "process",
  [poisson, evenlySpaced, steps, onoff, diurnal],
  {
    error: "expected an arrival process such as {process: poisson, rate: 10/s}",
  },
);
