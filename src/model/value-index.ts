/**
 * Hosts grouped by their free memory (in whole MB), with a max-tree over the values
 * that marks which are held, so "the host with the least free memory that still fits"
 * (best-fit) is one tree descent: O(log M) for M MB per host.
 */
import { MaxTree } from "./max-tree.js";

export class ValueIndex {
  private readonly tree: MaxTree;
  private readonly members: number[][];
  private readonly pos: Map<number, number> = new Map();

  constructor(maxValue: number) {
    const n = Math.floor(maxValue) + 1;
    this.tree = new MaxTree(n);
    this.members = Array.from({ length: n }, () => []);
  }

  add(host: number, value: number): void {
    const v = Math.floor(value);
    const m = this.members[v]!;
    this.pos.set(host, m.length);
    m.push(host);
    if (m.length === 1) this.tree.set(v, 0);
  }

  remove(host: number, value: number): void {
    const v = Math.floor(value);
    const m = this.members[v]!;
    const at = this.pos.get(host)!;
    const last = m.pop()!;
    if (last !== host) {
      m[at] = last;
      this.pos.set(last, at);
    }
    this.pos.delete(host);
    if (m.length === 0) this.tree.set(v, Number.NEGATIVE_INFINITY);
  }

  /** A host whose free memory is the least value >= mb, or -1. */
  leastAtLeast(mb: number): number {
    const v = this.tree.firstAtLeast(Math.ceil(mb), this.tree.n, 0);
    return v < 0 ? -1 : this.members[v]![0]!;
  }
}
