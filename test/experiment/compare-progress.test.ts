/**
 * `lbsim compare` while it runs (SPEC 4): progress from the start — runs done and the
 * simulated time of the runs in flight — and Ctrl-C, which stops the runs in flight at
 * their current simulated time and writes the truncated comparison at once.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describeInFlight } from "../../src/cli/progress.js";
import { type CompareProgress, compare } from "../../src/experiment/compare.js";
import type { Comparison } from "../../src/experiment/comparison.js";
import { packageRoot } from "../../src/package-info.js";
import { CLI, lbsim } from "../cli/cli.js";

const scenarios = join(packageRoot(), "scenarios");
const tmp = (): string => mkdtempSync(join(tmpdir(), "lbsim-progress-"));
// Runs of an hour of simulated time: none ends before the tests interrupt them.
const LONG = ["--seeds", "3", "--set", "duration=1h", "--set", "warmup=1s"];
const LONG_END_SECONDS = 3601;

/** Every run kept is one that was in flight, stopped short of its end. */
function expectTruncatedInFlight(c: Comparison, maxInFlight: number): void {
  expect(c.truncated).toBe(true);
  expect(c.runs.length).toBeGreaterThan(0);
  expect(c.runs.length).toBeLessThanOrEqual(maxInFlight);
  expect(c.runs.length).toBeLessThan(c.plannedRuns);
  for (const run of c.runs) {
    expect(run.summary.truncated).toBe(true);
    expect(run.summary.simulatedSeconds).toBeGreaterThan(0);
    expect(run.summary.simulatedSeconds).toBeLessThan(LONG_END_SECONDS);
  }
}

describe("compare() reports progress and stops on its signal", () => {
  for (const jobs of [1, 2]) {
    it(`--jobs ${jobs}: progress before any run ends; abort keeps the runs in flight, truncated`, async () => {
      const seen: CompareProgress[] = [];
      const abort = new AbortController();
      const c = await compare({
        file: join(scenarios, "quickstart.yaml"),
        sets: ["duration=1h", "warmup=1s"],
        seeds: 3,
        jobs,
        onProgress: (p) => {
          seen.push(p);
          // Stop once every run in flight has gone past 10 simulated seconds.
          if (p.inFlight.length === jobs && p.inFlight.every((r) => r.nowUs > 10e6)) abort.abort();
        },
        signal: abort.signal,
      });
      expect(seen[0]).toEqual({ total: 12, done: 0, inFlight: [] });
      const moving = seen.filter((p) => p.done === 0 && p.inFlight.some((r) => r.nowUs > 0));
      expect(moving.length).toBeGreaterThan(1);
      for (const p of moving)
        for (const r of p.inFlight) {
          expect(r.endUs).toBe(LONG_END_SECONDS * 1e6);
          expect(r.nowUs).toBeLessThanOrEqual(r.endUs);
        }
      // Each run's simulated time only moves forward.
      const last = new Map<number, number>();
      for (const p of seen)
        for (const r of p.inFlight) {
          expect(r.nowUs).toBeGreaterThanOrEqual(last.get(r.spec.index) ?? 0);
          last.set(r.spec.index, r.nowUs);
        }
      expectTruncatedInFlight(c, jobs);
      expect(c.runs.map((r) => r.index)).toEqual([...Array(jobs).keys()]);
      // A run stops where its last step ended: the last progress seen, or (on a worker,
      // which does not wait for the main thread) a few steps further.
      for (const run of c.runs) {
        const stoppedUs = run.summary.simulatedSeconds * 1e6 + 1e6;
        const lastSeen = last.get(run.index)!;
        if (jobs === 1) expect(Math.abs(stoppedUs - lastSeen)).toBeLessThan(1000);
        else expect(stoppedUs).toBeGreaterThanOrEqual(lastSeen - 1000);
      }
    });
  }

  it("an already aborted signal runs nothing", async () => {
    const c = await compare({
      file: join(scenarios, "power-of-two.yaml"),
      seeds: 2,
      jobs: 2,
      signal: AbortSignal.abort(),
    });
    expect(c.truncated).toBe(true);
    expect(c.runs).toEqual([]);
  });
});

describe("the progress line", () => {
  it("shows the simulated time of the first runs in flight and counts the rest", () => {
    const spec = { index: 0, variant: null, point: -1, sweepValue: null, seed: 1 };
    const run = (nowUs: number, endUs: number) => ({ spec, nowUs, endUs });
    expect(describeInFlight([])).toBe("none");
    expect(describeInFlight([run(120.7e6, 600e6), run(45e6, 600e6)])).toBe("120/600 s, 45/600 s");
    expect(describeInFlight([run(1.25e6, 30e6)])).toBe("1.3/30.0 s");
    expect(describeInFlight(Array.from({ length: 6 }, () => run(1e8, 3e8)))).toBe(
      "100/300 s, 100/300 s, 100/300 s, 100/300 s, +2 more",
    );
  });
});

describe("lbsim compare, interrupted", () => {
  it("on a terminal: progress from the start; Ctrl-C writes the truncated comparison at once", async () => {
    const out = tmp();
    const pidFile = join(out, "pid");
    // `script` gives the command a terminal; the shell writes its pid, then becomes node.
    const command = [
      `echo $$ > '${pidFile}'; exec '${process.execPath}' '${CLI}' compare`,
      `'${join(scenarios, "quickstart.yaml")}' ${LONG.join(" ")} --jobs 2 --out '${out}/result'`,
    ].join(" ");
    const child = spawn("script", ["-qefc", command, "/dev/null"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let screen = "";
    let signalledAt = 0;
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    const killer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    await new Promise<void>((resolve, reject) => {
      child.on("error", reject);
      child.stdout.on("data", (d: Buffer) => {
        screen += d.toString("utf8");
        // The first progress with both runs in flight past their first simulated seconds.
        if (
          signalledAt === 0 &&
          /0\/12 runs \| in flight: (?:[2-9]|[1-9]\d+)\/3601 s, (?:[2-9]|[1-9]\d+)\/3601 s/.test(
            screen,
          )
        ) {
          signalledAt = performance.now();
          process.kill(Number(readFileSync(pidFile, "utf8")), "SIGINT");
          resolve();
        }
      });
      child.on("close", () => resolve());
    });
    const code = await exited;
    const stopSeconds = (performance.now() - signalledAt) / 1000;
    clearTimeout(killer);
    expect(signalledAt, `no progress line seen:\n${screen}`).toBeGreaterThan(0);
    expect(screen).toMatch(/0\/12 runs \| in flight: none \| ETA -/); // before any run had started
    expect(code).toBe(0);
    expect(stopSeconds).toBeLessThan(5);
    expect(screen).toMatch(
      /interrupted: 0 runs complete, 2 stopped at their current simulated time/,
    );
    expectTruncatedInFlight(
      JSON.parse(readFileSync(join(out, "result", "comparison.json"), "utf8")),
      2,
    );
    expect(readdirSync(join(out, "result", "runs"))).toHaveLength(2);
  }, 90_000);

  it("not on a terminal: no progress; SIGINT after a second and a half stops within seconds", async () => {
    const out = tmp();
    const started = performance.now();
    const r = await lbsim(
      ["compare", join(scenarios, "quickstart.yaml"), ...LONG, "--jobs", "2", "--out", out],
      { signalAfterMs: 1500 },
    );
    const afterSignal = (performance.now() - started) / 1000 - 1.5;
    expect(r.code).toBe(0);
    expect(afterSignal).toBeLessThan(5);
    // Only the note of the interruption: no progress bar when stderr is not a terminal.
    expect(r.stderr).toMatch(/^lbsim compare: interrupted: 0 runs complete, \d stopped/);
    expect(r.stderr.split("\n").filter(Boolean)).toHaveLength(1);
    const c = JSON.parse(readFileSync(join(out, "comparison.json"), "utf8"));
    expect(c.truncated).toBe(true);
    expect(c.runs.length).toBeLessThanOrEqual(2);
    expect(r.stdout).toMatch(/TRUNCATED/);
    expect(existsSync(join(out, "report.html"))).toBe(true);
  }, 60_000);
});
