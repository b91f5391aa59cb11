/**
 * Reading scenario files: YAML or JSON by extension, `extends` chains (relative to the
 * file that names them, loops detected), and finding the line of a path in the text
 * so that errors can point at it.
 */
import { readFileSync } from "node:fs";
import { dirname, extname, isAbsolute, join, normalize, resolve } from "node:path";
import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { ScenarioError, type ScenarioPath } from "./errors.js";
import { isPlainObject, mergeTrees, type Tree } from "./tree.js";

/** One file of an `extends` chain, kept to find lines of paths. */
export interface SourceFile {
  /** The name shown in messages: as given, or joined to it for `extends`. */
  readonly display: string;
  readonly doc: Document.Parsed | undefined;
  readonly lines: LineCounter;
}

/** The merged tree (without `extends`) and its files, the named file first. */
export interface Chain {
  readonly raw: Tree;
  readonly files: readonly SourceFile[];
}

/** Longest `extends` chain: deeper is surely a mistake, and it bounds the work. */
const MAX_EXTENDS = 32;

export function readChain(file: string): Chain {
  return chainFrom(readSource(file, file, undefined), file, resolve(file));
}

export function chainFromText(text: string, fileName: string): Chain {
  return chainFrom(parseSource(text, fileName), fileName, resolve(fileName));
}

function chainFrom(first: Parsed, display: string, abs: string): Chain {
  const files: SourceFile[] = [first.file];
  const trees: Tree[] = [];
  const seen = [abs];
  let current = { parsed: first, display, abs };
  for (;;) {
    const tree = topMapping(current.parsed.value, current.display);
    const { extends: parent, ...rest } = tree;
    trees.push(rest);
    if (parent === undefined) break;
    const from = {
      file: current.display,
      path: ["extends"],
      line: lineOf(current.parsed.file, ["extends"]),
    };
    if (typeof parent !== "string" || parent === "") {
      throw new ScenarioError([{ ...from, message: "expected a file name" }]);
    }
    const next = resolve(dirname(current.abs), parent);
    const nextDisplay = isAbsolute(parent)
      ? parent
      : normalize(join(dirname(current.display), parent));
    if (seen.includes(next)) {
      const loop = [...files.map((f) => f.display), nextDisplay].join(" → ");
      throw new ScenarioError([{ ...from, message: `extends loop: ${loop}` }]);
    }
    if (seen.length > MAX_EXTENDS) {
      throw new ScenarioError([
        { ...from, message: `expected at most ${MAX_EXTENDS} files extending each other` },
      ]);
    }
    const parsed = readSource(next, nextDisplay, from);
    seen.push(next);
    files.push(parsed.file);
    current = { parsed, display: nextDisplay, abs: next };
  }
  const raw = trees.reduceRight<Tree>((merged, tree) => mergeTrees(merged, tree), {});
  return { raw, files };
}

function topMapping(value: unknown, display: string): Tree {
  if (isPlainObject(value)) return value;
  const got =
    value === null || value === undefined
      ? "an empty file"
      : Array.isArray(value)
        ? "a list"
        : "a scalar";
  throw new ScenarioError([
    { file: display, message: `expected a mapping of scenario fields, got ${got}` },
  ]);
}

interface Parsed {
  readonly value: unknown;
  readonly file: SourceFile;
}

interface Referrer {
  readonly file: string;
  readonly path: ScenarioPath;
  readonly line: number | undefined;
}

function readSource(abs: string, display: string, from: Referrer | undefined): Parsed {
  const ext = extname(abs).toLowerCase();
  const where = from ?? { file: display };
  if (![".yaml", ".yml", ".json"].includes(ext)) {
    const message = `${from === undefined ? "" : `${display}: `}expected a .yaml, .yml or .json file`;
    throw new ScenarioError([{ ...where, message }]);
  }
  let text: string;
  try {
    text = readFileSync(abs, "utf8");
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const why =
      code === "ENOENT" ? "not found" : code === "EISDIR" ? "is a directory" : "cannot be read";
    const message = from === undefined ? `file ${why}` : `${display}: file ${why}`;
    throw new ScenarioError([{ ...where, message }]);
  }
  return parseSource(text, display);
}

function parseSource(text: string, display: string): Parsed {
  const json = extname(display).toLowerCase() === ".json";
  const lines = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, {
      lineCounter: lines,
      uniqueKeys: true,
      prettyErrors: false,
      logLevel: "error",
    });
  } catch (error) {
    throw new ScenarioError([{ file: display, message: `cannot parse: ${String(error)}` }]);
  }
  const file: SourceFile = { display, doc, lines };
  if (json) return { value: parseJson(text, display, lines), file };
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      doc.errors.map((e) => ({
        file: display,
        line: lines.linePos(e.pos[0]).line || undefined,
        message: `invalid YAML: ${e.message.split("\n")[0]}`,
      })),
    );
  }
  try {
    return { value: doc.toJS({ maxAliasCount: 1000 }), file };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ScenarioError([{ file: display, message: `invalid YAML: ${reason}` }]);
  }
}

function parseJson(text: string, display: string, lines: LineCounter): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(reason)?.[1];
    const line =
      position === undefined ? undefined : lines.linePos(Number(position)).line || undefined;
    throw new ScenarioError([{ file: display, line, message: `invalid JSON: ${reason}` }]);
  }
}

/**
 * The file and line a path points to: the first file of the chain that holds the whole
 * path, else the one holding the longest part of it (a missing field: its parent).
 */
export function locate(
  files: readonly SourceFile[],
  path: ScenarioPath,
): { file: string; line?: number } {
  let best: { file: SourceFile; depth: number; node: Node | undefined } | undefined;
  for (const file of files) {
    const found = nodeAt(file, path);
    if (found.depth === path.length) return withLine(file, found.node);
    if (found.depth > 0 && (best === undefined || found.depth > best.depth))
      best = { file, ...found };
  }
  if (best === undefined) return { file: files[0]?.display ?? "scenario" };
  return withLine(best.file, best.node);
}

function withLine(file: SourceFile, node: Node | undefined): { file: string; line?: number } {
  const offset = node?.range?.[0];
  const line = offset === undefined ? 0 : file.lines.linePos(offset).line;
  return line > 0 ? { file: file.display, line } : { file: file.display };
}

function lineOf(file: SourceFile, path: ScenarioPath): number | undefined {
  const found = nodeAt(file, path);
  return found.depth === path.length ? withLine(file, found.node).line : undefined;
}

/** Walks the YAML nodes along `path`; the node is the key of the last pair matched (its line). */
function nodeAt(file: SourceFile, path: ScenarioPath): { depth: number; node: Node | undefined } {
  let node: unknown = file.doc?.contents;
  let marker: Node | undefined;
  let depth = 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isScalar(p.key) && String(p.key.value) === String(segment),
      );
      if (pair === undefined) break;
      marker = isScalar(pair.key) ? pair.key : undefined;
      node = pair.value;
    } else if (isSeq(node)) {
      const item: unknown = node.items[Number(segment)];
      if (item === undefined || item === null) break;
      node = item;
      marker = item as Node;
    } else {
      break;
    }
    depth++;
  }
  return { depth, node: marker };
}
