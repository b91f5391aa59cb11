/**
 * The field names a schema allows at a path, for "did you mean": a misspelt key is
 * compared with the keys of the object it was found in. Walks zod's definitions (the
 * schema is the one source of field names); where a union offers several objects, the
 * ones whose literal fields (kind, dist, process) match the input are preferred.
 */
import type * as z from "zod";

type Key = string | number;

interface Def {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly out?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly element?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly items?: readonly z.ZodType[];
  readonly values?: readonly unknown[];
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The schemas `schema` stands for once wrappers (optional, defaults, pipes, unions) are undone. */
function unwrap(schema: z.ZodType, out: z.ZodType[] = []): z.ZodType[] {
  const def = defOf(schema);
  if (def.innerType !== undefined) return unwrap(def.innerType, out);
  if (def.type === "pipe" && def.in !== undefined) {
    // A transform's output is not what a file holds: follow the input side only.
    unwrap(def.in, out);
    if (def.out !== undefined && defOf(def.out).type !== "transform") unwrap(def.out, out);
    return out;
  }
  if (def.type === "union") {
    for (const option of def.options ?? []) unwrap(option, out);
    return out;
  }
  out.push(schema);
  return out;
}

function children(schema: z.ZodType, key: Key): z.ZodType[] {
  const def = defOf(schema);
  if (def.type === "object") {
    const child = typeof key === "string" ? def.shape?.[key] : undefined;
    return child === undefined ? [] : [child];
  }
  if (def.type === "array" && typeof key === "number" && def.element) return [def.element];
  if (def.type === "tuple" && typeof key === "number") {
    const item = def.items?.[key];
    return item === undefined ? [] : [item];
  }
  if (def.type === "record" && def.valueType) return [def.valueType];
  return [];
}

/** Whether every literal field of `object` that the input has matches it. */
function matchesLiterals(schema: z.ZodType, input: unknown): boolean {
  if (typeof input !== "object" || input === null) return true;
  for (const [key, field] of Object.entries(defOf(schema).shape ?? {})) {
    const literal = unwrap(field).find((s) => defOf(s).type === "literal");
    if (literal === undefined || !(key in input)) continue;
    const value = (input as Record<string, unknown>)[key];
    if (!(defOf(literal).values ?? []).includes(value)) return false;
  }
  return true;
}

/** Keys of the object(s) `root` allows at `path`; `input` is the object found there. */
export function knownKeys(root: z.ZodType, path: readonly Key[], input: unknown): string[] {
  let here = unwrap(root);
  for (const key of path) here = here.flatMap((s) => children(s, key)).flatMap((s) => unwrap(s));
  const objects = here.filter((s) => defOf(s).type === "object");
  const matching = objects.filter((s) => matchesLiterals(s, input));
  const chosen = matching.length > 0 ? matching : objects;
  return [...new Set(chosen.flatMap((s) => Object.keys(defOf(s).shape ?? {})))];
}
