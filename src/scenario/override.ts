/**
 * Overrides: `--set path=value` on the command line, variants and sweep points. A path
 * is dotted keys with array indices as `[0]` or `.0` (`functions[0].memoryMb`). The
 * value replaces what is at the path; validation afterwards rejects paths that name no
 * field, because every object of the schema is strict.
 */
import { parse as parseYaml } from "yaml";
import { formatPath, ScenarioError } from "./errors.js";
import { copyObject, isPlainObject, setKey } from "./tree.js";

export type PathSegment = string | number;

/** `functions[0].memoryMb` or `functions.0.memoryMb` → ["functions", 0, "memoryMb"]. */
export function parsePath(text: string): PathSegment[] {
  const segments: PathSegment[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]/y;
  let at = 0;
  while (at < text.length) {
    if (segments.length > 0 && text[at] === ".") at++;
    re.lastIndex = at;
    const match = re.exec(text);
    if (match === null)
      throw new ScenarioError(
        `${JSON.stringify(text)}: expected a path such as functions[0].memoryMb`,
      );
    const [, key, index] = match;
    segments.push(
      index !== undefined ? Number(index) : /^\d+$/.test(key ?? "") ? Number(key) : (key ?? ""),
    );
    at = re.lastIndex;
  }
  if (segments.length === 0)
    throw new ScenarioError("expected a path such as placement.policy, got nothing");
  return segments;
}

/**
 * A copy of `raw` with `value` at `path` (a string or parsed segments). Objects on the
 * way are created when missing; a null value deletes an object's key, as in `extends`.
 */
export function applyOverride(
  raw: unknown,
  path: string | readonly PathSegment[],
  value: unknown,
): unknown {
  const segments = typeof path === "string" ? parsePath(path) : path;
  return setIn(raw, segments, 0, value);
}

function setIn(
  node: unknown,
  segments: readonly PathSegment[],
  depth: number,
  value: unknown,
): unknown {
  const segment = segments[depth];
  if (segment === undefined) return value;
  const here = segments.slice(0, depth);
  if (Array.isArray(node)) {
    const index = typeof segment === "number" ? segment : Number.NaN;
    if (!(index < node.length)) {
      throw new ScenarioError(
        `${describe(segments, depth + 1)}: no such element (${describe(here, depth)} has ${node.length})`,
      );
    }
    const copy = [...node];
    copy[index] = setIn(node[index], segments, depth + 1, value);
    return copy;
  }
  if (node !== undefined && !isPlainObject(node)) {
    throw new ScenarioError(
      `${describe(segments, depth + 1)}: cannot set inside ${describe(here, depth)}, which is not a mapping`,
    );
  }
  const copy = node === undefined ? {} : copyObject(node);
  const key = String(segment);
  const child = Object.hasOwn(copy, key) ? copy[key] : undefined;
  if (value === null && depth === segments.length - 1) delete copy[key];
  else setKey(copy, key, setIn(child, segments, depth + 1, value));
  return copy;
}

function describe(segments: readonly PathSegment[], length: number): string {
  return length === 0 ? "the scenario" : formatPath(segments.slice(0, length));
}

export interface SetOverride {
  readonly text: string;
  readonly path: PathSegment[];
  readonly value: unknown;
}

/** `path=value`, the value read as a YAML scalar or flow collection (`{policy: p2c, d: 3}`). */
export function parseSet(text: string): SetOverride {
  const eq = text.indexOf("=");
  if (eq <= 0)
    throw new ScenarioError(`--set ${text}: expected path=value, such as placement.policy=random`);
  let path: PathSegment[];
  try {
    path = parsePath(text.slice(0, eq).trim());
  } catch {
    throw new ScenarioError(
      `--set ${text}: expected a path such as functions[0].memoryMb before =`,
    );
  }
  let value: unknown;
  try {
    value = parseYaml(text.slice(eq + 1), { logLevel: "error" });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split(/\n| at line /)[0] : String(error);
    throw new ScenarioError(`--set ${text}: the value is not valid YAML: ${reason}`);
  }
  return { text, path, value };
}
