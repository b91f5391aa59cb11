/**
 * Choosing which functions of a trace to replay (`topFunctions`: the N busiest in the
 * window, ties to the earlier in the file; `sampleFunctions`: N drawn uniformly without
 * replacement from a seeded stream) and naming them.
 */
import { createStream } from "../../kernel/random.js";

export type Selection =
  | { readonly kind: "all" }
  | { readonly kind: "top"; readonly count: number }
  | { readonly kind: "sample"; readonly count: number; readonly seed: number };

/** Indexes into `invocations` of the functions kept, in their original order. */
export function selectFunctions(invocations: readonly number[], selection: Selection): number[] {
  const all = invocations.map((_, i) => i);
  if (selection.kind === "all" || selection.count >= all.length) return all;
  if (selection.kind === "top") {
    const byCount = [...all].sort((a, b) => invocations[b]! - invocations[a]! || a - b);
    return byCount.slice(0, selection.count).sort((a, b) => a - b);
  }
  // A partial Fisher-Yates shuffle: the first `count` places are a uniform sample.
  const rng = createStream(selection.seed, "trace/sample");
  const order = [...all];
  for (let i = 0; i < selection.count; i++) {
    const j = i + Math.floor(rng() * (order.length - i));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order.slice(0, selection.count).sort((a, b) => a - b);
}

/**
 * Short unique names from long hashes: the first 12 characters; where two functions
 * share them, the whole hash; where even that repeats (one hash in two apps), a `#n`
 * suffix in file order.
 */
export function uniqueNames(hashes: readonly string[], prefix = 12): string[] {
  const short = hashes.map((h) => clean(h).slice(0, prefix) || "fn");
  const shortCount = countOf(short);
  const names = hashes.map((h, i) =>
    shortCount.get(short[i]!)! > 1 ? clean(h) || "fn" : short[i]!,
  );
  const seen = new Map<string, number>();
  const total = countOf(names);
  return names.map((name) => {
    if (total.get(name)! === 1) return name;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return `${name}#${n}`;
  });
}

/** Whitespace would break the compact format's fields. */
function clean(name: string): string {
  return name.replace(/\s+/g, "_");
}

function countOf(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}
