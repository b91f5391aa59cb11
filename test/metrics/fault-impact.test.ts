import { describe, expect, it } from "vitest";
import { createStream } from "../../src/kernel/random.js";
import {
  activeFaults,
  bucketPercentileUs,
  type FaultOccurrence,
  faultImpacts,
  type IntervalStats,
} from "../../src/metrics/fault-impact.js";
import { LatencyHistogram } from "../../src/metrics/histogram.js";
import { LogBuckets } from "../../src/metrics/log-buckets.js";

const S = 1_000_000;
const MS = 1000;
const INTERVAL_US = 10 * S;

interface Shape {
  completed?: number;
  failed?: number;
  coldStarts?: number;
  /** [latency in µs, how many completed requests had it]; defaults to all at 50 ms. */
  latencies?: ReadonlyArray<readonly [number, number]>;
  lengthUs?: number;
}

/** Interval k of a series of 10 s intervals starting at 0. */
function interval(k: number, s: Shape = {}): IntervalStats {
  const completed = s.completed ?? 1000;
  const latency = new LogBuckets();
  for (const [us, n] of s.latencies ?? [[50 * MS, completed]])
    for (let i = 0; i < n; i++) latency.record(us);
  return {
    startUs: k * INTERVAL_US,
    endUs: k * INTERVAL_US + (s.lengthUs ?? INTERVAL_US),
    completed,
    failed: s.failed ?? 0,
    coldStarts: s.coldStarts ?? 5,
    latency,
  };
}

/** A clean baseline: 1000 completed (p99 50 ms), 1 failed, 5 cold starts per interval. */
const healthy = (k: number, s: Shape = {}) => interval(k, { failed: 1, ...s });
/** 20% failures and a p99 of 500 ms. */
const broken = (k: number, s: Shape = {}) =>
  interval(k, {
    completed: 800,
    failed: 200,
    coldStarts: 50,
    latencies: [
      [50 * MS, 700],
      [500 * MS, 100],
    ],
    ...s,
  });

/** Intervals 0..9 healthy, then `after` from interval 10 on. */
function series(after: ReadonlyArray<(k: number) => IntervalStats>): IntervalStats[] {
  const out: IntervalStats[] = [];
  for (let k = 0; k < 10; k++) out.push(healthy(k));
  after.forEach((make, i) => {
    out.push(make(10 + i));
  });
  return out;
}

const fault = (atUs: number, kind = "zone-outage", endUs = atUs): FaultOccurrence => ({
  kind,
  atUs,
  endUs,
});

describe("faultImpacts", () => {
  it("a spike of failures and a p99 blow-up lasting 4 intervals: recovery at the 5th", () => {
    const ivs = series([broken, broken, broken, broken, ...Array(6).fill(healthy)]);
    const [impact] = faultImpacts(ivs, [fault(100.5 * S, "zone-outage", 130 * S)]);
    expect(impact).toEqual({
      kind: "zone-outage",
      atSeconds: 100.5,
      failedDuring: 4 * 200,
      // 4 intervals of 50 cold starts, less the baseline's 5 per interval.
      extraColdStarts: 4 * 50 - 4 * 5,
      // From the onset to the start of interval 14.
      recoverySeconds: 140 - 100.5,
    });
  });

  it("never recovering gives null, and the span runs to the end of the run", () => {
    // The last interval is cut short (a truncated run): its expected cold starts are
    // prorated, 2.5 for 5 s.
    const ivs = series([broken, broken, broken, (k) => broken(k, { lengthUs: 5 * S })]);
    const [impact] = faultImpacts(ivs, [fault(100 * S)]);
    expect(impact?.recoverySeconds).toBeNull();
    expect(impact?.failedDuring).toBe(800);
    expect(impact?.extraColdStarts).toBe(Math.round(200 - 3 * 5 - 2.5));
  });

  it("needs three healthy intervals in a row: an unhealthy one resets the count", () => {
    const ivs = series([
      broken, // 100 s
      healthy,
      broken,
      healthy,
      healthy,
      broken, // 150 s
      healthy, // 160 s: recovery
      healthy,
      healthy,
      broken,
    ]);
    const [impact] = faultImpacts(ivs, [fault(100 * S)]);
    expect(impact?.recoverySeconds).toBe(60);
    // Intervals 10..15: three broken, three healthy.
    expect(impact?.failedDuring).toBe(3 * 200 + 3 * 1);
    expect(impact?.extraColdStarts).toBe(3 * 50 + 3 * 5 - 6 * 5);
  });

  it("two healthy intervals before the run ends are not a recovery", () => {
    const ivs = series([broken, broken, healthy, healthy]);
    expect(faultImpacts(ivs, [fault(100 * S)])[0]?.recoverySeconds).toBeNull();
  });

  it("the p99 limit is 1.5 x the pre-fault p99", () => {
    const p99 = (ms: number) => (k: number) =>
      healthy(k, {
        latencies: [
          [50 * MS, 900],
          [ms * MS, 100],
        ],
      });
    // 80 ms is 1.6 x the baseline's 50 ms: unhealthy; 70 ms (1.4 x) is healthy.
    const ivs = series([p99(80), p99(80), p99(70), p99(70), p99(70)]);
    const [impact] = faultImpacts(ivs, [fault(100 * S, "slow-hosts", 200 * S)]);
    expect(impact?.recoverySeconds).toBe(20);
    expect(impact?.failedDuring).toBe(2);
  });

  it("the error-ratio limit is the pre-fault ratio + 0.001", () => {
    // Baseline 1/1001 ~ 0.000999; limit ~ 0.001999: 2/1002 passes, 3/1003 does not.
    const failing = (n: number) => (k: number) => healthy(k, { failed: n, completed: 1000 });
    const ivs = series([failing(3), failing(2), failing(2), failing(2)]);
    expect(faultImpacts(ivs, [fault(100 * S)])[0]?.recoverySeconds).toBe(10);
  });

  it("intervals without requests count as healthy", () => {
    const empty = (k: number) => interval(k, { completed: 0, failed: 0, coldStarts: 0 });
    const ivs = series([broken, empty, empty, empty, broken]);
    const [impact] = faultImpacts(ivs, [fault(100 * S)]);
    expect(impact?.recoverySeconds).toBe(10);
    expect(impact?.failedDuring).toBe(200);
  });

  it("a fault without visible effect at an interval boundary recovers at once", () => {
    const ivs = series(Array(5).fill(healthy));
    expect(faultImpacts(ivs, [fault(100 * S, "slow-hosts", 150 * S)])).toEqual([
      {
        kind: "slow-hosts",
        atSeconds: 100,
        failedDuring: 0,
        extraColdStarts: 0,
        recoverySeconds: 0,
      },
    ]);
  });

  it("fewer cold starts than before gives a negative extraColdStarts", () => {
    const quiet = (k: number) => broken(k, { coldStarts: 0 });
    const ivs = series([quiet, quiet, ...Array(3).fill(healthy)]);
    expect(faultImpacts(ivs, [fault(100 * S)])[0]?.extraColdStarts).toBe(-10);
  });

  it("without a baseline, recovery is judged against the last three intervals", () => {
    // Faults before the first measured interval (during warmup) and at its start.
    const ivs: IntervalStats[] = [];
    for (let k = 0; k < 3; k++) ivs.push(broken(k));
    for (let k = 3; k < 10; k++) ivs.push(healthy(k, { failed: 5 })); // settles at 5/1005
    const impacts = faultImpacts(ivs, [fault(0, "host-crash"), fault(-5 * S, "host-crash")]);
    expect(impacts.map((f) => f.recoverySeconds)).toEqual([30, 35]);
    expect(impacts.map((f) => f.failedDuring)).toEqual([600, 600]);
    expect(impacts.map((f) => f.extraColdStarts)).toEqual([150 - 15, 150 - 15]);
  });

  it("a fault after the measured window has no impact and no recovery", () => {
    const ivs = series([healthy]);
    expect(faultImpacts(ivs, [fault(500 * S)])[0]).toEqual({
      kind: "zone-outage",
      atSeconds: 500,
      failedDuring: 0,
      extraColdStarts: 0,
      recoverySeconds: null,
    });
  });

  it("keeps the given order; a later fault's baseline includes the earlier fault", () => {
    const ivs = series([
      broken,
      broken,
      healthy,
      healthy,
      healthy,
      broken,
      ...Array(3).fill(healthy),
    ]);
    // The second fault's baseline (intervals 0..14) holds the first fault's two broken
    // intervals: error ratio 413/15013 and p99 500 ms. Interval 15 is still unhealthy by its
    // 20% errors, and the recovery comes right after it.
    const impacts = faultImpacts(ivs, [fault(150 * S, "host-crash"), fault(100 * S)]);
    expect(impacts.map((f) => [f.kind, f.recoverySeconds, f.failedDuring])).toEqual([
      ["host-crash", 10, 200],
      ["zone-outage", 20, 400],
    ]);
  });

  it("rejects intervals out of order", () => {
    expect(() => faultImpacts([healthy(1), healthy(0)], [])).toThrow(RangeError);
  });
});

describe("bucketPercentileUs", () => {
  it("is within 1% of the exact percentile and of LatencyHistogram's", () => {
    const rng = createStream(5, "fault-impact-test");
    const values: number[] = [];
    const parts = [new LogBuckets(), new LogBuckets()];
    const h = new LatencyHistogram();
    for (let i = 0; i < 50_000; i++) {
      const v = Math.round(20_000 * Math.exp(2 * rng()) * (1 + 10 * rng() ** 20));
      values.push(v);
      parts[i % 2]!.record(v);
      h.record(v);
    }
    values.sort((a, b) => a - b);
    const merged = new LogBuckets();
    for (const p of parts) merged.add(p);
    for (const p of [50, 90, 99, 99.9]) {
      const exact = values[Math.ceil((p / 100) * values.length) - 1]!;
      const got = bucketPercentileUs(merged, p);
      expect(Math.abs(got - exact) / exact).toBeLessThan(0.01);
      expect(Math.abs(got - h.percentileUs(p)) / exact).toBeLessThan(0.01);
    }
    expect(bucketPercentileUs(new LogBuckets(), 99)).toBe(0);
  });
});

describe("activeFaults", () => {
  const faults: FaultOccurrence[] = [
    fault(5 * S, "zone-outage", 25 * S),
    fault(10 * S, "host-crash"), // instantaneous, at a boundary
    fault(12 * S, "host-crash", 14 * S),
    fault(29_999_999, "balancer-crash"), // instantaneous, last microsecond of [20 s, 30 s)
    fault(40 * S, "host-crash", Number.POSITIVE_INFINITY), // never repaired
  ];
  const at = (k: number) => activeFaults(k * INTERVAL_US, (k + 1) * INTERVAL_US, faults);

  it("names the distinct kinds active in each interval, in order, joined with +", () => {
    expect([0, 1, 2, 3, 4, 9].map(at)).toEqual([
      "zone-outage",
      "zone-outage+host-crash",
      "zone-outage+balancer-crash",
      "",
      "host-crash",
      "host-crash",
    ]);
    expect(activeFaults(0, INTERVAL_US, [])).toBe("");
  });
});
