import { describe, expect, it } from "vitest";
import { loadScenarioText } from "../../src/scenario/load.js";
import { MINIMAL } from "./helpers.js";

const load = (text: string, fileName = "t.yaml") => loadScenarioText(text, fileName);

/** MINIMAL with `extra` YAML appended at the top level. */
const withTop = (extra: string) => load(`${MINIMAL}${extra}\n`);

describe("defaults", () => {
  const s = load(MINIMAL);

  it("fills the top level", () => {
    expect(s.name).toBe("mini");
    expect(s.description).toBe("");
    expect(s.seed).toBe(1);
    expect(s.durationUs).toBe(60_000_000);
    expect(s.warmupUs).toBe(0);
    expect(s.metricsIntervalUs).toBe(1_000_000);
    expect(s.workload).toEqual({ scale: 1 });
    expect(s.faults).toEqual([]);
    expect(s.clients).toBeNull();
    expect(s.variants).toEqual({});
    expect(s.sweep).toBeNull();
  });

  it("fills the cluster and network", () => {
    expect(s.cluster).toEqual({
      zones: ["z1"],
      hostsPerZone: 10,
      host: { memoryMb: 32768, cpus: 16, codeCacheMb: 0 },
      failureDetectionUs: 3_000_000,
      orphanTimeoutUs: 900_000_000,
      contention: true,
    });
    expect(s.network).toEqual({
      sameZone: { dist: "constant", value: 0 },
      crossZone: { dist: "constant", value: 0 },
      connectTimeoutUs: 1_000_000,
    });
  });

  it("fills the balancer, placement and keep-alive", () => {
    expect(s.balancer).toEqual({
      partitions: 1,
      replicas: 1,
      replication: "none",
      replicationLagUs: 100_000,
      serviceTimeUs: 0,
      routing: { policy: "mru", d: 2 },
      overflow: "throttle",
      queue: { maxLength: Number.POSITIVE_INFINITY, maxWaitUs: Number.POSITIVE_INFINITY },
      failover: { detectionUs: 1_000_000, electionUs: 300_000 },
    });
    expect(s.placement).toEqual({
      policy: "p2c",
      d: 2,
      zoneBalance: false,
      latencyUs: 0,
      boundedLoad: 1.25,
      fallback: "random",
    });
    expect(s.keepAlive).toEqual({ policy: "fixed", ttlUs: 600_000_000 });
  });

  it("fills a function", () => {
    expect(s.functions).toEqual([
      {
        name: "f",
        memoryMb: 128,
        codeMb: 32,
        cpu: 128 / 1769,
        duration: { dist: "constant", value: 10_000 },
        coldStartCached: { dist: "constant", value: 250_000 },
        coldStartUncached: { dist: "constant", value: 250_000 },
        arrivals: { process: "poisson", rate: 10 },
        maxSandboxes: Number.POSITIVE_INFINITY,
        minSandboxes: 0,
        slots: 1,
        queue: 0,
      },
    ]);
  });

  it("fills clients when the section is present", () => {
    const c = withTop("clients: { timeout: 2s, retry: { policy: backoff } }").clients;
    expect(c).toEqual({
      timeoutUs: 2_000_000,
      retry: {
        policy: "backoff",
        maxAttempts: 3,
        baseUs: 100_000,
        capUs: 20_000_000,
        jitter: "full",
        budget: Number.POSITIVE_INFINITY,
        retryOn: ["capacity", "host-crash", "unreachable", "balancer-unavailable", "timeout"],
      },
    });
    expect(withTop("clients: {}").clients?.retry.maxAttempts).toBe(1);
    expect(withTop("clients: {}").clients?.timeoutUs).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("resolution", () => {
  it("names counted zones z1..zn and caps default replicas at the zone count", () => {
    const three = withTop("cluster: { zones: 3 }");
    expect(three.cluster.zones).toEqual(["z1", "z2", "z3"]);
    expect(three.balancer.replicas).toBe(3);
    expect(withTop("cluster: { zones: 5 }").balancer.replicas).toBe(3);
    expect(withTop("cluster: { zones: [a, b] }").balancer.replicas).toBe(2);
    expect(withTop("cluster: { zones: [a] }\nbalancer: { replicas: 3 }").balancer.replicas).toBe(3);
  });

  it("takes metricsInterval as given, else a hundredth of the duration but at least 1s", () => {
    expect(load(MINIMAL.replace("duration: 1min", "duration: 10min")).metricsIntervalUs).toBe(
      6_000_000,
    );
    expect(load(MINIMAL.replace("duration: 1min", "duration: 10s")).metricsIntervalUs).toBe(
      1_000_000,
    );
    expect(withTop("metricsInterval: 250ms").metricsIntervalUs).toBe(250_000);
  });

  it("accepts routing as a name or {policy, d}", () => {
    expect(withTop("balancer: { routing: lru }").balancer.routing).toEqual({ policy: "lru", d: 2 });
    expect(withTop("balancer: { routing: { policy: p2c, d: 3 } }").balancer.routing).toEqual({
      policy: "p2c",
      d: 3,
    });
    expect(withTop("balancer: { routing: { policy: p2c } }").balancer.routing).toEqual({
      policy: "p2c",
      d: 2,
    });
  });

  it("scales every arrival rate by workload.scale", () => {
    const s = load(`name: s
duration: 1min
workload: { scale: 2 }
functions:
  - { name: a, duration: 1ms, arrivals: { process: poisson, rate: 10/s } }
  - { name: b, duration: 1ms, arrivals: { process: constant, rate: 6000/min } }
  - { name: c, duration: 1ms, arrivals: { process: steps, steps: [{ at: 0, rate: 1 }, { at: 30s, rate: 0 }] } }
  - { name: d, duration: 1ms, arrivals: { process: onoff, on: { rate: 5, mean: 1s }, off: { rate: 0, mean: 2s } } }
  - { name: e, duration: 1ms, arrivals: { process: diurnal, mean: 3/s, amplitude: 0.5, peakAt: 14h } }
`);
    expect(s.functions.map((f) => f.arrivals)).toEqual([
      { process: "poisson", rate: 20 },
      { process: "constant", rate: 200 },
      {
        process: "steps",
        steps: [
          { atUs: 0, rate: 2 },
          { atUs: 30_000_000, rate: 0 },
        ],
      },
      {
        process: "onoff",
        on: { rate: 10, meanUs: 1_000_000 },
        off: { rate: 0, meanUs: 2_000_000 },
      },
      {
        process: "diurnal",
        mean: 6,
        amplitude: 0.5,
        periodUs: 86_400_000_000,
        peakAtUs: 50_400_000_000,
      },
    ]);
  });

  it("resolves distributions to microseconds", () => {
    const dist = (d: string) =>
      load(MINIMAL.replace("duration: 10ms", `duration: ${d}`)).functions[0]?.duration;
    expect(dist("{ dist: exponential, mean: 100ms }")).toEqual({
      dist: "exponential",
      mean: 100_000,
    });
    expect(dist("{ dist: uniform, min: 1ms, max: 3ms }")).toEqual({
      dist: "uniform",
      min: 1000,
      max: 3000,
    });
    expect(dist("{ dist: pareto, scale: 2ms, shape: 1.5 }")).toEqual({
      dist: "pareto",
      scale: 2000,
      shape: 1.5,
    });
    expect(dist("{ dist: constant, value: 0.5us }")).toEqual({ dist: "constant", value: 0.5 });
    expect(dist("{ dist: empirical, percentiles: { 0: 1ms, 50: 80ms, 99: 2s, 100: 9s } }")).toEqual(
      {
        dist: "empirical",
        points: [
          [0, 1000],
          [0.5, 80_000],
          [0.99, 2_000_000],
          [1, 9_000_000],
        ],
      },
    );
    const byQuantiles = dist("{ dist: lognormal, median: 80ms, p99: 900ms }");
    expect(byQuantiles).toEqual({
      dist: "lognormal",
      mu: Math.log(80_000),
      sigma: (Math.log(900_000) - Math.log(80_000)) / 2.3263478740408408,
    });
    const byMoments = dist("{ dist: lognormal, mu: -2, sigma: 0.5 }");
    expect(byMoments).toEqual({ dist: "lognormal", mu: -2 + Math.log(1e6), sigma: 0.5 });
  });

  it("splits coldStart into cached and uncached", () => {
    const f = withTop("").functions[0];
    expect(f?.coldStartCached).toEqual(f?.coldStartUncached);
    const g = load(
      MINIMAL.replace(
        "duration: 10ms",
        "duration: 10ms\n    coldStart: { cached: 100ms, uncached: 1s }",
      ),
    ).functions[0];
    expect(g?.coldStartCached).toEqual({ dist: "constant", value: 100_000 });
    expect(g?.coldStartUncached).toEqual({ dist: "constant", value: 1_000_000 });
  });

  it("accepts unlimited for maxSandboxes and queue", () => {
    const f = load(
      MINIMAL.replace(
        "duration: 10ms",
        "duration: 10ms\n    maxSandboxes: 5\n    queue: unlimited",
      ),
    ).functions[0];
    expect(f?.maxSandboxes).toBe(5);
    expect(f?.queue).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("population", () => {
  const text = `name: p
duration: 1min
seed: 7
workload: { scale: 0.5 }
population:
  count: 200
  totalRate: 100/s
  popularity: { zipf: 1.1 }
  memoryMb: { values: [128, 256, 512, 1024, 2048], weights: [4, 3, 2, 1, 1] }
  duration: { dist: lognormal, median: 200ms, p99: 5s }
`;

  it("names, rates and sizes the functions", () => {
    const fns = load(text).functions;
    expect(fns).toHaveLength(200);
    expect(fns[0]?.name).toBe("fn-001");
    expect(fns[199]?.name).toBe("fn-200");
    const total = fns.reduce(
      (sum, f) => sum + (f.arrivals.process === "poisson" ? f.arrivals.rate : 0),
      0,
    );
    expect(total).toBeCloseTo(50, 9);
    const rate = (i: number) => {
      const a = fns[i]?.arrivals;
      return a?.process === "poisson" ? a.rate : Number.NaN;
    };
    expect(rate(0) / rate(1)).toBeCloseTo(2 ** 1.1, 9);
    expect(new Set(fns.map((f) => f.memoryMb))).toEqual(new Set([128, 256, 512, 1024, 2048]));
    for (const f of fns) {
      expect(f.codeMb).toBe(f.memoryMb / 4);
      expect(f.cpu).toBe(f.memoryMb / 1769);
    }
  });

  it("draws memory from the seed, the same every time", () => {
    const sizes = (t: string) => load(t).functions.map((f) => f.memoryMb);
    expect(sizes(text)).toEqual(sizes(text));
    expect(sizes(text)).not.toEqual(sizes(text.replace("seed: 7", "seed: 8")));
  });

  it("widens names past 999 functions and mixes with explicit functions", () => {
    const s = load(`${MINIMAL}population: { count: 1000, totalRate: 1000/s, duration: 5ms }\n`);
    expect(s.functions[0]?.name).toBe("f");
    expect(s.functions[1]?.name).toBe("fn-0001");
    expect(s.functions[1]?.memoryMb).toBe(128);
  });
});
