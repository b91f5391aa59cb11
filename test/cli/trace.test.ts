/** `lbsim trace convert` and trace scenarios on the command line, as a user runs them. */
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../../src/package-info.js";
import { lbsim } from "./cli.js";

const TRACES = join(packageRoot(), "scenarios", "traces");
const day = (f: string) => join(TRACES, "azure2019-10fn-day", f);
const DAY = [
  day("invocations.csv"),
  "--durations",
  day("durations.csv"),
  "--memory",
  day("memory.csv"),
];
const dir = mkdtempSync(join(tmpdir(), "lbsim-cli-trace-"));

describe("lbsim trace convert", () => {
  it("prints a summary: functions, invocations, the rate over time, the busiest functions", async () => {
    const r = await lbsim(["trace", "convert", ...DAY]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^azure2019 trace: /);
    expect(r.stdout).toMatch(/minutes +1\.\.1440 \(24 h\)/);
    expect(r.stdout).toMatch(/functions +10 replayed/);
    expect(r.stdout).toMatch(/invocations +13,037,064: 151\/s on average/);
    expect(r.stdout).toMatch(
      /invocations per second \(one mark per 20 minutes; from .*\)\n {2}[▁▂▃▄▅▆▇█]{72}\n {2}1 +1440\n/,
    );
    expect(r.stdout).toMatch(/busiest functions \(10 of 10\)/);
    expect(r.stdout.trimEnd().split("\n").slice(-10)).toHaveLength(10);
  });

  it("writes the compact format with -o, which reads back the same (format told by the header)", async () => {
    const out = join(dir, "day.lbtrace.gz");
    const w = await lbsim([
      "trace",
      "convert",
      ...DAY,
      "--minutes",
      "600-659",
      "--top",
      "5",
      "-o",
      out,
    ]);
    expect(w.code).toBe(0);
    expect(w.stdout).toMatch(/wrote .*day\.lbtrace\.gz \(minutes, [\d,]+ bytes\)/);
    expect(existsSync(out)).toBe(true);
    const a = JSON.parse(
      (await lbsim(["trace", "convert", ...DAY, "--minutes", "600-659", "--top", "5", "--json"]))
        .stdout,
    );
    const b = JSON.parse((await lbsim(["trace", "convert", out, "--json"])).stdout);
    expect(b.format).toBe("lbsim");
    expect(b.minutes).toEqual([600, 659]);
    for (const key of ["functions", "invocations", "perMinute", "busiest"])
      expect(b[key]).toEqual(a[key]);
    expect(a.leftOut).toEqual([
      {
        reason: "not among the 5 busiest (topFunctions)",
        functions: 5,
        invocations: expect.any(Number),
      },
    ]);
  });

  it("refuses bad input with the file, line and column: exit 2, nothing on stdout, no stack trace", async () => {
    const bad = join(dir, "bad.csv");
    writeFileSync(bad, "app,func,end_timestamp,duration\na,f,1.5,0.2\na,f,2.5\n");
    const r = await lbsim(["trace", "convert", bad]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      `${bad}: line 3, column 4: expected 4 fields (as in the header), got 3\n`,
    );
    const usage = await lbsim(["trace", "convert", ...DAY, "--top", "3", "--sample", "3"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--top and --sample/);
    const empty = join(dir, "empty.csv");
    writeFileSync(empty, "");
    expect((await lbsim(["trace", "convert", empty])).stderr).toMatch(
      /empty\.csv: line 1: the file is empty/,
    );
  });
});

describe("a scenario replaying a trace", () => {
  const scenario = (invocations: string) =>
    [
      "name: replay",
      "duration: 10min",
      "workload:",
      "  trace:",
      "    format: azure2019",
      `    invocations: ${invocations}`,
      `    durations: ${day("durations.csv")}`,
      "    minutes: [700, 1439]",
      "",
    ].join("\n");

  it("runs: the first minute replayed is at time 0, every arrival counted", async () => {
    const file = join(dir, "replay.yaml");
    writeFileSync(file, scenario(day("invocations.csv")));
    const r = await lbsim(["run", file, "--json", "--quiet"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    // Minutes 700..709 of the file hold 89,777 invocations.
    expect(JSON.parse(r.stdout).requests.arrived).toBe(89_777);
  });

  it("a bad trace file stops it before anything runs (exit 2)", async () => {
    const bad = join(dir, "inv-bad.csv");
    const lines = (await import("node:fs"))
      .readFileSync(day("invocations.csv"), "utf8")
      .split("\n");
    lines[4] = lines[4]!.replace(/,(\d+)$/, ",x");
    writeFileSync(bad, lines.join("\n"));
    const file = join(dir, "bad.yaml");
    writeFileSync(file, scenario(bad));
    const r = await lbsim(["run", file, "--json"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      `${bad}: line 5, column 1444 (1440): expected a count (a non-negative integer), got "x"\n`,
    );
  });
});
