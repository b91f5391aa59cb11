import type { SandboxView } from "../views.js";

/** An intrusive doubly linked list of sandboxes through their prev/next fields. */
export class SandboxList {
  head: SandboxView | null = null;
  tail: SandboxView | null = null;
  size = 0;

  append(sb: SandboxView): void {
    sb.prev = this.tail;
    sb.next = null;
    if (this.tail) this.tail.next = sb;
    else this.head = sb;
    this.tail = sb;
    this.size++;
  }

  /** Inserts `sb` just before `at` (or appends when `at` is null). */
  insertBefore(sb: SandboxView, at: SandboxView | null): void {
    if (!at) {
      this.append(sb);
      return;
    }
    sb.next = at;
    sb.prev = at.prev;
    if (at.prev) at.prev.next = sb;
    else this.head = sb;
    at.prev = sb;
    this.size++;
  }

  remove(sb: SandboxView): void {
    if (sb.prev) sb.prev.next = sb.next;
    else this.head = sb.next;
    if (sb.next) sb.next.prev = sb.prev;
    else this.tail = sb.prev;
    sb.prev = null;
    sb.next = null;
    this.size--;
  }
}
