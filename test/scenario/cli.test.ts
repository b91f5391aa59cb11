import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  findPackageRoot,
  listScenarios,
  register as registerScenarios,
} from "../../src/cli/scenarios.js";
import { register as registerSchema } from "../../src/cli/schema.js";
import { register as registerValidate, validateFiles } from "../../src/cli/validate.js";
import { scenarioJsonSchema } from "../../src/scenario/load.js";
import { FIXTURES } from "./helpers.js";

function capture() {
  let text = "";
  return {
    write: (s: string) => (text += s),
    get text() {
      return text;
    },
  };
}

function program(): Command {
  const p = new Command().exitOverride();
  registerValidate(p);
  registerSchema(p);
  registerScenarios(p);
  return p;
}

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

describe("validate", () => {
  it("prints ok for valid files and the errors of invalid ones, returning 2", async () => {
    const out = capture();
    const err = capture();
    const code = await validateFiles(
      [join(FIXTURES, "child.yaml"), join(FIXTURES, "bad.json")],
      [],
      out,
      err,
    );
    expect(code).toBe(2);
    expect(out.text).toBe(`ok ${join(FIXTURES, "child.yaml")}\n`);
    expect(err.text).toMatch(
      /bad\.json: functions\[0\]\.memoryMb: expected a size such as 512MB, .*, got "lots"/,
    );
  });

  it("returns 0 when every file is valid, and applies --set", async () => {
    const out = capture();
    expect(
      await validateFiles(
        [join(FIXTURES, "minimal.json")],
        ["placement.policy=random"],
        out,
        capture(),
      ),
    ).toBe(0);
    const err = capture();
    expect(
      await validateFiles(
        [join(FIXTURES, "minimal.json")],
        ["placement.policy=closest"],
        capture(),
        err,
      ),
    ).toBe(2);
    // A bare name is never loaded as a package: it is an unknown policy, the built-ins listed.
    expect(err.text).toMatch(
      /placement\.policy: expected one of random \| round-robin \| .* \| cache-affinity, or a policy module's path \(\.\/, \.\.\/ or \/\), got "closest"/,
    );
  });

  it("sets the exit code to 2 through the command, without throwing", async () => {
    vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    await program().parseAsync(["node", "lbsim", "validate", join(FIXTURES, "loop-a.yaml")]);
    expect(process.exitCode).toBe(2);
  });
});

describe("schema", () => {
  it("describes the file format, strict objects included", () => {
    const schema = scenarioJsonSchema() as {
      type: string;
      required: string[];
      additionalProperties: boolean;
      properties: Record<string, { default?: unknown; additionalProperties?: boolean }>;
    };
    expect(schema.type).toBe("object");
    expect(schema.required).toEqual(["name", "duration"]);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.cluster?.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining([
        "cluster",
        "network",
        "balancer",
        "placement",
        "keepAlive",
        "functions",
        "faults",
        "clients",
      ]),
    );
  });

  it("is printed by lbsim schema as JSON", async () => {
    let printed = "";
    vi.spyOn(process.stdout, "write").mockImplementation((s) => {
      printed += String(s);
      return true;
    });
    await program().parseAsync(["node", "lbsim", "schema"]);
    expect(JSON.parse(printed)).toEqual(JSON.parse(JSON.stringify(scenarioJsonSchema())));
  });
});

describe("scenarios", () => {
  it("finds the package root from a nested directory", () => {
    const root = findPackageRoot(FIXTURES);
    expect(root).toBeDefined();
    expect(findPackageRoot()).toBe(root);
  });

  it("lists scenario files with name and description, sorted", () => {
    const dir = mkdtempSync(join(tmpdir(), "lbsim-scenarios-"));
    writeFileSync(join(dir, "b.yaml"), "name: bee\ndescription: |\n  Second,\n  on two lines.\n");
    writeFileSync(join(dir, "a.yaml"), "name: ay\ndescription: First.\n");
    writeFileSync(join(dir, "broken.yaml"), "name: [\n");
    writeFileSync(join(dir, "notes.txt"), "not a scenario");
    const list = listScenarios(dir);
    expect(list.map((s) => [s.id, s.name, s.description])).toEqual([
      ["a", "ay", "First."],
      ["b", "bee", "Second, on two lines."],
      ["broken", "broken", "(does not parse: run lbsim validate on it)"],
    ]);
    expect(listScenarios(join(dir, "missing"))).toEqual([]);
  });

  it("prints one line per bundled scenario", async () => {
    let printed = "";
    vi.spyOn(process.stdout, "write").mockImplementation((s) => {
      printed += String(s);
      return true;
    });
    await program().parseAsync(["node", "lbsim", "scenarios"]);
    expect(printed.length).toBeGreaterThan(0);
  });
});
