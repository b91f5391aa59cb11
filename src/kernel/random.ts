/**
 * Named random streams derived from one root seed (SPEC 6), and a seeded string hash.
 *
 * Every consumer draws from its own stream, named after what it drives
 * (`arrivals/checkout`, `durations/checkout`, `placement`...). A stream depends only on
 * (seed, name), so adding a host or switching a policy never shifts the draws of
 * another stream: variants compared on one seed see the same workload (common random
 * numbers).
 */
import seedrandom from "seedrandom";
import type { Rng } from "./dist-spec.js";

/*
 * Generator: seedrandom's xor4096 (Brent's xorgens, period 2^4096 - 2^32, passes
 * TestU01 BigCrush). Measured on Node 20, one core of the build machine, median of 7
 * runs of 30M draws through `rng()`, and the cost of creating a stream:
 *
 *   generator   ns/draw  draws/s    us/create  heap/stream
 *   xor4096       6.2    160 M        3.2      1.5 KB
 *   alea          7.7    130 M        1.1      0.45 KB
 *   xorshift7     7.6    130 M        1.6      0.55 KB
 *   xor128        3.7    270 M        0.7      0.39 KB   fails BigCrush (linearity)
 *   tychei        4.0    250 M        0.4      0.39 KB   seedrandom's version departs
 *                                                        from published Tyche-i (rotates
 *                                                        `c` into `d`), so untested
 *   ARC4 default  54       19 M        6        3.3 KB
 *
 * xor4096 is the fastest generator here with a clean BigCrush record. Its cost is
 * state: ~1.5 KB per stream, ~45 MB for 30,000 streams (10,000 functions with three
 * streams each), bounded by the number of functions, not requests. If that ever
 * matters, `alea` is the drop-in alternative (change GENERATOR; every golden output
 * changes with it). All these return 32 bits of resolution: u is a multiple of 2^-32
 * in [0, 1), so 1 - u is never 0 and -log(1 - u) is at most ~22.2.
 */
const GENERATOR = seedrandom.xor4096;

/**
 * One root seed, many named streams. `get` caches: one stream per name, so two callers
 * that ask for the same name share (and advance) one sequence. Components that need
 * independent sequences must use distinct names; a fresh copy would silently replay
 * draws another component already used.
 */
export class Streams {
  readonly seed: number;
  private readonly cache = new Map<string, Rng>();

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) {
      throw new RangeError(`seed must be a safe integer, got ${seed}`);
    }
    this.seed = seed;
  }

  /** The stream for `name`, created on first use from (seed, name). */
  get(name: string): Rng {
    let rng = this.cache.get(name);
    if (rng === undefined) {
      rng = createStream(this.seed, name);
      this.cache.set(name, rng);
    }
    return rng;
  }
}

/**
 * A fresh stream for (seed, name), not cached. The key is `${seed}/${name}`: a decimal
 * integer never contains "/", so distinct (seed, name) pairs give distinct keys.
 * xor4096 mixes every character of a string seed into its 4096-bit state and discards
 * 512 outputs, so names that differ in one character give unrelated sequences.
 */
export function createStream(seed: number, name: string): Rng {
  return GENERATOR(`${seed}/${name}`);
}

/*
 * The small generator: seedrandom's alea (Baagøe; passes BigCrush, 32 bits per draw
 * like xor4096), for the streams a population has per function. A population can hold
 * a million functions: xor4096's 1.5 KB of state each would be 1.5 GB, alea's is a few
 * words (0.45 KB with its closures, created 3 times faster). Explicit functions keep
 * xor4096: their figures are the golden ones.
 */
const SMALL_GENERATOR = seedrandom.alea;

/**
 * A fresh small-state stream for (seed, name), not cached: for the per-function
 * streams of a population, each with exactly one owner that makes it on first use.
 * Same key as createStream (`${seed}/${name}`), another generator.
 */
export function createSmallStream(seed: number, name: string): Rng {
  return SMALL_GENERATOR(`${seed}/${name}`);
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** murmur3's 32-bit finaliser: every input bit flips each output bit with p ~ 1/2. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A seeded, stable 32-bit hash (unsigned) of a string: FNV-1a over the UTF-16 code
 * units, started from a state mixed from the seed, then murmur3's finaliser. FNV-1a
 * alone diffuses only upward (multiplication carries left), which leaves the low bits
 * of similar names (`fn-1`, `fn-2`) correlated; the finaliser fixes that, so both
 * `h % k` and the top bits spread evenly. Used to map function names to balancer
 * partitions and onto hash rings. Part of the output format: changing it moves every
 * function to another partition.
 */
export function hashString(seed: number, s: string): number {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 0x100000000) >>> 0;
  let h = fmix32(lo ^ fmix32(hi ^ FNV_OFFSET)) ^ FNV_OFFSET;
  for (let i = 0; i < s.length; i++) {
    h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  }
  return fmix32(h);
}
