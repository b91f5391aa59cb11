/**
 * What the model tells its watchers (metrics, traces, invariant checks). The model
 * calls these as things happen; watchers read, never steer. Arguments are plain
 * numbers and the sandbox object, so a call allocates nothing.
 *
 * Logical requests and attempts are told apart: a logical request arrives once, then
 * has one or more attempts (a retry is a new attempt, with a new id) and ends once,
 * completed or failed; every attempt ends once too (the last one with its request).
 *
 * The optional call is for watchers that follow single attempts (the trace of
 * `run --trace`), which read the attempt's times from Requests: the model makes it on
 * every attempt, so a watcher that does not need it leaves it out.
 */
import { FAILURE_CAUSES } from "../scenario/schema-faults.js";
import type { FailureCause } from "../scenario/types.js";
import type { Sandbox } from "./sandbox.js";

export type { FailureCause };
export { FAILURE_CAUSES };
/** Failure causes by number, as the hot path passes them (index into FAILURE_CAUSES). */
export enum Cause {
  Throttled = 0,
  Capacity = 1,
  HostCrash = 2,
  Unreachable = 3,
  BalancerUnavailable = 4,
  Timeout = 5,
}

export interface ModelObserver {
  /** A new logical request arrived at a frontend; `req` is its first attempt. */
  arrived(req: number, fn: number, nowUs: number): void;
  /** Attempt `req` retries a logical request that first arrived at `arrivalUs`. */
  retried(req: number, fn: number, arrivalUs: number, nowUs: number): void;
  /**
   * An attempt started executing in `sb` after waiting `waitUs` since it arrived. `cold`:
   * it is the first request of a sandbox created for it; `cached`: that cold start found
   * the function's package in its host's code cache (a hit; false when warm). `cached`
   * comes last so that watchers that do not need it may leave it out.
   */
  started(
    req: number,
    arrivalUs: number,
    sb: Sandbox,
    waitUs: number,
    cold: boolean,
    nowUs: number,
    cached: boolean,
  ): void;
  /** An execution finished (or was cut short by a crash) after `executedUs`. */
  ended(req: number, sb: Sandbox, executedUs: number, wasted: boolean, nowUs: number): void;
  /** The logical request got its answer; latency is from its first arrival. */
  completed(req: number, fn: number, arrivalUs: number, nowUs: number): void;
  /** An attempt failed with `cause` (its request may still retry). */
  attemptFailed(req: number, fn: number, arrivalUs: number, cause: Cause, nowUs: number): void;
  /** The logical request failed: its last attempt failed with `cause`. */
  failed(req: number, fn: number, arrivalUs: number, cause: Cause, nowUs: number): void;
  sandboxCreated(sb: Sandbox, nowUs: number): void;
  /** A sandbox ended: reclaimed by keep-alive or by its host (orphan), or lost with its host. */
  sandboxEnded(sb: Sandbox, how: "reclaimed" | "lost", nowUs: number): void;
  /** The leader lost track of a sandbox in a failover. */
  sandboxOrphaned(sb: Sandbox, nowUs: number): void;
  /**
   * The gauges the model keeps (idle and orphaned memory, sandbox and host counts) are
   * about to change: a watcher that integrates them over time takes their values up to now.
   */
  gaugesWillChange(nowUs: number): void;
  /** A balancer leader took an operation after `queueUs` in its queue, busy `serviceUs`. */
  balancerOp(partition: number, queueUs: number, serviceUs: number, nowUs: number): void;
  /**
   * Both the client and the platform are done with attempt `req` (after its completion
   * or failure, or, for an attempt whose client gave up, once the platform lets it go):
   * its entry in Requests is recycled right after, so this is the last time to read it.
   */
  attemptDone?(req: number, nowUs: number): void;
}

/**
 * Passes every call to two watchers (the metrics and the invariant checks). The optional
 * calls are passed only when one of the two takes them; otherwise the pair leaves them
 * out too, so that the model's `obs.attemptDone?.(...)` costs a property read.
 */
export class ObserverPair implements ModelObserver {
  readonly attemptDone?: (req: number, nowUs: number) => void;

  constructor(
    private readonly a: ModelObserver,
    private readonly b: ModelObserver,
  ) {
    if (a.attemptDone || b.attemptDone)
      this.attemptDone = (req, nowUs) => {
        a.attemptDone?.(req, nowUs);
        b.attemptDone?.(req, nowUs);
      };
  }
  arrived(req: number, fn: number, nowUs: number): void {
    this.a.arrived(req, fn, nowUs);
    this.b.arrived(req, fn, nowUs);
  }
  retried(req: number, fn: number, arrivalUs: number, nowUs: number): void {
    this.a.retried(req, fn, arrivalUs, nowUs);
    this.b.retried(req, fn, arrivalUs, nowUs);
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
    this.a.started(req, arrivalUs, sb, waitUs, cold, nowUs, cached);
    this.b.started(req, arrivalUs, sb, waitUs, cold, nowUs, cached);
  }
  ended(req: number, sb: Sandbox, executedUs: number, wasted: boolean, nowUs: number): void {
    this.a.ended(req, sb, executedUs, wasted, nowUs);
    this.b.ended(req, sb, executedUs, wasted, nowUs);
  }
  completed(req: number, fn: number, arrivalUs: number, nowUs: number): void {
    this.a.completed(req, fn, arrivalUs, nowUs);
    this.b.completed(req, fn, arrivalUs, nowUs);
  }
  attemptFailed(req: number, fn: number, arrivalUs: number, cause: Cause, nowUs: number): void {
    this.a.attemptFailed(req, fn, arrivalUs, cause, nowUs);
    this.b.attemptFailed(req, fn, arrivalUs, cause, nowUs);
  }
  failed(req: number, fn: number, arrivalUs: number, cause: Cause, nowUs: number): void {
    this.a.failed(req, fn, arrivalUs, cause, nowUs);
    this.b.failed(req, fn, arrivalUs, cause, nowUs);
  }
  sandboxCreated(sb: Sandbox, nowUs: number): void {
    this.a.sandboxCreated(sb, nowUs);
    this.b.sandboxCreated(sb, nowUs);
  }
  sandboxEnded(sb: Sandbox, how: "reclaimed" | "lost", nowUs: number): void {
    this.a.sandboxEnded(sb, how, nowUs);
    this.b.sandboxEnded(sb, how, nowUs);
  }
  sandboxOrphaned(sb: Sandbox, nowUs: number): void {
    this.a.sandboxOrphaned(sb, nowUs);
    this.b.sandboxOrphaned(sb, nowUs);
  }
  gaugesWillChange(nowUs: number): void {
    this.a.gaugesWillChange(nowUs);
    this.b.gaugesWillChange(nowUs);
  }
  balancerOp(partition: number, queueUs: number, serviceUs: number, nowUs: number): void {
    this.a.balancerOp(partition, queueUs, serviceUs, nowUs);
    this.b.balancerOp(partition, queueUs, serviceUs, nowUs);
  }
}
