/**
 * Expectations on the command line: `run` prints each with ✓/✗ after the table (on
 * stderr with --json) and exits 3 when one fails; `compare` checks each variant's mean
 * over seeds, and `merge` checks merged shards as that compare would. And the scenario
 * errors a user meets first: did-you-mean and limits.
 */
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../src/package-info.js";
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

/** The expectations' part of compare's or merge's output, from its heading on. */
function checks(text: string): string {
  const at = text.indexOf("expectations");
  return at < 0 ? "" : text.slice(at);
}

/** Runs `compare file --shard i/n --json` for i = 1..n; returns the shard files. */
async function shards(file: string, n: number, args: string[] = []): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "lbsim-shards-"));
  const files: string[] = [];
  for (let i = 1; i <= n; i++) {
    const r = await lbsim(["compare", file, ...args, "--quiet", "--shard", `${i}/${n}`, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    files.push(join(dir, `shard-${i}.json`));
    writeFileSync(files[i - 1]!, r.stdout);
  }
  return files;
}

describe("merge with expectations", () => {
  // Two variants x two seeds, four runs: two shards of two runs each.
  const variants = `${SCENARIO}expect:
  - { metric: requests.arrived, min: 190, max: 210 }
variants:
  base: {}
  slow:
    functions[0].arrivals.rate: 5/s
    expect: [{ metric: requests.arrived, min: 90, max: 110 }]
`;
  // slow keeps the scenario's bound, which its 100 arrivals miss.
  const failingVariants = variants.replace(/ {4}expect: \[.*\]\n/, "");
  const SEEDS = ["--seeds", "2", "--jobs", "1"];
  let passing = "";
  let failing = "";
  let passingShards: string[] = [];
  let failingShards: string[] = [];

  beforeAll(async () => {
    passing = scenarioFile(variants);
    failing = scenarioFile(failingVariants);
    passingShards = await shards(passing, 2, SEEDS);
    failingShards = await shards(failing, 2, SEEDS);
  }, 60_000);

  it("checks the merged shards against --scenario as compare checks the whole", async () => {
    const whole = await lbsim(["compare", passing, ...SEEDS, "--quiet"]);
    expect(whole.code).toBe(0);
    const r = await lbsim(["merge", ...passingShards, "--scenario", passing]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(checks(r.stdout)).toMatch(
      /^expectations \(each variant's mean over seeds\):\n {2}base:\n {4}✓ requests\.arrived = 200, mean of 2 seed\(s\)/,
    );
    expect(checks(r.stdout)).toMatch(/slow:\n {4}✓ requests\.arrived = 100, mean of 2 seed/);
    expect(checks(r.stdout)).toBe(checks(whole.stdout));
  });

  it("exits 3 when one fails; with --json the check goes to stderr as compare's does", async () => {
    const whole = await lbsim(["compare", failing, ...SEEDS, "--quiet", "--json"]);
    expect(whole.code).toBe(3);
    const r = await lbsim(["merge", ...failingShards, "--scenario", failing, "--json"]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe(whole.stdout);
    expect(r.stderr).toMatch(/✗ requests\.arrived = 100, mean of 2 seed\(s\): below the min 190/);
    expect(r.stderr).toMatch(/lbsim: 1 of 2 expectation\(s\) failed\n$/);
    expect(r.stderr).toBe(whole.stderr);
  });

  it("refuses a --scenario the shards did not run (exit 2, naming it), writing nothing", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "lbsim-merged-")), "out");
    // The same file but for one variant's definition: the hash covers variants too.
    const r = await lbsim(["merge", ...passingShards, "--scenario", failing, "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^\S*s\.yaml: not the scenario the shards ran \(with no --set/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
    const mm1 = join(packageRoot(), "scenarios", "mm1.yaml");
    const other = await lbsim(["merge", ...passingShards, "--scenario", mm1, "--json"]);
    expect(other.code).toBe(2);
    expect(other.stdout).toBe("");
    expect(other.stderr).toContain(`${mm1}: not the scenario the shards ran`);
  });

  it("--no-expect skips the check", async () => {
    const r = await lbsim(["merge", ...failingShards, "--scenario", failing, "--no-expect"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/requests\.arrived|latency/);
    expect(r.stdout + r.stderr).not.toMatch(/expectations|[✓✗]/);
  });

  it("does not check a merge with a shard missing", async () => {
    const r = await lbsim(["merge", failingShards[0]!, "--scenario", failing]);
    expect(r.code).toBe(0);
    expect(checks(r.stdout)).toBe("expectations: not checked (2 of 4 runs present)\n");
    expect(r.stderr).toBe("lbsim merge: 2 of 4 runs present\n");
  });

  it("without --scenario, says it did not check a scenario it cannot find", async () => {
    const r = await lbsim(["merge", ...failingShards, "--json"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      "expectations: not checked (give --scenario FILE: the scenario the shards ran)\n",
    );
  });

  it("without --scenario, checks against the bundled scenario of that name when it is the one", async () => {
    const mm1 = join(packageRoot(), "scenarios", "mm1.yaml");
    const short = ["--set", "duration=20s"];
    const files = await shards(mm1, 2, [...SEEDS, ...short]);
    const whole = await lbsim(["compare", mm1, ...SEEDS, ...short, "--quiet"]);
    expect(checks(whole.stdout)).toMatch(/^expectations \(each variant's mean over seeds\):\n/);
    expect(whole.code).toBe(0);
    const r = await lbsim(["merge", ...files, ...short]);
    expect(r.code).toBe(0);
    expect(checks(r.stdout)).toMatch(/✓ latencyMs\.mean = [\d.]+, mean of 2 seed/);
    expect(checks(r.stdout)).toBe(checks(whole.stdout));
    // Without compare's --set, the bundled mm1 is not what the shards ran.
    const unset = await lbsim(["merge", ...files]);
    expect(unset.code).toBe(0);
    expect(checks(unset.stdout)).toBe(
      "expectations: not checked (the bundled mm1 with no --set is not the scenario the shards ran: give --scenario FILE and the --set their compare was given)\n",
    );
  }, 30_000);
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
