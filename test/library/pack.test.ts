/**
 * `import { loadScenario, simulate } from "lbsim"` from another project: the package
 * is packed with `npm pack` (which builds it), installed from the tarball into a fresh
 * project, and imported there by name, types included. The install prefers the npm
 * cache (`--prefer-offline`), so it needs the registry only for what is not cached.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../src/package-info.js";

const dir = mkdtempSync(join(tmpdir(), "lbsim-pack-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const npm = (args: string[], cwd: string): string =>
  execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

describe("the packed package", () => {
  it("installs and imports by name from another project", { timeout: 600_000 }, () => {
    npm(["pack", "--pack-destination", dir, "--silent"], packageRoot());
    const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz"));
    expect(tarball).toMatch(/^lbsim-.*\.tgz$/);
    const project = join(dir, "project");
    execFileSync("mkdir", [project]);
    writeFileSync(
      join(project, "package.json"),
      '{ "name": "user", "type": "module", "private": true }\n',
    );
    npm(["install", "--prefer-offline", "--no-audit", "--no-fund", join(dir, tarball!)], project);
    const installed = join(project, "node_modules", "lbsim");
    expect(existsSync(join(installed, "dist", "src", "index.d.ts"))).toBe(true);
    expect(existsSync(join(installed, "scenarios", "plugins", "zone-then-best-fit.js"))).toBe(true);
    writeFileSync(
      join(project, "main.js"),
      `import { loadScenario, simulate } from "lbsim";
import { fileURLToPath } from "node:url";
const example = fileURLToPath(new URL("node_modules/lbsim/scenarios/custom-policy.yaml", import.meta.url));
const scenario = loadScenario(example, { set: ["duration=10s", "warmup=2s", "faults=[]"] });
let completions = 0;
const { summary } = await simulate(scenario, { observers: [{ completed: () => completions++ }] });
console.log(JSON.stringify({ completed: summary.requests.completed, completions, plugins: scenario.plugins }));
`,
    );
    const out = JSON.parse(
      execFileSync(process.execPath, ["main.js"], { cwd: project, encoding: "utf8" }),
    );
    expect(out.completed).toBeGreaterThan(1000);
    expect(out.completions).toBeGreaterThanOrEqual(out.completed);
    expect(out.plugins[0].path).toBe("./plugins/zone-then-best-fit.js");
    // The types resolve from the package's exports: a TypeScript user's watcher compiles.
    writeFileSync(
      join(project, "typed.ts"),
      `import { loadScenario, simulate, type ModelObserver, type SandboxView } from "lbsim";
const coldByHost = new Map<number, number>();
const watcher: ModelObserver = {
  started(_req, _arrivalUs, sandbox: SandboxView, _waitUs, cold) {
    if (cold) coldByHost.set(sandbox.host, (coldByHost.get(sandbox.host) ?? 0) + 1);
  },
};
const { summary } = await simulate(loadScenario("s.yaml"), { observers: [watcher] });
const n: number = summary.requests.completed;
export { n };
`,
    );
    const tsc = join(packageRoot(), "node_modules", "typescript", "bin", "tsc");
    const flags = [
      "--noEmit",
      "--strict",
      "--module",
      "nodenext",
      "--target",
      "es2022",
      "--skipLibCheck",
      "--types",
      "node",
      "--typeRoots",
      join(packageRoot(), "node_modules", "@types"),
    ];
    execFileSync(process.execPath, [tsc, ...flags, "typed.ts"], { cwd: project, encoding: "utf8" });
  });
});
