/**
 * How the model applies an adaptive keep-alive (the `hybrid` histogram policy): what
 * it lets the policy observe, and what it does with the policy's windows.
 *
 * Idle times. A function *has work* while one of its sandboxes known to the balancer
 * has an outstanding request (busy, or initializing for its first request). Its work
 * *ends* when the leader releases its last outstanding request and no other sandbox of
 * it has work. Each attempt that reaches the leader (before routing) is observed:
 *   - if the function has work, idle time 0 (the attempt overlaps the previous ones: a
 *     burst, or a steady load, piles into the first bin, as in DSLab FaaS, which records
 *     max(0, arrival - end of the last execution));
 *   - else, if its work ended at time e since the last observed attempt, now - e;
 *   - else (its first attempt, or its work was lost with a host rather than ended)
 *     nothing.
 * Per function, like the paper's per-application histogram; O(1) per attempt.
 *
 * Windows. When a sandbox goes idle (its last request released at the leader, the
 * overflow queue drained) the policy's window for its function decides, from that
 * moment:
 *   - prewarm 0: the sandbox stays in the idle list until `keepUntil`, when its own
 *     expiry event reclaims it (the event is checked when it fires: the sandbox must
 *     still be idle with that deadline, so a sandbox used in between is left alone);
 *   - prewarm > 0: the sandbox is reclaimed now, and at `prewarm` a new one is created:
 *     placed by the placement policy like a cold start (its package loaded into the
 *     host's code cache; no hit or miss is counted, as no request waits), ready at once
 *     (warm, like `minSandboxes` at time 0: its initialisation is taken to be done ahead
 *     of the pre-warm time), holding idle memory, in the routing index and the idle list
 *     until `keepUntil`. The request that uses it is not a cold start. The pre-warm is
 *     skipped if the function is at `maxSandboxes`, no host has room, the placement
 *     picked a crashed host, or the partition's leader is down; it is cancelled if
 *     another attempt of the function reaches the leader first (that attempt was the
 *     one it anticipated: it came early and was served without it, and its sandbox
 *     will schedule its own pre-warm when it goes idle).
 * Provisioned (`minSandboxes`) sandboxes are never reclaimed; they still end the
 * function's work when they go idle.
 */
import type { AdaptiveKeepAlive } from "../policies/keepalive/keepalive-policy.js";
import type { ModelContext } from "./context.js";
import { Ev } from "./events.js";
import type { FunctionRuntime } from "./function-runtime.js";
import type { Sandbox } from "./sandbox.js";
import type { SandboxBook } from "./sandbox-book.js";

/** Creates a warm sandbox of `f` for a pre-warm, or returns null when it must be skipped. */
export type WarmProvisioner = (f: FunctionRuntime) => Sandbox | null;

export class AdaptiveKeepAliveModel {
  /** Sandboxes pre-warmed so far, and pre-warms skipped for want of room (warmup included). */
  prewarmed = 0;
  prewarmsSkipped = 0;

  constructor(
    private readonly ctx: ModelContext,
    private readonly fns: readonly FunctionRuntime[],
    private readonly book: SandboxBook,
    readonly policy: AdaptiveKeepAlive,
    private readonly provisionWarm: WarmProvisioner,
  ) {}

  /** An attempt of `f` reached the leader, before it is routed. */
  observeArrival(f: FunctionRuntime): void {
    if (f.busySandboxes > 0 || f.initializingSandboxes > 0) this.policy.observeIdleTime(f.index, 0);
    else if (f.workEndedUs >= 0)
      this.policy.observeIdleTime(f.index, this.ctx.sim.now - f.workEndedUs);
    f.workEndedUs = Number.NEGATIVE_INFINITY;
    const pending = f.pendingPrewarms;
    if (pending !== null && pending.length > 0) {
      for (const handle of pending) this.ctx.sim.cancel(handle);
      pending.length = 0;
    }
  }

  /** `sb` has nothing outstanding and the overflow queue is drained. */
  becomeIdle(sb: Sandbox, f: FunctionRuntime): void {
    const sim = this.ctx.sim;
    const now = sim.now;
    if (f.busySandboxes === 0 && f.initializingSandboxes === 0) f.workEndedUs = now;
    if (sb.pinned) return;
    const w = this.policy.window(f.index);
    if (w.keepUntilUs === 0 || w.prewarmUs > 0) this.book.remove(sb, "reclaimed");
    if (w.prewarmUs > 0) {
      f.pendingPrewarms ??= [];
      f.pendingPrewarms.push(sim.at(now + w.prewarmUs, Ev.Prewarm, f.index, now + w.keepUntilUs));
    } else if (w.keepUntilUs > 0) this.keepUntil(sb, f, now + w.keepUntilUs);
  }

  /** Lists `sb` as idle until `untilUs` (never reclaimed when that is Infinity). */
  private keepUntil(sb: Sandbox, f: FunctionRuntime, untilUs: number): void {
    if (untilUs === Number.POSITIVE_INFINITY) return;
    this.book.listIdle(sb, f, untilUs);
    this.ctx.sim.at(untilUs, Ev.KeepAliveExpire, sb.id, sb.serial);
  }

  onExpire(id: number, serial: number): void {
    const sb = this.book.find(id, serial);
    if (!sb || sb.orphaned) return;
    const f = this.fns[sb.fn]!;
    if (f.isIdleListed(sb) && sb.keepUntilUs <= this.ctx.sim.now) this.book.remove(sb, "reclaimed");
  }

  onPrewarm(fn: number, untilUs: number): void {
    const f = this.fns[fn]!;
    const sb = this.provisionWarm(f);
    if (!sb) {
      this.prewarmsSkipped++;
      return;
    }
    this.prewarmed++;
    this.keepUntil(sb, f, untilUs);
  }
}
