/**
 * Plain-data helpers for scenario trees as parsed from YAML or JSON: merging a file
 * over the one it extends, and reading paths. Writes use defineProperty so a key such
 * as `__proto__` in a file is an ordinary (and then unknown, hence rejected) field.
 */

export type Tree = Record<string, unknown>;

export function isPlainObject(value: unknown): value is Tree {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function setKey(target: Tree, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** A shallow copy that keeps every own key, `__proto__` included, as data. */
export function copyObject(source: Tree): Tree {
  const out: Tree = {};
  for (const [key, value] of Object.entries(source)) setKey(out, key, value);
  return out;
}

/**
 * `over` merged onto `base`: objects key by key, arrays and scalars replaced, and a
 * null deletes the key (so a file can drop a section it inherits). Neither input changes.
 */
export function mergeTrees(base: Tree, over: Tree): Tree {
  const out = copyObject(base);
  for (const [key, value] of Object.entries(over)) {
    const inherited = Object.hasOwn(out, key) ? out[key] : undefined;
    if (value === null) delete out[key];
    else if (isPlainObject(inherited) && isPlainObject(value))
      setKey(out, key, mergeTrees(inherited, value));
    else setKey(out, key, value);
  }
  return out;
}

/** Whether `prefix` is a prefix of `path`, comparing indices and keys as strings. */
export function startsWith(
  path: readonly (string | number)[],
  prefix: readonly (string | number)[],
): boolean {
  return (
    prefix.length <= path.length &&
    prefix.every((segment, i) => String(segment) === String(path[i]))
  );
}
