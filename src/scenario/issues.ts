/**
 * Turns zod issues into problems a user can act on: one per offending field, with the
 * path, what was expected and what was found. Unions get special care: zod reports
 * every branch's failure, and the useful one is the branch the user meant (the one
 * whose type matched), not the first.
 */
import type * as z from "zod";
import { showValue } from "./errors.js";
import { didYouMean } from "./suggest.js";

type Issue = z.core.$ZodIssue;
type Key = string | number;

export interface RawProblem {
  readonly path: readonly Key[];
  readonly message: string;
  /** An unknown key: the path names something that does not exist. */
  readonly unknownField?: boolean;
}

/** The field names allowed in the object at `path` (where `input` was found), for suggestions. */
export type KeysAt = (path: readonly Key[], input: unknown) => readonly string[];

export function problemsFromIssues(
  issues: readonly Issue[],
  base: readonly Key[] = [],
  keysAt: KeysAt = () => [],
): RawProblem[] {
  return issues.flatMap((issue) => problemsFromIssue(issue, base, keysAt));
}

function problemsFromIssue(issue: Issue, base: readonly Key[], keysAt: KeysAt): RawProblem[] {
  const path = [...base, ...issue.path.map(toKey)];
  if (issue.code === "unrecognized_keys") {
    const known = keysAt(path, issue.input);
    return issue.keys.map((key) => ({
      path: [...path, key],
      message: `unknown field${didYouMean(key, known)}`,
      unknownField: true,
    }));
  }
  if (issue.code === "invalid_union") {
    // A policy value (schema-values.ts policyValue) says itself what it accepts.
    if (issue.message.endsWith(POLICY_PATH_HINT))
      return [{ path, message: `${describe(issue)}${policyHint(issue)}` }];
    const discriminator = discriminatorOf(issue);
    if (discriminator !== undefined)
      return [{ path, message: describeDiscriminator(issue, discriminator) }];
    const branch = pickBranch(issue.errors);
    if (branch !== undefined) return problemsFromIssues(branch, path, keysAt);
  }
  return [{ path, message: describe(issue) }];
}

/** "did you mean" for a policy value: the built-in names are its first branch's. */
function policyHint(issue: Issue): string {
  if (issue.code !== "invalid_union" || typeof issue.input !== "string") return "";
  const names = issue.errors[0]?.flatMap((e) => (e.code === "invalid_value" ? e.values : []));
  return names ? didYouMean(issue.input, names.map(String)) : "";
}

/** How a policy value (schema-values.ts) ends its expectation. */
export const POLICY_PATH_HINT = "or a policy module's path (./, ../ or /)";

function toKey(segment: PropertyKey): Key {
  return typeof segment === "number" ? segment : String(segment);
}

function discriminatorOf(issue: Issue): string | undefined {
  const { discriminator } = issue as { discriminator?: unknown };
  return typeof discriminator === "string" ? discriminator : undefined;
}

function describeDiscriminator(issue: Issue, key: string): string {
  const { options } = issue as { options?: unknown[] };
  const names = (options ?? []).map(String);
  const expected = `expected one of ${names.join(" | ")}`;
  const input: unknown = issue.input;
  const value =
    typeof input === "object" && input !== null
      ? (input as Record<string, unknown>)[key]
      : undefined;
  if (value === undefined) return `required, ${expected}`;
  const hint = typeof value === "string" ? didYouMean(value, names) : "";
  return `${expected}, got ${showValue(value)}${hint}`;
}

/** True when the issue only says "this value is not of my type": the user meant another branch. */
function isMismatch(issue: Issue): boolean {
  if (issue.code === "invalid_union") {
    const discriminator = discriminatorOf(issue);
    if (discriminator !== undefined) {
      const input: unknown = issue.input;
      return typeof input !== "object" || input === null || !(discriminator in input);
    }
    return issue.path.length === 0 && issue.errors.every((branch) => branch.every(isMismatch));
  }
  return issue.path.length === 0 && issue.code === "invalid_type";
}

/**
 * The branch the user meant: among those whose type matched, the one with the fewest
 * problems (a typo in one field of a distribution beats "every field is wrong" from
 * another shape); undefined when no type matched.
 */
function pickBranch(branches: readonly (readonly Issue[])[]): readonly Issue[] | undefined {
  let best: readonly Issue[] | undefined;
  let bestWeight = Number.POSITIVE_INFINITY;
  for (const branch of branches) {
    if (branch.every(isMismatch)) continue;
    const weight = branch.reduce(
      (sum, issue) => sum + (issue.code === "unrecognized_keys" ? issue.keys.length : 1),
      0,
    );
    if (weight < bestWeight) {
      best = branch;
      bestWeight = weight;
    }
  }
  return best;
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  number: "a number",
  int: "an integer",
  string: "a string",
  boolean: "true or false",
  object: "a mapping",
  array: "a list",
  record: "a mapping",
};

function describe(issue: Issue): string {
  const hasInput = "input" in issue;
  const input: unknown = issue.input;
  const expected = issue.message.startsWith("expected") ? issue.message : expectation(issue);
  // Our own checks write the whole message; the input they see may be converted already.
  if (issue.code === "custom") return expected;
  if (hasInput && input === undefined) return `required, ${expected}`;
  if (!hasInput || expected.includes(", got ")) return expected;
  const hint =
    issue.code === "invalid_value" && typeof input === "string"
      ? didYouMean(input, issue.values.map(String))
      : "";
  return `${expected}, got ${showValue(input)}${hint}`;
}

function expectation(issue: Issue): string {
  switch (issue.code) {
    case "invalid_type":
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case "too_small":
      return `expected ${bound(issue.origin, Number(issue.minimum), issue.inclusive === true, "min")}`;
    case "too_big":
      return `expected ${bound(issue.origin, Number(issue.maximum), issue.inclusive === true, "max")}`;
    case "invalid_value":
      return `expected one of ${issue.values.map((v) => String(v)).join(" | ")}`;
    case "invalid_union":
      return `expected ${unionExpectation(issue.errors)}`;
    case "invalid_format":
      return `expected ${issue.format}`;
    default:
      return issue.message;
  }
}

function bound(origin: string, limit: number, inclusive: boolean, side: "min" | "max"): string {
  if (origin === "array")
    return side === "min" ? `at least ${limit} item(s)` : `at most ${limit} item(s)`;
  if (origin === "string")
    return side === "min" ? `at least ${limit} character(s)` : `at most ${limit} character(s)`;
  if (side === "min" && limit === 0)
    return inclusive ? "a non-negative number" : "a positive number";
  const op = side === "min" ? (inclusive ? ">=" : ">") : inclusive ? "<=" : "<";
  return `a number ${op} ${limit}`;
}

function unionExpectation(branches: readonly (readonly Issue[])[]): string {
  const names = branches.flatMap((branch) =>
    branch.map((issue) =>
      issue.code === "invalid_type" ? (TYPE_NAMES[issue.expected] ?? issue.expected) : "",
    ),
  );
  const distinct = [...new Set(names.filter((name) => name !== ""))];
  return distinct.length > 0 ? distinct.join(" or ") : "a valid value";
}
