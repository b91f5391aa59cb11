/**
 * `lbsim compare <scenario>`: all variants (and sweep points) x seeds on worker threads;
 * prints the tables, or with --json exactly comparison.json; --out writes
 * comparison.json, report.html and each run's summary. `--shard I/N` runs one slice, for `merge`.
 */
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import cliProgress from "cli-progress";
import type { Command } from "commander";
import { parse as parseYaml } from "yaml";
import { CompareUsageError, compare } from "../experiment/compare.js";
import type { Comparison } from "../experiment/comparison.js";
import { metricByName } from "../experiment/metrics.js";
import { parseShard } from "../experiment/plan.js";
import { RunFailed } from "../experiment/pool.js";
import { comparisonReportHtml } from "../report/comparison-report.js";
import { comparisonTables } from "./comparison-table.js";
import { EXIT_RUN_FAILED, reportError, UsageError } from "./errors.js";
import { checkComparisonExpectations } from "./expectations.js";
import { writeFileAtomic } from "./files.js";
import { parseSeed } from "./run.js";

interface CompareFlags {
  seeds: string;
  jobs?: string;
  out?: string;
  json?: boolean;
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

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function register(program: Command): void {
  program
    .command("compare")
    .description("run every variant (and sweep point) over seeds and compare them")
    .argument("<scenario>", "scenario file with variants and/or a sweep")
    .option("--seeds <n>", "seeds per variant and point", "5")
    .option("--jobs <n>", "worker threads (default: the number of cores)")
    .option(
      "--out <dir>",
      "write comparison.json, report.html and each run's summary into this directory",
    )
    .option("--json", "print exactly comparison.json on stdout")
    .option("--shard <i/n>", "run only shard I of N of the runs (for lbsim merge)")
    .option("--variants <a,b>", "compare only these variants, in this order")
    .option("--metric <m,...>", "show only these metrics (latencyP50, latencyP99, ...)")
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
    const metrics = flags.metric?.split(",").map((name) => {
      const m = metricByName(name.trim());
      if (!m) throw new UsageError(`--metric: unknown metric ${JSON.stringify(name)}`);
      return m;
    });
    let stop = false;
    const onSignal = (): void => {
      stop = true;
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    const bar =
      !flags.quiet && process.stderr.isTTY
        ? new cliProgress.SingleBar({
            stream: process.stderr,
            format: "{bar} {value}/{total} runs | ETA {eta_formatted}",
            clearOnComplete: true,
          })
        : null;
    let started = false;
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
        onDone: (_r, total) => {
          if (!bar) return;
          if (!started) bar.start(total, 0);
          started = true;
          bar.increment();
        },
        shouldStop: () => stop,
      });
    } finally {
      bar?.stop();
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
    writeOutputs(comparison, flags);
    return checkComparisonExpectations(comparison, file, flags);
  } catch (error) {
    if (error instanceof CompareUsageError)
      return reportError(new UsageError(error.message), false);
    if (error instanceof RunFailed) {
      process.stderr.write(`lbsim: a run failed: ${error.message}\n`);
      return error.kind === "ScenarioError" ? 2 : EXIT_RUN_FAILED;
    }
    return reportError(error, flags.debug === true);
  }
}

export function writeOutputs(
  comparison: Comparison,
  flags: { out?: string; json?: boolean },
): void {
  const json = `${JSON.stringify(comparison, null, 1)}\n`;
  if (flags.out) {
    const dir = resolve(flags.out);
    for (const run of comparison.runs) {
      const name = `${run.variant ?? "baseline"}${run.point >= 0 ? `-point${run.point}` : ""}-seed${run.seed}.json`;
      writeFileAtomic(join(dir, "runs", name), `${JSON.stringify(run.summary, null, 2)}\n`);
    }
    writeFileAtomic(join(dir, "comparison.json"), json);
    writeFileAtomic(join(dir, "report.html"), comparisonReportHtml(comparison));
  }
  if (flags.json) process.stdout.write(json);
  else process.stdout.write(comparisonTables(comparison));
}
