/**
 * The run list of a comparison: every sweep point x every variant x every seed, in that
 * order, each with a stable index. Seeds are shared across variants and points (common
 * random numbers): seed k of every variant sees the same workload. A shard is the runs
 * whose index is congruent to it, so shards are balanced and deterministic.
 */
export interface RunSpec {
  readonly index: number;
  /** A variant name, or null for the scenario as written (when it has no variants). */
  readonly variant: string | null;
  /** Sweep point number, or -1 without a sweep. */
  readonly point: number;
  readonly sweepValue: unknown;
  readonly seed: number;
}

export interface PlanInput {
  readonly variants: readonly (string | null)[];
  readonly sweep: { readonly param: string; readonly values: readonly unknown[] } | null;
  readonly baseSeed: number;
  readonly seeds: number;
}

export function planRuns(input: PlanInput): RunSpec[] {
  const runs: RunSpec[] = [];
  const points = input.sweep
    ? input.sweep.values.map((v, i) => [i, v] as const)
    : [[-1, null] as const];
  for (const [point, sweepValue] of points)
    for (const variant of input.variants)
      for (let k = 0; k < input.seeds; k++)
        runs.push({ index: runs.length, variant, point, sweepValue, seed: input.baseSeed + k });
  return runs;
}

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

/** Parses `I/N` (1 <= I <= N); null when malformed. */
export function parseShard(text: string): Shard | null {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (!m) return null;
  const index = Number(m[1]);
  const count = Number(m[2]);
  return count >= 1 && index >= 1 && index <= count ? { index, count } : null;
}

export function inShard(run: RunSpec, shard: Shard | null): boolean {
  return shard === null || run.index % shard.count === shard.index - 1;
}
