/**
 * `expect:` (SPEC 4): the scenario's answer as bounds on summary numbers, checked by
 * `run` (exit 3 when one fails) and `compare` (on each variant's mean over seeds).
 * Whether a path names a summary field is checked across fields (expect-checks.ts):
 * which functions and faults exist depends on the rest of the scenario.
 */
import * as z from "zod";
import { nonEmptyString } from "./schema-values.js";

const bound = (side: string) =>
  z
    .number({ error: "expected a number (in the summary's units)" })
    .refine(Number.isFinite, { error: "expected a finite number" })
    .optional()
    .describe(
      `The value must be ${side} this (inclusive), in the summary's units (ms, s, a ratio from 0 to 1...); no default.`,
    );

export const expectationSchema = z
  .object({
    metric: nonEmptyString().describe(
      "The summary field checked, by its path in summary.json: latencyMs.p99, faults[0].recoverySeconds, functions[NAME].coldStartRatio. Required.",
    ),
    min: bound("at least"),
    max: bound("at most"),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (e.min === undefined && e.max === undefined)
      ctx.addIssue({ code: "custom", message: "expected min, max or both" });
    else if (e.min !== undefined && e.max !== undefined && e.max < e.min)
      ctx.addIssue({
        code: "custom",
        path: ["max"],
        message: `expected max >= min (${e.min}), got ${e.max}`,
      });
  })
  .transform((e) => ({ metric: e.metric, min: e.min ?? null, max: e.max ?? null }));

export const expectSchema = z
  .array(expectationSchema)
  .prefault([])
  .describe(
    "The scenario's answer as checks on the summary: a list of {metric, min, max}. run exits 3 when one fails; compare checks each variant's mean over seeds. A variant replaces the list with its own `expect` entry. Default none.",
  );
