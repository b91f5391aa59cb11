/**
 * A segment tree of maxima over n leaves with point updates, answering in O(log n):
 * the maximum of a range, where it is, and the first or last leaf of a range whose
 * value reaches a threshold. Hosts' free memory lives in one; "first host with room"
 * is then a tree descent, not a scan.
 */
export class MaxTree {
  private readonly size: number;
  private readonly tree: Float64Array;

  constructor(
    readonly n: number,
    initial = Number.NEGATIVE_INFINITY,
  ) {
    let size = 1;
    while (size < Math.max(1, n)) size *= 2;
    this.size = size;
    this.tree = new Float64Array(2 * size).fill(Number.NEGATIVE_INFINITY);
    for (let i = 0; i < n; i++) this.tree[size + i] = initial;
    for (let i = size - 1; i >= 1; i--) this.pull(i);
  }

  get(i: number): number {
    return this.tree[this.size + i]!;
  }

  set(i: number, value: number): void {
    const tree = this.tree;
    let k = this.size + i;
    tree[k] = value;
    // Up to the first ancestor whose maximum stays: above it nothing changes. A reserve
    // or release on one of 100,000 hosts mostly stops within a level or two of the leaf.
    for (k >>= 1; k >= 1; k >>= 1) {
      const m = Math.max(tree[2 * k]!, tree[2 * k + 1]!);
      if (tree[k] === m) return;
      tree[k] = m;
    }
  }

  /** Maximum over [lo, hi). */
  max(lo: number, hi: number): number {
    let best = Number.NEGATIVE_INFINITY;
    let l = lo + this.size;
    let r = hi + this.size;
    while (l < r) {
      if (l & 1) best = Math.max(best, this.tree[l++]!);
      if (r & 1) best = Math.max(best, this.tree[--r]!);
      l >>= 1;
      r >>= 1;
    }
    return best;
  }

  /** First leaf in [lo, hi) with value >= x, or -1. */
  firstAtLeast(lo: number, hi: number, x: number): number {
    return this.descend(1, 0, this.size, lo, hi, x, true);
  }

  /** Last leaf in [lo, hi) with value >= x, or -1. */
  lastAtLeast(lo: number, hi: number, x: number): number {
    return this.descend(1, 0, this.size, lo, hi, x, false);
  }

  /** The leaf holding the maximum of [lo, hi) (the first such), or -1 if the range is empty. */
  argMax(lo: number, hi: number): number {
    if (lo >= hi) return -1;
    return this.firstAtLeast(lo, hi, this.max(lo, hi));
  }

  private descend(
    k: number,
    nodeLo: number,
    nodeHi: number,
    lo: number,
    hi: number,
    x: number,
    leftFirst: boolean,
  ): number {
    if (nodeHi <= lo || hi <= nodeLo || this.tree[k]! < x) return -1;
    if (nodeHi - nodeLo === 1) return nodeLo;
    const mid = (nodeLo + nodeHi) >> 1;
    if (leftFirst) {
      const left = this.descend(2 * k, nodeLo, mid, lo, hi, x, true);
      return left >= 0 ? left : this.descend(2 * k + 1, mid, nodeHi, lo, hi, x, true);
    }
    const right = this.descend(2 * k + 1, mid, nodeHi, lo, hi, x, false);
    return right >= 0 ? right : this.descend(2 * k, nodeLo, mid, lo, hi, x, false);
  }

  private pull(k: number): void {
    const a = this.tree[2 * k]!;
    const b = this.tree[2 * k + 1]!;
    this.tree[k] = Math.max(a, b);
  }
}
