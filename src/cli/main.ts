#!/usr/bin/env node
/** The `lbsim` command line. */
import { Command } from "commander";
import { packageVersion } from "../package-info.js";
import { register as registerCheckPolicy } from "./check-policy.js";
import { register as registerCompare } from "./compare.js";
import { register as registerMerge } from "./merge.js";
import { register as registerReport } from "./report.js";
import { register as registerRun } from "./run.js";
import { register as registerScenarios } from "./scenarios.js";
import { register as registerSchema } from "./schema.js";
import { register as registerTrace } from "./trace.js";
import { register as registerValidate } from "./validate.js";

const program = new Command()
  .name("lbsim")
  .description("Deterministic discrete-event simulator of a stateful serverless load balancer")
  .version(packageVersion())
  .exitOverride((err) => {
    // commander's own usage errors (unknown option, missing argument) are exit 2.
    process.exit(err.exitCode === 0 ? 0 : 2);
  });

registerRun(program);
registerCompare(program);
registerMerge(program);
registerReport(program);
registerValidate(program);
registerCheckPolicy(program);
registerSchema(program);
registerScenarios(program);
registerTrace(program);

await program.parseAsync(process.argv);
