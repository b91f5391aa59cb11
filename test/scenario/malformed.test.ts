/**
 * Malformed scenarios: each must fail with a message naming the file, the path and what
 * was expected (and the line, for YAML we can point into).
 */
import { describe, expect, it } from "vitest";
import { loadError } from "./helpers.js";
import { cases, edit } from "./malformed-cases.js";

describe("malformed scenarios", () => {
  it.each(cases)("rejects %s", (_what, text, expected) => {
    const file = _what === "bad JSON" ? "test.json" : "test.yaml";
    const e = loadError(text, file);
    if (typeof expected === "string") expect(e.message).toBe(expected);
    else expect(e.message).toMatch(expected);
  });

  it("lists several problems, one a line", () => {
    const text = edit("duration: 10ms", "duration: 10ms\n    memoryMb: -5\n    slots: 0");
    const e = loadError(`${text}keepAlive: { policy: forever }\n`);
    expect(e.message.split("\n")).toEqual([
      'test.yaml: keepAlive.policy: expected one of fixed | none | hybrid, or a policy module\'s path (./, ../ or /), got "forever" (line 9)',
      "test.yaml: functions[0].memoryMb: expected a positive number, got -5 (line 6)",
      "test.yaml: functions[0].slots: expected an integer from 1 to 100,000, got 0 (line 7)",
    ]);
    expect(e.problems).toHaveLength(3);
  });
});
