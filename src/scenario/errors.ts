/**
 * The one error the scenario loader throws. It carries every problem found (so a user
 * fixes a file in one pass, not one error per run) and formats each as
 * `file: path: what was expected, got what (line N)`.
 */

/** A location inside a scenario: object keys and array indices, outermost first. */
export type ScenarioPath = readonly (string | number)[];

export interface ScenarioProblem {
  /** The file shown to the user (as given, or relative to it for `extends`). */
  readonly file?: string;
  readonly path?: ScenarioPath;
  /** 1-based line of the offending node, when the file is YAML or JSON text we parsed. */
  readonly line?: number;
  readonly message: string;
  /** Where a value came from when it was not the file (`--set k=v`, a variant). */
  readonly origin?: string;
}

export class ScenarioError extends Error {
  override readonly name = "ScenarioError";
  readonly problems: readonly ScenarioProblem[];

  constructor(problems: string | readonly ScenarioProblem[]) {
    const list = typeof problems === "string" ? [{ message: problems }] : problems;
    super(list.map(formatProblem).join("\n"));
    this.problems = list;
  }
}

/** `functions[2].memoryMb`; keys that are not identifiers are quoted: `variants.a["x.y"]`. */
export function formatPath(path: ScenarioPath): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[\w$-]+$/.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

export function formatProblem(problem: ScenarioProblem): string {
  const parts: string[] = [];
  if (problem.file !== undefined) parts.push(problem.file);
  if (problem.path !== undefined && problem.path.length > 0) parts.push(formatPath(problem.path));
  parts.push(problem.message);
  let text = parts.join(": ");
  if (problem.line !== undefined) text += ` (line ${problem.line})`;
  if (problem.origin !== undefined) text += ` (from ${problem.origin})`;
  return text;
}

/** A short rendering of a user's value for "got ..." in messages. */
export function showValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  // 1e9 reads as 1,000,000,000 rather than 1000000000 (YAML keeps no spelling of it).
  if (Number.isSafeInteger(value) && Math.abs(value as number) >= 100_000)
    return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object" && value !== null) return "a mapping";
  if (typeof value === "string" && value.length > 60)
    return JSON.stringify(`${value.slice(0, 57)}...`);
  if (typeof value === "bigint") return String(value);
  return JSON.stringify(value) ?? String(value);
}
