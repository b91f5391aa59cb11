/**
 * Expands a `population` into functions: a long tail with Zipf popularity and memory
 * sizes drawn from weights. The draws use their own stream (`${seed}/population`) so
 * that nothing else in a run shifts them.
 */
import seedrandom from "seedrandom";
import type { ScenarioOutput } from "./schema.js";
import type { ArrivalSpec, ResolvedFunction } from "./types.js";

type Population = NonNullable<ScenarioOutput["population"]>;

/** Lambda gives a sandbox one vCPU per 1769 MB of memory. */
export const MB_PER_VCPU = 1769;

export function populationName(index: number, count: number): string {
  const width = Math.max(3, String(count).length);
  return `fn-${String(index + 1).padStart(width, "0")}`;
}

export function expandPopulation(p: Population, seed: number, scale: number): ResolvedFunction[] {
  const rates = zipfRates(p.count, p.popularity.zipf, p.totalRate * scale);
  const drawMemory = memoryDrawer(p.memoryMb, seed);
  return rates.map((rate, i) => {
    const memoryMb = drawMemory();
    const arrivals: ArrivalSpec = { process: p.process, rate };
    return {
      name: populationName(i, p.count),
      memoryMb,
      codeMb: memoryMb / 4,
      cpu: memoryMb / MB_PER_VCPU,
      duration: p.duration,
      coldStartCached: p.coldStart.cached,
      coldStartUncached: p.coldStart.uncached,
      arrivals,
      maxSandboxes: p.maxSandboxes,
      minSandboxes: 0,
      slots: p.slots,
      queue: p.queue,
    };
  });
}

/** rate_i ∝ 1 / i^s for i = 1..count, summing to `total`. */
export function zipfRates(count: number, s: number, total: number): number[] {
  const weights = Array.from({ length: count }, (_, i) => 1 / (i + 1) ** s);
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => (total * w) / sum);
}

function memoryDrawer(memory: Population["memoryMb"], seed: number): () => number {
  if (typeof memory === "number") return () => memory;
  const { values } = memory;
  const weights = memory.weights ?? values.map(() => 1);
  const cumulative: number[] = [];
  let total = 0;
  for (const w of weights) {
    total += w;
    cumulative.push(total);
  }
  const rng = seedrandom(`${seed}/population`);
  return () => {
    const u = rng() * total;
    const index = cumulative.findIndex((c) => u < c);
    return values[index === -1 ? values.length - 1 : index] ?? values[0] ?? 0;
  };
}
