/** `lbsim merge <result.json...>`: shard results of one comparison, merged into one. */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { CompareUsageError } from "../experiment/compare.js";
import type { Comparison } from "../experiment/comparison.js";
import { merge } from "../experiment/merge.js";
import { writeOutputs } from "./compare.js";
import { reportError, UsageError } from "./errors.js";
import { outputFormat } from "./output-format.js";

export function register(program: Command): void {
  program
    .command("merge")
    .description("merge the shard results of one comparison (compare --shard I/N)")
    .argument("<result...>", "comparison.json files")
    .option(
      "--out <dir>",
      "write the merged comparison.json, report.html, runs.csv, timeseries.csv and run summaries here",
    )
    .option("--format <f>", "what to print: table, csv (the table's cells) or json")
    .option("--json", "print exactly the merged comparison.json on stdout (--format json)")
    .action((files: string[], flags: { out?: string; json?: boolean; format?: string }) => {
      try {
        const format = outputFormat(flags);
        const parts = files.map((file) => ({ file, comparison: read(file) }));
        const merged = merge(parts);
        if (merged.truncated)
          process.stderr.write(
            `lbsim merge: ${merged.runs.length} of ${merged.plannedRuns} runs present\n`,
          );
        writeOutputs(merged, { out: flags.out, format });
        process.exitCode = 0;
      } catch (error) {
        process.exitCode = reportError(
          error instanceof CompareUsageError ? new UsageError(error.message) : error,
          false,
        );
      }
    });
}

function read(file: string): Comparison {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`${file}: not found`);
  }
  try {
    return JSON.parse(text) as Comparison;
  } catch {
    throw new UsageError(`${file}: not valid JSON`);
  }
}
