// Per-function state keeps one object layout through a run (issue 13). V8 holds a field
// in small integers until it sees a double there; from then every object built before
// is on a deprecated layout and migrates when it is next touched, thousands of
// instructions each. On 20,000 functions a timer's time stored as a double moved about
// 7,000 function runtimes in 3 simulated seconds (8% of a run at 100,000 functions).
// V8's own trace counts the migrations: what remains are a few metric objects.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../../src/package-info.js";
import { CLI } from "../cli/cli.js";

const MODEL = join(packageRoot(), "test", "bench", "function-count.yaml");

/** V8's trace lines of the objects that migrated in one run of the built command line. */
async function migrations(keepAlive: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      "--trace-migration",
      CLI,
      "run",
      MODEL,
      "--set",
      "population.count=20000",
      "--set",
      "duration=3s",
      "--set",
      `keepAlive.policy=${keepAlive}`,
      "--format",
      "json",
    ],
    { maxBuffer: 64 * 2 ** 20 },
  );
  return stdout.split("\n").filter((l) => l.startsWith("[migrating]"));
}

describe("per-function state keeps its layout", () => {
  for (const keepAlive of ["fixed", "hybrid"])
    it(`migrates almost no objects over a run on 20,000 functions (${keepAlive} keep-alive)`, async () => {
      const lines = await migrations(keepAlive);
      // Sandboxes of the hybrid policy (about 120, once a deadline is first a double)
      // and a few histograms: far from one per function.
      expect(lines.length).toBeLessThan(500);
      expect(lines.filter((l) => /TimerUs|workEndedUs/.test(l))).toEqual([]);
    }, 60_000);
});
