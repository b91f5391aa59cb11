/**
 * `least-outstanding` (join the shortest queue): candidates bucketed by outstanding
 * count, each bucket a list; pick takes the longest-waiting member of the lowest
 * non-empty bucket. Counts change by one at a time, so keeping the minimum is O(1)
 * amortised.
 */
import type { Sandbox } from "../../model/sandbox.js";
import { SandboxList } from "./linked-list.js";
import type { RoutingIndex } from "./routing-policy.js";

class LeastOutstandingIndex implements RoutingIndex {
  private readonly buckets: SandboxList[] = [];
  private min = 0;
  size = 0;

  add(sb: Sandbox): void {
    this.insert(sb);
    this.size++;
  }
  remove(sb: Sandbox): void {
    this.bucketOf(sb.bucket).remove(sb);
    sb.bucket = -1;
    this.size--;
  }
  touched(sb: Sandbox): void {
    this.bucketOf(sb.bucket).remove(sb);
    this.insert(sb);
  }
  pick(): Sandbox | null {
    if (this.size === 0) return null;
    while (this.bucketOf(this.min).size === 0) this.min++;
    return this.bucketOf(this.min).head;
  }

  private insert(sb: Sandbox): void {
    sb.bucket = sb.outstanding;
    this.bucketOf(sb.bucket).append(sb);
    if (sb.bucket < this.min) this.min = sb.bucket;
  }

  private bucketOf(n: number): SandboxList {
    while (this.buckets.length <= n) this.buckets.push(new SandboxList());
    return this.buckets[n]!;
  }
}

export const leastOutstanding = (): RoutingIndex => new LeastOutstandingIndex();
