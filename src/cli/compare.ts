/**
 * `lbsim compare <scenario>`: all variants (and sweep points) x seeds on worker threads;
 * prints the tables (--format csv: their cells; --format json or --json: exactly
 * comparison.json); --out writes comparison.json, report.html, runs.csv,
 * timeseries.csv and each run's summary. `--shard I/N` runs one slice, for `merge`.
 * On a terminal it shows progress from the start; Ctrl-C stops the runs in flight where
 * they stand and still writes the comparison, marked truncated.
 */
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { parse as parseYaml } from "yaml";
import { CompareUsageError, compare } from "../experiment/compare.js";
import type { Comparison } from "../experiment/comparison.js";
import { parseShard } from "../experiment/plan.js";
import { RunFailed } from "../experiment/pool.js";
import { runsCsv, stackedTimeseriesCsv } from "../experiment/tidy-csv.js";
import { comparisonReportHtml } from "../report/comparison-report.js";
import { comparisonCsv, comparisonTables } from "./comparison-table.js";
import { EXIT_RUN_FAILED, reportError, UsageError } from "./errors.js";
import { comparisonExpectations, printExpectations } from "./expectations.js";
import { writeFileAtomic } from "./files.js";
import { type OutputFormat, outputFormat } from "./output-format.js";
import { announcePlugin } from "./plugins.js";
import { comparisonProgressBar } from "./progress.js";
import { collect } from "./repeatable.js";
import { parseSeed } from "./run.js";

interface CompareFlags {
  seeds: string;
  jobs?: string;
  out?: string;
  json?: boolean;
  format?: string;
  shard?: string;
  variants?: string;
  metric?: string;
  sweep?: string;
  set: string[];
  seed?: string;
  quiet?: boolean;
  debug?: boolean;
  expect?: boolean;
}

export function register(program: Command): void {
  program
    .command("compare")
    .description("run every variant (and sweep point) over seeds and compare them")
    .argument("<scenario>", "scenario file with variants and/or a sweep")
    .option("--seeds <n>", "seeds per variant and point", "5")
    .option("--jobs <n>", "worker threads (default: the number of cores)")
    .option(
      "--out <dir>",
      "write comparison.json, report.html, runs.csv, timeseries.csv and each run's summary here",
    )
    .option("--format <f>", "what to print: table, csv (the table's cells) or json")
    .option("--json", "print exactly comparison.json on stdout (--format json)")
    .option("--shard <i/n>", "run only shard I of N of the runs (for lbsim merge)")
    .option("--variants <a,b>", "compare only these variants, in this order")
    .option(
      "--metric <path,...>",
      "compare these summary fields (latencyMs.mean, faults[0].recoverySeconds, functions[NAME].latencyMs.p99, ...)",
    )
    .option("--sweep <param=v1,v2>", "sweep a parameter (overrides the scenario's sweep)")
    .option("--set <path=value>", "override a field for every run (repeatable)", collect, [])
    .option("--seed <n>", "first seed (default: the scenario's)")
    .option("--quiet", "no progress bar")
    .option("--no-expect", "do not check the scenario's expectations (no exit 3)")
    .option("--debug", "show stack traces of internal errors")
    .action(async (file: string, flags: CompareFlags) => {
      process.exitCode = await compareCommand(file, flags);
    });
}

function positiveInt(flag: string, text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || !Number.isSafeInteger(n))
    throw new UsageError(`${flag}: expected a positive integer, got ${JSON.stringify(text)}`);
  return n;
}

function parseSweep(text: string): { param: string; values: unknown[] } {
  const at = text.indexOf("=");
  if (at <= 0)
    throw new UsageError(`--sweep: expected param=v1,v2,..., got ${JSON.stringify(text)}`);
  const values = text
    .slice(at + 1)
    .split(",")
    .map((v) => parseYaml(v) as unknown);
  return { param: text.slice(0, at), values };
}

async function compareCommand(file: string, flags: CompareFlags): Promise<number> {
  try {
    const shard = flags.shard === undefined ? null : parseShard(flags.shard);
    if (flags.shard !== undefined && !shard)
      throw new UsageError(
        `--shard: expected I/N with 1 <= I <= N, got ${JSON.stringify(flags.shard)}`,
      );
    const format = outputFormat(flags);
    const metrics = flags.metric === undefined ? undefined : splitMetrics(flags.metric);
    // Ctrl-C (or SIGTERM) stops the runs in flight where they stand; the comparison of
    // what was reached is still written, marked truncated. A second Ctrl-C finds no
    // handler left and ends the process at once.
    const interrupt = new AbortController();
    const onSignal = (): void => interrupt.abort();
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    const progress = comparisonProgressBar(flags.quiet === true);
    let comparison: Comparison;
    try {
      comparison = await compare({
        file,
        sets: flags.set,
        seed: parseSeed(flags.seed),
        seeds: positiveInt("--seeds", flags.seeds),
        jobs: flags.jobs === undefined ? availableParallelism() : positiveInt("--jobs", flags.jobs),
        variants: flags.variants?.split(",").map((v) => v.trim()),
        sweep: flags.sweep === undefined ? null : parseSweep(flags.sweep),
        shard,
        metrics,
        onProgress: (p) => progress.update(p),
        onPluginLoad: announcePlugin,
        signal: interrupt.signal,
      });
    } finally {
      progress.stop();
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
    if (interrupt.signal.aborted) process.stderr.write(interruptionNote(comparison));
    const check =
      flags.expect === false ? null : comparisonExpectations(comparison, file, flags.set);
    writeOutputs(comparison, { out: flags.out, format });
    return printExpectations(check, format);
  } catch (error) {
    if (error instanceof CompareUsageError)
      return reportError(new UsageError(error.message), false);
    if (error instanceof RunFailed) {
      process.stderr.write(`lbsim: a run failed: ${error.message}\n`);
      return error.kind === "ScenarioError" || error.kind === "PluginLoadError"
        ? 2
        : EXIT_RUN_FAILED;
    }
    return reportError(error, flags.debug === true);
  }
}

/** What an interrupted comparison holds, on stderr (the files say it too: `truncated`). */
function interruptionNote(c: Comparison): string {
  const cut = c.runs.filter((r) => r.summary.truncated).length;
  return `lbsim compare: interrupted: ${c.runs.length - cut} runs complete, ${cut} stopped at their current simulated time, of ${c.plannedRuns} planned${c.shard ? ` (shard ${c.shard.index}/${c.shard.count})` : ""}\n`;
}

/** Splits --metric at the commas that are not inside brackets (`functions[a,b].arrived`). */
function splitMetrics(text: string): string[] {
  const names: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const ch = text[i];
    if (ch === "[") depth++;
    else if (ch === "]") depth = Math.max(0, depth - 1);
    else if ((ch === "," && depth === 0) || ch === undefined) {
      const name = text.slice(start, i).trim();
      if (name === "")
        throw new UsageError(`--metric: empty metric name in ${JSON.stringify(text)}`);
      names.push(name);
      start = i + 1;
    }
  }
  return names;
}

export function writeOutputs(
  comparison: Comparison,
  flags: { out?: string; format: OutputFormat },
): void {
  const json = `${JSON.stringify(comparison, null, 1)}\n`;
  if (flags.out) {
    const dir = resolve(flags.out);
    for (const run of comparison.runs) {
      const name = `${run.variant ?? "baseline"}${run.point >= 0 ? `-point${run.point}` : ""}-seed${run.seed}.json`;
      writeFileAtomic(join(dir, "runs", name), `${JSON.stringify(run.summary, null, 2)}\n`);
    }
    writeFileAtomic(join(dir, "runs.csv"), runsCsv(comparison));
    writeFileAtomic(join(dir, "timeseries.csv"), stackedTimeseriesCsv(comparison));
    writeFileAtomic(join(dir, "comparison.json"), json);
    writeFileAtomic(join(dir, "report.html"), comparisonReportHtml(comparison));
  }
  if (flags.format === "json") process.stdout.write(json);
  else if (flags.format === "csv") process.stdout.write(comparisonCsv(comparison));
  else process.stdout.write(comparisonTables(comparison));
}
