/**
 * Every bundled scenario states its answer as `expect:`; this runs each as written (seed
 * 1) and each variant with expectations of its own, and checks them all, so a change
 * that alters an answer fails here until the answer is rewritten. A variant whose
 * resolved scenario is the one as written (a variant naming the default) reuses that
 * run. 32 runs, ~80 s of CPU (1.5-2.5 min on a busy machine): placement-policies (7 runs
 * of ~6 s) and trace-replay (3 of 5-8 s) make most of it.
 *
 * `region` is the one exception: three simulated hours of 10,000 functions take minutes,
 * too long for every `npm test`; it is checked to state expectations, and `lbsim run
 * scenarios/region.yaml` checks them (exit 3 if one fails).
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/experiment/run.js";
import { checkSummary } from "../../src/metrics/expectations.js";
import type { Summary } from "../../src/metrics/summary.js";
import { packageRoot } from "../../src/package-info.js";
import { loadPlugins } from "../../src/policies/plugins/load.js";
import { loadScenario } from "../../src/scenario/load.js";
import type { ResolvedScenario } from "../../src/scenario/types.js";

const dir = join(packageRoot(), "scenarios");
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".yaml"))
  .sort();
/** Scenarios whose expectations `lbsim run` checks, not this test (see above). */
const TOO_LONG_FOR_NPM_TEST = new Set(["region.yaml"]);

/** The runs done, by what they simulate (expectations and variant names aside). */
const runs = new Map<string, Summary>();

function summaryOf(scenario: ResolvedScenario): Summary {
  const key = JSON.stringify({ ...scenario, expect: [] }, (_k, v) =>
    typeof v === "number" && !Number.isFinite(v) ? String(v) : v,
  );
  let summary = runs.get(key);
  if (summary === undefined) {
    summary = runScenario(scenario).summary;
    runs.set(key, summary);
  }
  return summary;
}

/** Variants that state their own expectations (`expect`, or a path inside it). */
function variantsWithExpectations(s: ResolvedScenario): string[] {
  return Object.entries(s.variants)
    .filter(([, entries]) => Object.keys(entries).some((k) => /^expect\b/.test(k)))
    .map(([name]) => name);
}

describe("bundled scenarios answer as they state (seed 1)", () => {
  it("every one states expectations", () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
    for (const file of files)
      expect(loadScenario(join(dir, file)).expect.length, file).toBeGreaterThan(0);
  });

  for (const file of files.filter((f) => !TOO_LONG_FOR_NPM_TEST.has(f))) {
    const base = loadScenario(join(dir, file), { seed: 1 });
    for (const variant of [undefined, ...variantsWithExpectations(base)]) {
      it(`${file}${variant === undefined ? "" : ` --variant ${variant}`}`, async () => {
        const scenario = loadScenario(join(dir, file), { seed: 1, variant });
        await loadPlugins(scenario);
        const outcomes = checkSummary(scenario.expect, summaryOf(scenario));
        const failed = outcomes.filter((o) => !o.passed).map((o) => o.text);
        expect(failed, failed.join("\n")).toEqual([]);
        expect(outcomes.length).toBe(scenario.expect.length);
      });
    }
  }
});
