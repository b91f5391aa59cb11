/**
 * `least-outstanding` (join the shortest queue): candidates bucketed by outstanding
 * count, each bucket a list; pick takes the longest-waiting member of the lowest
 * non-empty bucket. Counts change by one at a time, so keeping the minimum is O(1)
 * amortised.
 */
import type { SandboxView } from "../views.js";
import { SandboxList } from "./linked-list.js";
import type { RoutingIndex } from "./routing-policy.js";

class LeastOutstandingIndex implements RoutingIndex {
  private readonly buckets: SandboxList[] = [];
  private min = 0;
  size = 0;

  add(sb: SandboxView): void {
    this.insert(sb);
    this.size++;
  }
  remove(sb: SandboxView): void {
    this.bucketOf(sb.bucket).remove(sb);
    sb.bucket = -1;
    this.size--;
  }
  touched(sb: SandboxView): void {
    this.bucketOf(sb.bucket).remove(sb);
    this.insert(sb);
  }
  pick(): SandboxView | null {
    if (this.size === 0) return null;
    while (this.bucketOf(this.min).size === 0) this.min++;
    return this.bucketOf(this.min).head;
  }

  private insert(sb: SandboxView): void {
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
