/**
 * Walker's alias method (Vose's construction): after O(n) set-up, an index drawn with
 * probability proportional to its weight in O(1), from two uniforms: one picks a
 * column, the other keeps it or takes its alias. The superposed arrivals of a
 * population choose their function with it.
 */
import type { Rng } from "../kernel/dist-spec.js";

export class AliasTable {
  /** Probability of keeping column i (else alias[i]). */
  private readonly keep: Float64Array;
  private readonly alias: Int32Array;
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
    this.keep = new Float64Array(n);
    this.alias = new Int32Array(n);
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
      this.keep[s] = scaled[s]!;
      this.alias[s] = l;
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      if (scaled[l]! < 1) {
        nl--;
        small[ns++] = l;
      }
    }
    // What is left is 1 up to rounding: kept whole.
    while (nl > 0) {
      const l = large[--nl]!;
      this.keep[l] = 1;
      this.alias[l] = l;
    }
    while (ns > 0) {
      const s = small[--ns]!;
      this.keep[s] = 1;
      this.alias[s] = s;
    }
  }

  /** An index, drawn with probability weight / total. */
  draw(rng: Rng): number {
    const i = Math.floor(rng() * this.n);
    return rng() < this.keep[i]! ? i : this.alias[i]!;
  }
}
