/**
 * Expectations on the command line: `run` prints each with ✓/✗ after the table (on
 * stderr with --json) and exits 3 when one fails; `compare` checks each variant's mean
 * over seeds. And the scenario errors a user meets first: did-you-mean and limits.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lbsim } from "./cli.js";

function scenarioFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "lbsim-expect-")), "s.yaml");
  writeFileSync(file, text);
  return file;
}

/** 10 requests a second, evenly spaced, for 20 s: about 200 arrive, none fails. */
const SCENARIO = `name: expect-test
duration: 20s
functions:
  - name: f
    duration: 10ms
    arrivals: { process: constant, rate: 10/s }
`;

const passing = `${SCENARIO}expect:
  - { metric: requests.arrived, min: 190, max: 210 }
  - metric: functions[f].coldStartRatio
    max: 0.1
`;
const failing = `${SCENARIO}expect:
  - { metric: requests.arrived, min: 190, max: 210 }
  - { metric: requests.arrived, max: 100 }
  - { metric: errorRatio, min: 0.5 }
`;

describe("run with expectations", () => {
  it("prints each with ✓ after the table and exits 0 when all pass", async () => {
    const r = await lbsim(["run", "--quiet", scenarioFile(passing)]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const [table, after] = r.stdout.split("expectations:\n");
    expect(table).toMatch(/latency \(ms\)/);
    expect(after?.trimEnd().split("\n")).toEqual([
      expect.stringMatching(/^ {2}✓ requests\.arrived = 20\d \(expected between 190 and 210\)$/),
      expect.stringMatching(
        /^ {2}✓ functions\[f\]\.coldStartRatio = 0\.0\d+ \(expected at most 0\.1\)$/,
      ),
    ]);
  });

  it("exits 3 when one fails, naming the metric, the bound and the value", async () => {
    const r = await lbsim(["run", "--quiet", scenarioFile(failing)]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/✓ requests\.arrived = 20\d \(expected between 190 and 210\)/);
    expect(r.stdout).toMatch(
      /✗ requests\.arrived = 20\d: above the max 100 \(expected at most 100\)/,
    );
    expect(r.stdout).toMatch(/✗ errorRatio = 0: below the min 0\.5 \(expected at least 0\.5\)/);
    expect(r.stderr).toBe("lbsim: 2 of 3 expectation(s) failed\n");
  });

  it("with --json keeps stdout exactly the JSON and prints the checks on stderr", async () => {
    const r = await lbsim(["run", "--quiet", "--json", scenarioFile(failing)]);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).requests.arrived).toBeGreaterThan(190);
    expect(r.stdout).not.toMatch(/[✓✗]/);
    expect(r.stderr).toMatch(/^expectations:\n {2}✓ requests\.arrived/);
    expect(r.stderr).toMatch(/✗ errorRatio/);
  });

  it("--no-expect skips the check", async () => {
    const r = await lbsim(["run", "--quiet", "--no-expect", scenarioFile(failing)]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/expectations/);
  });

  it("a variant's expect replaces the scenario's", async () => {
    const text = `${failing}variants:
  lenient: { expect: [{ metric: requests.arrived, min: 1 }] }
`;
    const r = await lbsim(["run", "--quiet", "--variant", "lenient", scenarioFile(text)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✓ requests\.arrived = 20\d \(expected at least 1\)\n$/);
  });

  it("a bad path is a scenario error (exit 2), before anything runs", async () => {
    const text = `${SCENARIO}expect: [{ metric: requests.arived, max: 1 }]\n`;
    const r = await lbsim(["run", "--quiet", scenarioFile(text)]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(
      /s\.yaml: expect\[0\]\.metric: no field requests\.arived in the summary \(did you mean requests\.arrived\?\) \(line 7\)/,
    );
  });
});

describe("compare with expectations", () => {
  const text = `${SCENARIO}expect:
  - { metric: requests.arrived, min: 190, max: 210 }
variants:
  base: {}
  slow:
    functions[0].arrivals.rate: 5/s
  wrong:
    functions[0].arrivals.rate: 5/s
    expect: [{ metric: requests.arrived, min: 50, max: 150 }]
`;

  it("checks each variant's mean over seeds and exits 3 when one fails", async () => {
    const file = scenarioFile(text);
    const r = await lbsim(["compare", file, "--seeds", "2", "--quiet", "--jobs", "1"]);
    expect(r.code).toBe(3);
    const checks = r.stdout.slice(r.stdout.indexOf("expectations"));
    expect(checks).toMatch(/^expectations \(each variant's mean over seeds\):\n {2}base:\n/);
    expect(checks).toMatch(
      / {4}✓ requests\.arrived = 20\d(\.\d+)?, mean of 2 seed\(s\) \(expected between 190 and 210\)/,
    );
    expect(checks).toMatch(
      /slow:\n {4}✗ requests\.arrived = 10\d(\.\d+)?, mean of 2 seed\(s\): below the min 190/,
    );
    expect(checks).toMatch(/wrong:\n {4}✓ requests\.arrived = 10\d/);
    expect(r.stderr).toBe("lbsim: 1 of 3 expectation(s) failed\n");

    const ok = await lbsim([
      "compare",
      file,
      "--seeds",
      "2",
      "--quiet",
      "--variants",
      "base,wrong",
    ]);
    expect(ok.code).toBe(0);
    const skipped = await lbsim(["compare", file, "--seeds", "2", "--quiet", "--no-expect"]);
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).not.toMatch(/expectations/);
  });
});

describe("compare with a sweep", () => {
  it("checks the expectations at the sweep point that is the scenario as written", async () => {
    const file = scenarioFile(`${passing}sweep: { param: workload.scale, values: [0.5, 1] }\n`);
    const r = await lbsim(["compare", file, "--seeds", "1", "--quiet", "--jobs", "1"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    // At scale 0.5 about 100 arrive, outside the bounds: that point is not checked.
    expect(r.stdout).toMatch(
      /expectations \(each variant's mean over seeds at workload\.scale=1\):/,
    );
    expect(r.stdout).toMatch(/✓ requests\.arrived = 20\d, mean of 1 seed\(s\)/);
    const other = await lbsim([
      "compare",
      file,
      "--seeds",
      "1",
      "--quiet",
      "--sweep",
      "workload.scale=0.5,2",
    ]);
    expect(other.code).toBe(0);
    expect(other.stdout).toMatch(
      /expectations: not checked \(no sweep point is the scenario as written\)/,
    );
  });
});

describe("scenario errors a user meets first", () => {
  it("suggest the field or value meant", async () => {
    const text = `${SCENARIO}placement: { polcy: random }\nbalancer: { routing: lru2 }\nkeepAlive: { policy: hybird }\n`;
    const r = await lbsim(["validate", scenarioFile(text)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /placement\.polcy: unknown field \(did you mean policy\?\) \(line 7\)/,
    );
    expect(r.stderr).toMatch(
      /balancer\.routing: expected one of mru \| .*, got "lru2" \(did you mean lru\?\)/,
    );
    expect(r.stderr).toMatch(
      /keepAlive\.policy: expected one of fixed \| none \| hybrid.*, got "hybird" \(did you mean hybrid\?\)/,
    );
  });

  it("name the limit a value is beyond", async () => {
    const text = `${SCENARIO}cluster: { hostsPerZone: 1e9 }\nclients: { retry: { maxAttempts: 1000 } }\n`;
    const r = await lbsim(["run", "--quiet", scenarioFile(text)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /cluster\.hostsPerZone: expected an integer from 1 to 1,000,000, got 1,000,000,000 \(line 7\)/,
    );
    expect(r.stderr).toMatch(
      /clients\.retry\.maxAttempts: expected an integer from 1 to 100, got 1000 /,
    );
  });
});
