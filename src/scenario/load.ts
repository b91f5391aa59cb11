/**
 * Loading a scenario: read the file and what it extends, apply the selected variant
 * and `--set` overrides, validate, check across fields and resolve. Every variant and
 * sweep point is validated too, so a comparison cannot fail halfway through. Anything
 * wrong is reported as one ScenarioError listing every problem with file, path and line.
 */

import { placedProblem, TraceError } from "../workload/traces/errors.js";
import type { LoadedTrace } from "../workload/traces/trace.js";
import { crossFieldProblems } from "./checks.js";
import { formatPath, formatProblem, ScenarioError, type ScenarioProblem } from "./errors.js";
import { problemsFromIssues, type RawProblem } from "./issues.js";
import { knownKeys } from "./known-keys.js";
import { type PathSegment, parsePath, parseSet, applyOverride as setAt } from "./override.js";
import { locatePlugins } from "./plugins.js";
import { resolveScenario } from "./resolve.js";
import { type ScenarioOutput, scenarioSchema } from "./schema.js";
import { type Chain, chainFromText, locate, readChain } from "./source.js";
import { loadScenarioTrace, traceProblems } from "./trace.js";
import { isPlainObject, startsWith, type Tree } from "./tree.js";
import type { ResolvedScenario } from "./types.js";

export { ScenarioError } from "./errors.js";
export { applyOverride } from "./override.js";
export { scenarioJsonSchema } from "./schema.js";

export interface LoadOptions {
  /** `path=value` overrides, applied after the variant (the command line wins). */
  readonly sets?: readonly string[];
  /** A name from the scenario's `variants`. */
  readonly variant?: string;
  /**
   * Path → value pairs given as data (a sweep point: `[[sweep.param, value]]`), applied
   * after the variant and before `sets`, with the same validation.
   */
  readonly overrides?: ReadonlyArray<readonly [string, unknown]>;
  /** Replaces the scenario's seed. */
  readonly seed?: number;
}

export function loadScenario(file: string, options: LoadOptions = {}): ResolvedScenario {
  return finish(readChain(file), options);
}

/** As loadScenario, with the text given; `extends` is read relative to `fileName`. */
export function loadScenarioText(
  text: string,
  fileName: string,
  options: LoadOptions = {},
): ResolvedScenario {
  return finish(chainFromText(text, fileName), options);
}

interface Override {
  readonly path: readonly PathSegment[];
  readonly value: unknown;
  /** Shown after a problem it caused: `--set x=1`, `variant fast`. */
  readonly origin: string;
  /** Where the override is written in the file (variants, sweep), to report there. */
  readonly at?: readonly PathSegment[];
}

interface Evaluation {
  readonly problems: ScenarioProblem[];
  readonly resolved: ResolvedScenario | undefined;
}

function finish(chain: Chain, options: LoadOptions): ResolvedScenario {
  const main = chain.files[0]?.display ?? "scenario";
  const sets = callerOverrides(main, options);
  const problems = new Map<string, ScenarioProblem>();
  // A problem of the base file shows up again in every variant: report it once.
  const report = (list: readonly ScenarioProblem[]) => {
    for (const p of list) {
      const key = formatProblem({ ...p, origin: undefined });
      if (!problems.has(key)) problems.set(key, p);
    }
  };
  const base = evaluate(chain, sets, undefined);
  report(base.problems);
  const variants = variantOverrides(chain.raw);
  const byVariant = new Map<string, Evaluation>();
  for (const [name, overrides] of variants) {
    const evaluation = evaluate(chain, [...overrides, ...sets], `variant ${name}`);
    byVariant.set(name, evaluation);
    report(evaluation.problems);
  }
  for (const [context, overrides] of sweepOverrides(chain.raw)) {
    report(evaluate(chain, [...overrides, ...sets], context).problems);
  }
  if (options.variant !== undefined && !variants.has(options.variant)) {
    const known = [...variants.keys()].join(", ") || "none";
    const message = `no variant ${JSON.stringify(options.variant)} (variants: ${known})`;
    report([{ file: main, path: ["variants"], message }]);
  }
  const chosen = options.variant === undefined ? base : byVariant.get(options.variant);
  if (problems.size > 0 || chosen?.resolved === undefined)
    throw new ScenarioError([...problems.values()]);
  return chosen.resolved;
}

/** Overrides from the caller: data overrides, then `--set`, then `--seed`. */
function callerOverrides(main: string, options: LoadOptions): Override[] {
  const overrides: Override[] = [];
  const problems: ScenarioProblem[] = [];
  for (const [path, value] of options.overrides ?? []) {
    try {
      overrides.push({ path: parsePath(path), value, origin: `override ${path}` });
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      problems.push(...error.problems.map((p) => ({ ...p, file: main })));
    }
  }
  for (const text of options.sets ?? []) {
    try {
      const set = parseSet(text);
      overrides.push({ path: set.path, value: set.value, origin: `--set ${text}` });
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      problems.push(...error.problems.map((p) => ({ ...p, file: main })));
    }
  }
  if (problems.length > 0) throw new ScenarioError(problems);
  if (options.seed !== undefined)
    overrides.push({ path: ["seed"], value: options.seed, origin: "--seed" });
  return overrides;
}

/** Each variant's entries as overrides; malformed variants are left to validation. */
function variantOverrides(raw: Tree): Map<string, Override[]> {
  const out = new Map<string, Override[]>();
  const variants = raw.variants;
  if (!isPlainObject(variants)) return out;
  for (const [name, entries] of Object.entries(variants)) {
    if (!isPlainObject(entries)) continue;
    out.set(
      name,
      Object.entries(entries).map(([key, value]) => ({
        path: safePath(key),
        value,
        origin: `variant ${name}`,
        at: ["variants", name, key],
      })),
    );
  }
  return out;
}

/** One override list per sweep value, each setting `sweep.param` to it, with its context. */
function sweepOverrides(raw: Tree): [string, Override[]][] {
  const sweep = raw.sweep;
  if (!isPlainObject(sweep) || typeof sweep.param !== "string" || !Array.isArray(sweep.values))
    return [];
  const param = sweep.param;
  const path = safePath(param);
  return sweep.values.map((value, i) => {
    const context = `sweep ${param}=${JSON.stringify(value) ?? String(value)}`;
    return [context, [{ path, value, origin: context, at: ["sweep", "values", i] }]];
  });
}

/** A path that cannot be parsed becomes one no field has, so validation reports it. */
function safePath(text: string): PathSegment[] {
  try {
    return parsePath(text);
  } catch {
    return [text === "" ? "(empty path)" : text];
  }
}

function evaluate(
  chain: Chain,
  overrides: readonly Override[],
  context: string | undefined,
): Evaluation {
  let tree: unknown = chain.raw;
  const raw: { problem: RawProblem; override?: Override }[] = [];
  for (const override of overrides) {
    try {
      tree = setAt(tree, override.path, override.value);
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      // The message names the path already.
      raw.push({ problem: { path: [], message: error.message }, override });
    }
  }
  let resolved: ResolvedScenario | undefined;
  const traceErrors: ScenarioProblem[] = [];
  if (raw.length === 0) {
    const parsed = scenarioSchema.safeParse(tree, { reportInput: true });
    if (parsed.success) {
      const trace = readScenarioTrace(chain, parsed.data, traceErrors, context);
      if (traceErrors.length === 0) {
        resolved = resolveScenario(parsed.data, trace);
        raw.push(...crossFieldProblems(parsed.data, resolved).map((problem) => ({ problem })));
        resolved = withPlugins(chain, resolved, overrides, raw);
        const traced = trace?.functions.length;
        raw.push(...traceProblems(resolved, traced).map((problem) => ({ problem })));
      }
    } else {
      const keysAt = (path: readonly PathSegment[], input: unknown) =>
        knownKeys(scenarioSchema, path, input);
      const issues = problemsFromIssues(parsed.error.issues, [], keysAt);
      raw.push(...issues.map((problem) => ({ problem })));
    }
  }
  const problems = raw.map(({ problem, override }) =>
    place(chain, problem, override ?? causeOf(problem, overrides), context),
  );
  problems.push(...traceErrors);
  return { problems, resolved: problems.length === 0 ? resolved : undefined };
}

/**
 * The resolved scenario with the policy modules it names, located relative to the file
 * that names each (a variant's file, or the main file for --set); problems go to `raw`.
 */
function withPlugins(
  chain: Chain,
  resolved: ResolvedScenario,
  overrides: readonly Override[],
  raw: { problem: RawProblem; override?: Override }[],
): ResolvedScenario {
  const main = chain.files[0]?.display ?? "scenario";
  const fileOf = (path: readonly string[]): string => {
    const cause = causeOf({ path: [...path], message: "" }, overrides);
    if (cause?.at !== undefined) return locate(chain.files, cause.at).file;
    if (cause !== undefined) return main;
    return locate(chain.files, [...path]).file;
  };
  const problems: RawProblem[] = [];
  const plugins = locatePlugins(resolved, fileOf, problems);
  raw.push(...problems.map((problem) => ({ problem })));
  return plugins.length === 0 ? resolved : { ...resolved, plugins };
}

/**
 * Reads the trace the scenario names (paths relative to the file that names each); a
 * bad trace file is a problem of that file, with its line and column.
 */
function readScenarioTrace(
  chain: Chain,
  s: ScenarioOutput,
  problems: ScenarioProblem[],
  context: string | undefined,
): LoadedTrace | undefined {
  const t = s.workload.trace;
  if (t === undefined) return undefined;
  try {
    return loadScenarioTrace(
      t,
      s.seed,
      (field) => locate(chain.files, ["workload", "trace", field]).file,
    );
  } catch (error) {
    if (!(error instanceof TraceError)) throw error;
    problems.push({
      file: error.where.file,
      message: placedProblem(error.where, error.problem),
      origin: context,
    });
    return undefined;
  }
}

/** The last override that wrote the value at fault (or named the unknown field). */
function causeOf(problem: RawProblem, overrides: readonly Override[]): Override | undefined {
  for (let i = overrides.length - 1; i >= 0; i--) {
    const o = overrides[i];
    if (o === undefined) continue;
    if (startsWith(problem.path, o.path)) return o;
    if (problem.unknownField === true && startsWith(o.path, problem.path)) return o;
  }
  return undefined;
}

/** Where to report a problem: at the override that caused it, or in the file. */
function place(
  chain: Chain,
  problem: RawProblem,
  cause: Override | undefined,
  context: string | undefined,
): ScenarioProblem {
  const main = chain.files[0]?.display ?? "scenario";
  if (cause?.at !== undefined) {
    const at =
      problem.unknownField === true && cause.at[0] === "sweep" ? ["sweep", "param"] : cause.at;
    const message =
      problem.path.length > 0 ? `${formatPath(problem.path)}: ${problem.message}` : problem.message;
    return { ...locate(chain.files, at), path: at, message };
  }
  if (cause !== undefined)
    return { file: main, path: problem.path, message: problem.message, origin: cause.origin };
  return {
    ...locate(chain.files, problem.path),
    path: problem.path,
    message: problem.message,
    origin: context,
  };
}
