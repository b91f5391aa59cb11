/**
 * `lbsim run [scenario]`: one simulation. Prints a summary table (or, with --json,
 * exactly the summary JSON on stdout), writes summary.json, timeseries.csv and
 * report.html with --out. Ctrl-C stops at the current simulated time and still writes the partial
 * summary, marked truncated.
 */
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { Run, type RunResult } from "../experiment/run.js";
import { secondsFromUs } from "../kernel/time.js";
import { summaryJsonText } from "../metrics/detail.js";
import { packageRoot } from "../package-info.js";
import { loadPlugins } from "../policies/plugins/load.js";
import { runReportHtml } from "../report/run-report.js";
import { parseTimeseriesCsv } from "../report/timeseries-csv.js";
import { loadScenario } from "../scenario/load.js";
import { reportError, UsageError } from "./errors.js";
import { writeFileAtomic } from "./files.js";
import { outputFormat } from "./output-format.js";
import { announcePlugin } from "./plugins.js";
import { progressBar } from "./progress.js";
import { summaryCsv, summaryTable } from "./summary-table.js";

interface RunFlags {
  seed?: string;
  variant?: string;
  set: string[];
  out?: string;
  json?: boolean;
  format?: string;
  quiet?: boolean;
  allFunctions?: boolean;
  debug?: boolean;
}

export const defaultScenario = (): string => join(packageRoot(), "scenarios", "quickstart.yaml");

/** Parses --seed: a non-negative safe integer. */
export function parseSeed(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seed = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(seed))
    throw new UsageError(`--seed: expected a non-negative integer, got ${JSON.stringify(text)}`);
  return seed;
}

export function register(program: Command): void {
  program
    .command("run")
    .description("run one simulation (default: the bundled quickstart scenario)")
    .argument("[scenario]", "scenario file (YAML or JSON)")
    .option("--seed <n>", "root random seed (overrides the scenario's)")
    .option("--variant <name>", "apply one of the scenario's variants")
    .option(
      "--set <path=value>",
      "override a field, e.g. placement.policy=random (repeatable)",
      collect,
      [],
    )
    .option("--out <dir>", "write summary.json, timeseries.csv and report.html into this directory")
    .option("--format <f>", "what to print: table, csv (every numeric field) or json")
    .option("--json", "print exactly the summary JSON on stdout (--format json)")
    .option("--quiet", "no progress bar")
    .option("--all-functions", "list every function in the summary, not only the 50 busiest")
    .option("--debug", "show stack traces of internal errors")
    .action(async (file: string | undefined, flags: RunFlags) => {
      process.exitCode = await runCommand(file, flags);
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function runCommand(file: string | undefined, flags: RunFlags): Promise<number> {
  try {
    const format = outputFormat(flags);
    const scenario = loadScenario(file ?? defaultScenario(), {
      sets: flags.set,
      seed: parseSeed(flags.seed),
      variant: flags.variant,
    });
    await loadPlugins(scenario, announcePlugin);
    const run = new Run(scenario, {
      variant: flags.variant ?? null,
      functionLimit: flags.allFunctions ? Number.POSITIVE_INFINITY : 50,
    });
    const result = await runInteractively(run, flags.quiet === true);
    const { summary, timeseriesCsv, detail } = result;
    const summaryJson = summaryJsonText(summary, detail);
    if (flags.out) {
      const dir = resolve(flags.out);
      writeFileAtomic(join(dir, "summary.json"), summaryJson);
      writeFileAtomic(join(dir, "timeseries.csv"), timeseriesCsv);
      const rows = parseTimeseriesCsv(timeseriesCsv);
      writeFileAtomic(
        join(dir, "report.html"),
        runReportHtml({ summary, detail, rows, notes: [] }),
      );
    }
    if (format === "json") process.stdout.write(summaryJson);
    else if (format === "csv") process.stdout.write(summaryCsv(summary));
    else process.stdout.write(`${summaryTable(summary)}\n`);
    return 0;
  } catch (error) {
    return reportError(error, flags.debug === true);
  }
}

/**
 * Advances the run in slices of simulated time, yielding to the event loop between
 * them so that Ctrl-C is noticed and the progress bar is drawn.
 */
async function runInteractively(run: Run, quiet: boolean): Promise<RunResult> {
  const totalUs = run.endUs;
  const slice = Math.max(1000, Math.floor(totalUs / 200));
  const progress = progressBar(secondsFromUs(totalUs), quiet);
  let interrupted = false;
  const onSignal = (): void => {
    interrupted = true;
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const started = performance.now();
  try {
    while (!interrupted && !run.advance(run.nowUs + slice)) {
      progress.update(secondsFromUs(run.nowUs), run.events);
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    progress.stop();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  return run.finish((performance.now() - started) / 1000);
}
