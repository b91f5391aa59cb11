/**
 * Paths to the numbers of a run summary (summary.json), as scenarios' `expect:` and
 * `compare --metric` name them: dotted keys, `[i]` for the i-th element of a list and
 * `[name]` for the element whose `name` is that (a function):
 *
 *   latencyMs.p99   faults[0].recoverySeconds   functions[checkout].coldStartRatio
 *
 * A key that is not an identifier (or a name that holds `]` or `"`, or is all digits)
 * is written as a JSON string in brackets: `functions["0"]`, `failures["host-crash"]`
 * (`failures.host-crash` works too: `-` is allowed in keys). Pure and general: it knows
 * nothing of the summary's fields, so it works on any plain JSON tree.
 */

export type SummarySegment =
  | { readonly kind: "key"; readonly key: string }
  | { readonly kind: "index"; readonly index: number }
  /** `[name]`: an object key, or in a list the element whose `name` field is this. */
  | { readonly kind: "name"; readonly name: string };

export type ParsedPath =
  | { readonly ok: true; readonly segments: readonly SummarySegment[] }
  | { readonly ok: false; readonly message: string };

const KEY = /[A-Za-z_$][\w$-]*/y;
const PLAIN_NAME = /^[^\]["]+$/;

export const PATH_EXAMPLE = "latencyMs.p99, faults[0].recoverySeconds or functions[NAME].arrived";

/** Parses `latencyMs.p99` or `functions[checkout].latencyMs.p50`. */
export function parseSummaryPath(text: string): ParsedPath {
  const segments: SummarySegment[] = [];
  let at = 0;
  const fail = (what: string): ParsedPath => ({
    ok: false,
    message: `${JSON.stringify(text)}: ${what} at character ${at + 1} (a path is such as ${PATH_EXAMPLE})`,
  });
  while (at < text.length) {
    if (text[at] === "[") {
      const selector = readSelector(text, at);
      if (selector === undefined) return fail("an unclosed or empty [");
      segments.push(selector.segment);
      at = selector.end;
      continue;
    }
    if (segments.length > 0) {
      if (text[at] !== ".") return fail("a . or [ expected");
      at++;
    }
    KEY.lastIndex = at;
    const match = KEY.exec(text);
    if (match === null) return fail("a field name expected");
    segments.push({ kind: "key", key: match[0] });
    at = KEY.lastIndex;
  }
  if (segments.length === 0)
    return { ok: false, message: `expected a path such as ${PATH_EXAMPLE}` };
  return { ok: true, segments };
}

function readSelector(
  text: string,
  open: number,
): { segment: SummarySegment; end: number } | undefined {
  if (text[open + 1] === '"') {
    // A JSON string: find its closing quote, skipping escapes.
    let i = open + 2;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    if (text[i + 1] !== "]") return undefined;
    try {
      const name = JSON.parse(text.slice(open + 1, i + 1)) as string;
      return { segment: { kind: "name", name }, end: i + 2 };
    } catch {
      return undefined;
    }
  }
  const close = text.indexOf("]", open);
  if (close <= open + 1) return undefined;
  const inside = text.slice(open + 1, close);
  if (inside.includes("[") || inside.includes('"')) return undefined;
  const segment: SummarySegment = /^\d+$/.test(inside)
    ? { kind: "index", index: Number(inside) }
    : { kind: "name", name: inside };
  return { segment, end: close + 1 };
}

/** The canonical text of a path (what numericPaths lists). */
export function formatSummaryPath(segments: readonly SummarySegment[]): string {
  let out = "";
  for (const s of segments) {
    if (s.kind === "index") out += `[${s.index}]`;
    else if (s.kind === "key") out += out === "" ? s.key : `.${s.key}`;
    else
      out +=
        PLAIN_NAME.test(s.name) && !/^\d+$/.test(s.name)
          ? `[${s.name}]`
          : `[${JSON.stringify(s.name)}]`;
  }
  return out;
}

export type Lookup =
  | { readonly found: true; readonly value: unknown }
  /** `depth`: how many segments resolved before the one that names nothing. */
  | { readonly found: false; readonly depth: number; readonly parent: unknown };

/** Follows `segments` from `root`, saying where it stopped when a segment names nothing. */
export function lookup(root: unknown, segments: readonly SummarySegment[]): Lookup {
  let node = root;
  for (let depth = 0; depth < segments.length; depth++) {
    const next = step(node, segments[depth]!);
    if (next === undefined) return { found: false, depth, parent: node };
    node = next.value;
  }
  return { found: true, value: node };
}

function step(node: unknown, s: SummarySegment): { value: unknown } | undefined {
  if (Array.isArray(node)) {
    if (s.kind === "index") return s.index < node.length ? { value: node[s.index] } : undefined;
    if (s.kind !== "name") return undefined;
    const element = node.find((e) => isObject(e) && e.name === s.name);
    return element === undefined ? undefined : { value: element };
  }
  if (!isObject(node) || s.kind === "index") return undefined;
  const key = s.kind === "key" ? s.key : s.name;
  return Object.hasOwn(node, key) ? { value: node[key] } : undefined;
}

/**
 * The number at `path`: null when the field is there but null (a fault that never
 * recovered), undefined when the path names no number (no such field, a bad path, or
 * a field that is not a number).
 */
export function resolvePath(
  summary: unknown,
  path: string | readonly SummarySegment[],
): number | null | undefined {
  let segments: readonly SummarySegment[];
  if (typeof path === "string") {
    const parsed = parseSummaryPath(path);
    if (!parsed.ok) return undefined;
    segments = parsed.segments;
  } else {
    segments = path;
  }
  const found = lookup(summary, segments);
  if (!found.found) return undefined;
  const value = found.value;
  if (value === null) return null;
  return typeof value === "number" ? value : undefined;
}

/**
 * Every path of `summary` that holds a number, in the summary's order. List elements
 * with a string `name` are named (`functions[checkout]`), others indexed. A field that
 * is null in this summary is not listed (nothing says it would hold a number): list the
 * paths of a template instead (summaryTemplate) to have them all.
 */
export function numericPaths(summary: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown, at: SummarySegment[]): void => {
    if (typeof node === "number") {
      out.push(formatSummaryPath(at));
    } else if (Array.isArray(node)) {
      node.forEach((element, index) => {
        const named = isObject(element) && typeof element.name === "string";
        walk(element, [
          ...at,
          named ? { kind: "name", name: element.name as string } : { kind: "index", index },
        ]);
      });
    } else if (isObject(node)) {
      for (const [key, value] of Object.entries(node)) {
        KEY.lastIndex = 0;
        const plain = KEY.exec(key)?.[0] === key;
        walk(value, [...at, plain ? { kind: "key", key } : { kind: "name", name: key }]);
      }
    }
  };
  walk(summary, []);
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
