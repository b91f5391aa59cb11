/**
 * Policy modules from the command line, as a user meets them: `check-policy` on the
 * example and on broken modules, `run` and `compare --jobs 2` on the example scenario,
 * the messages of every kind of bad module (naming the file, exit 2 at load and 1 at
 * run time, no stack), and `merge` refusing shards that ran different module files.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../src/package-info.js";
import { lbsim } from "./cli.js";

const ROOT = packageRoot();
const EXAMPLE = join(ROOT, "scenarios", "custom-policy.yaml");
const PLUGIN = join(ROOT, "scenarios", "plugins", "zone-then-best-fit.js");
const FIXTURES = join(ROOT, "test", "policies", "fixtures");
const SHORT = ["--set", "duration=20s", "--set", "warmup=5s", "--set", "faults=[]", "--no-expect"];
// Inside the package, so that a copied module still finds its imports (zod).
mkdirSync(join(ROOT, "test-output"), { recursive: true });
const tmp = mkdtempSync(join(ROOT, "test-output", "plugins-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at /);

describe("lbsim check-policy", () => {
  it("passes the example module, property by property, naming the file and its hash", async () => {
    const r = await lbsim(["check-policy", PLUGIN]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /loading policy module .*zone-then-best-fit\.js \(sha256 [0-9a-f]{64}\)/,
    );
    expect(r.stdout).toMatch(/placement policy, 5 properties/);
    expect(r.stdout.match(/^ {2}pass {2}/gm)).toHaveLength(5);
    expect(r.stdout).toMatch(/pass {2}is deterministic/);
    expect(r.stdout).toMatch(/all properties hold/);
  });

  it("passes a correct routing module against the routing suite", async () => {
    const r = await lbsim(["check-policy", join(FIXTURES, "least-outstanding-first.js")]);
    expect(r.stdout).toMatch(/routing policy, 3 properties/);
    expect(r.code).toBe(0);
  });

  it.each([
    [
      "out-of-range.js",
      /FAIL {2}returns an up host[^\n]*\n\s+\S*out-of-range\.js: choose returned host \d+: out of range \(expected a host in \[\d+, \d+\) or -1\)/,
    ],
    [
      "pick-throws.js",
      /FAIL {2}picks a current candidate[^\n]*\n\s+\S*pick-throws\.js: pick\(\) threw: too many to choose from/,
    ],
    [
      "mutates.js",
      /FAIL[^\n]*\n\s+\S*mutates\.js: choose\(hosts, [^)]*\) threw: Cannot assign to read only property 'count'/,
    ],
  ])("fails %s with the reason, exit 1", async (file, reason) => {
    const r = await lbsim(["check-policy", join(FIXTURES, file)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(reason);
    expect(r.stdout).toMatch(/\d+ of \d+ properties fail/);
  });

  it("catches a module that ignores its seed: only the determinism check fails", async () => {
    const r = await lbsim(["check-policy", join(FIXTURES, "unseeded.js")]);
    expect(r.code).toBe(1);
    expect(r.stdout.match(/^ {2}FAIL/gm)).toHaveLength(1);
    expect(r.stdout).toMatch(
      /FAIL {2}is deterministic[^\n]*\n\s+seed \d+: decision \d+ was host \d+ once and host \d+ the second time/,
    );
  });

  it.each([
    ["no-default.js", /no-default\.js: no default export: expected `export default function/],
    ["import-fails.js", /import-fails\.js: cannot load the policy module: Cannot find module/],
    ["missing.js", /missing\.js: no such policy module file/],
  ])("refuses %s at load: exit 2, the file named, no stack", async (file, message) => {
    const r = await lbsim(["check-policy", join(FIXTURES, file)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    noStack(r.stderr);
  });
});

describe("run, compare and validate with a policy module", () => {
  it("runs the example scenario, naming the module it loads", async () => {
    const r = await lbsim([
      "run",
      EXAMPLE,
      "--variant",
      "zone-then-best-fit",
      "--json",
      "--quiet",
      ...SHORT,
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /loading policy module .*plugins\/zone-then-best-fit\.js \(sha256 [0-9a-f]{64}\)/,
    );
    expect(JSON.parse(r.stdout).requests.completed).toBeGreaterThan(1000);
  });

  it("compares it with p2c and best-fit on two workers, recording the module's hash", async () => {
    const r = await lbsim([
      "compare",
      EXAMPLE,
      "--jobs",
      "2",
      "--seeds",
      "2",
      "--json",
      "--quiet",
      ...SHORT,
    ]);
    expect(r.code).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c.variants).toEqual(["zone-then-best-fit", "best-fit", "p2c"]);
    expect(c.runs).toHaveLength(6);
    const sha256 = (await import("node:crypto"))
      .createHash("sha256")
      .update(readFileSync(PLUGIN))
      .digest("hex");
    expect(c.plugins).toEqual([
      { role: "placement", path: "./plugins/zone-then-best-fit.js", sha256 },
    ]);
    expect(r.stderr.match(/loading policy module/g)).toHaveLength(1);
  });

  it("validate loads and checks the module's options", async () => {
    const ok = await lbsim(["validate", EXAMPLE]);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(/loading policy module .*zone-then-best-fit\.js/);
    // Options of the module; the variants that switch to a built-in leave them unread.
    const bad = await lbsim(["validate", EXAMPLE, "--set", "placement.options.within=worst-fit"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /custom-policy\.yaml: placement\.options\.within: .*\(options of \S*zone-then-best-fit\.js\)/,
    );
    const unknown = await lbsim(["validate", EXAMPLE, "--set", "placement.options.spread=2"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/placement\.options: .*spread/);
  });

  it("refuses a bare name that is not a built-in: names never load packages", async () => {
    const bare = await lbsim(["run", EXAMPLE, "--set", "placement.policy=zone-then-best-fit"]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(
      /placement\.policy: expected one of random \| .* or a policy module's path/,
    );
    expect(bare.stderr).not.toMatch(/loading policy module/);
  });

  it("names a missing module file (exit 2) and a decision out of range (exit 1), without a stack", async () => {
    const missing = await lbsim(["run", EXAMPLE, "--set", "placement.policy=./plugins/nowhere.js"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /placement\.policy: no policy module file scenarios\/plugins\/nowhere\.js|placement\.policy: no policy module file \S*plugins\/nowhere\.js/,
    );
    const broken = await lbsim([
      "run",
      EXAMPLE,
      "--quiet",
      ...SHORT,
      "--set",
      `placement.policy=${join(FIXTURES, "out-of-range.js")}`,
    ]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(
      /lbsim: run failed: \S*out-of-range\.js: choose returned host \d+: out of range/,
    );
    noStack(broken.stderr);
  });

  it("merge refuses shards that ran different module files", async () => {
    const dir = mkdtempSync(join(tmp, "merge-"));
    writeFileSync(join(dir, "s.yaml"), readFileSync(EXAMPLE));
    const plugins = join(dir, "plugins");
    mkdirSync(plugins);
    copyFileSync(PLUGIN, join(plugins, "zone-then-best-fit.js"));
    const shard = (i: number) =>
      lbsim([
        "compare",
        join(dir, "s.yaml"),
        "--seeds",
        "1",
        "--jobs",
        "1",
        "--quiet",
        "--shard",
        `${i}/2`,
        "--out",
        join(dir, `shard${i}`),
        ...SHORT,
      ]);
    expect((await shard(1)).code).toBe(0);
    writeFileSync(
      join(plugins, "zone-then-best-fit.js"),
      `${readFileSync(PLUGIN, "utf8")}\n// edited\n`,
    );
    expect((await shard(2)).code).toBe(0);
    const r = await lbsim([
      "merge",
      join(dir, "shard1", "comparison.json"),
      join(dir, "shard2", "comparison.json"),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /shard2\/comparison\.json: its policy modules \(\.\/plugins\/zone-then-best-fit\.js sha256 [0-9a-f]{16}\) differ from .*shard1\/comparison\.json's/,
    );
  });
});
