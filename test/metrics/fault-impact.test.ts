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

/** The fault-free twin of a series: every interval healthy, on the same boundaries. */
const twinOf = (ivs: IntervalStats[]): IntervalStats[] =>
  ivs.map((iv, k) => healthy(k, { lengthUs: iv.endUs - iv.startUs }));

/** Impacts against the all-healthy twin (1 failure, 5 cold starts per interval). */
const impacts = (ivs: IntervalStats[], faults: FaultOccurrence[]) =>
  faultImpacts(ivs, twinOf(ivs), faults);

describe("faultImpacts (against the fault-free twin)", () => {
  it("a spike of failures and a p99 blow-up lasting 4 intervals: recovery at the 5th", () => {
    const ivs = series([broken, broken, broken, broken, ...Array(6).fill(healthy)]);
    expect(impacts(ivs, [fault(100.5 * S, "zone-outage", 130 * S)])).toEqual([
      {
        kind: "zone-outage",
        atSeconds: 100.5,
        // 4 intervals of 200 failures where the twin had 1.
        failedDuring: 4 * (200 - 1),
        // 4 intervals of 50 cold starts where the twin had 5; none more afterwards.
        extraColdStarts: 4 * (50 - 5),
        // From the onset to the start of interval 14.
        recoverySeconds: 140 - 100.5,
      },
    ]);
  });

  it("never recovering gives null; the window runs to the end of the run", () => {
    const ivs = series([broken, broken, broken, (k) => broken(k, { lengthUs: 5 * S })]);
    const [impact] = impacts(ivs, [fault(100 * S)]);
    expect(impact?.recoverySeconds).toBeNull();
    expect(impact?.failedDuring).toBe(4 * 199);
    expect(impact?.extraColdStarts).toBe(4 * 45);
  });

  it("counts failures and cold starts past the recovery, until the run is the twin again", () => {
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
      broken, // after the recovery: still the fault's doing
    ]);
    const [impact] = impacts(ivs, [fault(100 * S)]);
    expect(impact?.recoverySeconds).toBe(60);
    expect(impact?.failedDuring).toBe(4 * 199);
    expect(impact?.extraColdStarts).toBe(4 * 45);
  });

  it("two healthy intervals before the run ends are not a recovery", () => {
    const ivs = series([broken, broken, healthy, healthy]);
    expect(impacts(ivs, [fault(100 * S)])[0]?.recoverySeconds).toBeNull();
  });

  it("the p99 limit is 1.5 x the twin's p99 in the same interval", () => {
    const p99 = (ms: number) => (k: number) =>
      healthy(k, {
        latencies: [
          [50 * MS, 900],
          [ms * MS, 100],
        ],
      });
    // 80 ms is 1.6 x the twin's 50 ms: unhealthy; 70 ms (1.4 x) is healthy.
    const ivs = series([p99(80), p99(80), p99(70), p99(70), p99(70)]);
    const [impact] = impacts(ivs, [fault(100 * S, "slow-hosts", 200 * S)]);
    expect(impact?.recoverySeconds).toBe(20);
    expect(impact?.failedDuring).toBe(0);
  });

  it("the error-ratio limit is the twin's ratio + 0.001", () => {
    // Twin 1/1001 ~ 0.000999; limit ~ 0.001999: 2/1002 passes, 3/1003 does not.
    const failing = (n: number) => (k: number) => healthy(k, { failed: n, completed: 1000 });
    const ivs = series([failing(3), failing(2), failing(2), failing(2)]);
    expect(impacts(ivs, [fault(100 * S)])[0]?.recoverySeconds).toBe(10);
  });

  it("an interval that completes nothing where the twin completed requests is not healthy", () => {
    const stuck = (k: number) => interval(k, { completed: 0, failed: 0, coldStarts: 0 });
    const ivs = series([stuck, stuck, stuck, ...Array(3).fill(healthy)]);
    expect(impacts(ivs, [fault(100 * S)])[0]?.recoverySeconds).toBe(30);
    // Intervals without requests in both runs are healthy.
    const empty = (k: number) => interval(k, { completed: 0, failed: 0, coldStarts: 0 });
    const quiet = [0, 1, 2, 3].map((k) => empty(k));
    expect(faultImpacts(quiet, quiet, [fault(0)])[0]?.recoverySeconds).toBe(0);
  });

  it("a fault without visible effect at an interval boundary recovers at once", () => {
    const ivs = series(Array(5).fill(healthy));
    expect(impacts(ivs, [fault(100 * S, "slow-hosts", 150 * S)])).toEqual([
      {
        kind: "slow-hosts",
        atSeconds: 100,
        failedDuring: 0,
        extraColdStarts: 0,
        recoverySeconds: 0,
      },
    ]);
  });

  it("fewer cold starts than the twin gives a negative extraColdStarts", () => {
    const quiet = (k: number) => broken(k, { coldStarts: 0 });
    const ivs = series([quiet, quiet, ...Array(3).fill(healthy)]);
    expect(impacts(ivs, [fault(100 * S)])[0]?.extraColdStarts).toBe(-10);
  });

  it("a fault at time 0 or in the warmup is measured from the first interval", () => {
    // The measured window starts at 0 here; a warmup fault has a negative onset.
    const ivs: IntervalStats[] = [];
    for (let k = 0; k < 3; k++) ivs.push(broken(k));
    for (let k = 3; k < 10; k++) ivs.push(healthy(k));
    const both = impacts(ivs, [fault(0, "host-crash"), fault(-5 * S, "host-crash")]);
    expect(both.map((f) => f.recoverySeconds)).toEqual([30, 35]);
    // Both onsets fall in (or before) the first interval: they share one window.
    expect(both.map((f) => f.failedDuring)).toEqual([3 * 199, 3 * 199]);
    expect(both.map((f) => f.extraColdStarts)).toEqual([3 * 45, 3 * 45]);
  });

  it("a later onset ends an earlier fault's window; the given order is kept", () => {
    const ivs = series([
      broken,
      broken,
      healthy,
      healthy,
      healthy,
      broken,
      ...Array(3).fill(healthy),
    ]);
    const both = impacts(ivs, [fault(150 * S, "host-crash"), fault(100 * S)]);
    expect(both.map((f) => [f.kind, f.recoverySeconds, f.failedDuring])).toEqual([
      ["host-crash", 10, 199],
      ["zone-outage", 20, 2 * 199],
    ]);
  });

  it("rejects intervals out of order, or a twin on other boundaries", () => {
    expect(() => faultImpacts([healthy(1), healthy(0)], [healthy(1), healthy(0)], [])).toThrow(
      RangeError,
    );
    expect(() => faultImpacts([healthy(0)], [healthy(1)], [])).toThrow(RangeError);
    expect(() => faultImpacts([healthy(0)], [], [])).toThrow(RangeError);
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
