import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ScenarioError } from "../../src/scenario/errors.js";
import { loadScenario } from "../../src/scenario/load.js";
import { mergeTrees } from "../../src/scenario/tree.js";
import { FIXTURES } from "./helpers.js";

const fixture = (name: string) => join(FIXTURES, name);

function errorOf(file: string): ScenarioError {
  try {
    loadScenario(file);
  } catch (error) {
    if (error instanceof ScenarioError) return error;
    throw error;
  }
  throw new Error(`${file} loaded`);
}

describe("merging", () => {
  it("merges objects key by key, replaces arrays and scalars, and deletes on null", () => {
    const base = { a: { x: 1, y: 2 }, list: [1, 2], s: "base", gone: { z: 1 } };
    const over = { a: { y: 3 }, list: [9], s: "over", gone: null, extra: true };
    expect(mergeTrees(base, over)).toEqual({
      a: { x: 1, y: 3 },
      list: [9],
      s: "over",
      extra: true,
    });
    expect(base).toEqual({ a: { x: 1, y: 2 }, list: [1, 2], s: "base", gone: { z: 1 } });
  });

  it("keeps __proto__ as a plain key rather than changing a prototype", () => {
    const over = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const merged = mergeTrees({}, over);
    expect(Object.keys(merged)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("extends", () => {
  it("merges a file over the one it extends, relative to the file", () => {
    const s = loadScenario(fixture("child.yaml"));
    expect(s.name).toBe("child");
    expect(s.description).toBe("the base scenario");
    expect(s.durationUs).toBe(600_000_000);
    expect(s.cluster.zones).toEqual(["a", "b", "c"]);
    expect(s.cluster.hostsPerZone).toBe(8);
    expect(s.cluster.host.memoryMb).toBe(8192);
    expect(s.placement.policy).toBe("random");
    expect(s.placement.latencyUs).toBe(2000);
    expect(s.functions.map((f) => f.name)).toEqual(["search"]);
    expect(s.clients).toBeNull();
  });

  it("follows chains", () => {
    const s = loadScenario(fixture("grandchild.yaml"));
    expect(s.name).toBe("child");
    expect(s.durationUs).toBe(60_000_000);
    expect(s.cluster.hostsPerZone).toBe(8);
  });

  it("reports a problem in the extended file with its name and line", () => {
    const e = errorOf(fixture("bad-child.yaml"));
    expect(e.message).toMatch(
      /bad-parent\.yaml: functions\[0\]\.memoryMb: expected a positive number, got -5 \(line 6\)/,
    );
  });

  it("detects loops", () => {
    const e = errorOf(fixture("loop-a.yaml"));
    expect(e.message).toMatch(
      /loop-b\.yaml: extends: extends loop: .*loop-a\.yaml → .*loop-b\.yaml → .*loop-a\.yaml \(line 1\)/,
    );
  });

  it("names a missing extended file", () => {
    const e = errorOf(fixture("missing-parent.yaml"));
    expect(e.message).toMatch(
      /missing-parent\.yaml: extends: .*does-not-exist\.yaml: file not found \(line 2\)/,
    );
  });

  it("names a missing scenario file", () => {
    const e = errorOf(fixture("nope.yaml"));
    expect(e.message).toBe(`${fixture("nope.yaml")}: file not found`);
  });

  it("reads JSON by extension, with lines in errors", () => {
    expect(loadScenario(fixture("minimal.json")).name).toBe("minimal-json");
    const e = errorOf(fixture("bad.json"));
    expect(e.message).toMatch(
      /bad\.json: functions\[0\]\.memoryMb: expected a size such as 512MB, .*, got "lots" \(line 5\)/,
    );
  });

  it("rejects other extensions", () => {
    expect(errorOf(join(FIXTURES, "notes.txt")).message).toMatch(
      /notes\.txt: expected a \.yaml, \.yml or \.json file/,
    );
  });
});
