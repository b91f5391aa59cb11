/**
 * The read-only view of one sandbox that routing indexes hold (src/policies/views.ts).
 * Each sandbox has one, made with it, so the hot path allocates nothing. The sandbox is
 * in a private field (`#`): only this module can get back from a view to the sandbox
 * (`sandboxOf`, for the model), and the model's fields have getters only.
 */
import type { SandboxStateName, SandboxView } from "../policies/views.js";
import type { Sandbox } from "./sandbox.js";

/** By SandboxState's numbers (sandbox.ts): Initializing, Ready, Gone. */
const STATE_NAMES: readonly SandboxStateName[] = ["initializing", "ready", "gone"];

let unwrap: (view: SandboxView) => Sandbox;
let isHandle: (view: unknown) => boolean;

export class SandboxHandle implements SandboxView {
  readonly #sb: Sandbox;
  prev: SandboxView | null = null;
  next: SandboxView | null = null;
  pos = -1;
  bucket = -1;

  static {
    unwrap = (view) => (view as SandboxHandle).#sb;
    isHandle = (view) => typeof view === "object" && view !== null && #sb in view;
  }

  constructor(sb: Sandbox) {
    this.#sb = sb;
  }

  get id(): number {
    return this.#sb.id;
  }
  get fn(): number {
    return this.#sb.fn;
  }
  get host(): number {
    return this.#sb.host;
  }
  get state(): SandboxStateName {
    return STATE_NAMES[this.#sb.state]!;
  }
  get outstanding(): number {
    return this.#sb.outstanding;
  }
  get running(): number {
    return this.#sb.running;
  }
  get memoryMb(): number {
    return this.#sb.memoryMb;
  }
  get createdUs(): number {
    return this.#sb.createdUs;
  }
  get lastUsedUs(): number {
    return this.#sb.lastUsedUs;
  }
}
Object.freeze(SandboxHandle.prototype);

/** The sandbox behind a view the model handed out (the caller knows it is one). */
export const sandboxOf = (view: SandboxView): Sandbox => unwrap(view);

/** The sandbox behind `value` if it is a sandbox view, else undefined (for checking plugins). */
export function sandboxOfUnknown(value: unknown): Sandbox | undefined {
  return isHandle(value) ? unwrap(value as SandboxView) : undefined;
}
