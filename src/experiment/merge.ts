/**
 * Merging shard results into one comparison. Shards must come from the same scenario,
 * version, seeds, variants and sweep; a run may appear only once (a shard merged twice
 * is refused). The merged result is assembled exactly as an unsharded one.
 *
 * A comparison records its scenario's name and hash, not the file or the `--set`s it
 * ran with: `scenarioHashFor` tells whether a file (with given `--set`s) is the one.
 */

import { loadScenario } from "../scenario/load.js";
import { assemble, CompareUsageError, type ComparisonMeta, scenarioHash } from "./compare.js";
import type { Comparison, RunRecord } from "./comparison.js";

const IDENTITY = [
  "version",
  "scenario",
  "scenarioHash",
  "baseSeed",
  "seeds",
  "plannedRuns",
] as const;

function describePlugins(c: Comparison): string {
  const list = c.plugins ?? [];
  if (list.length === 0) return "none";
  return list.map((p) => `${p.path} sha256 ${p.sha256.slice(0, 16)}`).join(", ");
}

export function merge(parts: readonly { file: string; comparison: Comparison }[]): Comparison {
  if (parts.length === 0) throw new CompareUsageError("merge: no result files given");
  const first = parts[0]!.comparison;
  const runs = new Map<number, RunRecord>();
  for (const { file, comparison } of parts) {
    if (comparison.kind !== "lbsim-comparison")
      throw new CompareUsageError(`${file}: not an lbsim comparison result`);
    // First: a module's file changing also changes the scenario's hash, and this says why.
    const modules = JSON.stringify(comparison.plugins ?? []);
    if (modules !== JSON.stringify(first.plugins ?? []))
      throw new CompareUsageError(
        `${file}: its policy modules (${describePlugins(comparison)}) differ from ${parts[0]!.file}'s (${describePlugins(first)}): results of different code cannot be merged`,
      );
    for (const key of IDENTITY) {
      if (comparison[key] !== first[key])
        throw new CompareUsageError(
          `${file}: ${key} is ${JSON.stringify(comparison[key])}, but ${parts[0]!.file} has ${JSON.stringify(first[key])}: results of different comparisons cannot be merged`,
        );
    }
    for (const run of comparison.runs) {
      if (runs.has(run.index))
        throw new CompareUsageError(
          `${file}: run ${run.index} is already in another file (a shard given twice?)`,
        );
      runs.set(run.index, run);
    }
  }
  const meta: ComparisonMeta = {
    kind: "lbsim-comparison",
    version: first.version,
    scenario: first.scenario,
    scenarioHash: first.scenarioHash,
    ...(first.plugins && first.plugins.length > 0 ? { plugins: first.plugins } : {}),
    baseSeed: first.baseSeed,
    seeds: first.seeds,
    variants: first.variants,
    sweep: first.sweep,
    metrics: first.metrics,
    plannedRuns: first.plannedRuns,
  };
  const truncated = parts.some((p) => p.comparison.truncated) || runs.size < first.plannedRuns;
  return assemble(meta, [...runs.values()], null, truncated);
}

/**
 * The scenarioHash `compare` would record for `file` with these `--set`s, at the
 * comparison's seed (a generated population depends on it), variants and sweep: equal
 * to the recorded one when `file` is the scenario the comparison ran.
 */
export function scenarioHashFor(
  file: string,
  sets: readonly string[],
  comparison: Pick<Comparison, "baseSeed" | "variants" | "sweep">,
): string {
  const base = loadScenario(file, { sets, seed: comparison.baseSeed });
  return scenarioHash(base, comparison.variants, comparison.sweep);
}
