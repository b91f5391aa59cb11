/**
 * `lbsim run` end to end, through the built command: what it prints, writes and
 * returns (SPEC 4).
 */
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { TIMESERIES_COLUMNS } from "../../src/metrics/timeseries.js";
import { MINIMAL } from "../scenario/helpers.js";
import { cases } from "../scenario/malformed-cases.js";
import { CLI, lbsim } from "./cli.js";

const tmp = (): string => mkdtempSync(join(tmpdir(), "lbsim-cli-"));

function scenarioFile(text: string, name = "s.yaml"): string {
  const file = join(tmp(), name);
  writeFileSync(file, text);
  return file;
}

describe("lbsim run", () => {
  it("--json prints exactly the summary JSON on stdout", async () => {
    const r = await lbsim([
      "run",
      "--json",
      "--quiet",
      "--no-expect",
      "--set",
      "duration=30s",
      "--set",
      "warmup=5s",
    ]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.scenario).toBe("quickstart");
    expect(summary.simulatedSeconds).toBe(30);
    expect(summary.requests.arrived).toBeGreaterThan(1000);
    expect(Object.keys(summary.failures)).toEqual([
      "throttled",
      "capacity",
      "host-crash",
      "unreachable",
      "balancer-unavailable",
      "timeout",
    ]);
  });

  it("prints a readable table by default and writes summary.json, timeseries.csv and report.html with --out", async () => {
    const out = tmp();
    const r = await lbsim(["run", scenarioFile(MINIMAL), "--out", out, "--seed", "7"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/latency \(ms\)/);
    expect(r.stdout).toMatch(/seed 7/);
    expect(readdirSync(out).sort()).toEqual(["report.html", "summary.json", "timeseries.csv"]);
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect(summary.seed).toBe(7);
    const csv = readFileSync(join(out, "timeseries.csv"), "utf8").trim().split("\n");
    expect(csv[0]).toBe(TIMESERIES_COLUMNS.join(","));
    expect(csv.length).toBeGreaterThan(2);
  });

  it("--variant applies one of the scenario's variants and names it in the summary", async () => {
    const r = await lbsim([
      "run",
      "--json",
      "--quiet",
      "--variant",
      "random",
      "--set",
      "duration=20s",
      "--no-expect",
    ]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.variant).toBe("random");
  });

  it("Ctrl-C stops the run and still writes a complete summary marked truncated", async () => {
    const out = tmp();
    const r = await lbsim(["run", "--quiet", "--out", out, "--set", "duration=1d"], {
      signalAfterMs: 1500,
    });
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect(summary.truncated).toBe(true);
    expect(summary.simulatedSeconds).toBeGreaterThan(0);
    expect(summary.simulatedSeconds).toBeLessThan(86_400);
    expect(readdirSync(out).sort()).toEqual(["report.html", "summary.json", "timeseries.csv"]);
  });

  it("a scenario with a code cache runs and reports its hits and misses", async () => {
    const text = `${MINIMAL}cluster: { host: { codeCacheMb: 1024 } }\nkeepAlive: { policy: none }\n`;
    const r = await lbsim(["run", "--json", "--quiet", scenarioFile(text)]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const { coldStarts, coldStartCache } = JSON.parse(r.stdout);
    expect(coldStartCache.hits + coldStartCache.misses).toBe(coldStarts);
    expect(coldStartCache.hits).toBeGreaterThan(0);
  });
});

describe("bad input: exit 2, a message naming file and path, nothing on stdout, no stack trace", () => {
  it.each(cases)("%s", async (what, text, expected) => {
    const file = scenarioFile(text, what === "bad JSON" ? "test.json" : "test.yaml");
    const r = await lbsim(["run", file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // The loader's message, with the file named as the user gave it.
    const message = r.stderr.trimEnd().replaceAll(dirname(file) + sep, "");
    if (typeof expected === "string") expect(message).toBe(expected);
    else expect(message).toMatch(expected);
    expect(r.stderr).toContain(file);
  });

  it.each([
    [["run", "/nonexistent/scenario.yaml"], /scenario\.yaml.*not found/],
    [["run", "--seed", "abc"], /--seed/],
    [["run", "--no-such-flag"], /unknown option/],
    [["run", "--set", "placement.policy=nearest"], /placement\.policy/],
    [["run", "--set", "nosuchfield=1"], /nosuchfield/],
    [["run", "--variant", "nope"], /no variant "nope"/],
  ])("lbsim %j", async (args, message) => {
    const r = await lbsim(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
  });
});

describe("other commands", () => {
  it("the built command is executable, so that npx lbsim runs it", () => {
    expect(statSync(CLI).mode & 0o111).toBe(0o111);
  });

  it("schema prints a JSON Schema", async () => {
    const r = await lbsim(["schema"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveProperty("properties.functions");
  });

  it("scenarios lists the bundled scenarios, which all validate", async () => {
    const r = await lbsim(["scenarios"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/quickstart/);
    const dir = join(import.meta.dirname, "..", "..", "scenarios");
    const files = readdirSync(dir)
      .filter((f) => /\.(ya?ml|json)$/.test(f))
      .map((f) => join(dir, f));
    const v = await lbsim(["validate", ...files]);
    // Nothing on stderr but the policy module the example loads, named with its hash.
    expect(v.stderr).toMatch(
      /^lbsim: loading policy module \S+\/plugins\/zone-then-best-fit\.js \(sha256 [0-9a-f]{64}\)\n$/,
    );
    expect(v.code).toBe(0);
    expect(existsSync(files[0]!)).toBe(true);
  });
});
