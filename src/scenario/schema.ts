/**
 * The scenario file format (SPEC 3) as one zod schema: it validates, fills defaults
 * and converts units; `lbsim schema` prints it as JSON Schema, with each field's
 * `.describe()` text (what it does, its default, its unit) for editors. Every object
 * is strict, so a misspelt field is an error rather than a setting silently ignored.
 * Defaults that depend on other fields (replicas, metricsInterval, codeMb, cpu) are
 * filled in resolve.ts and described here.
 */
import * as z from "zod";
import { expectSchema } from "./schema-expect.js";
import { clientsSchema, faultSchema } from "./schema-faults.js";
import { functionSchema, populationSchema, workloadSchema } from "./schema-functions.js";
import {
  balancerSchema,
  clusterSchema,
  keepAliveSchema,
  networkSchema,
  placementSchema,
} from "./schema-platform.js";
import { nonEmptyString, nonNegativeInt, time } from "./schema-values.js";

export const scenarioSchema = z
  .object({
    name: nonEmptyString().describe("The scenario's name, recorded in every result. Required."),
    description: z
      .string()
      .prefault("")
      .describe("The question the scenario asks and its answer, in prose. Default empty."),
    seed: nonNegativeInt()
      .prefault(1)
      .describe(
        "Root of every random stream: the same seed gives the same run, byte for byte. Default 1 (--seed overrides).",
      ),
    duration: time({ positive: true }).describe(
      "Simulated time measured, after the warmup: a positive duration. Required.",
    ),
    warmup: time()
      .prefault(0)
      .describe(
        "Simulated time before the measurement: requests arriving in it are not counted. A duration; default 0.",
      ),
    metricsInterval: time({ positive: true })
      .optional()
      .describe(
        "Bucket of the time series (timeseries.csv): a positive duration. Default max(1s, duration / 100).",
      ),
    extends: z
      .string()
      .optional()
      .describe(
        "A scenario file this one is merged over (a path relative to this file); null in this file deletes an inherited key.",
      ),
    cluster: clusterSchema.prefault({}).describe("The worker hosts and their zones."),
    network: networkSchema.prefault({}).describe("Latencies between components."),
    balancer: balancerSchema
      .prefault({})
      .describe("The stateful load balancer: partitions, replication, routing and overflow."),
    placement: placementSchema
      .prefault({})
      .describe("Where new sandboxes are created (a cold start)."),
    keepAlive: keepAliveSchema.prefault({}).describe("When idle sandboxes are reclaimed."),
    functions: z
      .array(functionSchema)
      .prefault([])
      .describe(
        "Explicit functions. At least one function, a population or a trace is required. Default none.",
      ),
    population: populationSchema
      .optional()
      .describe("Generated functions: a long tail with Zipf popularity. Default none."),
    workload: workloadSchema
      .prefault({})
      .describe("Whole-workload settings: a rate scale and a trace to replay."),
    faults: z
      .array(faultSchema)
      .prefault([])
      .describe(
        "Faults injected at given times (or at random): host crashes, zone outages, partitions, leader crashes, slow hosts. Default none.",
      ),
    clients: clientsSchema
      .optional()
      .describe(
        "How clients behave when an attempt fails or is slow: timeouts and retries. Default: no timeouts, no retries.",
      ),
    expect: expectSchema,
    variants: z
      .record(z.string(), z.record(z.string(), z.unknown()))
      .prefault({})
      .describe(
        "Named alternatives for run --variant and compare: each a map of dotted paths to values (placement.policy: random), applied over the scenario; an expect entry replaces the scenario's expectations. Default none.",
      ),
    sweep: z
      .object({
        param: nonEmptyString().describe(
          "The dotted path of the parameter swept (workload.scale).",
        ),
        values: z
          .array(z.unknown())
          .min(1)
          .describe("The values compare runs it at, each with every variant."),
      })
      .strict()
      .optional()
      .describe("One parameter and the values compare sweeps. Default none."),
  })
  .strict();

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ScenarioOutput = z.output<typeof scenarioSchema>;

/** JSON Schema of scenario files (their input form), for editors. */
export function scenarioJsonSchema(): object {
  const schema = z.toJSONSchema(scenarioSchema, { io: "input", unrepresentable: "any" });
  return {
    ...schema,
    title: "lbsim scenario",
    description:
      "A scenario of the lbsim simulator: a cluster, a balancer, functions and their arrivals, faults, and the answer it expects.",
  };
}
