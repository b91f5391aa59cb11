/**
 * `compare --shard` as a Slurm array job, for real (SPEC 11): a one-node Slurm on this
 * machine (test/support/slurm.ts) runs the README's sbatch script as an array of 3
 * tasks; `lbsim merge` of the shards they wrote must be byte for byte the unsharded
 * `compare --json`, its expectations checked alike. Skipped, loudly, only where Slurm
 * is not installed; in CI (CI=true) a missing Slurm is a failure, since `.ci/run`
 * installs it.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../src/package-info.js";
import { lbsim } from "../cli/cli.js";
import { type Cluster, findSlurm, startCluster } from "../support/slurm.js";

const root = packageRoot();
const found = findSlurm();
const inCi = process.env.CI === "true";
if ("missing" in found)
  console.warn(
    `\n*** SKIPPED: the Slurm array-job test (test/experiment/slurm.test.ts): ${found.missing.join(", ")} not installed. ` +
      "Install Debian's slurm-wlm and munge (apt-get install slurm-wlm munge), as .ci/run does. ***\n",
  );

/** The sbatch script of the README's "As a Slurm array job". */
function readmeScript(): string {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const at = readme.indexOf("As a Slurm array job");
  const start = readme.indexOf("```bash\n", at);
  const end = readme.indexOf("```", start + 8);
  if (at < 0 || start < 0 || end < 0) throw new Error("README.md: no Slurm array job script");
  return readme.slice(start + 8, end);
}

// The comparison: 4 variants x 3 seeds, of one simulated second each: 12 runs, 4 a shard.
const COMPARE = [
  join(root, "scenarios", "power-of-two.yaml"),
  "--seeds",
  "3",
  "--set",
  "duration=1s",
];

describe("the README's script describes a Slurm array job", () => {
  it("with its array, its task id and count as the shard, and an atomic write", () => {
    const script = readmeScript();
    expect(script).toMatch(/^#!\/bin\/bash\n/);
    expect(script).toMatch(/^#SBATCH --array=1-\d+$/m);
    expect(script).toContain('shard="$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT"');
    expect(script).toMatch(/--shard "\$shard" --json > "\$out\/shard-\$SLURM_ARRAY_TASK_ID\.part"/);
    expect(script).toMatch(/^mv .*\.part" .*\.json"$/m);
  });
});

describe.skipIf("missing" in found)("compare --shard as a Slurm array job", () => {
  let cluster: Cluster | null = null;

  beforeAll(async () => {
    if ("paths" in found) cluster = await startCluster(found.paths);
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 40_000);

  it("sbatch --array=1-3 of the README's script, merged, is the unsharded comparison byte for byte", async () => {
    const c = cluster!;
    const script = join(c.dir, "lbsim-compare.sbatch");
    writeFileSync(script, readmeScript());
    const shards = join(c.dir, "shards");
    // From the repository's directory, as the README says; the shards go to the temp dir.
    c.run(
      "sbatch",
      [
        "--wait",
        "--array=1-3",
        "--time=5",
        `--output=${join(c.dir, "shard-%a.log")}`,
        `--export=ALL,LBSIM_SHARDS=${shards}`,
        script,
        ...COMPARE,
      ],
      { cwd: root, timeoutMs: 180_000 },
    );
    const files = [1, 2, 3].map((i) => join(shards, `shard-${i}.json`));
    for (const [i, file] of files.entries()) {
      expect(existsSync(file), `${file}\n${c.logs()}`).toBe(true);
      const part = JSON.parse(readFileSync(file, "utf8"));
      expect(part.shard).toEqual({ index: i + 1, count: 3 }); // $SLURM_ARRAY_TASK_ID/COUNT
      expect(part.truncated).toBe(false);
      expect(part.runs.length).toBe(4); // runs 0, 3, 6, 9 in shard 1, and so on
    }
    expect(existsSync(join(shards, "shard-1.part"))).toBe(false);

    // With compare's --set, merge finds the bundled scenario and checks its expectations.
    const merged = await lbsim(["merge", ...files, ...COMPARE.slice(3), "--json"]);
    expect(merged.code).toBe(0);
    const whole = await lbsim(["compare", ...COMPARE, "--json"]);
    expect(whole.code).toBe(0);
    expect(JSON.parse(whole.stdout).runs).toHaveLength(12);
    expect(merged.stdout).toBe(whole.stdout);
    expect(whole.stderr).toMatch(/^expectations \(each variant's mean over seeds\):\n/);
    expect(merged.stderr).toBe(whole.stderr);
  }, 240_000);
});

// Where Slurm is installed, this test does not exist (rather than showing as skipped).
if ("missing" in found && inCi)
  describe("in CI", () => {
    it("Slurm is installed (.ci/run installs slurm-wlm and munge)", () => {
      expect.fail(
        `CI=true but ${"missing" in found ? found.missing.join(", ") : ""} not installed`,
      );
    });
  });
