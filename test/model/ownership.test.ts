/**
 * One owner per piece of state (STYLE: "one owner per piece of state"): a sandbox's
 * lifecycle fields are written only by the sandbox book, a host's up/down and memory
 * only by Hosts, a partition's leadership only by the failover module. A static check
 * of the sources, so that a shortcut written elsewhere fails here before it breaks a
 * fault's semantics.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../../src/package-info.js";

const SRC = join(packageRoot(), "src");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

const ASSIGN = String.raw`\s*(=[^=]|\+\+|--|\+=|-=)`;
const RULES: { owner: string; what: RegExp }[] = [
  {
    owner: "model/sandbox-book.ts",
    what: new RegExp(
      String.raw`\b(sb|sandbox)\.(state|outstanding|running|inRouting|orphaned|destroyed|unreachable|pinned|keepUntilUs|idleSinceUs|lastUsedUs)${ASSIGN}`,
    ),
  },
  {
    owner: "model/hosts.ts",
    what: new RegExp(
      String.raw`\bhosts\.(alive|up|freeMb|busyCpu|slowdown|sandboxCount)\[[^\]]*\]!?${ASSIGN}`,
    ),
  },
  {
    owner: "model/balancer/failover.ts",
    what: new RegExp(
      String.raw`\bp\.(leader|lastLeader|leaderZone|term|quorum|lostLeaderAtUs|election)${ASSIGN}`,
    ),
  },
];

describe("state has one writer", () => {
  for (const { owner, what } of RULES) {
    it(`only ${owner} writes ${what.source.slice(0, 60)}…`, () => {
      const offenders: string[] = [];
      for (const file of sources(SRC)) {
        const rel = relative(SRC, file);
        // The conformance suites drive policies with sandboxes of their own, not the model's.
        if (rel === owner || rel.startsWith("policies/conformance/")) continue;
        readFileSync(file, "utf8")
          .split("\n")
          .forEach((line, i) => {
            if (what.test(line)) offenders.push(`${rel}:${i + 1}: ${line.trim()}`);
          });
      }
      expect(offenders).toEqual([]);
    });
  }

  it("the rules see a write where there is one", () => {
    expect(RULES[0]!.what.test("    sb.outstanding++;")).toBe(true);
    expect(RULES[1]!.what.test("hosts.alive[h] = 0;")).toBe(true);
    expect(RULES[2]!.what.test("p.leader = next;")).toBe(true);
    expect(RULES[0]!.what.test("if (sb.outstanding === 0)")).toBe(false);
  });
});
