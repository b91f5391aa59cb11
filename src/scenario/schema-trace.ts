/**
 * `workload.trace` (SPEC 7): replaying a real workload. The files are read when the
 * scenario is resolved (src/scenario/trace.ts); here only the fields are checked,
 * with the rules that span them.
 */
import * as z from "zod";
import { coldStartSchema } from "./schema-dist.js";
import {
  countOrUnlimited,
  intBetween,
  MAX_SLOTS,
  memory,
  nonEmptyString,
  positiveInt,
  withCommas,
} from "./schema-values.js";

const minuteNumber = z
  .number({ error: "expected a minute number" })
  .int({ error: "expected a whole minute number" });

/** The limits of every replayed function (as functions[].maxSandboxes, slots and queue). */
const traceLimits = {
  maxSandboxes: countOrUnlimited()
    .prefault("unlimited")
    .describe(
      "Sandboxes of each replayed function at most: a number or unlimited. Default unlimited.",
    ),
  slots: intBetween(1, MAX_SLOTS)
    .prefault(1)
    .describe(
      `Requests one sandbox of a replayed function runs at once, 1 to ${withCommas(MAX_SLOTS)}. Default 1.`,
    ),
  queue: countOrUnlimited()
    .prefault(0)
    .describe(
      "Requests waiting in the local FIFO queue of each sandbox of a replayed function at most: a number or unlimited. Default 0.",
    ),
};

export const traceSchema = z
  .object({
    format: z
      .enum(["azure2019", "azure2021", "lbsim"])
      .describe(
        "The trace's format: azure2019, azure2021, or lbsim (what `lbsim trace convert` writes). Required.",
      ),
    invocations: nonEmptyString().describe(
      "The invocations file (every format), relative to the scenario file. Required.",
    ),
    durations: nonEmptyString()
      .optional()
      .describe(
        "The duration percentiles file, relative to the scenario file (azure2019 only, required there).",
      ),
    memory: nonEmptyString()
      .optional()
      .describe(
        "The memory file, per app or per function, relative to the scenario file (azure2019 only, optional).",
      ),
    minutes: z
      .tuple([minuteNumber, minuteNumber])
      .optional()
      .describe(
        "The minutes to replay, [first, last] inclusive, in the file's numbering; the first starts at time 0. Default all.",
      ),
    topFunctions: positiveInt()
      .optional()
      .describe(
        "Replay only the N functions with the most invocations in the window. Default all.",
      ),
    sampleFunctions: positiveInt()
      .optional()
      .describe("Replay N functions drawn at random (seeded by the scenario's seed). Default all."),
    arrivals: z
      .enum(["exact", "poisson"])
      .prefault("exact")
      .describe(
        "exact: the trace's arrivals (2019: each minute's count spread uniformly over the minute; 2021: each invocation as recorded). poisson: each function a Poisson process at its mean rate over the window (the same workload without its burstiness). Default exact.",
      ),
    memoryMb: memory({ positive: true })
      .prefault(128)
      .describe(
        "Memory of the functions the trace gives none (all of azure2021): a number of MB or a size. Default 128.",
      ),
    coldStart: coldStartSchema.prefault("250ms"),
    ...traceLimits,
  })
  .strict()
  .superRefine((t, ctx) => {
    const problem = (path: string, message: string) =>
      ctx.addIssue({ code: "custom", path: [path], message, input: t[path as keyof typeof t] });
    if (t.format === "azure2019" && t.durations === undefined)
      problem("durations", "azure2019 needs a durations file");
    if (t.format !== "azure2019") {
      if (t.durations !== undefined)
        problem("durations", `only azure2019 has a durations file (format is ${t.format})`);
      if (t.memory !== undefined)
        problem("memory", `only azure2019 has a memory file (format is ${t.format})`);
    }
    if (t.topFunctions !== undefined && t.sampleFunctions !== undefined)
      problem("sampleFunctions", "expected topFunctions or sampleFunctions, not both");
    if (t.minutes !== undefined && t.minutes[1] < t.minutes[0])
      problem(
        "minutes",
        `expected [first, last] with last >= first, got [${t.minutes.join(", ")}]`,
      );
  });

export type TraceOutput = z.output<typeof traceSchema>;
