/**
 * What the conformance suites are made of (STYLE 4): named properties that throw when
 * a policy breaks its family's contract. The test suite runs them for every built-in
 * (test/policies/*.conformance.test.ts) and `lbsim check-policy` for a policy module,
 * so a user's policy is held to exactly the built-ins' standard. Random cases come from
 * fast-check with fixed seeds: a failure reproduces.
 */
import fc from "fast-check";

export interface ConformanceProperty {
  readonly name: string;
  /** Throws (a ConformanceFailure, or what the policy threw) when the property fails. */
  run(): void;
}

/** A policy broke the contract; the message says how. */
export class ConformanceFailure extends Error {
  override readonly name = "ConformanceFailure";
}

export function check(ok: boolean, message: () => string): void {
  if (!ok) throw new ConformanceFailure(message());
}

/** fc.assert with a fixed seed (the suites must give the same verdict every time). */
export function holds<T extends unknown[]>(
  arbitraries: { [K in keyof T]: fc.Arbitrary<T[K]> },
  predicate: (...args: T) => void,
  numRuns: number,
  seed = 42,
): void {
  const property = (fc.property as unknown as (...args: unknown[]) => fc.IProperty<T>)(
    ...arbitraries,
    predicate,
  );
  fc.assert(property, { numRuns, seed });
}

/**
 * The cause of a failed property in one or two lines: the policy's own message, and,
 * for a random case, fast-check's counterexample size and seed.
 */
export function failureSummary(error: unknown): string {
  const inner = innermost(error);
  const text = inner instanceof Error ? inner.message : String(inner);
  const outer = error instanceof Error ? error.message : "";
  const runs = /failed after (\d+) tests?/.exec(outer);
  const first = text.split("\n").find((l) => l.trim() !== "") ?? text;
  return runs ? `${first} (random case ${runs[1]}, fast-check seed 42)` : first;
}

function innermost(error: unknown): unknown {
  let e = error;
  for (let i = 0; i < 5 && e instanceof Error && e.cause !== undefined; i++) e = e.cause;
  if (e === error && error instanceof Error) {
    const got = /Got error: (.*)/.exec(error.message);
    if (got) return new Error(got[1]);
  }
  return e;
}
