/**
 * `lbsim validate <scenario...>`: check scenario files (every variant and sweep point
 * included) and print what is wrong; run nothing. The policy modules they name are
 * loaded and checked too (default export, kind, options), each named on stderr with
 * its hash. Exit code 2 when any is invalid.
 */
import type { Command } from "commander";
import { PluginError } from "../policies/plugins/errors.js";
import { loadPlugins } from "../policies/plugins/load.js";
import { loadScenario, ScenarioError } from "../scenario/load.js";
import type { ResolvedScenario } from "../scenario/types.js";
import { collect } from "./repeatable.js";

interface Output {
  write(text: string): unknown;
}

/** Checks each file; returns the exit code (0 all valid, 2 any invalid). */
export async function validateFiles(
  files: readonly string[],
  sets: readonly string[] = [],
  out: Output = process.stdout,
  err: Output = process.stderr,
): Promise<number> {
  let code = 0;
  for (const file of files) {
    try {
      const base = loadScenario(file, { sets });
      const seen = new Set<string>();
      const announce = (shown: string, sha256: string) => {
        if (seen.has(sha256)) return;
        seen.add(sha256);
        err.write(`lbsim: loading policy module ${shown} (sha256 ${sha256})\n`);
      };
      for (const scenario of withVariants(file, sets, base)) await loadPlugins(scenario, announce);
      out.write(`ok ${file}\n`);
    } catch (error) {
      if (!(error instanceof ScenarioError) && !(error instanceof PluginError)) throw error;
      err.write(`${error.message}\n`);
      code = 2;
    }
  }
  return code;
}

/** The scenario and each of its variants (already validated by loadScenario). */
function withVariants(
  file: string,
  sets: readonly string[],
  base: ResolvedScenario,
): ResolvedScenario[] {
  return [
    base,
    ...Object.keys(base.variants).map((variant) => loadScenario(file, { sets, variant })),
  ];
}

export function register(program: Command): void {
  program
    .command("validate")
    .description("check scenario files (and the policy modules they load); run nothing")
    .argument("<scenario...>", "scenario files (.yaml, .yml or .json)")
    .option("--set <path=value>", "override a field, as for run (repeatable)", collect, [])
    .action(async (files: string[], options: { set: string[] }) => {
      const code = await validateFiles(files, options.set);
      if (code !== 0) process.exitCode = code;
    });
}
