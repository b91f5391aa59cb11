/**
 * Determinism is sacred (STYLE, principle 3): nothing under src/ reads the wall clock,
 * sets a timer or draws from Math.random, except the command line (src/cli/): its
 * progress display and its wall-time measurement only report, never feed the simulation.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../src/package-info.js";

const SRC = join(packageRoot(), "src");
const ALLOWED = [/^cli\//];
const BANNED = /\b(Math\.random|Date\.now|performance\.now|setTimeout|setInterval|new Date)\b/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

describe("no wall clock or Math.random in the simulation", () => {
  it("finds none under src/ outside the CLI", () => {
    const offenders: string[] = [];
    for (const file of sources(SRC)) {
      const rel = relative(SRC, file);
      if (ALLOWED.some((a) => a.test(rel))) continue;
      readFileSync(file, "utf8")
        .split("\n")
        .forEach((line, i) => {
          if (BANNED.test(line) && !line.trim().startsWith("*") && !line.trim().startsWith("//"))
            offenders.push(`${rel}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offenders).toEqual([]);
  });

  it("would see one", () => {
    expect(BANNED.test("const t = Date.now();")).toBe(true);
    expect(BANNED.test("x = Math.random()")).toBe(true);
  });
});
