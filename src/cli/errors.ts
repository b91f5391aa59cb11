/**
 * How the command line ends on an error: a scenario or usage problem is exit 2 with
 * the message alone; a broken invariant or an internal error is exit 1. A stack trace
 * is shown only with --debug.
 */
import { InvariantViolation } from "../experiment/run.js";
import { PluginError } from "../policies/plugins/errors.js";
import { ScenarioError } from "../scenario/errors.js";

export const EXIT_RUN_FAILED = 1;
export const EXIT_BAD_INPUT = 2;

/** A usage problem found by a command itself (exit 2). */
export class UsageError extends Error {}

export function exitCodeFor(error: unknown): number {
  if (error instanceof ScenarioError || error instanceof UsageError) return EXIT_BAD_INPUT;
  if (error instanceof PluginError) return error.atRunTime ? EXIT_RUN_FAILED : EXIT_BAD_INPUT;
  return EXIT_RUN_FAILED;
}

export function reportError(error: unknown, debug: boolean, context = ""): number {
  const code = exitCodeFor(error);
  const message = error instanceof Error ? error.message : String(error);
  const prefix =
    error instanceof InvariantViolation || (error instanceof PluginError && error.atRunTime)
      ? "lbsim: run failed: "
      : code === EXIT_RUN_FAILED && !(error instanceof PluginError)
        ? "lbsim: internal error: "
        : "";
  process.stderr.write(`${prefix}${context}${message}\n`);
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return code;
}
