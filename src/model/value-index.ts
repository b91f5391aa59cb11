/**
 * Hosts grouped by their free memory (in whole MB), with a max-tree over the values
 * that marks which are held, so "the host with the least free memory that still fits"
 * (best-fit) is one tree descent: O(log M) for M MB per host. Each value's hosts form an
 * intrusive doubly linked list in typed arrays (no per-value JavaScript arrays or maps,
 * which degraded to linear time on buckets of tens of thousands of hosts).
 */
import { MaxTree } from "./max-tree.js";

export class ValueIndex {
  private readonly tree: MaxTree;
  /** First host of each value's list, or -1. */
  private readonly head: Int32Array;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;

  /** Values 0..maxValue; hosts numbered 0..hosts-1. */
  constructor(maxValue: number, hosts: number) {
    const n = Math.floor(maxValue) + 1;
    this.tree = new MaxTree(n);
    this.head = new Int32Array(n).fill(-1);
    this.next = new Int32Array(hosts).fill(-1);
    this.prev = new Int32Array(hosts).fill(-1);
  }

  add(host: number, value: number): void {
    const v = Math.floor(value);
    const first = this.head[v]!;
    this.next[host] = first;
    this.prev[host] = -1;
    if (first >= 0) this.prev[first] = host;
    else this.tree.set(v, 0);
    this.head[v] = host;
  }

  remove(host: number, value: number): void {
    const v = Math.floor(value);
    const p = this.prev[host]!;
    const n = this.next[host]!;
    if (p >= 0) this.next[p] = n;
    else this.head[v] = n;
    if (n >= 0) this.prev[n] = p;
    if (this.head[v] === -1) this.tree.set(v, Number.NEGATIVE_INFINITY);
  }

  /** A host whose free memory is the least value >= mb, or -1. */
  leastAtLeast(mb: number): number {
    const v = this.tree.firstAtLeast(Math.ceil(mb), this.tree.n, 0);
    return v < 0 ? -1 : this.head[v]!;
  }
}
