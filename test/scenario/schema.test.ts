/**
 * `lbsim schema` describes every field: each property of the JSON Schema has a
 * description of its own (shared only by the same field of a sub-schema used in several
 * places, such as a distribution's `mean`), and unit strings carry patterns that accept
 * what the loader accepts and nothing it rejects.
 */
import { describe, expect, it } from "vitest";
import { scenarioJsonSchema } from "../../src/scenario/load.js";
import { closest, editDistance } from "../../src/scenario/suggest.js";
import {
  DURATION_HINT,
  DURATION_PATTERN,
  MEMORY_PATTERN,
  parseDurationUs,
  parseMemoryMb,
  parseRate,
  RATE_HINT,
  RATE_PATTERN,
} from "../../src/scenario/units.js";

interface Property {
  readonly path: string;
  readonly key: string;
  readonly schema: Record<string, unknown>;
}

/** Every property of every object in the schema, through unions, lists and maps. */
function properties(node: unknown, path = ""): Property[] {
  if (Array.isArray(node)) return node.flatMap((n) => properties(n, path));
  if (typeof node !== "object" || node === null) return [];
  const n = node as Record<string, unknown>;
  const out: Property[] = [];
  for (const [key, value] of Object.entries((n.properties ?? {}) as Record<string, unknown>)) {
    const at = path === "" ? key : `${path}.${key}`;
    out.push({ path: at, key, schema: value as Record<string, unknown> });
    out.push(...properties(value, at));
  }
  for (const k of ["anyOf", "oneOf", "allOf", "prefixItems"]) out.push(...properties(n[k], path));
  out.push(...properties(n.items, `${path}[]`));
  if (typeof n.additionalProperties === "object")
    out.push(...properties(n.additionalProperties, `${path}{}`));
  return out;
}

const schema = scenarioJsonSchema() as Record<string, unknown>;
const all = properties(schema);

/** Every `pattern` in the schema, with where it is. */
function patterns(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const n of node) patterns(n, found);
  else if (typeof node === "object" && node !== null)
    for (const [k, v] of Object.entries(node)) {
      if (k === "pattern" && typeof v === "string") found.add(v);
      else patterns(v, found);
    }
  return found;
}

describe("lbsim schema descriptions", () => {
  it("describe every property", () => {
    expect(all.length).toBeGreaterThan(300);
    const missing = all.filter((p) => typeof p.schema.description !== "string");
    expect(missing.map((p) => p.path)).toEqual([]);
    expect(typeof schema.description).toBe("string");
  });

  it("are not shared by different fields", () => {
    const keysByText = new Map<string, Set<string>>();
    for (const p of all) {
      const text = p.schema.description as string;
      keysByText.set(text, (keysByText.get(text) ?? new Set()).add(p.key));
    }
    const shared = [...keysByText].filter(([, keys]) => keys.size > 1);
    expect(shared.map(([text, keys]) => `${[...keys].join(", ")}: ${text}`)).toEqual([]);
    // The generic unit sentences are what a field falls back to when it has no text.
    for (const generic of [DURATION_HINT, RATE_HINT])
      expect(all.filter((p) => String(p.schema.description).includes(generic))).toEqual([]);
  });

  it("say the default of the fields that have one, and name limits", () => {
    const withDefault = all.filter((p) => "default" in p.schema);
    expect(withDefault.length).toBeGreaterThan(50);
    // A section's default ({}) only means "all its fields at their defaults".
    const silent = withDefault.filter(
      (p) =>
        !(typeof p.schema.default === "object" && p.schema.default !== null) &&
        !/default/i.test(String(p.schema.description)),
    );
    expect(silent.map((p) => p.path)).toEqual([]);
    const zones = all.find((p) => p.path === "cluster.hostsPerZone")?.schema;
    expect(zones?.description).toMatch(/1 to 1,000,000/);
    expect(zones?.maximum).toBe(1_000_000);
  });

  it("same-named fields in different places are described each for itself", () => {
    const text = (path: string) => all.find((p) => p.path === path)?.schema.description;
    expect(text("duration")).not.toBe(text("functions[].duration"));
    expect(text("functions[].memoryMb")).not.toBe(text("cluster.host.memoryMb"));
    expect(text("placement.d")).not.toBe(text("balancer.routing.d"));
  });
});

describe("lbsim schema patterns", () => {
  const found = patterns(schema);
  const [duration, rate, memory] = [DURATION_PATTERN, RATE_PATTERN, MEMORY_PATTERN].map(
    (p) => new RegExp(p),
  );

  it("exist for durations, rates and memory sizes (and policy modules' paths)", () => {
    // A policy value is a built-in name or a module path starting ./, ../ or /.
    const modulePaths = ["./", "../", "/"].map(
      (prefix) => new RegExp(prefix.replace(/[./]/g, "\\$&")),
    );
    const units = [...found].filter((p) => !modulePaths.some((m) => p.startsWith(`^${m.source}`)));
    expect(new Set(units)).toEqual(new Set([DURATION_PATTERN, RATE_PATTERN, MEMORY_PATTERN]));
    expect(found.size - units.length).toBe(3);
    const durationField = all.find((p) => p.path === "warmup")?.schema;
    expect(durationField?.pattern).toBeDefined();
  });

  const samples = [
    "0ms",
    "500us",
    "500µs",
    "250ms",
    "1.5s",
    "10min",
    "2h",
    "1d",
    " 3 s ",
    ".5s",
    "1e3ms",
    "100/s",
    "6000/min",
    "2/h",
    "0.5 / ms",
    "512MB",
    "1.5GB",
    "2GiB",
    "64kb",
    "1TB",
    "10",
    "-1s",
    "5 sec",
    "1.2.3s",
    "s",
    "100",
    "100/sec",
    "/s",
    "2 GBs",
    "-1GB",
    "1PB",
    "",
  ];

  it("accept exactly the strings the loader parses", () => {
    for (const text of samples) {
      const cases: [RegExp | undefined, boolean][] = [
        [duration, parseDurationUs(text).ok],
        [rate, parseRate(text).ok],
        [memory, parseMemoryMb(text).ok],
      ];
      for (const [re, ok] of cases)
        expect(re?.test(text), `${re} on ${JSON.stringify(text)}`).toBe(ok);
    }
  });
});

describe("did you mean", () => {
  it("suggests the closest name, ignoring case, only when it is close", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("lru2", "lru")).toBe(1);
    expect(editDistance("ab", "ba")).toBe(1);
    expect(closest("memoryMB", ["memoryMb", "cpus"])).toBe("memoryMb");
    expect(closest("best_fit", ["best-fit", "worst-fit", "first-fit"])).toBe("best-fit");
    expect(closest("zzz", ["mru", "lru"])).toBeUndefined();
    expect(closest("hosts", ["hosts"])).toBeUndefined();
    expect(closest("nearest", ["random", "round-robin", "p2c"])).toBeUndefined();
  });
});
