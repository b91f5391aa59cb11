/**
 * Printing a scenario's `expect:` after `run` and `compare`, and the exit code they
 * give (3 when one fails). Interrupted runs and shards are not checked: their numbers
 * cover part of what the expectations speak of.
 */
import type { Comparison } from "../experiment/comparison.js";
import { checkSummary, checkValue, type ExpectationOutcome } from "../metrics/expectations.js";
import type { Summary } from "../metrics/summary.js";
import { resolvePath } from "../metrics/summary-path.js";
import { type LoadOptions, loadScenario } from "../scenario/load.js";
import type { Expectation, ResolvedScenario } from "../scenario/types.js";

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
 * `compare`: each variant's expectations checked on its mean over seeds. With a sweep,
 * at the points that are the scenario as written (their resolved scenario equals the
 * unswept one): expectations state the answer of the scenario, not of every point.
 */
export function comparisonExpectations(
  comparison: Comparison,
  file: string,
  options: Pick<LoadOptions, "sets" | "seed">,
): ExpectationReport {
  const scenarios = new Map(
    comparison.variants.map((v) => [
      v,
      loadScenario(file, { ...options, variant: v ?? undefined }),
    ]),
  );
  if ([...scenarios.values()].every((s) => s.expect.length === 0)) return NONE;
  if (comparison.shard !== null)
    return note("not checked on a shard (each holds part of the runs)");
  if (comparison.truncated) return note("not checked (the comparison was interrupted)");
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
 * compare's hook: prints the check (after the table; on stderr for json and csv, so
 * stdout stays exactly that) and returns the exit code.
 */
export function checkComparisonExpectations(
  comparison: Comparison,
  file: string,
  flags: { set: string[]; seed?: string; format: "table" | "csv" | "json"; expect?: boolean },
): number {
  if (flags.expect === false) return 0;
  const seed = flags.seed === undefined ? undefined : Number(flags.seed);
  const r = comparisonExpectations(comparison, file, { sets: flags.set, seed });
  (flags.format === "table" ? process.stdout : process.stderr).write(r.text);
  process.stderr.write(failureLine(r));
  return r.failed > 0 ? EXIT_EXPECTATION_FAILED : 0;
}
