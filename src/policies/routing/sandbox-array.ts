import type { SandboxView } from "../views.js";

/** An array of sandboxes with O(1) add and remove (swap with the last), via `pos`. */
export class SandboxArray {
  readonly items: SandboxView[] = [];

  get size(): number {
    return this.items.length;
  }

  add(sb: SandboxView): void {
    sb.pos = this.items.length;
    this.items.push(sb);
  }

  remove(sb: SandboxView): void {
    const last = this.items.pop()!;
    if (last !== sb) {
      this.items[sb.pos] = last;
      last.pos = sb.pos;
    }
    sb.pos = -1;
  }
}
