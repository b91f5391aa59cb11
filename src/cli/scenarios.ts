/**
 * `lbsim scenarios`: the bundled scenarios (scenarios/*.yaml at the package root) with
 * their descriptions. The root is found from this file's location, so it works from
 * the sources, the build and an installed package alike.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { parse as parseYaml } from "yaml";

/** The nearest directory at or above `from` that holds package.json. */
export function findPackageRoot(
  from: string = dirname(fileURLToPath(import.meta.url)),
): string | undefined {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, "package.json"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export interface BundledScenario {
  /** File name without extension: what `lbsim run` is given. */
  readonly id: string;
  readonly file: string;
  readonly name: string;
  readonly description: string;
}

/** Scenario files of `dir`, sorted by name; a file that does not parse is listed as such. */
export function listScenarios(dir: string): BundledScenario[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()
    .map((f) => describeFile(join(dir, f)));
}

function describeFile(file: string): BundledScenario {
  const id = basename(file).replace(/\.(ya?ml|json)$/, "");
  try {
    const raw: unknown = parseYaml(readFileSync(file, "utf8"), { logLevel: "error" });
    const fields = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
    const name = typeof fields.name === "string" ? fields.name : id;
    const description = typeof fields.description === "string" ? fields.description : "";
    return { id, file, name, description: description.replace(/\s+/g, " ").trim() };
  } catch {
    return { id, file, name: id, description: "(does not parse: run lbsim validate on it)" };
  }
}

export function register(program: Command): void {
  program
    .command("scenarios")
    .description("list the bundled scenarios with their descriptions")
    .action(() => {
      const root = findPackageRoot();
      const list = root === undefined ? [] : listScenarios(join(root, "scenarios"));
      if (list.length === 0) {
        process.stdout.write("no bundled scenarios found\n");
        return;
      }
      const width = Math.max(...list.map((s) => s.id.length));
      for (const s of list) process.stdout.write(`${s.id.padEnd(width)}  ${s.description}\n`);
    });
}
