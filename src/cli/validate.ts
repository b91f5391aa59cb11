/**
 * `lbsim validate <scenario...>`: check scenario files (every variant and sweep point
 * included) and print what is wrong; run nothing. Exit code 2 when any is invalid.
 */
import type { Command } from "commander";
import { loadScenario, ScenarioError } from "../scenario/load.js";

interface Output {
  write(text: string): unknown;
}

/** Checks each file; returns the exit code (0 all valid, 2 any invalid). */
export function validateFiles(
  files: readonly string[],
  sets: readonly string[] = [],
  out: Output = process.stdout,
  err: Output = process.stderr,
): number {
  let code = 0;
  for (const file of files) {
    try {
      loadScenario(file, { sets });
      out.write(`ok ${file}\n`);
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      err.write(`${error.message}\n`);
      code = 2;
    }
  }
  return code;
}

export function register(program: Command): void {
  program
    .command("validate")
    .description("check scenario files and print what is wrong; run nothing")
    .argument("<scenario...>", "scenario files (.yaml, .yml or .json)")
    .option("--set <path=value>", "override a field, as for run (repeatable)", collect, [])
    .action((files: string[], options: { set: string[] }) => {
      const code = validateFiles(files, options.set);
      if (code !== 0) process.exitCode = code;
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
