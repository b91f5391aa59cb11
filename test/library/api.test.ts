/**
 * The library API (src/index.ts) as a user calls it: loadScenario with the command
 * line's validation, simulate with a watcher of one's own and an AbortSignal, policy
 * modules for routing and retries inside a real world, read-only views, and compare.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  compare,
  loadScenario,
  type ModelObserver,
  type SandboxView,
  ScenarioError,
  simulate,
} from "../../src/index.js";
import { packageRoot } from "../../src/package-info.js";

const ROOT = packageRoot();
const FIXTURES = join(ROOT, "test", "policies", "fixtures");

/** A small scenario as an object: one function, two zones. */
const small = (over: Record<string, unknown> = {}) => ({
  name: "small",
  duration: "20s",
  warmup: "2s",
  cluster: { zones: 2, hostsPerZone: 4 },
  functions: [
    {
      name: "api",
      duration: { dist: "exponential", mean: "50ms" },
      coldStart: "200ms",
      arrivals: { process: "poisson", rate: "200/s" },
      slots: 2,
    },
  ],
  ...over,
});

describe("loadScenario", () => {
  it("validates as the command line does, with file, path and line", () => {
    expect(() =>
      loadScenario(join(ROOT, "scenarios", "quickstart.yaml"), { set: ["placement.d=0"] }),
    ).toThrow(ScenarioError);
    expect(() => loadScenario(small({ placement: { policy: "nearest" } }))).toThrow(
      /placement\.policy: expected one of random \| .*, got "nearest"/,
    );
  });

  it("applies a variant", () => {
    const s = loadScenario(join(ROOT, "scenarios", "custom-policy.yaml"), { variant: "p2c" });
    expect(s.placement.policy).toBe("p2c");
    // The variant's policy is a built-in: nothing to load (the scenario as written has one).
    expect(s.plugins).toBeUndefined();
    expect(loadScenario(join(ROOT, "scenarios", "custom-policy.yaml")).plugins).toHaveLength(1);
  });
});

describe("simulate", () => {
  it("returns the summary and time series; a watcher sees every completion", async () => {
    let completed = 0;
    let started = 0;
    const watcher: ModelObserver = {
      completed: (_req, _fn, _arrivalUs, nowUs) => {
        if (nowUs >= 2_000_000) completed++;
      },
      started: () => void started++,
    };
    const scenario = loadScenario(small());
    const result = await simulate(scenario, { observers: [watcher] });
    expect(result.summary.truncated).toBe(false);
    expect(result.timeseries.length).toBeGreaterThan(5);
    expect(result.timeseriesCsv.split("\n")[0]).toMatch(/^t_s,arrivals,completed,/);
    expect(started).toBeGreaterThanOrEqual(result.summary.requests.completed);
    // Completions timed within the measured window are what the summary counts
    // (requests that arrived in the warmup and finished after it aside: at most a few).
    expect(Math.abs(completed - result.summary.requests.completed)).toBeLessThan(20);
  });

  it("is deterministic, and `seed` gives what --seed gives", async () => {
    const a = await simulate(loadScenario(small()), { seed: 7 });
    const b = await simulate(loadScenario(small(), { seed: 7 }));
    const c = await simulate(loadScenario(small()));
    expect(a.summary.requests).toEqual(b.summary.requests);
    expect(a.summary.latencyMs).toEqual(b.summary.latencyMs);
    expect(a.summary.requests.arrived).not.toBe(c.summary.requests.arrived);
  });

  it("stops where the signal aborts it, with a truncated summary", async () => {
    const stop = new AbortController();
    let seen = 0;
    const watcher: ModelObserver = {
      arrived: () => {
        if (++seen === 500) stop.abort();
      },
    };
    const long = loadScenario(small({ duration: "10min" }));
    const result = await simulate(long, { observers: [watcher], signal: stop.signal });
    expect(result.summary.truncated).toBe(true);
    expect(result.summary.requests.arrived).toBeLessThan(200 * 600);
  });

  it("shows sandboxes read-only: a watcher cannot change them", async () => {
    const errors: string[] = [];
    let created = 0;
    const watcher: ModelObserver = {
      sandboxCreated(sb: SandboxView) {
        created++;
        try {
          (sb as { outstanding: number }).outstanding = 99;
        } catch (error) {
          errors.push((error as Error).message);
        }
      },
    };
    const r = await simulate(loadScenario(small()), { observers: [watcher] });
    expect(created).toBeGreaterThan(0);
    expect(errors.length).toBe(created);
    expect(r.summary.truncated).toBe(false);
    expect(errors[0]).toMatch(/outstanding/);
  });

  it("runs a routing module and names its file when a decision goes wrong", async () => {
    const routed = loadScenario(
      small({ balancer: { routing: { policy: join(FIXTURES, "least-outstanding-first.js") } } }),
    );
    const loaded: string[] = [];
    const r = await simulate(routed, { onPluginLoad: (file) => loaded.push(file) });
    expect(loaded).toEqual([join(FIXTURES, "least-outstanding-first.js")]);
    expect(r.summary.requests.completed).toBeGreaterThan(3000);
    const broken = loadScenario(small({ balancer: { routing: join(FIXTURES, "pick-throws.js") } }));
    await expect(simulate(broken)).rejects.toThrow(
      /pick-throws\.js: pick\(\) threw: too many to choose from/,
    );
  });

  it("refuses a module without a default export before running", async () => {
    const s = loadScenario(small({ placement: { policy: join(FIXTURES, "no-default.js") } }));
    await expect(simulate(s)).rejects.toMatchObject({
      name: "PluginLoadError",
      message: expect.stringMatching(/no-default\.js: no default export/),
    });
  });
});

describe("compare", () => {
  it("returns the comparison of the variants, with the module recorded", async () => {
    const c = await compare(join(ROOT, "scenarios", "custom-policy.yaml"), {
      seeds: 1,
      variants: ["zone-then-best-fit", "p2c"],
      sets: ["duration=10s", "warmup=2s", "faults=[]"],
    });
    expect(c.runs.map((r) => r.variant)).toEqual(["zone-then-best-fit", "p2c"]);
    expect(c.plugins?.[0]?.path).toBe("./plugins/zone-then-best-fit.js");
  });
});
