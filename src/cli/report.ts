/** `lbsim report <result.json> [-o report.html]`: the HTML report of a run or a comparison. */
import { dirname, join, resolve } from "node:path";
import type { Command } from "commander";
import { ReportInputError, reportFromFile } from "../report/from-file.js";
import { reportError, UsageError } from "./errors.js";
import { writeFileAtomic } from "./files.js";

export function register(program: Command): void {
  program
    .command("report")
    .description("write the HTML report of a summary.json or comparison.json")
    .argument("<result>", "summary.json (lbsim run --out) or comparison.json (lbsim compare --out)")
    .option("-o, --out <file>", "where to write the report (default: report.html beside the input)")
    .option("--debug", "show stack traces of internal errors")
    .action((file: string, flags: { out?: string; debug?: boolean }) => {
      try {
        const { html } = reportFromFile(file);
        const target = resolve(flags.out ?? join(dirname(file), "report.html"));
        writeFileAtomic(target, html);
        process.stdout.write(`${target}\n`);
        process.exitCode = 0;
      } catch (error) {
        process.exitCode = reportError(
          error instanceof ReportInputError ? new UsageError(error.message) : error,
          flags.debug === true,
        );
      }
    });
}
