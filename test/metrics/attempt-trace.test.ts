/**
 * The attempt trace of `run --trace` (metrics/attempt-trace.ts), in process: every line
 * parses, one per attempt, outcomes counted as the summary counts them, times in order.
 */
import { describe, expect, it } from "vitest";
import { Run } from "../../src/experiment/run.js";
import { AttemptTracer } from "../../src/metrics/attempt-trace.js";
import type { Summary } from "../../src/metrics/summary.js";
import { loadScenarioText } from "../../src/scenario/load.js";

/**
 * Small and busy: two sandboxes at most (the rest throttled), executions often longer
 * than the client's 150 ms timeout (which then retries once), a warmup to leave out.
 */
const TEXT = `name: trace
seed: 3
duration: 20s
warmup: 2s
cluster: { zones: [a, b], hostsPerZone: 2, host: { memoryMb: 4096, cpus: 4 } }
network: { sameZone: 1ms, crossZone: 2ms }
balancer: { partitions: 1, replicas: 1, serviceTime: 100us, overflow: throttle }
clients: { timeout: 150ms, retry: { policy: immediate, maxAttempts: 2 } }
functions:
  - name: f
    duration: { dist: exponential, mean: 100ms }
    coldStart: 30ms
    arrivals: { process: poisson, rate: 15/s }
    maxSandboxes: 2
`;

interface Line {
  request: number;
  attempt: number;
  function: string;
  zone: string | null;
  arrivalMs: number | null;
  leaderMs: number | null;
  startMs: number | null;
  endMs: number | null;
  outcomeMs: number | null;
  sandbox: number | null;
  host: number | null;
  cold: boolean;
  cached: boolean;
  outcome: string;
  ranAfterAbandon: boolean;
}

function traced(limit = Number.POSITIVE_INFINITY): {
  lines: Line[];
  text: string;
  summary: Summary;
  tracer: AttemptTracer;
} {
  const scenario = loadScenarioText(TEXT, "trace.yaml");
  let text = "";
  const tracer = new AttemptTracer(
    { write: (t) => (text += t) },
    limit,
    scenario.warmupUs,
    scenario.functions.map((f) => f.name),
    scenario.cluster.zones,
  );
  const run = new Run(scenario, { observers: tracer });
  tracer.attach(run.world.requests);
  run.runToEnd();
  const { summary } = run.finish();
  tracer.finish(run.nowUs);
  const lines =
    text === ""
      ? []
      : text
          .trimEnd()
          .split("\n")
          .map((l) => JSON.parse(l) as Line);
  return { lines, text, summary, tracer };
}

describe("the attempt trace", () => {
  const { lines, text, summary } = traced();

  it("has one JSON line per attempt of the measured window, each with every field", () => {
    expect(text.endsWith("\n")).toBe(true);
    expect(lines.length).toBe(summary.requests.attempts);
    for (const l of lines) {
      expect(Object.keys(l)).toEqual([
        "request",
        "attempt",
        "function",
        "zone",
        "arrivalMs",
        "leaderMs",
        "startMs",
        "endMs",
        "outcomeMs",
        "sandbox",
        "host",
        "cold",
        "cached",
        "outcome",
        "ranAfterAbandon",
      ]);
      expect(l.function).toBe("f");
      expect(["a", "b"]).toContain(l.zone);
    }
    // The warmup's requests are left out, as the summary leaves them out.
    expect(
      Math.min(...lines.map((l) => l.arrivalMs ?? Number.POSITIVE_INFINITY)),
    ).toBeGreaterThanOrEqual(2000);
  });

  it("counts outcomes as the summary does", () => {
    const count = (o: string): number => lines.filter((l) => l.outcome === o).length;
    expect(count("completed")).toBe(summary.requests.completed);
    for (const [cause, n] of Object.entries(summary.failures)) expect(count(cause)).toBe(n);
    expect(summary.failures.throttled).toBeGreaterThan(0);
    expect(summary.failures.timeout).toBeGreaterThan(0);
    expect(summary.requests.retries).toBeGreaterThan(0);
    expect(lines.filter((l) => l.attempt === 2).length).toBe(summary.requests.retries);
    expect(lines.filter((l) => l.cold).length).toBe(summary.coldStarts);
  });

  it("orders each attempt's times: arrival <= leader <= start <= end <= outcome", () => {
    for (const l of lines) {
      const times = [l.arrivalMs, l.leaderMs, l.startMs, l.endMs].filter((t) => t !== null);
      for (let i = 1; i < times.length; i++)
        expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
      if (l.outcome === "completed") {
        expect(l.startMs).not.toBeNull();
        expect(l.outcomeMs!).toBeGreaterThanOrEqual(l.endMs!);
        expect(l.sandbox).not.toBeNull();
        expect(l.host).not.toBeNull();
      }
      if (l.outcome === "throttled") expect(l.startMs).toBeNull();
      if (l.ranAfterAbandon) {
        // It ran on after its client gave up at outcomeMs.
        expect(l.outcome).toBe("timeout");
        expect(l.endMs!).toBeGreaterThan(l.outcomeMs!);
      }
    }
  });

  it("marks attempts that ran after their client gave up; their time is wasted execution", () => {
    const after = lines.filter((l) => l.ranAfterAbandon);
    expect(after.length).toBeGreaterThan(0);
    // Exactly those whose execution ended after the client's timeout.
    const late = lines.filter(
      (l) => l.endMs !== null && l.outcomeMs !== null && l.endMs > l.outcomeMs,
    );
    expect(late).toEqual(after);
    const wastedMs = after.reduce((a, l) => a + (l.endMs! - l.startMs!), 0);
    // The summary's wasted execution also counts attempts of the warmup that ran after it.
    expect(wastedMs / 1000).toBeLessThanOrEqual(summary.wastedExecutionSeconds + 1e-6);
  });

  it("numbers logical requests: a retry shares its request's number", () => {
    const byRequest = new Map<number, number[]>();
    for (const l of lines)
      byRequest.set(l.request, [...(byRequest.get(l.request) ?? []), l.attempt]);
    for (const attempts of byRequest.values())
      expect([...attempts].sort()).toEqual(attempts.map((_, i) => i + 1));
  });

  it("stops writing at the limit and counts the rest", () => {
    const cut = traced(25);
    expect(cut.lines.length).toBe(25);
    expect(cut.tracer.written).toBe(25);
    expect(cut.tracer.dropped).toBe(lines.length - 25);
    expect(cut.lines).toEqual(lines.slice(0, 25));
  });

  it("is the same trace on the same seed", () => {
    expect(traced().text).toBe(text);
  });
});
