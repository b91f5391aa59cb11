/**
 * Schemas of the workload (SPEC 3): explicit functions, the generated population and
 * whole-workload settings (scale, a replayed trace). Part of the scenario schema
 * (schema.ts), each field described for `lbsim schema`.
 */
import * as z from "zod";
import { arrivalSchema, coldStartSchema, distSchema } from "./schema-dist.js";
import { traceSchema } from "./schema-trace.js";
import {
  countOrUnlimited,
  intBetween,
  MAX_SLOTS,
  memory,
  nonEmptyString,
  nonNegativeInt,
  nonNegativeNumber,
  positiveNumber,
  rate,
  withCommas,
} from "./schema-values.js";

/** Functions a population generates at most (a typo must not allocate millions). */
export const MAX_POPULATION = 1_000_000;

/** Per-function limits shared by explicit functions, the population and a trace (the same thing in each). */
const limits = {
  maxSandboxes: countOrUnlimited()
    .prefault("unlimited")
    .describe(
      "Sandboxes of the function at most (its concurrency limit): a number or unlimited. Default unlimited.",
    ),
  slots: intBetween(1, MAX_SLOTS)
    .prefault(1)
    .describe(
      `Requests one sandbox runs at once, 1 to ${withCommas(MAX_SLOTS)}. Default 1 (as Lambda).`,
    ),
  queue: countOrUnlimited()
    .prefault(0)
    .describe(
      "Requests waiting in each sandbox's local FIFO queue at most: a number or unlimited. Default 0 (no local queue).",
    ),
};

export const functionSchema = z
  .object({
    name: nonEmptyString().describe("The function's name, unique in the scenario. Required."),
    memoryMb: memory({ positive: true })
      .prefault(128)
      .describe(
        "Memory of each sandbox of the function: a number of MB or a size (1GB). Default 128 (Lambda's default).",
      ),
    codeMb: memory()
      .optional()
      .describe(
        "Size of the function's code package in a host's code cache: a number of MB or a size. Default memoryMb / 4.",
      ),
    cpu: positiveNumber()
      .optional()
      .describe(
        "vCPUs a busy sandbox of the function demands. Default memoryMb / 1769 (Lambda's ratio of memory to CPU).",
      ),
    duration: distSchema.describe(
      "Execution time of one request, before CPU contention: a duration or a distribution. Required.",
    ),
    coldStart: coldStartSchema.prefault("250ms"),
    arrivals: arrivalSchema,
    minSandboxes: nonNegativeInt()
      .prefault(0)
      .describe(
        "Sandboxes provisioned at time 0 and never reclaimed (provisioned concurrency). Default 0.",
      ),
    ...limits,
  })
  .strict()
  .describe("A function with its own arrivals.");

export const populationSchema = z
  .object({
    count: intBetween(1, MAX_POPULATION).describe(
      `Functions generated, named fn-001, fn-002, ...; 1 to ${withCommas(MAX_POPULATION)}. Required.`,
    ),
    totalRate: rate({ positive: true }).describe(
      "Sum of the generated functions' arrival rates: a rate. Required.",
    ),
    popularity: z
      .object({
        zipf: nonNegativeNumber()
          .prefault(1)
          .describe(
            "Exponent s of the popularity: the i-th function's rate is proportional to 1 / i^s (0: all equal). Default 1.",
          ),
      })
      .strict()
      .prefault({})
      .describe("How the total rate is shared among the functions."),
    memoryMb: z
      .union([
        memory({ positive: true }),
        z
          .object({
            values: z
              .array(memory({ positive: true }))
              .min(1)
              .describe("The sizes drawn from: numbers of MB or sizes (512MB, 1GB)."),
            weights: z
              .array(nonNegativeNumber())
              .optional()
              .describe("Relative weight of each size, one per value. Default all equal."),
          })
          .strict(),
      ])
      .prefault(128)
      .describe(
        "Memory of each generated function (numbers of MB or sizes): one size, or {values, weights} drawn per function (seeded). Default 128.",
      ),
    duration: distSchema.describe(
      "Execution time of one request of every generated function: a duration or a distribution. Required.",
    ),
    coldStart: coldStartSchema.prefault("250ms"),
    process: z
      .enum(["poisson", "constant"])
      .prefault("poisson")
      .describe(
        "Arrival process of each generated function: poisson or constant (evenly spaced). Default poisson.",
      ),
    ...limits,
  })
  .strict();

export const workloadSchema = z
  .object({
    scale: positiveNumber()
      .prefault(1)
      .describe(
        "Multiplies every arrival rate (functions, population and trace): a load knob for sweeps. Default 1.",
      ),
    trace: traceSchema
      .optional()
      .describe("A real workload to replay (SPEC 7); its functions join the others. Default none."),
  })
  .strict();
