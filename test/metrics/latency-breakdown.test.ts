/**
 * latencyBreakdownMs (SPEC 5): the mean time of completed requests in each component of
 * SPEC 2.1. Exact components on tiny scenarios with constant times, and the components'
 * sum against latencyMs.mean on bundled scenarios (retries, sync replication, network).
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/experiment/run.js";
import type { Summary } from "../../src/metrics/summary.js";
import { BREAKDOWN_COMPONENTS } from "../../src/model/requests.js";
import { packageRoot } from "../../src/package-info.js";
import { loadScenario, loadScenarioText } from "../../src/scenario/load.js";

const bundled = (name: string): string => join(packageRoot(), "scenarios", `${name}.yaml`);
const sum = (s: Summary): number => Object.values(s.latencyBreakdownMs).reduce((a, b) => a + b, 0);

/**
 * One zone, constant 2 ms network, 1 ms leader service, 5 ms placement, 100 ms cold
 * start, 50 ms execution; a request every 10 s (constant arrivals), so none meets another
 * at the leader or in a sandbox, and a keep-alive long enough that only the first one is
 * a cold start.
 */
const TINY = (extra = ""): string => `name: tiny
duration: 10min
cluster: { zones: 1, hostsPerZone: 2, host: { memoryMb: 4096, cpus: 4 } }
network: { sameZone: 2ms, crossZone: 2ms }
balancer: { partitions: 1, replicas: 1, serviceTime: 1ms }
placement: { latency: 5ms }
keepAlive: { policy: fixed, ttl: 1h }
${extra}
functions:
  - name: f
    duration: 50ms
    coldStart: 100ms
    arrivals: { process: constant, rate: 6/min }
`;

describe("latencyBreakdownMs", () => {
  it("gives each component its exact share on a scenario of constant times", () => {
    const s = runScenario(loadScenarioText(TINY(), "tiny.yaml")).summary;
    const n = s.requests.completed;
    expect(n).toBeGreaterThan(50);
    expect(s.coldStarts).toBe(1);
    const b = s.latencyBreakdownMs;
    // Frontend -> leader, leader -> host, host -> frontend: 2 ms each, every request.
    expect(b.network).toBe(6);
    expect(b.balancerService).toBe(1);
    expect(b.balancerQueue).toBe(0);
    expect(b.replication).toBe(0);
    expect(b.execution).toBe(50);
    // The one cold start's placement and initialisation, spread over all requests.
    expect(b.placement).toBeCloseTo(5 / n, 4);
    expect(b.coldStart).toBeCloseTo(100 / n, 4);
    expect(b.queueing).toBe(0);
    expect(b.retryDelay).toBe(0);
    expect(b.failedAttempts).toBe(0);
    expect(sum(s)).toBeCloseTo(s.latencyMs.mean, 3);
    expect(s.latencyMs.mean).toBeCloseTo(57 + 105 / n, 3);
  });

  it("counts the wait for a majority of replicas as replication", () => {
    // Three zones, one replica each, sync: the leader waits for the round trip to the
    // fastest follower (2 + 2 ms) before each answer.
    const text = TINY()
      .replace("zones: 1", "zones: 3")
      .replace("partitions: 1, replicas: 1,", "partitions: 1, replicas: 3, replication: sync,");
    const s = runScenario(loadScenarioText(text, "tiny.yaml")).summary;
    const b = s.latencyBreakdownMs;
    expect(b.replication).toBe(4);
    expect(b.network).toBe(6);
    expect(b.execution).toBe(50);
    expect(sum(s)).toBeCloseTo(s.latencyMs.mean, 3);
  });

  it("puts the overflow queue and a sandbox's local queue in queueing", () => {
    // One sandbox, a request every 50 ms; waits in its local queue (queue: unlimited) or,
    // without one, in the leader's overflow queue.
    const text = (duration: string, queue: string): string => `name: q
duration: 1min
balancer: { overflow: queue }
functions:
  - name: f
    duration: ${duration}
    coldStart: 0ms
    arrivals: { process: constant, rate: 20/s }
    minSandboxes: 1
    maxSandboxes: 1
    queue: ${queue}
`;
    // 40 ms of work every 50 ms: no request waits.
    const idle = runScenario(loadScenarioText(text("40ms", "unlimited"), "q.yaml")).summary;
    expect(idle.latencyBreakdownMs.queueing).toBe(0);
    expect(idle.latencyBreakdownMs.execution).toBe(40);
    // 60 ms of work every 50 ms: the k-th request waits 10 (k - 1) ms, in either queue.
    for (const queue of ["unlimited", "0"]) {
      const s = runScenario(loadScenarioText(text("60ms", queue), "q.yaml")).summary;
      const n = s.requests.completed;
      expect(s.latencyBreakdownMs.execution).toBe(60);
      expect(s.latencyBreakdownMs.queueing).toBeCloseTo(5 * (n - 1), 2);
      expect(sum(s)).toBeCloseTo(s.latencyMs.mean, 2);
    }
  });

  const cases: [string, string | undefined, string[]][] = [
    ["quickstart", undefined, ["duration=1min", "warmup=10s"]],
    ["retry-storm", "backoff-jitter-budget", []],
    ["zone-outage", undefined, []],
    ["power-of-two", undefined, ["duration=5s"]],
    ["cache-affinity", undefined, []],
  ];
  it.each(cases)(
    "%s (%s): the components sum to latencyMs.mean within 1%%",
    (name, variant, sets) => {
      const s = runScenario(loadScenario(bundled(name), { sets, variant })).summary;
      expect(Object.keys(s.latencyBreakdownMs)).toEqual([...BREAKDOWN_COMPONENTS]);
      expect(s.requests.completed).toBeGreaterThan(100);
      expect(Math.abs(sum(s) - s.latencyMs.mean)).toBeLessThanOrEqual(0.01 * s.latencyMs.mean);
      if (name === "retry-storm") {
        // Retries that completed: their clients' delays and the attempts before them.
        expect(s.latencyBreakdownMs.retryDelay).toBeGreaterThan(0);
        expect(s.latencyBreakdownMs.failedAttempts).toBeGreaterThan(0);
      }
      if (name === "quickstart") {
        expect(s.latencyBreakdownMs.replication).toBeGreaterThan(0);
        expect(s.latencyBreakdownMs.network).toBeGreaterThan(0);
      }
    },
  );
});
