/**
 * `lbsim run --trace FILE` through the built command (SPEC 4): the file as a user gets
 * it, its limit, and that FILE is never half written (an error leaves it as it was,
 * Ctrl-C leaves the whole trace of what was simulated).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MINIMAL } from "../scenario/helpers.js";
import { lbsim } from "./cli.js";

const tmp = (): string => mkdtempSync(join(tmpdir(), "lbsim-trace-"));

function scenarioFile(dir: string, text = MINIMAL): string {
  const file = join(dir, "s.yaml");
  writeFileSync(file, text);
  return file;
}

const parseLines = (file: string): Record<string, unknown>[] =>
  readFileSync(file, "utf8")
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe("lbsim run --trace", () => {
  it("writes one JSON line per attempt, as many as the summary's attempts", async () => {
    const dir = tmp();
    const file = join(dir, "out", "trace.jsonl");
    const r = await lbsim(["run", scenarioFile(dir), "--json", "--quiet", "--trace", file]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    const lines = parseLines(file);
    expect(lines.length).toBe(summary.requests.attempts);
    expect(lines.filter((l) => l.outcome === "completed").length).toBe(summary.requests.completed);
    expect(lines[0]).toMatchObject({ attempt: 1, function: "f" });
    expect(readdirSync(join(dir, "out"))).toEqual(["trace.jsonl"]); // no temporary file left
  });

  it("--trace-limit bounds the lines and says on stderr that the trace was cut", async () => {
    const dir = tmp();
    const file = join(dir, "trace.jsonl");
    const r = await lbsim([
      "run",
      scenarioFile(dir),
      "--quiet",
      "--trace",
      file,
      "--trace-limit",
      "5",
    ]);
    expect(r.code).toBe(0);
    expect(parseLines(file).length).toBe(5);
    expect(r.stderr).toMatch(
      /trace was cut at --trace-limit 5 lines: \d+ more attempts not written/,
    );
  });

  it("a bad --trace-limit is a usage error, and nothing is written", async () => {
    const dir = tmp();
    const file = join(dir, "trace.jsonl");
    const r = await lbsim(["run", scenarioFile(dir), "--trace", file, "--trace-limit", "ten"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--trace-limit: expected a non-negative integer, got "ten"/);
    expect(existsSync(file)).toBe(false);
  });

  it("an error after the run began leaves FILE as it was and no partial file", async () => {
    const dir = tmp();
    const file = join(dir, "trace.jsonl");
    writeFileSync(file, "before\n");
    // --out under a regular file: the outputs cannot be written once the run ends.
    const blocker = join(dir, "blocker");
    writeFileSync(blocker, "");
    const r = await lbsim([
      "run",
      scenarioFile(dir),
      "--quiet",
      "--trace",
      file,
      "--out",
      join(blocker, "out"),
    ]);
    expect(r.code).not.toBe(0);
    expect(readFileSync(file, "utf8")).toBe("before\n");
    expect(readdirSync(dir).sort()).toEqual(["blocker", "s.yaml", "trace.jsonl"]);
  });

  it("Ctrl-C writes the whole trace of the truncated run", async () => {
    const dir = tmp();
    const file = join(dir, "trace.jsonl");
    const r = await lbsim(
      ["run", "--quiet", "--json", "--trace", file, "--set", "duration=1d", "--set", "warmup=0s"],
      { signalAfterMs: 1500 },
    );
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.truncated).toBe(true);
    const lines = parseLines(file); // every line whole
    expect(lines.length).toBe(summary.requests.attempts);
    expect(readdirSync(dir)).toEqual(["trace.jsonl"]);
  });
});
