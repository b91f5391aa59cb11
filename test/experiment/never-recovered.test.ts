/**
 * A metric that is null in some seeds (a fault never recovered from): counted apart,
 * shown as `never (0/N)` or `84 ± 3 (3/5 recovered)` in compare's table and in the
 * report, and never ranked best (never recovering is worse than any recovery time).
 */
import { describe, expect, it } from "vitest";
import { comparisonTables } from "../../src/cli/comparison-table.js";
import type { Summary } from "../../src/metrics/summary.js";
import { metricBars } from "../../src/report/comparison-charts.js";
import { bestAt, estimateText, metricView, worstAt } from "../../src/report/comparison-data.js";
import { comparisonReportHtml } from "../../src/report/comparison-report.js";
import { syntheticComparison } from "../report/synthetic.js";

const RECOVERY = "faults[0].recoverySeconds";

/**
 * Four variants, one sweep point, 5 seeds: policy-1 recovers in ~50 s; policy-2 in
 * ~10 s but only in seeds 1 to 3; policy-3 never; policy-4 in ~90 s always.
 */
function recoveries(s: Summary): void {
  const v = Number(s.variant!.slice("policy-".length));
  const recovery =
    v === 1 ? 50 + s.seed : v === 2 ? (s.seed <= 3 ? 10 + s.seed : null) : v === 3 ? null : 90;
  s.faults = [{ ...s.faults[0]!, recoverySeconds: recovery }];
}

describe("never recovered", () => {
  const c = syntheticComparison(4, 1, 5, recoveries);
  const m = metricView(c, RECOVERY);

  it("is counted apart from the values, per variant", () => {
    const r = c.results[0]!.variants.map((v) => v.metrics[RECOVERY]!);
    expect(r.map((x) => x.never)).toEqual([0, 2, 5, 0]);
    expect(r.map((x) => x.estimate?.n ?? 0)).toEqual([5, 3, 0, 5]);
    expect(r[2]!.estimate).toBeNull();
    expect(r[1]!.estimate!.mean).toBeCloseTo(12, 6); // seeds 1, 2, 3: 11, 12, 13
  });

  it("reads never (0/N) or the value with the seeds that recovered", () => {
    expect(estimateText(m, 0, 2)).toBe("never (0/5)");
    expect(estimateText(m, 0, 1)).toMatch(/^12 ± [\d.]+ \(3\/5 recovered\)$/);
    expect(estimateText(m, 0, 1, true)).toMatch(/^12 s ± [\d.]+ \(3\/5 recovered\)$/);
    expect(estimateText(m, 0, 3)).toBe("90 ± 0");
  });

  it("is never ranked best: a variant that always recovered beats a faster one that did not", () => {
    expect(bestAt(m, 0)).toBe(0); // policy-1 (~53 s, 5/5), not policy-2 (12 s, 3/5)
    expect(worstAt(m, 0)).toBe(2); // policy-3 never recovered
    const shows = metricBars(c, m).shows;
    expect(shows).toMatch(
      /^Lowest at workload\.scale=0\.5: policy-1 \(53 s ± [\d.]+\); highest: policy-3 \(never \(0\/5\)\)\. policy-1 is best/,
    );
  });

  it("shows in compare's table and in the report", () => {
    const table = comparisonTables(c);
    expect(table).toMatch(/fault 1 \(host-crash\) recovery \(s\)/);
    expect(table).toContain("never (0/5)");
    expect(table).toMatch(/12 ± [\d.]+ \(3\/5 recovered\)/);
    const html = comparisonReportHtml(c);
    expect(html).toContain("Lowest at workload.scale=0.5: policy-1 (53 s");
    expect(html).toContain("highest: policy-3 (never (0/5))");
    expect(html).toMatch(/<td class="t">never<\/td>/);
    expect(html).toContain("3/5 recovered");
  });
});
