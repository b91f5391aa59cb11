/**
 * Whether each `expect[i].metric` names a number a run of this scenario reports: a
 * field of the summary, a function of the scenario (`functions[NAME]`, or `[i]` within
 * the busiest listed), a fault that has an entry (`faults[i]`: the scheduled faults in
 * order; random host crashes have none). Checked against a template summary, so the
 * list of fields is the summary's own.
 */
import { lookup, parseSummaryPath, type SummarySegment } from "../metrics/summary-path.js";
import { summaryPaths, summaryTemplate } from "../metrics/summary-template.js";
import type { RawProblem } from "./issues.js";
import { didYouMean } from "./suggest.js";
import type { ResolvedScenario } from "./types.js";

/** A run lists this many functions in its summary (the busiest first) unless told otherwise. */
const LISTED_FUNCTIONS = 50;

export function expectationProblems(r: ResolvedScenario): RawProblem[] {
  const problems: RawProblem[] = [];
  const faultKinds = r.faults.filter((f) => f.kind !== "random-host-crashes").map((f) => f.kind);
  const names = new Set(r.functions.map((f) => f.name));
  r.expect.forEach((e, i) => {
    const path = ["expect", i, "metric"];
    const parsed = parseSummaryPath(e.metric);
    if (!parsed.ok) {
      problems.push({ path, message: parsed.message });
      return;
    }
    // Only the functions an expectation names: a population can have a million.
    const named = namedFunctions(parsed.segments).filter((n) => names.has(n));
    const listed = r.functions.slice(0, LISTED_FUNCTIONS).map((f) => f.name);
    const template = summaryTemplate([...new Set([...listed, ...named])], faultKinds);
    const message = problemOf(template, parsed.segments, r, faultKinds.length);
    if (message !== undefined) problems.push({ path, message });
  });
  return problems;
}

function namedFunctions(segments: readonly SummarySegment[]): string[] {
  const first = segments[0];
  const second = segments[1];
  if (first?.kind !== "key" || first.key !== "functions" || second?.kind !== "name") return [];
  return [second.name];
}

function problemOf(
  template: object,
  segments: readonly SummarySegment[],
  r: ResolvedScenario,
  faults: number,
): string | undefined {
  const found = lookup(template, segments);
  if (found.found)
    return typeof found.value === "number" ? undefined : notANumber(segments, found.value);
  const head = segments[0];
  const selector = segments[1];
  if (found.depth === 1 && head?.kind === "key" && selector !== undefined) {
    if (head.key === "functions") return noFunction(selector, r);
    if (head.key === "faults") {
      const have =
        faults === 0
          ? "the scenario has no scheduled faults"
          : `the scenario has ${faults} scheduled fault(s): faults[0]${faults > 1 ? ` to faults[${faults - 1}]` : ""}`;
      return `no entry ${describe(segments.slice(0, 2))} in the summary (${have}; random host crashes have none)`;
    }
  }
  // Suggest among the generic paths: functions[NAME].arrived, faults[0].failedDuring.
  const paths = summaryPaths(["NAME"], faults > 0 ? ["fault"] : []);
  const text = describe(segments);
  const hint = didYouMean(text, paths);
  const sections = [...new Set(paths.map((p) => p.split(/[.[]/)[0]))].join(", ");
  return `no field ${text} in the summary${hint || ` (its numbers are under: ${sections})`}`;
}

function noFunction(selector: SummarySegment, r: ResolvedScenario): string {
  if (selector.kind === "index") {
    const listed = Math.min(r.functions.length, LISTED_FUNCTIONS);
    return `no functions[${selector.index}] in the summary (it lists ${listed} function(s), the busiest first: name one, as functions[${r.functions[0]?.name ?? "NAME"}])`;
  }
  if (selector.kind !== "name") return "expected functions[NAME] or functions[i]";
  const names = r.functions.map((f) => f.name);
  const hint = didYouMean(selector.name, names);
  const list = names.length <= 10 ? ` (functions: ${names.join(", ")})` : "";
  return `no function ${JSON.stringify(selector.name)} in the scenario${hint || list}`;
}

function describe(segments: readonly SummarySegment[]): string {
  let out = "";
  for (const s of segments) {
    if (s.kind === "index") out += `[${s.index}]`;
    else if (s.kind === "key") out += out === "" ? s.key : `.${s.key}`;
    else out += `[${s.name}]`;
  }
  return out;
}

function notANumber(segments: readonly SummarySegment[], value: unknown): string {
  const text = describe(segments);
  if (typeof value !== "object" || value === null) return `${text} is not a number`;
  const child = Array.isArray(value)
    ? "[0]"
    : `.${Object.entries(value).find(([, v]) => typeof v === "number")?.[0] ?? "..."}`;
  return `${text} is not a number; expected a field inside it, such as ${text}${child}`;
}
