/** Runs the built command line (`npm test` builds before the tests) as a user would. */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { packageRoot } from "../../src/package-info.js";

export const CLI = join(packageRoot(), "dist", "src", "cli", "main.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function lbsim(
  args: string[],
  options: { signalAfterMs?: number; cwd?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    if (options.signalAfterMs !== undefined)
      setTimeout(() => child.kill("SIGINT"), options.signalAfterMs);
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
