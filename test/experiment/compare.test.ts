/**
 * `lbsim compare` and `lbsim merge` (SPEC 4, 6, 11): tables and JSON, common random
 * numbers, identical results whatever --jobs or the sharding, refusals, interruption.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compare } from "../../src/experiment/compare.js";
import { confidenceHalfWidth, mean, stdDev, studentTQuantile } from "../../src/experiment/stats.js";
import { packageRoot } from "../../src/package-info.js";
import { lbsim } from "../cli/cli.js";

const scenarios = join(packageRoot(), "scenarios");
const tmp = (): string => mkdtempSync(join(tmpdir(), "lbsim-compare-"));
// Short runs: these tests check the machinery, not the answers (hence --no-expect).
const SHORT = ["--set", "duration=2min", "--set", "warmup=30s", "--quiet", "--no-expect"];

describe("lbsim compare", () => {
  it("prints a table per sweep point and writes comparison.json with every run", async () => {
    const out = tmp();
    const r = await lbsim([
      "compare",
      join(scenarios, "placement-policies.yaml"),
      "--seeds",
      "2",
      "--variants",
      "p2c,best-fit",
      "--sweep",
      "workload.scale=0.5,1",
      "--out",
      out,
      ...SHORT,
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/workload\.scale = 0\.5/);
    expect(r.stdout).toMatch(/best-fit/);
    expect(r.stdout).toMatch(/Δ vs p2c/);
    expect(r.stdout).toMatch(/active host-hours/);
    const c = JSON.parse(readFileSync(join(out, "comparison.json"), "utf8"));
    expect(c.runs).toHaveLength(2 * 2 * 2);
    expect(c.results).toHaveLength(2);
    expect(c.results[1].sweepValue).toBe(1);
    expect(readdirSync(join(out, "runs"))).toHaveLength(8);
    const bestFit = c.results[1].variants[1].metrics["hosts.activeHostHours"];
    expect(bestFit.difference.mean).toBeLessThan(0); // packs onto fewer hosts
  });

  it("--jobs 1 and --jobs 2 give the same comparison.json, byte for byte", async () => {
    const args = [
      "compare",
      join(scenarios, "power-of-two.yaml"),
      "--seeds",
      "3",
      "--json",
      "--set",
      "duration=2s",
      "--quiet",
    ];
    const one = await lbsim([...args, "--jobs", "1"]);
    const two = await lbsim([...args, "--jobs", "2"]);
    expect(one.code).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    expect(JSON.parse(one.stdout).runs).toHaveLength(12);
  });

  it("shards 1/3, 2/3 and 3/3 merged give the unsharded result; bad merges are refused", async () => {
    const dir = tmp();
    const wholeDir = tmp();
    const mergedDir = tmp();
    const args = [
      "compare",
      join(scenarios, "power-of-two.yaml"),
      "--seeds",
      "2",
      "--json",
      "--set",
      "duration=1s",
      "--quiet",
      "--jobs",
      "1",
    ];
    const whole = await lbsim([...args, "--out", wholeDir]);
    const files: string[] = [];
    for (const i of [1, 2, 3]) {
      const part = await lbsim([...args, "--shard", `${i}/3`]);
      expect(part.code).toBe(0);
      const file = join(dir, `shard${i}.json`);
      writeFileSync(file, part.stdout);
      files.push(file);
    }
    const merged = await lbsim(["merge", ...files, "--json", "--out", mergedDir]);
    expect(merged.code).toBe(0);
    expect(merged.stdout).toBe(whole.stdout);
    // The tidy exports too, byte for byte.
    for (const file of ["comparison.json", "runs.csv", "timeseries.csv", "report.html"])
      expect(readFileSync(join(mergedDir, file), "utf8"), file).toBe(
        readFileSync(join(wholeDir, file), "utf8"),
      );

    const twice = await lbsim(["merge", files[0]!, files[0]!, "--json"]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/already in another file/);
    expect(twice.stdout).toBe("");

    const other = await lbsim([
      "compare",
      join(scenarios, "mm1.yaml"),
      "--seeds",
      "2",
      "--json",
      "--set",
      "duration=1s",
      "--quiet",
      "--shard",
      "2/3",
    ]);
    const otherFile = join(dir, "other.json");
    writeFileSync(otherFile, other.stdout);
    const mixed = await lbsim(["merge", files[0]!, otherFile, "--json"]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/cannot be merged/);
  });

  it("an interrupted comparison leaves complete files marked truncated, and no partial file", async () => {
    const out = tmp();
    const r = await lbsim(
      [
        "compare",
        join(scenarios, "quickstart.yaml"),
        "--seeds",
        "50",
        "--jobs",
        "1",
        "--out",
        out,
        "--quiet",
      ],
      { signalAfterMs: 2500 },
    );
    expect(r.code).toBe(0);
    const c = JSON.parse(readFileSync(join(out, "comparison.json"), "utf8"));
    expect(c.truncated).toBe(true);
    expect(c.runs.length).toBeGreaterThan(0);
    expect(c.runs.length).toBeLessThan(c.plannedRuns);
    const leftovers = readdirSync(out).filter((f) => f.endsWith(".tmp"));
    expect(leftovers).toEqual([]);
    expect(existsSync(join(out, "runs"))).toBe(true);
  });

  it("bad usage is exit 2 with a message", async () => {
    for (const [args, message] of [
      [["--seeds", "0"], /--seeds/],
      [["--shard", "4/3"], /--shard/],
      [["--variants", "nope"], /no variant "nope"/],
      [["--metric", "speed"], /unknown metric "speed"[\s\S]*latencyMs\.p99/],
      [["--metric", "functions[nobody].arrived"], /no function "nobody"/],
      [["--format", "xml"], /--format/],
      [["--sweep", "nosuch.field=1,2"], /nosuch/],
    ] as const) {
      const r = await lbsim(["compare", join(scenarios, "power-of-two.yaml"), ...args]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe("");
    }
  });
});

describe("statistics of a comparison", () => {
  it("the paired difference is narrower than the unpaired one (common random numbers)", async () => {
    // d = 2 against d = 3 on the same seeds: both see the same arrivals and execution
    // times, so most seed-to-seed noise cancels in the difference.
    const c = await compare({
      file: join(scenarios, "power-of-two.yaml"),
      sets: ["duration=1s", "warmup=0.2s"],
      seeds: 6,
      jobs: 1,
      variants: ["d2", "d3"],
    });
    const byVariant = (v: string) =>
      c.runs.filter((r) => r.variant === v).map((r) => r.summary.latencyMs.mean);
    const a = byVariant("d2");
    const b = byVariant("d3");
    const n = a.length;
    const unpaired =
      studentTQuantile(0.975, n - 1) * Math.sqrt((stdDev(a) ** 2 + stdDev(b) ** 2) / n);
    const paired = confidenceHalfWidth(a.map((x, i) => b[i]! - x));
    expect(paired).toBeLessThan(unpaired / 2);
    const d = c.results[0]!.variants[1]!.metrics["latencyMs.p50"]!.difference!;
    expect(d.significant).toBe(true);
  });

  it("the 95% interval covers the true mean about 95% of the time", () => {
    // 4000 replications of 5 normal samples: coverage has a standard error of 0.34%.
    let state = 12345;
    const uniform = (): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return (state + 0.5) / 2 ** 32;
    };
    const normal = (): number =>
      Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    let covered = 0;
    const reps = 4000;
    for (let r = 0; r < reps; r++) {
      const xs = Array.from({ length: 5 }, () => 10 + 3 * normal());
      if (Math.abs(mean(xs) - 10) <= confidenceHalfWidth(xs)) covered++;
    }
    expect(Math.abs(covered / reps - 0.95)).toBeLessThan(0.015);
  });
});
