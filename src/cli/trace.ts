/**
 * `lbsim trace convert <invocations>`: reads a trace (Azure 2019, Azure 2021, or lbsim's
 * own format), prints a summary (functions, invocations, the rate over time, the
 * busiest functions) and, with -o, writes it in lbsim's compact workload format
 * (src/workload/traces/lbsim-format.ts), for `workload.trace: {format: lbsim}`.
 * A bad trace file is exit 2 with its file, line and column.
 */
import { resolve } from "node:path";
import type { Command } from "commander";
import { TraceError } from "../workload/traces/errors.js";
import { writeLbsim } from "../workload/traces/lbsim-writer.js";
import { LineReader } from "../workload/traces/lines.js";
import { readTrace } from "../workload/traces/load.js";
import type { Selection } from "../workload/traces/select.js";
import { summaryJson, summaryText } from "../workload/traces/summary.js";
import type { TraceFormat } from "../workload/traces/trace.js";
import { EXIT_BAD_INPUT, reportError, UsageError } from "./errors.js";

interface ConvertFlags {
  format?: string;
  durations?: string;
  memory?: string;
  minutes?: string;
  top?: string;
  sample?: string;
  seed: string;
  memoryMb: string;
  expand?: boolean;
  out?: string;
  json?: boolean;
  debug?: boolean;
}

export function register(program: Command): void {
  const trace = program.command("trace").description("read and convert workload traces");
  trace
    .command("convert")
    .description(
      "summarise a trace (Azure Functions 2019 or 2021, or lbsim's format) and, with -o, write it in lbsim's compact format",
    )
    .argument("<invocations>", "the invocations file (.gz accepted)")
    .option("--format <format>", "azure2019, azure2021 or lbsim (default: told by the header)")
    .option("--durations <file>", "azure2019: the duration percentiles file")
    .option("--memory <file>", "azure2019: the memory file (per app or per function)")
    .option("--minutes <first-last>", "only these minutes (inclusive), e.g. 480-959")
    .option("--top <n>", "only the n busiest functions")
    .option("--sample <n>", "only n functions drawn at random (with --seed)")
    .option("--seed <n>", "seed of --sample and --expand", "1")
    .option("--memory-mb <mb>", "memory of functions the trace gives none", "128")
    .option("--expand", "write a per-minute trace as one line per invocation (drawn with --seed)")
    .option("-o, --out <file>", "write the compact format here (gzipped if it ends in .gz)")
    .option("--json", "print the summary as JSON")
    .option("--debug", "show stack traces of internal errors")
    .action((file: string, flags: ConvertFlags) => {
      process.exitCode = convert(file, flags);
    });
}

export function convert(file: string, flags: ConvertFlags): number {
  try {
    const ref = (f: string) => ({ path: resolve(f), file: f });
    const format = parseFormat(flags.format) ?? detectFormat(ref(file));
    if (format === "azure2019" && flags.durations === undefined)
      throw new UsageError("azure2019 needs --durations (the duration percentiles file)");
    if (format !== "azure2019" && (flags.durations !== undefined || flags.memory !== undefined))
      throw new UsageError(`--durations and --memory are for azure2019 (this is ${format})`);
    const trace = readTrace({
      format,
      invocations: ref(file),
      durations: flags.durations === undefined ? undefined : ref(flags.durations),
      memory: flags.memory === undefined ? undefined : ref(flags.memory),
      minutes: parseMinutes(flags.minutes),
      selection: parseSelection(flags),
      memoryMb: positive(flags.memoryMb, "--memory-mb"),
    });
    let written = "";
    if (flags.out !== undefined) {
      const seed = flags.expand ? count(flags.seed, "--seed", true) : undefined;
      const w = writeLbsim(trace, resolve(flags.out), { expandSeed: seed });
      written = `wrote ${flags.out} (${w.kind}, ${w.bytes.toLocaleString("en-US")} bytes)`;
    }
    if (flags.json) {
      process.stdout.write(
        `${JSON.stringify({ ...summaryJson(trace), written: flags.out ?? null }, null, 2)}\n`,
      );
    } else {
      process.stdout.write(`${summaryText(trace)}\n`);
      if (written) process.stdout.write(`\n${written}\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof TraceError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    return reportError(error, flags.debug === true);
  }
}

const FORMATS: readonly TraceFormat[] = ["azure2019", "azure2021", "lbsim"];

function parseFormat(text: string | undefined): TraceFormat | undefined {
  if (text === undefined) return undefined;
  if (!(FORMATS as readonly string[]).includes(text))
    throw new UsageError(`--format: expected ${FORMATS.join(", ")}, got ${JSON.stringify(text)}`);
  return text as TraceFormat;
}

/** The format told by the first line of the file. */
function detectFormat(ref: { path: string; file: string }): TraceFormat {
  const lines = LineReader.open(ref);
  try {
    const first = lines.next();
    if (first === null)
      throw new TraceError(
        { file: ref.file, line: 1 },
        "the file is empty (expected a header line)",
      );
    if (first.startsWith("lbsim-trace")) return "lbsim";
    const columns = first.split(",").map((c) => c.trim());
    if (columns.includes("HashFunction")) return "azure2019";
    if (columns.includes("end_timestamp")) return "azure2021";
    throw lines.error(
      "cannot tell the format from the header (azure2019 has HashFunction, azure2021 end_timestamp): give --format",
    );
  } finally {
    lines.close();
  }
}

function parseMinutes(text: string | undefined): [number, number] | undefined {
  if (text === undefined) return undefined;
  const m = /^(-?\d+)(?:-|\.\.)(-?\d+)$/.exec(text.trim());
  if (!m || Number(m[2]) < Number(m[1]))
    throw new UsageError(
      `--minutes: expected FIRST-LAST with LAST >= FIRST, got ${JSON.stringify(text)}`,
    );
  return [Number(m[1]), Number(m[2])];
}

function parseSelection(flags: ConvertFlags): Selection {
  if (flags.top !== undefined && flags.sample !== undefined)
    throw new UsageError("--top and --sample: give one, not both");
  if (flags.top !== undefined) return { kind: "top", count: count(flags.top, "--top") };
  if (flags.sample !== undefined)
    return {
      kind: "sample",
      count: count(flags.sample, "--sample"),
      seed: count(flags.seed, "--seed", true),
    };
  return { kind: "all" };
}

function count(text: string, flag: string, zero = false): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || (!zero && n === 0))
    throw new UsageError(
      `${flag}: expected a ${zero ? "non-negative" : "positive"} integer, got ${JSON.stringify(text)}`,
    );
  return n;
}

function positive(text: string, flag: string): number {
  const n = Number(text);
  if (!(n > 0) || !Number.isFinite(n))
    throw new UsageError(`${flag}: expected a positive number, got ${JSON.stringify(text)}`);
  return n;
}
