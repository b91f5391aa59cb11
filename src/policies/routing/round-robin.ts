/**
 * `round-robin`: candidates on a ring with a cursor; each pick takes the cursor's
 * sandbox and advances. A sandbox that (re)joins is inserted just behind the cursor,
 * so it waits a full turn, as a newcomer to a rotation would.
 */
import type { Sandbox } from "../../model/sandbox.js";
import { SandboxList } from "./linked-list.js";
import type { RoutingIndex } from "./routing-policy.js";

class RoundRobinIndex implements RoutingIndex {
  private readonly ring = new SandboxList();
  private cursor: Sandbox | null = null;

  get size(): number {
    return this.ring.size;
  }
  add(sb: Sandbox): void {
    this.ring.insertBefore(sb, this.cursor);
    if (!this.cursor) this.cursor = sb;
  }
  remove(sb: Sandbox): void {
    if (this.cursor === sb)
      this.cursor = sb.next ?? (this.ring.head === sb ? null : this.ring.head);
    this.ring.remove(sb);
    if (this.ring.size === 0) this.cursor = null;
  }
  touched(_sb: Sandbox): void {}
  pick(): Sandbox | null {
    const sb = this.cursor;
    if (sb) this.cursor = sb.next ?? this.ring.head;
    return sb;
  }
}

export const roundRobin = (): RoutingIndex => new RoundRobinIndex();
