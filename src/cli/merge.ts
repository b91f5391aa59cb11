/**
 * `lbsim merge <result.json...>`: shard results of one comparison, merged into one, and
 * checked against the scenario's expectations exactly as an unsharded `compare` of it
 * would be (exit 3 when one fails; `--no-expect` skips it).
 *
 * A comparison records its scenario's name and hash, not the file or the `--set`s it
 * ran with, so merge is told them: `--scenario FILE` and the same `--set`s as compare's
 * (no `--seed`: the seed is recorded). The file's hash must be the shards', else it is
 * a usage error, before any file is written. Without `--scenario`, the bundled scenario
 * of the recorded name is used when its hash is the shards'; otherwise merge says the
 * check was not made and leaves the exit code alone.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { CompareUsageError } from "../experiment/compare.js";
import type { Comparison } from "../experiment/comparison.js";
import { merge, scenarioHashFor } from "../experiment/merge.js";
import { packageRoot } from "../package-info.js";
import { ScenarioError } from "../scenario/errors.js";
import { writeOutputs } from "./compare.js";
import { reportError, UsageError } from "./errors.js";
import { type ExpectationSource, expectationsFrom, printExpectations } from "./expectations.js";
import { outputFormat } from "./output-format.js";
import { collect } from "./repeatable.js";
import { listScenarios } from "./scenarios.js";

interface MergeFlags {
  out?: string;
  json?: boolean;
  format?: string;
  scenario?: string;
  set: string[];
  /** false with --no-expect. */
  expect?: boolean;
}

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
    .option(
      "--scenario <file>",
      "the scenario file the shards ran, to check its expectations (default: the bundled one of that name, if it is the one)",
    )
    .option(
      "--set <path=value>",
      "the --set the shards' compare was given (repeatable)",
      collect,
      [],
    )
    .option("--no-expect", "do not check the scenario's expectations (no exit 3)")
    .action((files: string[], flags: MergeFlags) => {
      process.exitCode = mergeCommand(files, flags);
    });
}

function mergeCommand(files: string[], flags: MergeFlags): number {
  try {
    const format = outputFormat(flags);
    const parts = files.map((file) => ({ file, comparison: read(file) }));
    const merged = merge(parts);
    // Before any output: a wrong --scenario is a usage error with nothing written.
    const source = flags.expect === false ? null : expectationSource(merged, flags);
    const check = source === null ? null : expectationsFrom(merged, source);
    if (merged.truncated)
      process.stderr.write(
        `lbsim merge: ${merged.runs.length} of ${merged.plannedRuns} runs present\n`,
      );
    writeOutputs(merged, { out: flags.out, format });
    return printExpectations(check, format);
  } catch (error) {
    return reportError(
      error instanceof CompareUsageError ? new UsageError(error.message) : error,
      false,
    );
  }
}

/** The scenario the shards ran, to read the expectations from (or why it is not known). */
function expectationSource(merged: Comparison, flags: MergeFlags): ExpectationSource {
  const sets = flags.set;
  if (flags.scenario !== undefined) {
    const hash = scenarioHashFor(flags.scenario, sets, merged);
    if (hash !== merged.scenarioHash)
      throw new UsageError(
        `${flags.scenario}: not the scenario the shards ran (with ${describeSets(sets)} its hash is ${hash}, the shards' is ${merged.scenarioHash}): give the file and the --set their compare was given`,
      );
    return { file: flags.scenario, sets };
  }
  const bundled = bundledScenario(merged.scenario);
  if (bundled === undefined)
    return { unknown: "not checked (give --scenario FILE: the scenario the shards ran)" };
  if (!sameScenario(bundled, sets, merged))
    return {
      unknown: `not checked (the bundled ${merged.scenario} with ${describeSets(sets)} is not the scenario the shards ran: give --scenario FILE and the --set their compare was given)`,
    };
  return { file: bundled, sets };
}

/** The bundled scenario file whose `name:` is `name`, if any. */
function bundledScenario(name: string): string | undefined {
  return listScenarios(join(packageRoot(), "scenarios")).find((s) => s.name === name)?.file;
}

/** Whether `file` with `sets` is what the comparison ran (a --set it rejects: it is not). */
function sameScenario(file: string, sets: readonly string[], c: Comparison): boolean {
  try {
    return scenarioHashFor(file, sets, c) === c.scenarioHash;
  } catch (error) {
    if (error instanceof ScenarioError) return false;
    throw error;
  }
}

function describeSets(sets: readonly string[]): string {
  return sets.length === 0 ? "no --set" : sets.map((s) => `--set ${s}`).join(" ");
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
