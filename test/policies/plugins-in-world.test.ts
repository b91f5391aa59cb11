/**
 * Keep-alive and retry policy modules (SPEC 12) obeyed inside a running world: small
 * scenarios with constant durations and evenly spaced arrivals, whose counts are
 * derived by hand below and asserted exactly, each against a built-in that gives other
 * numbers; a module's invalid decision stops the run with an error naming its file; a
 * run with modules is byte-for-byte repeatable; and `check-policy`'s suites agree on
 * which of these modules are correct.
 *
 * Every scenario has one host, no network or balancer delay and no placement latency, so
 * a request's life is its cold start (if any), its execution and its retry delays.
 * `constant` arrivals start at a seeded phase in [0, gap): each test asserts the first
 * arrivals (seed 1) that its derivation uses.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  failureSummary,
  loadScenario,
  type ModelObserver,
  type Summary,
  simulate,
} from "../../src/index.js";
import { packageRoot } from "../../src/package-info.js";
import { moduleConformance } from "../../src/policies/conformance/module.js";

/** Module paths in the scenarios are relative to this directory (as to a scenario file). */
const HERE = join(packageRoot(), "test", "policies");

async function run(scenario: object, observers: ModelObserver[] = []) {
  return (await simulate(loadScenario(scenario, { baseDir: HERE }), { observers })).summary;
}

/** The summary without its one field that may differ between identical runs. */
const repeatable = (s: Summary) => JSON.stringify({ ...s, wallSeconds: 0 });

/** One host and no delays but the model's own: see the file comment. */
const world = (over: Record<string, unknown>) => ({
  name: "plugins-in-world",
  metricsInterval: "1s",
  cluster: { zones: 1, hostsPerZone: 1, host: { memoryMb: 4096, cpus: 16 }, contention: false },
  network: { sameZone: 0, crossZone: 0 },
  balancer: { partitions: 1, replicas: 1, serviceTime: 0, overflow: "throttle" },
  placement: { latency: 0 },
  ...over,
});

/** Arrival times (µs) by function index, and sandbox ends by function index. */
class Watch implements ModelObserver {
  arrivals: number[][] = [[], []];
  reclaimedUs: number[][] = [[], []];
  arrived(_req: number, fn: number, nowUs: number): void {
    this.arrivals[fn]!.push(nowUs);
  }
  sandboxEnded(sb: { fn: number }, how: string, nowUs: number): void {
    if (how === "reclaimed") this.reclaimedUs[sb.fn]!.push(nowUs);
  }
}

/**
 * Keep-alive: two functions, `short` (index 0) and `long` (index 1), each 128 MB, a
 * 100 ms cold start, 100 ms executions and one arrival every 2 s for 20 s: 10 each.
 * Seed 1 puts short's first arrival at 1.198229 s and long's at 1.217585 s (a_k =
 * phase + 2k s, k = 0..9). A cold request goes idle 200 ms after it arrives, a warm one
 * 100 ms after: its sandbox then sits idle 1.8 s (or 1.9 s) until the next arrival.
 */
const keepAliveWorld = (keepAlive: object) =>
  world({
    duration: "20s",
    keepAlive,
    functions: ["short", "long"].map((name) => ({
      name,
      memoryMb: 128,
      duration: "100ms",
      coldStart: "100ms",
      arrivals: { process: "constant", rate: "0.5/s" },
    })),
  });

describe("a keep-alive module in a world", () => {
  it("keeps short's sandboxes 1 s and long's the scenario's ttl, as it says", async () => {
    // keepalive-short-first.js: function 0 keeps an idle sandbox 1 s, the others the
    // scenario's ttl (5 s here). short: each sandbox is reclaimed 1.2 s after its request
    // arrived (0.2 s busy + 1 s idle), 0.8 s before the next one, which is cold again:
    // 10 cold starts, 10 sandboxes, 9 reclaimed (at a_k + 1.2 s, k = 0..8; the last
    // would be at 20.398229 s, after the end). long: idle 1.8 s < 5 s, so one sandbox
    // serves all 10: 1 cold start, never reclaimed. Cold-start time per request:
    // 11 x 100 ms / 20 = 55 ms.
    const watch = new Watch();
    const s = await run(
      keepAliveWorld({ policy: "./fixtures/keepalive-short-first.js", ttl: "5s" }),
      [watch],
    );
    expect(watch.arrivals.map((a) => a.slice(0, 2))).toEqual([
      [1_198_229, 3_198_229],
      [1_217_585, 3_217_585],
    ]);
    expect(s.requests).toMatchObject({ arrived: 20, completed: 20, failed: 0, attempts: 20 });
    expect(s.coldStarts).toBe(11);
    expect(s.sandboxes).toMatchObject({ created: 11, reclaimed: 9, lost: 0, peak: 2 });
    expect(watch.reclaimedUs[0]).toEqual(
      Array.from({ length: 9 }, (_, k) => 1_198_229 + 2e6 * k + 1_200_000),
    );
    expect(watch.reclaimedUs[1]).toEqual([]);
    const byName = Object.fromEntries(s.functions.map((f) => [f.name, f.coldStartRatio]));
    expect(byName).toEqual({ short: 1, long: 0.1 });
    expect(s.latencyBreakdownMs.coldStart).toBe(55);

    // The built-in `fixed` with the same ttl keeps both warm: 2 cold starts, nothing
    // reclaimed, 2 x 100 ms / 20 = 10 ms of cold start per request. Its idle memory is
    // larger by what the module reclaimed: in each of short's 9 cycles the module holds
    // the sandbox 1.1 s (0.1 s initialising + 1 s idle), fixed holds it idle 1.9 s; the
    // last cycle (0.702 s to the end) is the same: 9 x 0.8 s x 0.125 GB = 0.9 GB-s.
    const fixed = await run(keepAliveWorld({ policy: "fixed", ttl: "5s" }));
    expect(fixed.coldStarts).toBe(2);
    expect(fixed.sandboxes).toMatchObject({ created: 2, reclaimed: 0 });
    expect(fixed.latencyBreakdownMs.coldStart).toBe(10);
    expect(fixed.sandboxes.idleGbSeconds - s.sandboxes.idleGbSeconds).toBeCloseTo(0.9, 4);
  });

  it("an adaptive module: unloads at idle and pre-warms a replacement before each arrival", async () => {
    // keepalive-prewarm.js: window {prewarm 1.5 s, keep until 3 s} for every idle
    // sandbox. Per function: the first request is cold; its sandbox is reclaimed the
    // moment it goes idle (a + 0.2 s) and a warm one is created at a + 1.7 s, which the
    // next arrival (a + 2 s) uses, warm; that one is reclaimed at a + 2.1 s and replaced at
    // a + 3.6 s, and so on. So 10 reclaimed (one per request, the last at a_9 + 0.1 s =
    // 19.3 s), 10 created (1 cold + 9 pre-warms; the tenth pre-warm would be at a_9 +
    // 1.6 s > 20 s), 1 cold start. Idle memory: 0.1 s initialising + the pre-warmed
    // sandboxes' wait (0.3 s before a_1, 0.4 s before each of a_2..a_9) = 3.6 s x 0.125 GB
    // = 0.45 GB-s per function, 0.9 for both.
    const s = await run(keepAliveWorld({ policy: "./fixtures/keepalive-prewarm.js" }));
    expect(s.requests).toMatchObject({ arrived: 20, completed: 20, attempts: 20 });
    expect(s.coldStarts).toBe(2);
    expect(s.sandboxes).toMatchObject({ created: 20, reclaimed: 20, lost: 0 });
    expect(s.sandboxes.idleGbSeconds).toBeCloseTo(0.9, 6);
    expect(s.latencyBreakdownMs.coldStart).toBe(10);
  });
});

/**
 * Retries: one function, maxSandboxes 1 with overflow throttle (a busy sandbox means a
 * throttled attempt), 600 ms executions, no cold start, an arrival every 500 ms for 9 s.
 * Seed 1 puts the first at 0.356798 s: a_k = 0.356798 + 0.5k s, k = 0..17.
 */
const retryWorld = (retry: object) =>
  world({
    duration: "9s",
    functions: [
      {
        name: "f",
        memoryMb: 128,
        duration: "600ms",
        coldStart: 0,
        maxSandboxes: 1,
        arrivals: { process: "constant", rate: "2/s" },
      },
    ],
    clients: { retry: { maxAttempts: 2, retryOn: ["throttled"], ...retry } },
  });

describe("a retry module in a world", () => {
  it("retries exactly once, 250 ms after the first failure", async () => {
    // retry-once-250ms.js, in cycles of three arrivals (1.5 s), from a = a_3j:
    //   a_3j     finds the sandbox free: runs a .. a + 0.6 s (latency 600 ms);
    //   a_3j+1   (a + 0.5) throttled; the retry at a + 0.75 finds it free: runs to a + 1.35
    //            (latency 850 ms, 250 of them the retry delay);
    //   a_3j+2   (a + 1.0) throttled; the retry at a + 1.25 is throttled too (busy to
    //            1.35): the module gives up, the request fails;
    //   a_3j+3   (a + 1.5) finds it free: the cycle repeats.
    // Six cycles, cut by the end at 9 s: a_16 (8.356798) retries at 8.606798 and runs
    // past 9 s; a_17 (8.856798) retries at 9.106798, after the end: both in flight.
    // So 11 completed (6 + 5), 5 failed, 2 in flight; 12 retries (one per a_3j+1 and
    // a_3j+2), 30 attempts; throttled attempts 6 + 6 + 5 = 17. Latency mean
    // (6 x 600 + 5 x 850) / 11 = 713.636 ms, of which retry delay 5 x 250 / 11 = 113.636.
    const arrivals: number[] = [];
    const failedAtUs: number[] = [];
    const s = await run(retryWorld({ policy: "./fixtures/retry-once-250ms.js" }), [
      { arrived: (_r, _f, now) => void arrivals.push(now) },
      { attemptFailed: (_r, _f, _a, _c, now) => void failedAtUs.push(now) },
    ]);
    expect(arrivals.slice(0, 3)).toEqual([356_798, 856_798, 1_356_798]);
    expect(s.requests).toEqual({
      arrived: 18,
      completed: 11,
      failed: 5,
      inFlightAtEnd: 2,
      attempts: 30,
      retries: 12,
    });
    expect(s.failures.throttled).toBe(17);
    expect(s.errorRatio).toBe(0.3125);
    expect(s.latencyMs.mean).toBeCloseTo(7850 / 11, 3);
    expect(s.latencyMs.max).toBe(850);
    expect(s.latencyBreakdownMs.retryDelay).toBeCloseTo(1250 / 11, 3);
    expect(s.latencyBreakdownMs.execution).toBe(600);
    // The first cycle's failures: a_1 at once, a_2 at once and again 250 ms later.
    expect(failedAtUs.slice(0, 3)).toEqual([856_798, 1_356_798, 1_606_798]);

    // The built-in backoff with the same decisions (base 250 ms, no jitter, 2 attempts)
    // gives the same run; immediate retries (same instant, still busy) give another:
    // every odd arrival fails twice, every even one runs: 9 completed, 9 failed, 9 retries.
    const backoff = await run(retryWorld({ policy: "backoff", base: "250ms", jitter: "none" }));
    expect(backoff.requests).toEqual(s.requests);
    expect(backoff.latencyBreakdownMs).toEqual(s.latencyBreakdownMs);
    const immediate = await run(retryWorld({ policy: "immediate" }));
    expect(immediate.requests).toEqual({
      arrived: 18,
      completed: 9,
      failed: 9,
      inFlightAtEnd: 0,
      attempts: 27,
      retries: 9,
    });
    expect(immediate.latencyBreakdownMs.retryDelay).toBe(0);
  });
});

describe("a module's invalid decision during a run", () => {
  /** A watchdog: a run that retries without end fails here instead of hanging. */
  const bounded = (): ModelObserver => {
    let retries = 0;
    return {
      retried() {
        if (++retries > 1000) throw new Error("more than 1000 retries: they never stop");
      },
    };
  };
  it.each([
    [
      "keepalive-negative.js",
      keepAliveWorld({ policy: "./fixtures/keepalive-negative.js" }),
      /keepalive-negative\.js: ttlUs\(0\) returned -1000000: expected whole microseconds >= 0/,
    ],
    [
      "keepalive-fractional.js",
      keepAliveWorld({ policy: "./fixtures/keepalive-fractional.js" }),
      /keepalive-fractional\.js: ttlUs\(0\) returned 1\.5: expected whole microseconds >= 0/,
    ],
    [
      "keepalive-window-fractional.js",
      keepAliveWorld({ policy: "./fixtures/keepalive-window-fractional.js" }),
      /keepalive-window-fractional\.js: window\(0\) returned \{"prewarmUs":0,"keepUntilUs":2\.5\}: expected/,
    ],
    [
      "retry-fractional.js",
      retryWorld({ policy: "./fixtures/retry-fractional.js" }),
      /retry-fractional\.js: nextDelayUs returned 0\.5: expected whole microseconds >= 0, or -1/,
    ],
    [
      "retry-forever.js",
      retryWorld({ policy: "./fixtures/retry-forever.js" }),
      /retry-forever\.js: nextDelayUs\(2, throttled, 0\) returned 0: a retry after attempt 2, but maxAttempts is 2/,
    ],
  ])("%s stops the run with an error naming the file", async (_file, scenario, message) => {
    const loaded = loadScenario(scenario, { baseDir: HERE });
    await expect(simulate(loaded, { observers: [bounded()] })).rejects.toMatchObject({
      name: "PluginRunError",
      message: expect.stringMatching(message),
    });
  });
});

describe("a run with modules", () => {
  it("is byte-for-byte the same twice, the module's own stream included", async () => {
    // Poisson arrivals into one throttled sandbox, so that requests retry; the retry
    // module draws each delay from its own stream, the keep-alive module reclaims.
    const scenario = world({
      duration: "30s",
      keepAlive: { policy: "./fixtures/keepalive-short-first.js" },
      functions: [
        {
          name: "f",
          memoryMb: 128,
          duration: { dist: "exponential", mean: "200ms" },
          coldStart: "50ms",
          maxSandboxes: 1,
          arrivals: { process: "poisson", rate: "2/s" },
        },
      ],
      clients: { retry: { policy: "./fixtures/retry-once-jittered.js", retryOn: ["throttled"] } },
    });
    const retriesOf = new Map<number, number>();
    const a = await run(scenario, [
      {
        retried: (_r, _f, arrivalUs) =>
          void retriesOf.set(arrivalUs, (retriesOf.get(arrivalUs) ?? 0) + 1),
      },
    ]);
    const b = await run(scenario);
    expect(repeatable(a)).toBe(repeatable(b));
    // The module's decisions were applied: never a second retry (maxAttempts allows 3).
    expect(Math.max(...retriesOf.values())).toBe(1);
    expect(a.requests.retries).toBeGreaterThan(5);
    expect(a.sandboxes.reclaimed).toBeGreaterThan(0);
    // Jittered: each completed retry waited some part of 250 ms, not all of it.
    expect(a.latencyBreakdownMs.retryDelay).toBeGreaterThan(0);
    expect(a.latencyBreakdownMs.retryDelay * a.requests.completed).toBeLessThan(
      250 * a.requests.retries,
    );
  });
});

describe("check-policy's suites on these modules", () => {
  const suite = async (file: string) =>
    (await moduleConformance(join(HERE, "fixtures", file), undefined)).properties;

  it.each([
    "keepalive-short-first.js",
    "keepalive-prewarm.js",
    "retry-once-250ms.js",
    "retry-once-jittered.js",
  ])("pass the correct module %s", async (file) => {
    for (const property of await suite(file)) expect(property.run).not.toThrow();
  });

  it.each([
    ["keepalive-fractional.js", /keepalive-fractional\.js: ttlUs\(\d\) returned 1\.5/],
    ["keepalive-window-fractional.js", /keepalive-window-fractional\.js: window\(\d\) returned/],
    ["retry-forever.js", /retry-forever\.js: nextDelayUs\(\d, \S+, 0\) returned 0: a retry after/],
  ])("fail the broken module %s with the run's message", async (file, message) => {
    const [wellFormed] = await suite(file);
    let reason = "";
    try {
      wellFormed!.run();
    } catch (error) {
      reason = failureSummary(error); // what check-policy prints under FAIL
    }
    expect(reason).toMatch(message);
  });
});
