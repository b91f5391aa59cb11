/**
 * `--format table|csv|json` of `run` and `compare`: what goes to stdout. `json` is
 * exactly the file the command writes (summary.json, comparison.json), as `--json`
 * (kept as its alias); `csv` is the table's cells, unformatted.
 */
import { UsageError } from "./errors.js";

export const OUTPUT_FORMATS = ["table", "csv", "json"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** The format asked for: --format wins over --json; a conflict between them is an error. */
export function outputFormat(flags: { format?: string; json?: boolean }): OutputFormat {
  if (flags.format === undefined) return flags.json ? "json" : "table";
  const format = OUTPUT_FORMATS.find((f) => f === flags.format);
  if (!format)
    throw new UsageError(
      `--format: expected one of ${OUTPUT_FORMATS.join(", ")}, got ${JSON.stringify(flags.format)}`,
    );
  if (flags.json && format !== "json")
    throw new UsageError(`--json and --format ${format} ask for different outputs: give one`);
  return format;
}
