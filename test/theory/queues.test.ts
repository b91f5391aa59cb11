/**
 * SPEC 9: degenerate configurations (no network, no balancer service time, exponential
 * execution times of mean 1 ms, Poisson arrivals) reproduce queueing theory.
 * Each test states its run length; tolerances are derived in replicate.ts.
 */
import { describe, it } from "vitest";
import { fn, scenario } from "../support/scenario.js";
import { erlangB, erlangC } from "./formulas.js";
import { expectTheory, replicate } from "./replicate.js";

const MU_PER_S = 1000; // mean execution 1 ms

function pool(c: number, ratePerS: number, overflow: "queue" | "throttle", seconds: number) {
  return scenario({
    durationUs: seconds * 1e6,
    warmupUs: 2e6,
    balancer: { overflow },
    functions: [
      fn({ minSandboxes: c, maxSandboxes: c, arrivals: { process: "poisson", rate: ratePerS } }),
    ],
  });
}

describe("M/M/1 (one sandbox, overflow: queue)", () => {
  it("mean latency is 1/(mu - lambda)", () => {
    // rho = 0.5: 8 seeds x 120 s x 500/s = 480,000 requests.
    const lambda = 500;
    const samples = replicate(pool(1, lambda, "queue", 120), (r) => r.summary.latencyMs.mean);
    expectTheory(samples, 1000 / (MU_PER_S - lambda), 0.03);
  });
});

describe("M/M/c (c sandboxes, overflow: queue)", () => {
  it("mean wait follows the Erlang C formula", () => {
    // c = 4, a = 3 (rho = 0.75): 8 seeds x 250 s x 3000/s = 6 million requests.
    const c = 4;
    const lambda = 3000;
    const a = lambda / MU_PER_S;
    const theoryWaitMs = (erlangC(c, a) / (c * MU_PER_S - lambda)) * 1000;
    const samples = replicate(pool(c, lambda, "queue", 250), (r) => r.summary.waitMs.mean);
    expectTheory(samples, theoryWaitMs, 0.05);
  });
});

describe("Erlang B (c sandboxes, overflow: throttle)", () => {
  it("the blocking probability is B(c, a)", () => {
    // c = 5, a = 4: B = 0.199; 8 seeds x 60 s x 4000/s = 1.9 million requests.
    const c = 5;
    const lambda = 4000;
    const samples = replicate(pool(c, lambda, "throttle", 60), (r) => r.summary.errorRatio);
    expectTheory(samples, erlangB(c, lambda / MU_PER_S), 0.02);
  });
});

describe("Little's law", () => {
  it("mean number in system = arrival rate x mean latency", () => {
    // M/M/4 at rho = 0.75, measured in the same runs' own numbers.
    const samples = replicate(pool(4, 3000, "queue", 40), ({ summary, run }) => {
      const windowUs = summary.simulatedSeconds * 1e6;
      const meanInSystem = run.recorder.inSystem.area / windowUs;
      const lambdaPerMs = summary.requests.arrived / (summary.simulatedSeconds * 1000);
      return meanInSystem / (lambdaPerMs * summary.latencyMs.mean);
    });
    expectTheory(samples, 1, 0.01);
  });
});
