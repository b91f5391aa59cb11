/**
 * `mru` and `lru`: candidates in a list ordered by last use (acquire or release moves a
 * sandbox to the tail). `mru` takes the most recently used — it packs work on few
 * sandboxes so that the others go idle long enough to expire (the default, as in
 * Lambda); `lru` takes the least recently used, spreading work evenly.
 */
import type { SandboxView } from "../views.js";
import { SandboxList } from "./linked-list.js";
import type { RoutingIndex } from "./routing-policy.js";

/** The index is the list itself: one object per function, not two, on the hot path. */
class RecencyIndex extends SandboxList implements RoutingIndex {
  constructor(private readonly mostRecent: boolean) {
    super();
  }

  add(sb: SandboxView): void {
    this.append(sb);
  }
  touched(sb: SandboxView): void {
    this.remove(sb);
    this.append(sb);
  }
  pick(): SandboxView | null {
    return this.mostRecent ? this.tail : this.head;
  }
}

export const mru = (): RoutingIndex => new RecencyIndex(true);
export const lru = (): RoutingIndex => new RecencyIndex(false);
