/**
 * What the page inlines, read when a report is generated: uPlot's script and style from
 * node_modules, and the page's own script — the client/ modules as tsc compiled them,
 * made into one plain script (they import nothing at run time but each other).
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { packageRoot } from "../package-info.js";

/** The client modules, helpers first. */
const CLIENT_MODULES = ["number.js", "draw.js", "render.js"] as const;

export interface Assets {
  readonly uplotJs: string;
  readonly uplotCss: string;
  readonly uplotVersion: string;
  readonly clientJs: string;
}

let cached: Assets | undefined;

export function loadAssets(): Assets {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const dist = dirname(require.resolve("uplot/dist/uPlot.iife.min.js"));
  const pkg = JSON.parse(readFileSync(join(dist, "..", "package.json"), "utf8")) as {
    version: string;
  };
  cached = {
    uplotJs: readFileSync(join(dist, "uPlot.iife.min.js"), "utf8"),
    uplotCss: readFileSync(join(dist, "uPlot.min.css"), "utf8"),
    uplotVersion: pkg.version,
    clientJs: clientScript(),
  };
  return cached;
}

/**
 * The compiled client: next to this file when running from dist/, or in dist/ when this
 * file runs from source (the test runner; `npm test` builds first).
 */
function clientDir(): string {
  const here = join(dirname(fileURLToPath(import.meta.url)), "client");
  if (existsSync(join(here, "render.js"))) return here;
  return join(packageRoot(), "dist", "src", "report", "client");
}

function clientScript(): string {
  const dir = clientDir();
  const parts = CLIENT_MODULES.map((file) => {
    const path = join(dir, file);
    if (!existsSync(path)) throw new Error(`lbsim report: ${path} is missing (run npm run build)`);
    return toScript(readFileSync(path, "utf8"), file);
  });
  return `(function () {\n"use strict";\n${parts.join("\n")}\nrenderReport();\n})();\n`;
}

/** An ES module of the client, as tsc emits it, as plain script text. */
export function toScript(js: string, name: string): string {
  const text = js
    .replace(/^import\s[\s\S]*?\sfrom\s+"\.\/[\w-]+\.js";[ \t]*$/gm, "")
    .replace(/^export \{\};[ \t]*$/gm, "")
    .replace(/^\/\/# sourceMappingURL=.*$/gm, "")
    .replace(/^export (?=(async )?function |const |let |class )/gm, "");
  if (/^\s*(import|export)\b/m.test(text))
    throw new Error(
      `lbsim report: client module ${name} imports or exports what cannot be inlined`,
    );
  return text;
}
