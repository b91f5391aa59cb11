/**
 * What the model tells its watchers (metrics, traces, invariant checks). The model
 * calls these as things happen; watchers read, never steer. Arguments are plain
 * numbers and the sandbox object, so a call allocates nothing.
 */
import type { Sandbox } from "./sandbox.js";

export const FAILURE_CAUSES = [
  "throttled",
  "capacity",
  "host-crash",
  "unreachable",
  "balancer-unavailable",
  "timeout",
] as const;
export type FailureCause = (typeof FAILURE_CAUSES)[number];
/** Failure causes by number, as the hot path passes them. */
export enum Cause {
  Throttled = 0,
  Capacity = 1,
  HostCrash = 2,
  Unreachable = 3,
  BalancerUnavailable = 4,
  Timeout = 5,
}

export interface ModelObserver {
  /** A new logical request (its first attempt) arrived at a frontend. */
  arrived(req: number, fn: number, nowUs: number): void;
  /** An attempt started executing in `sb` after waiting `waitUs` since its arrival. */
  started(
    req: number,
    arrivalUs: number,
    sb: Sandbox,
    waitUs: number,
    cold: boolean,
    nowUs: number,
  ): void;
  /** An execution finished on its host. */
  ended(req: number, sb: Sandbox, nowUs: number): void;
  /** The logical request got its answer; latency is from its first arrival. */
  completed(req: number, fn: number, arrivalUs: number, nowUs: number): void;
  /** The logical request failed (its last attempt failed with `cause`). */
  failed(req: number, fn: number, arrivalUs: number, cause: Cause, nowUs: number): void;
  sandboxCreated(sb: Sandbox, nowUs: number): void;
  sandboxReclaimed(sb: Sandbox, nowUs: number): void;
  /**
   * The gauges the model keeps (idle memory, sandbox and host counts) are about to
   * change: a watcher that integrates them over time takes their values up to now.
   */
  gaugesWillChange(nowUs: number): void;
  /** A balancer leader took an operation after `queueUs` in its queue, busy `serviceUs`. */
  balancerOp(partition: number, queueUs: number, serviceUs: number, nowUs: number): void;
}

/** Passes every call to two watchers (the metrics and the invariant checks). */
export class ObserverPair implements ModelObserver {
  constructor(
    private readonly a: ModelObserver,
    private readonly b: ModelObserver,
  ) {}
  arrived(req: number, fn: number, nowUs: number): void {
    this.a.arrived(req, fn, nowUs);
    this.b.arrived(req, fn, nowUs);
  }
  started(
    req: number,
    arrivalUs: number,
    sb: Sandbox,
    waitUs: number,
    cold: boolean,
    nowUs: number,
  ): void {
    this.a.started(req, arrivalUs, sb, waitUs, cold, nowUs);
    this.b.started(req, arrivalUs, sb, waitUs, cold, nowUs);
  }
  ended(req: number, sb: Sandbox, nowUs: number): void {
    this.a.ended(req, sb, nowUs);
    this.b.ended(req, sb, nowUs);
  }
  completed(req: number, fn: number, arrivalUs: number, nowUs: number): void {
    this.a.completed(req, fn, arrivalUs, nowUs);
    this.b.completed(req, fn, arrivalUs, nowUs);
  }
  failed(req: number, fn: number, arrivalUs: number, cause: Cause, nowUs: number): void {
    this.a.failed(req, fn, arrivalUs, cause, nowUs);
    this.b.failed(req, fn, arrivalUs, cause, nowUs);
  }
  sandboxCreated(sb: Sandbox, nowUs: number): void {
    this.a.sandboxCreated(sb, nowUs);
    this.b.sandboxCreated(sb, nowUs);
  }
  sandboxReclaimed(sb: Sandbox, nowUs: number): void {
    this.a.sandboxReclaimed(sb, nowUs);
    this.b.sandboxReclaimed(sb, nowUs);
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
