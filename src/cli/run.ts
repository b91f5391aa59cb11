/**
 * `lbsim run [scenario]`: one simulation. Prints a summary table (or, with --json,
 * exactly the summary JSON on stdout), writes summary.json, timeseries.csv and
 * report.html with --out, and with --trace one JSON line per attempt (metrics/attempt-trace.ts),
 * then checks the scenario's expectations (exit 3 if one fails). Ctrl-C stops at the
 * current simulated time and still writes the partial summary, marked truncated (and the
 * trace of what was simulated).
 */
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { Run, type RunResult } from "../experiment/run.js";
import { secondsFromUs } from "../kernel/time.js";
import { AttemptTracer } from "../metrics/attempt-trace.js";
import { summaryJsonText } from "../metrics/detail.js";
import { packageRoot } from "../package-info.js";
import { loadPlugins } from "../policies/plugins/load.js";
import { runReportHtml } from "../report/run-report.js";
import { parseTimeseriesCsv } from "../report/timeseries-csv.js";
import { loadScenario } from "../scenario/load.js";
import { reportError, UsageError } from "./errors.js";
import { EXIT_EXPECTATION_FAILED, failureLine, runExpectations } from "./expectations.js";
import { writeFileAtomic } from "./files.js";
import { outputFormat } from "./output-format.js";
import { announcePlugin } from "./plugins.js";
import { progressBar } from "./progress.js";
import { collect } from "./repeatable.js";
import { summaryCsv, summaryTable } from "./summary-table.js";
import { TraceFile } from "./trace-file.js";

interface RunFlags {
  seed?: string;
  variant?: string;
  set: string[];
  out?: string;
  json?: boolean;
  format?: string;
  quiet?: boolean;
  allFunctions?: boolean;
  trace?: string;
  traceLimit: string;
  debug?: boolean;
  /** false with --no-expect. */
  expect?: boolean;
}

const DEFAULT_TRACE_LIMIT = 1_000_000;

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
    .option("--no-expect", "do not check the scenario's expectations (no exit 3)")
    .option("--trace <file>", "write one JSON line per attempt (JSON Lines) to this file")
    .option(
      "--trace-limit <n>",
      "at most this many lines in the trace (the rest are counted, on stderr)",
      String(DEFAULT_TRACE_LIMIT),
    )
    .option("--debug", "show stack traces of internal errors")
    .action(async (file: string | undefined, flags: RunFlags) => {
      process.exitCode = await runCommand(file, flags);
    });
}

/** Parses --trace-limit: a non-negative safe integer. */
export function parseTraceLimit(text: string): number {
  const n = Number(text.replaceAll("_", ""));
  if (!/^\d[\d_]*$/.test(text) || !Number.isSafeInteger(n))
    throw new UsageError(
      `--trace-limit: expected a non-negative integer, got ${JSON.stringify(text)}`,
    );
  return n;
}

async function runCommand(file: string | undefined, flags: RunFlags): Promise<number> {
  let traceFile: TraceFile | null = null;
  try {
    const format = outputFormat(flags);
    const traceLimit = parseTraceLimit(flags.traceLimit);
    const scenario = loadScenario(file ?? defaultScenario(), {
      sets: flags.set,
      seed: parseSeed(flags.seed),
      variant: flags.variant,
    });
    await loadPlugins(scenario, announcePlugin);
    let tracer: AttemptTracer | undefined;
    if (flags.trace !== undefined) {
      traceFile = new TraceFile(resolve(flags.trace));
      tracer = new AttemptTracer(
        traceFile,
        traceLimit,
        scenario.warmupUs,
        scenario.functions.map((f) => f.name),
        scenario.cluster.zones,
      );
    }
    const run = new Run(scenario, {
      variant: flags.variant ?? null,
      functionLimit: flags.allFunctions ? Number.POSITIVE_INFINITY : 50,
      observers: tracer,
    });
    tracer?.attach(run.world.requests);
    const result = await runInteractively(run, flags.quiet === true);
    tracer?.finish(run.nowUs);
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
    if (traceFile && tracer) {
      traceFile.commit();
      traceFile = null;
      if (tracer.dropped > 0)
        process.stderr.write(
          `lbsim: the trace was cut at --trace-limit ${tracer.written} lines: ${tracer.dropped} more attempts not written\n`,
        );
    }
    if (format === "json") process.stdout.write(summaryJson);
    else if (format === "csv") process.stdout.write(summaryCsv(summary));
    else process.stdout.write(`${summaryTable(summary)}\n`);
    // After the table; on stderr for json and csv, so stdout stays exactly that.
    const expectations = runExpectations(flags.expect === false ? [] : scenario.expect, summary);
    (format === "table" ? process.stdout : process.stderr).write(expectations.text);
    process.stderr.write(failureLine(expectations));
    return expectations.failed > 0 ? EXIT_EXPECTATION_FAILED : 0;
  } catch (error) {
    traceFile?.abort();
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
