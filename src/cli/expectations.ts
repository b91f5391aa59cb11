/**
 * Printing a scenario's `expect:` after `run`, `compare` and `merge`, and the exit code
 * they give (3 when one fails). Interrupted runs, shards and merges with runs missing
 * are not checked: their numbers cover part of what the expectations speak of. compare
 * and merge share one path: `comparisonExpectations` (computed before any output is
 * written, so a problem is reported with nothing half-done) then `printExpectations`.
 */
import type { Comparison } from "../experiment/comparison.js";
import { checkSummary, checkValue, type ExpectationOutcome } from "../metrics/expectations.js";
import type { Summary } from "../metrics/summary.js";
import { resolvePath } from "../metrics/summary-path.js";
import { type LoadOptions, loadScenario } from "../scenario/load.js";
import type { Expectation, ResolvedScenario } from "../scenario/types.js";
import type { OutputFormat } from "./output-format.js";

export const EXIT_EXPECTATION_FAILED = 3;

export interface ExpectationReport {
  /** What to print (empty when the scenario states no expectations). */
  readonly text: string;
  readonly failed: number;
  readonly checked: number;
}

const NONE: ExpectationReport = { text: "", failed: 0, checked: 0 };

/** `run`: the scenario's expectations (none with --no-expect) checked on the run's summary. */
export function runExpectations(
  expectations: readonly Expectation[],
  summary: Summary,
): ExpectationReport {
  if (expectations.length === 0) return NONE;
  if (summary.truncated) return note("not checked (the run was interrupted)");
  return report("expectations:", [["", checkSummary(expectations, summary)]]);
}

/** The line for stderr when some failed: `lbsim: 1 of 3 expectations failed`. */
export function failureLine(r: ExpectationReport): string {
  return r.failed === 0 ? "" : `lbsim: ${r.failed} of ${r.checked} expectation(s) failed\n`;
}

/**
 * `compare` and `merge`: each variant's expectations checked on its mean over seeds, as
 * `file` with `sets` states them. With a sweep, at the points that are the scenario as
 * written (their resolved scenario equals the unswept one): expectations state the
 * answer of the scenario, not of every point. The scenario is loaded at the
 * comparison's seed, as compare loaded it, so the check needs no `--seed` of its own.
 */
export function comparisonExpectations(
  comparison: Comparison,
  file: string,
  sets: readonly string[],
): ExpectationReport {
  const options: Pick<LoadOptions, "sets" | "seed"> = { sets, seed: comparison.baseSeed };
  const scenarios = new Map(
    comparison.variants.map((v) => [
      v,
      loadScenario(file, { ...options, variant: v ?? undefined }),
    ]),
  );
  if ([...scenarios.values()].every((s) => s.expect.length === 0)) return NONE;
  if (comparison.shard !== null)
    return note("not checked on a shard (each holds part of the runs)");
  if (comparison.truncated) return incomplete(comparison);
  const points = ownPoints(comparison, file, options, scenarios);
  if (points.length === 0) return note("not checked (no sweep point is the scenario as written)");
  const groups: [string, ExpectationOutcome[]][] = [];
  for (const point of points) {
    for (const [variant, scenario] of scenarios) {
      const runs = comparison.runs.filter((r) => r.point === point && r.variant === variant);
      const label = variant ?? "baseline";
      groups.push([
        label,
        scenario.expect.map((e) =>
          checkMean(
            e,
            runs.map((r) => r.summary),
          ),
        ),
      ]);
    }
  }
  const sweep = comparison.sweep;
  const at =
    sweep === null
      ? ""
      : ` at ${sweep.param}=${points.map((p) => JSON.stringify(sweep.values[p])).join(", ")}`;
  return report(`expectations (each variant's mean over seeds${at}):`, groups);
}

/** Where a comparison's expectations come from: a scenario file with its --set, or why none. */
export type ExpectationSource =
  | { readonly file: string; readonly sets: readonly string[] }
  | { readonly unknown: string };

/** merge's check: against the scenario found, else a note saying why there is none. */
export function expectationsFrom(
  comparison: Comparison,
  source: ExpectationSource,
): ExpectationReport {
  if ("file" in source) return comparisonExpectations(comparison, source.file, source.sets);
  // Missing runs would leave it unchecked even with the file: say that first.
  return comparison.truncated ? incomplete(comparison) : note(source.unknown);
}

function checkMean(e: Expectation, summaries: readonly Summary[]): ExpectationOutcome {
  const values = summaries.map((s) => resolvePath(s, e.metric));
  const numbers = values.filter((v): v is number => typeof v === "number");
  if (numbers.length === 0 || numbers.length < values.length) {
    const missing = values.length - numbers.length;
    const why =
      values.length === 0
        ? "no runs"
        : `no number in ${missing} of ${values.length} seed(s) (null or not in the summary)`;
    return checkValue(e, undefined, { why });
  }
  const mean = numbers.reduce((a, b) => a + b, 0) / numbers.length;
  return checkValue(e, mean, { what: `mean of ${numbers.length} seed(s)` });
}

function ownPoints(
  comparison: Comparison,
  file: string,
  options: Pick<LoadOptions, "sets" | "seed">,
  scenarios: ReadonlyMap<string | null, ResolvedScenario>,
): number[] {
  const sweep = comparison.sweep;
  if (sweep === null) return [-1];
  const variant = comparison.variants[0] ?? null;
  const written = canonical(scenarios.get(variant));
  return sweep.values.flatMap((value, i) => {
    const at = loadScenario(file, {
      ...options,
      variant: variant ?? undefined,
      overrides: [[sweep.param, value]],
    });
    return canonical(at) === written ? [i] : [];
  });
}

function canonical(s: ResolvedScenario | undefined): string {
  return JSON.stringify(s, (_k, v) =>
    typeof v === "number" && !Number.isFinite(v) ? String(v) : v,
  );
}

/**
 * The note for a comparison whose runs are not all there: interrupted (some runs were
 * stopped short), or merged with shards missing.
 */
function incomplete(c: Comparison): ExpectationReport {
  const complete = c.runs.filter((r) => !r.summary.truncated).length;
  return note(
    complete < c.runs.length
      ? `not checked (the comparison was interrupted: ${complete} of ${c.plannedRuns} runs complete)`
      : `not checked (${c.runs.length} of ${c.plannedRuns} runs present)`,
  );
}

function note(text: string): ExpectationReport {
  return { text: `expectations: ${text}\n`, failed: 0, checked: 0 };
}

function report(
  heading: string,
  groups: readonly [string, ExpectationOutcome[]][],
): ExpectationReport {
  const lines = [heading];
  let failed = 0;
  let checked = 0;
  for (const [label, outcomes] of groups) {
    if (outcomes.length === 0) continue;
    const indent = label === "" ? "  " : "    ";
    if (label !== "") lines.push(`  ${label}:`);
    for (const o of outcomes) {
      lines.push(`${indent}${o.text}`);
      checked++;
      if (!o.passed) failed++;
    }
  }
  return { text: `${lines.join("\n")}\n`, failed, checked };
}

/**
 * compare's and merge's last step: prints the check (after the table; on stderr for json
 * and csv, so stdout stays exactly that) and returns the exit code. `null`: not checked
 * at all (--no-expect), so nothing is printed.
 */
export function printExpectations(r: ExpectationReport | null, format: OutputFormat): number {
  if (r === null) return 0;
  (format === "table" ? process.stdout : process.stderr).write(r.text);
  process.stderr.write(failureLine(r));
  return r.failed > 0 ? EXIT_EXPECTATION_FAILED : 0;
}
