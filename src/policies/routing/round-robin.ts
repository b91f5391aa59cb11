/**
 * `round-robin`: candidates on a ring with a cursor; each pick takes the cursor's
 * sandbox and advances. A sandbox that (re)joins is inserted just behind the cursor,
 * so it waits a full turn, as a newcomer to a rotation would.
 */
import type { SandboxView } from "../views.js";
import { SandboxList } from "./linked-list.js";
import type { RoutingIndex } from "./routing-policy.js";

class RoundRobinIndex implements RoutingIndex {
  private readonly ring = new SandboxList();
  private cursor: SandboxView | null = null;

  get size(): number {
    return this.ring.size;
  }
  add(sb: SandboxView): void {
    this.ring.insertBefore(sb, this.cursor);
    if (!this.cursor) this.cursor = sb;
  }
  remove(sb: SandboxView): void {
    if (this.cursor === sb)
      this.cursor = sb.next ?? (this.ring.head === sb ? null : this.ring.head);
    this.ring.remove(sb);
    if (this.ring.size === 0) this.cursor = null;
  }
  touched(_sb: SandboxView): void {}
  pick(): SandboxView | null {
    const sb = this.cursor;
    if (sb) this.cursor = sb.next ?? this.ring.head;
    return sb;
  }
}

export const roundRobin = (): RoutingIndex => new RoundRobinIndex();
