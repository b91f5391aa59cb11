/**
 * `workload.trace` (SPEC 7): replaying a real workload. The files are read when the
 * scenario is resolved (src/scenario/trace.ts); here only the fields are checked,
 * with the rules that span them.
 */
import * as z from "zod";
import { coldStartSchema } from "./schema-dist.js";
import { countOrUnlimited, nonEmptyString, positiveInt, positiveNumber } from "./schema-values.js";

const minuteNumber = z
  .number({ error: "expected a minute number" })
  .int({ error: "expected a whole minute number" });

export const traceSchema = z
  .object({
    /** azure2019, azure2021, or lbsim (what `lbsim trace convert` writes). Required. */
    format: z.enum(["azure2019", "azure2021", "lbsim"]),
    /** The invocations file (every format), relative to the scenario file. Required. */
    invocations: nonEmptyString(),
    /** azure2019: the duration percentiles file (required there). */
    durations: nonEmptyString().optional(),
    /** azure2019: the memory file, per app or per function (optional). */
    memory: nonEmptyString().optional(),
    /** The minutes to replay, [first, last] inclusive, in the file's numbering; default all. */
    minutes: z.tuple([minuteNumber, minuteNumber]).optional(),
    /** Replay only the N functions with the most invocations in the window. */
    topFunctions: positiveInt().optional(),
    /** Replay N functions drawn at random (seeded by the scenario's seed). */
    sampleFunctions: positiveInt().optional(),
    /**
     * exact (default): the trace's arrivals (2019: each minute's count spread uniformly
     * over the minute; 2021: each invocation as recorded). poisson: each function a
     * Poisson process at its mean rate over the window (an invocation trace's functions
     * then run their mean duration): the same workload without its burstiness.
     */
    arrivals: z.enum(["exact", "poisson"]).prefault("exact"),
    /** Memory of functions the trace gives none (all of azure2021); default 128. */
    memoryMb: positiveNumber().prefault(128),
    /** Cold-start time of every replayed function; default 250ms. */
    coldStart: coldStartSchema.prefault("250ms"),
    /** Default unlimited. */
    maxSandboxes: countOrUnlimited().prefault("unlimited"),
    /** Requests a sandbox runs at once; default 1. */
    slots: positiveInt().prefault(1),
    /** Local FIFO queue per sandbox; default 0. */
    queue: countOrUnlimited().prefault(0),
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
