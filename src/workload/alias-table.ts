/**
 * Walker's alias method (Vose's construction): after O(n) set-up, an index drawn with
 * probability proportional to its weight in O(1), from two uniforms: one picks a
 * column, the other keeps it or takes its alias. The superposed arrivals of a
 * population choose their function with it.
 */
import type { Rng } from "../kernel/dist-spec.js";

export class AliasTable {
  /**
   * Column i at 2i and 2i + 1: the probability of keeping it, then its alias. Side by
   * side, a draw reads one cache line (two arrays are two misses on a large population).
   */
  private readonly columns: Float64Array;
  readonly n: number;

  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    if (n === 0) throw new RangeError("alias table: no weights");
    let total = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i]!;
      if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`alias table: bad weight ${w}`);
      total += w;
    }
    if (!(total > 0)) throw new RangeError("alias table: the weights sum to 0");
    this.n = n;
    const columns = new Float64Array(2 * n);
    const set = (i: number, keep: number, alias: number): void => {
      columns[2 * i] = keep;
      columns[2 * i + 1] = alias;
    };
    // Scaled weights: mean 1. Columns under 1 (small) are topped up by one over 1 (large).
    const scaled = new Float64Array(n);
    const small = new Int32Array(n);
    const large = new Int32Array(n);
    let ns = 0;
    let nl = 0;
    for (let i = 0; i < n; i++) {
      scaled[i] = (weights[i]! * n) / total;
      if (scaled[i]! < 1) small[ns++] = i;
      else large[nl++] = i;
    }
    while (ns > 0 && nl > 0) {
      const s = small[--ns]!;
      const l = large[nl - 1]!;
      set(s, scaled[s]!, l);
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      if (scaled[l]! < 1) {
        nl--;
        small[ns++] = l;
      }
    }
    // What is left is 1 up to rounding: kept whole.
    while (nl > 0) {
      const l = large[--nl]!;
      set(l, 1, l);
    }
    while (ns > 0) {
      const s = small[--ns]!;
      set(s, 1, s);
    }
    this.columns = columns;
  }

  /** An index, drawn with probability weight / total. */
  draw(rng: Rng): number {
    const i = Math.floor(rng() * this.n);
    const c = this.columns;
    return rng() < c[2 * i]! ? i : c[2 * i + 1]! | 0; // an index: a small integer
  }
}
