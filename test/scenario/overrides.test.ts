import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ScenarioError } from "../../src/scenario/errors.js";
import { applyOverride, loadScenario, loadScenarioText } from "../../src/scenario/load.js";
import { parsePath } from "../../src/scenario/override.js";
import { FIXTURES, loadError, MINIMAL } from "./helpers.js";

const VARIANTS = join(FIXTURES, "variants.yaml");
const withSets = (...sets: string[]) => loadScenarioText(MINIMAL, "t.yaml", { sets });

describe("paths", () => {
  it("reads dotted keys and array indices in both forms", () => {
    expect(parsePath("placement.policy")).toEqual(["placement", "policy"]);
    expect(parsePath("functions[0].memoryMb")).toEqual(["functions", 0, "memoryMb"]);
    expect(parsePath("functions.0.memoryMb")).toEqual(["functions", 0, "memoryMb"]);
    expect(parsePath("a[1][2]")).toEqual(["a", 1, 2]);
  });

  it.each(["", "a..b", "a[x]", ".a", "a."])("rejects %j", (path) => {
    expect(() => parsePath(path)).toThrow(ScenarioError);
  });
});

describe("applyOverride", () => {
  it("returns a copy with the value set, creating objects on the way", () => {
    const raw = { a: { b: 1 }, list: [{ x: 1 }, { x: 2 }] };
    expect(applyOverride(raw, "a.c.d", 5)).toEqual({ a: { b: 1, c: { d: 5 } }, list: raw.list });
    expect(applyOverride(raw, "list[1].x", 7)).toEqual({ a: { b: 1 }, list: [{ x: 1 }, { x: 7 }] });
    expect(applyOverride(raw, "a.b", null)).toEqual({ a: {}, list: raw.list });
    expect(raw).toEqual({ a: { b: 1 }, list: [{ x: 1 }, { x: 2 }] });
  });

  it("rejects indices past the end and paths through scalars", () => {
    expect(() => applyOverride({ list: [1] }, "list[3]", 0)).toThrow(
      /list\[3\]: no such element \(list has 1\)/,
    );
    expect(() => applyOverride({ a: 1 }, "a.b", 0)).toThrow(
      /a\.b: cannot set inside a, which is not a mapping/,
    );
  });
});

describe("--set", () => {
  it("sets scalars parsed as YAML", () => {
    const s = withSets(
      "placement.policy=random",
      "cluster.hostsPerZone=100",
      "keepAlive.ttl=1min",
      "seed=9",
    );
    expect(s.placement.policy).toBe("random");
    expect(s.cluster.hostsPerZone).toBe(100);
    expect(s.keepAlive.ttlUs).toBe(60_000_000);
    expect(s.seed).toBe(9);
  });

  it("sets objects in flow style", () => {
    expect(withSets("balancer.routing={policy: p2c, d: 3}").balancer.routing).toEqual({
      policy: "p2c",
      d: 3,
    });
  });

  it("indexes arrays", () => {
    expect(withSets("functions[0].memoryMb=512").functions[0]?.memoryMb).toBe(512);
    expect(withSets("functions.0.memoryMb=256").functions[0]?.memoryMb).toBe(256);
  });

  it("overrides the seed with the seed option last", () => {
    expect(loadScenarioText(MINIMAL, "t.yaml", { sets: ["seed=3"], seed: 4 }).seed).toBe(4);
  });

  it("rejects a path that names no field, saying where it came from", () => {
    const e = loadError(MINIMAL, "t.yaml", { sets: ["placement.polcy=random"] });
    expect(e.message).toBe(
      "t.yaml: placement.polcy: unknown field (did you mean policy?) (from --set placement.polcy=random)",
    );
  });

  it("validates the value it sets", () => {
    const e = loadError(MINIMAL, "t.yaml", { sets: ["functions[0].memoryMb=-5"] });
    expect(e.message).toBe(
      "t.yaml: functions[0].memoryMb: expected a positive number, got -5 (from --set functions[0].memoryMb=-5)",
    );
  });

  it("rejects malformed overrides", () => {
    expect(loadError(MINIMAL, "t.yaml", { sets: ["placement.policy"] }).message).toMatch(
      /expected path=value/,
    );
    expect(loadError(MINIMAL, "t.yaml", { sets: ["functions[4].memoryMb=1"] }).message).toMatch(
      /functions\[4\]: no such element \(functions has 1\)/,
    );
    expect(loadError(MINIMAL, "t.yaml", { sets: ["x={a"] }).message).toMatch(
      /--set x=\{a: the value is not valid YAML/,
    );
  });
});

describe("variants and sweeps", () => {
  it("applies a variant's dotted paths", () => {
    expect(loadScenario(VARIANTS).placement.policy).toBe("p2c");
    expect(loadScenario(VARIANTS, { variant: "random" }).placement.policy).toBe("random");
    const bigger = loadScenario(VARIANTS, { variant: "bigger" });
    expect(bigger.functions[0]?.memoryMb).toBe(2048);
    expect(bigger.cluster.hostsPerZone).toBe(20);
    expect(loadScenario(VARIANTS, { variant: "routed" }).balancer.routing).toEqual({
      policy: "p2c",
      d: 3,
    });
  });

  it("lets --set win over the variant", () => {
    const s = loadScenario(VARIANTS, { variant: "random", sets: ["placement.policy=worst-fit"] });
    expect(s.placement.policy).toBe("worst-fit");
  });

  it("keeps variants and sweep in the resolved scenario", () => {
    const s = loadScenario(VARIANTS);
    expect(Object.keys(s.variants)).toEqual(["random", "bigger", "routed"]);
    expect(s.sweep).toEqual({ param: "workload.scale", values: [0.5, 1, 2] });
  });

  it("rejects an unknown variant name", () => {
    expect(() => loadScenario(VARIANTS, { variant: "nope" })).toThrow(
      /variants: no variant "nope" \(variants: random, bigger, routed\)/,
    );
  });

  const withVariant = (entry: string) => `${MINIMAL}variants:\n  v: { ${entry} }\n`;

  it("validates every variant, reporting at the variant's entry with its line", () => {
    const e = loadError(withVariant("placement.polcy: random"));
    expect(e.message).toBe(
      'test.yaml: variants.v["placement.polcy"]: placement.polcy: unknown field (did you mean policy?) (line 8)',
    );
    const bad = loadError(withVariant("placement.policy: nearest"));
    expect(bad.message).toMatch(
      /variants\.v\["placement\.policy"\]: placement\.policy: expected one of random \| /,
    );
  });

  it("reports cross-field problems a variant causes", () => {
    const e = loadError(withVariant("'functions[0].memoryMb': 99999"));
    expect(e.message).toMatch(
      /variants\.v\["functions\[0\]\.memoryMb"\]: functions\[0\]\.memoryMb: fits on no host/,
    );
  });

  it("validates the sweep parameter and values", () => {
    const typo = loadError(`${MINIMAL}sweep: { param: workload.scal, values: [1, 2] }\n`);
    expect(typo.message).toBe(
      "test.yaml: sweep.param: workload.scal: unknown field (did you mean scale?) (line 7)",
    );
    const bad = loadError(`${MINIMAL}sweep: { param: workload.scale, values: [1, -2] }\n`);
    expect(bad.message).toBe(
      "test.yaml: sweep.values[1]: workload.scale: expected a positive number, got -2 (line 7)",
    );
  });
});

describe("data overrides", () => {
  it("apply values as given, after the variant and before --set", () => {
    const s = loadScenario(VARIANTS, {
      variant: "random",
      overrides: [
        ["workload.scale", 2],
        ["placement.policy", "first-fit"],
      ],
    });
    expect(s.workload.scale).toBe(2);
    expect(s.functions[0]?.arrivals).toEqual({ process: "poisson", rate: 200 });
    expect(s.placement.policy).toBe("first-fit");
    const e = loadError(MINIMAL, "t.yaml", { overrides: [["workload.scale", -1]] });
    expect(e.message).toBe(
      "t.yaml: workload.scale: expected a positive number, got -1 (from override workload.scale)",
    );
  });
});
