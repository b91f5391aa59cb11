/**
 * SPEC 9, continued: the keep-alive cold-start ratio and the supermarket model of
 * load balancing (Mitzenmacher, "The Power of Two Choices in Randomized Load
 * Balancing", 2001).
 */
import { describe, it } from "vitest";
import { fn, scenario } from "../support/scenario.js";
import { supermarketMeanTime } from "./formulas.js";
import { expectTheory, replicate } from "./replicate.js";

describe("fixed keep-alive", () => {
  it("the cold-start ratio is exp(-lambda * ttl) for near-zero execution times", () => {
    // lambda = 10/s, ttl = 100 ms: e^-1 = 0.368; 8 seeds x 2000 s x 10/s = 160,000
    // arrivals, whose gaps are independent: the ratio's standard error is 0.4% per seed.
    const s = scenario({
      durationUs: 2000e6,
      metricsIntervalUs: 100e6,
      keepAlive: { policy: "fixed", ttlUs: 100e3 },
      functions: [
        fn({
          duration: { dist: "constant", value: 1 },
          arrivals: { process: "poisson", rate: 10 },
        }),
      ],
    });
    const samples = replicate(s, (r) => r.summary.coldStartRatio);
    expectTheory(samples, Math.exp(-1), 0.02);
  });
});

function servers(
  n: number,
  lambda: number,
  routing: { policy: "p2c" | "random"; d: number },
  seconds: number,
) {
  return scenario({
    durationUs: seconds * 1e6,
    warmupUs: 0.5e6,
    metricsIntervalUs: 0.1e6,
    balancer: { routing, overflow: "queue" },
    functions: [
      fn({
        minSandboxes: n,
        maxSandboxes: n,
        queue: Number.POSITIVE_INFINITY,
        arrivals: { process: "poisson", rate: lambda * n * 1000 },
      }),
    ],
  });
}

describe("the supermarket model (N sandboxes with unbounded local queues)", () => {
  // N = 1000 servers: the N -> infinity formula is then within 0.5% (finite-N effect).
  it.each([2, 3])("p2c with d = %i: mean time is the sum of lambda^((d^i - d)/(d - 1))", (d) => {
    // lambda = 0.9: 8 seeds x 3 s x 900,000/s = 21.6 million requests.
    const samples = replicate(
      servers(1000, 0.9, { policy: "p2c", d }, 3),
      (r) => r.summary.latencyMs.mean,
    );
    expectTheory(samples, supermarketMeanTime(0.9, d), 0.02);
  });

  it("random routing: every sandbox is an M/M/1 queue, mean time 1/(1 - lambda)", () => {
    // lambda = 0.8 on 100 sandboxes: 8 seeds x 20 s x 80,000/s = 12.8 million requests.
    const samples = replicate(
      servers(100, 0.8, { policy: "random", d: 2 }, 20),
      (r) => r.summary.latencyMs.mean,
    );
    expectTheory(samples, 1 / (1 - 0.8), 0.03);
  });
});
