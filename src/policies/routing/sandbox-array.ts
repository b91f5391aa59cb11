import type { Sandbox } from "../../model/sandbox.js";

/** An array of sandboxes with O(1) add and remove (swap with the last), via `pos`. */
export class SandboxArray {
  readonly items: Sandbox[] = [];

  get size(): number {
    return this.items.length;
  }

  add(sb: Sandbox): void {
    sb.pos = this.items.length;
    this.items.push(sb);
  }

  remove(sb: Sandbox): void {
    const last = this.items.pop()!;
    if (last !== sb) {
      this.items[sb.pos] = last;
      last.pos = sb.pos;
    }
    sb.pos = -1;
  }
}
