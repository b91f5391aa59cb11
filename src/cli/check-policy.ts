/**
 * `lbsim check-policy <file>`: holds a policy module to the conformance suite of its
 * family, the very one every built-in passes (src/policies/conformance/), ending with
 * the determinism check, and prints each property as pass or FAIL with the reason.
 * Exit 0 when all pass, 1 when any fails, 2 when the module cannot be loaded.
 */
import type { Command } from "commander";
import { moduleConformance } from "../policies/conformance/module.js";
import { failureSummary } from "../policies/conformance/property.js";
import { reportError, UsageError } from "./errors.js";
import { announcePlugin } from "./plugins.js";

interface Flags {
  kind?: string;
  options?: string;
  debug?: boolean;
}

export function register(program: Command): void {
  program
    .command("check-policy")
    .description("run the built-ins' conformance suite and a determinism check on a policy module")
    .argument("<file>", "the policy module (a path: ./my-policy.js)")
    .option(
      "--kind <kind>",
      "placement, routing, keepAlive or retry (default: the module's `kind` export)",
    )
    .option("--options <json>", "options to make the policy with, as a scenario's `options:` would")
    .option("--debug", "show stack traces")
    .action(async (file: string, flags: Flags) => {
      process.exitCode = await checkPolicy(file, flags);
    });
}

export async function checkPolicy(
  file: string,
  flags: Flags,
  out = process.stdout,
): Promise<number> {
  try {
    const options = parseOptions(flags.options);
    const subject = await moduleConformance(file, flags.kind, options);
    announcePlugin(subject.file, subject.sha256);
    out.write(`${subject.file}: ${subject.kind} policy, ${subject.properties.length} properties\n`);
    let failed = 0;
    for (const property of subject.properties) {
      try {
        property.run();
        out.write(`  pass  ${property.name}\n`);
      } catch (error) {
        failed++;
        out.write(`  FAIL  ${property.name}\n        ${failureSummary(error)}\n`);
        if (flags.debug && error instanceof Error && error.stack) out.write(`${error.stack}\n`);
      }
    }
    out.write(
      failed === 0
        ? "all properties hold\n"
        : `${failed} of ${subject.properties.length} properties fail\n`,
    );
    return failed === 0 ? 0 : 1;
  } catch (error) {
    return reportError(error, flags.debug === true);
  }
}

function parseOptions(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`--options: expected a JSON object, got ${JSON.stringify(text)}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new UsageError("--options: expected a JSON object");
  return value as Record<string, unknown>;
}
