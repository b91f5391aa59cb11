/** `random`: a candidate chosen uniformly. */
import type { SandboxView } from "../views.js";
import type { RoutingIndex, RoutingOptions } from "./routing-policy.js";
import { SandboxArray } from "./sandbox-array.js";

export class RandomIndex implements RoutingIndex {
  protected readonly members = new SandboxArray();
  constructor(protected readonly options: RoutingOptions) {}

  get size(): number {
    return this.members.size;
  }
  add(sb: SandboxView): void {
    this.members.add(sb);
  }
  remove(sb: SandboxView): void {
    this.members.remove(sb);
  }
  touched(_sb: SandboxView): void {}
  pick(): SandboxView | null {
    const n = this.members.size;
    if (n === 0) return null;
    return this.members.items[Math.floor(this.options.rng() * n)]!;
  }
}

export const random = (options: RoutingOptions): RoutingIndex => new RandomIndex(options);
