/**
 * The model's events for a library user's own watchers (`simulate(..., { observers })`):
 * the model's observer interface (src/model/observer.ts) with read-only sandbox views
 * in place of the model's sandboxes and failure causes by name. Every method is
 * optional; a watcher that throws stops the run (its error is the run's error).
 */
import { type Cause, FAILURE_CAUSES, type ModelObserver } from "../model/observer.js";
import type { Sandbox } from "../model/sandbox.js";
import type { SandboxView } from "../policies/views.js";
import type { FailureCause } from "../scenario/types.js";

/**
 * What a watcher may hear. `req` is an attempt's id (ids are reused once an attempt
 * ends), `fn` a function's index in the scenario's functions, times are simulated
 * microseconds. Calls come in simulated-time order; they must not be used to steer.
 */
export interface SimulationObserver {
  /** A new logical request arrived at a frontend; `req` is its first attempt. */
  arrived?(req: number, fn: number, nowUs: number): void;
  /** Attempt `req` retries a logical request that first arrived at `arrivalUs`. */
  retried?(req: number, fn: number, arrivalUs: number, nowUs: number): void;
  /** An attempt started executing in `sandbox` after waiting `waitUs`; `cold`: a new sandbox's first. */
  started?(
    req: number,
    arrivalUs: number,
    sandbox: SandboxView,
    waitUs: number,
    cold: boolean,
    nowUs: number,
    cached: boolean,
  ): void;
  /** An execution finished (or, `wasted`, was cut short by a crash) after `executedUs`. */
  ended?(
    req: number,
    sandbox: SandboxView,
    executedUs: number,
    wasted: boolean,
    nowUs: number,
  ): void;
  /** The logical request got its answer; latency is `nowUs - arrivalUs`. */
  completed?(req: number, fn: number, arrivalUs: number, nowUs: number): void;
  /** An attempt failed (its request may still retry). */
  attemptFailed?(
    req: number,
    fn: number,
    arrivalUs: number,
    cause: FailureCause,
    nowUs: number,
  ): void;
  /** The logical request failed: its last attempt failed with `cause`. */
  failed?(req: number, fn: number, arrivalUs: number, cause: FailureCause, nowUs: number): void;
  sandboxCreated?(sandbox: SandboxView, nowUs: number): void;
  /** Reclaimed by keep-alive or by its host (orphan), or lost with its host. */
  sandboxEnded?(sandbox: SandboxView, how: "reclaimed" | "lost", nowUs: number): void;
  /** The leader lost track of a sandbox in a failover. */
  sandboxOrphaned?(sandbox: SandboxView, nowUs: number): void;
  /** A balancer leader took an operation after `queueUs` in its queue, busy `serviceUs`. */
  balancerOp?(partition: number, queueUs: number, serviceUs: number, nowUs: number): void;
}

const causeName = (c: Cause): FailureCause => FAILURE_CAUSES[c]!;

/** Forwards the model's events to the user's watchers, in the order given. */
export class ObserverFanOut implements ModelObserver {
  constructor(private readonly list: readonly SimulationObserver[]) {}

  arrived(req: number, fn: number, nowUs: number): void {
    for (const o of this.list) o.arrived?.(req, fn, nowUs);
  }
  retried(req: number, fn: number, arrivalUs: number, nowUs: number): void {
    for (const o of this.list) o.retried?.(req, fn, arrivalUs, nowUs);
  }
  started(
    req: number,
    arrivalUs: number,
    sb: Sandbox,
    waitUs: number,
    cold: boolean,
    nowUs: number,
    cached: boolean,
  ): void {
    for (const o of this.list) o.started?.(req, arrivalUs, sb.view, waitUs, cold, nowUs, cached);
  }
  ended(req: number, sb: Sandbox, executedUs: number, wasted: boolean, nowUs: number): void {
    for (const o of this.list) o.ended?.(req, sb.view, executedUs, wasted, nowUs);
  }
  completed(req: number, fn: number, arrivalUs: number, nowUs: number): void {
    for (const o of this.list) o.completed?.(req, fn, arrivalUs, nowUs);
  }
  attemptFailed(req: number, fn: number, arrivalUs: number, cause: Cause, nowUs: number): void {
    for (const o of this.list) o.attemptFailed?.(req, fn, arrivalUs, causeName(cause), nowUs);
  }
  failed(req: number, fn: number, arrivalUs: number, cause: Cause, nowUs: number): void {
    for (const o of this.list) o.failed?.(req, fn, arrivalUs, causeName(cause), nowUs);
  }
  sandboxCreated(sb: Sandbox, nowUs: number): void {
    for (const o of this.list) o.sandboxCreated?.(sb.view, nowUs);
  }
  sandboxEnded(sb: Sandbox, how: "reclaimed" | "lost", nowUs: number): void {
    for (const o of this.list) o.sandboxEnded?.(sb.view, how, nowUs);
  }
  sandboxOrphaned(sb: Sandbox, nowUs: number): void {
    for (const o of this.list) o.sandboxOrphaned?.(sb.view, nowUs);
  }
  gaugesWillChange(_nowUs: number): void {}
  balancerOp(partition: number, queueUs: number, serviceUs: number, nowUs: number): void {
    for (const o of this.list) o.balancerOp?.(partition, queueUs, serviceUs, nowUs);
  }
}
