/**
 * `mru` and `lru`: candidates in a list ordered by last use (acquire or release moves a
 * sandbox to the tail). `mru` takes the most recently used — it packs work on few
 * sandboxes so that the others go idle long enough to expire (the default, as in
 * Lambda); `lru` takes the least recently used, spreading work evenly.
 */
import type { SandboxView } from "../views.js";
import { SandboxList } from "./linked-list.js";
import type { RoutingIndex } from "./routing-policy.js";

class RecencyIndex implements RoutingIndex {
  private readonly list = new SandboxList();
  constructor(private readonly mostRecent: boolean) {}

  get size(): number {
    return this.list.size;
  }
  add(sb: SandboxView): void {
    this.list.append(sb);
  }
  remove(sb: SandboxView): void {
    this.list.remove(sb);
  }
  touched(sb: SandboxView): void {
    this.list.remove(sb);
    this.list.append(sb);
  }
  pick(): SandboxView | null {
    return this.mostRecent ? this.list.tail : this.list.head;
  }
}

export const mru = (): RoutingIndex => new RecencyIndex(true);
export const lru = (): RoutingIndex => new RecencyIndex(false);
