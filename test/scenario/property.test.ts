/**
 * Whatever the input, the loader either returns a scenario or throws a ScenarioError:
 * never a TypeError, a RangeError or a zod error escaping to the user as a stack trace.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { ScenarioError } from "../../src/scenario/errors.js";
import { applyOverride, type LoadOptions, loadScenarioText } from "../../src/scenario/load.js";
import { isPlainObject } from "../../src/scenario/tree.js";

/** A valid scenario touching most sections, to mutate. */
const VALID = {
  name: "prop",
  duration: "1min",
  cluster: {
    zones: ["a", "b"],
    hostsPerZone: 3,
    host: { memoryMb: 4096, cpus: 4, codeCacheMb: 512 },
  },
  network: { sameZone: "200us", crossZone: { dist: "uniform", min: "1ms", max: "2ms" } },
  balancer: {
    partitions: 2,
    routing: { policy: "p2c", d: 2 },
    queue: { maxLength: 10, maxWait: "1s" },
  },
  placement: { policy: "cache-affinity", fallback: "best-fit" },
  keepAlive: { policy: "hybrid", ttl: "5min" },
  functions: [
    {
      name: "f",
      memoryMb: 512,
      duration: { dist: "empirical", percentiles: { 0: "1ms", 50: "5ms", 100: "1s" } },
      coldStart: { cached: "100ms", uncached: { dist: "lognormal", median: "300ms", p99: "2s" } },
      arrivals: {
        process: "steps",
        steps: [
          { at: 0, rate: "5/s" },
          { at: "30s", rate: 1 },
        ],
      },
      minSandboxes: 1,
      maxSandboxes: 4,
      queue: "unlimited",
    },
  ],
  population: {
    count: 3,
    totalRate: "2/s",
    memoryMb: { values: [128, 256], weights: [1, 1] },
    duration: "20ms",
  },
  faults: [
    { kind: "host-crash", at: "10s", count: 1, zone: "a", repair: "20s" },
    { kind: "balancer-crash", at: "20s", partition: 1 },
    { kind: "slow-hosts", at: "5s", count: 2, factor: 3, duration: "10s" },
  ],
  clients: {
    timeout: "2s",
    retry: { policy: "backoff", maxAttempts: 3, budget: 0.1, retryOn: ["timeout"] },
  },
  variants: { r: { "placement.policy": "random" } },
  sweep: { param: "workload.scale", values: [0.5, 1] },
};

/** Every path in a tree, as dotted strings with [i] for indices. */
function pathsOf(value: unknown, prefix = ""): string[] {
  const join = (key: string | number) =>
    typeof key === "number" ? `${prefix}[${key}]` : prefix === "" ? key : `${prefix}.${key}`;
  if (Array.isArray(value)) return value.flatMap((v, i) => [join(i), ...pathsOf(v, join(i))]);
  if (isPlainObject(value))
    return Object.entries(value).flatMap(([k, v]) => [join(k), ...pathsOf(v, join(k))]);
  return [];
}

/** Loads and reports whether the outcome is acceptable: a scenario or a ScenarioError. */
function onlyScenarioErrors(text: string, fileName: string, options: LoadOptions = {}): boolean {
  try {
    loadScenarioText(text, fileName, options);
    return true;
  } catch (error) {
    if (error instanceof ScenarioError) return error.message.length > 0;
    throw error;
  }
}

const tricky = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(
    "unlimited",
    "-1s",
    "1e400s",
    "NaN",
    "0",
    "10",
    "5/s",
    "1.5min",
    "",
    "__proto__",
    "fn-001",
  ),
  fc.double(),
  fc.integer(),
  fc.constantFrom(
    null,
    true,
    [],
    {},
    { dist: "lognormal" },
    { process: "poisson" },
    { kind: "zone-outage" },
  ),
);

describe("the loader throws nothing but ScenarioError", () => {
  it("accepts the unmutated scenario", () => {
    expect(onlyScenarioErrors(stringify(VALID), "v.yaml")).toBe(true);
    expect(() => loadScenarioText(stringify(VALID), "v.yaml")).not.toThrow();
  });

  it("for random strings as YAML and JSON", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), fc.boolean(), (text, json) =>
        onlyScenarioErrors(text, json ? "r.json" : "r.yaml"),
      ),
      { numRuns: 300 },
    );
  });

  it("for YAML-looking text", () => {
    const token = fc.constantFrom(
      "name:",
      " x",
      "\n",
      "  ",
      "- ",
      "{",
      "}",
      "[",
      "]",
      ",",
      ": ",
      "&a",
      "*a",
      "!!str",
      "#",
      "'",
      '"',
      "---",
      "?",
      "|",
      ">",
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 40 }), (tokens) =>
        onlyScenarioErrors(tokens.join(""), "t.yaml"),
      ),
      { numRuns: 300 },
    );
  });

  it("for random JSON values", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) =>
        onlyScenarioErrors(JSON.stringify(value) ?? "null", "j.json"),
      ),
      { numRuns: 200 },
    );
  });

  it("for random objects with scenario keys", () => {
    const keys = fc.constantFrom(
      ...Object.keys(VALID),
      "extends",
      "seed",
      "warmup",
      "workload",
      "metricsInterval",
    );
    fc.assert(
      fc.property(fc.dictionary(keys, tricky), (value) =>
        onlyScenarioErrors(stringify(value), "o.yaml"),
      ),
      { numRuns: 300 },
    );
  });

  it("for a valid scenario with one value replaced anywhere", () => {
    const paths = pathsOf(VALID);
    fc.assert(
      fc.property(fc.constantFrom(...paths), tricky, (path, value) =>
        onlyScenarioErrors(stringify(applyOverride(VALID, path, value)), "m.yaml"),
      ),
      { numRuns: 600 },
    );
  });

  it("for random --set overrides and seeds", () => {
    const paths = [...pathsOf(VALID), "a.b", "functions[9].x", "cluster.zones.x", "", "x..y"];
    const set = fc
      .tuple(fc.constantFrom(...paths), fc.string({ maxLength: 12 }))
      .map(([p, v]) => `${p}=${v}`);
    fc.assert(
      fc.property(fc.array(set, { maxLength: 3 }), fc.option(fc.integer()), (sets, seed) =>
        onlyScenarioErrors(stringify(VALID), "s.yaml", { sets, seed: seed ?? undefined }),
      ),
      { numRuns: 300 },
    );
  });

  it("for random variant names and variant entries", () => {
    const paths = pathsOf(VALID);
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...paths, "nope", "a..b"), tricky),
        fc.option(fc.constantFrom("v", "w")),
        (entries, variant) => {
          const text = stringify({ ...VALID, variants: { v: entries } });
          return onlyScenarioErrors(text, "v.yaml", { variant: variant ?? undefined });
        },
      ),
      { numRuns: 300 },
    );
  });
});
