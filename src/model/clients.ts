/**
 * The clients' side of a request (SPEC 2.4): each attempt's timeout, the decision to
 * retry after a failure (a new attempt that keeps the request's first arrival and drawn
 * execution time) or to give the request up, and attempts whose client gave up while
 * the platform still runs them (a timeout, or the death of the frontend it came through).
 *
 * A retry is always a scheduled event, even with no delay: a failure found while an
 * attempt starts (throttled, capacity) never calls the next attempt from inside the
 * last one, so any `maxAttempts` works in constant stack depth.
 */
import { NO_RETRY } from "../faults/retry.js";
import type { Simulator } from "../kernel/simulator.js";
import type { RetryDecider } from "../policies/retry/retry-policy.js";
import type { ModelContext } from "./context.js";
import { Ev } from "./events.js";
import { Cause, FAILURE_CAUSES } from "./observer.js";
import type { Requests } from "./requests.js";

export class Clients {
  /** The clock and event queue (ctx.sim, held directly: read on every hop). */
  private readonly sim: Simulator;
  private readonly timeoutUs: number;
  private readonly retryPolicy: RetryDecider | null;

  constructor(
    private readonly ctx: ModelContext,
    private readonly requests: Requests,
    /** The scenario's retry policy (model/policies.ts); null without a `clients` section. */
    retry: RetryDecider | null,
  ) {
    this.sim = ctx.sim;
    this.timeoutUs = ctx.scenario.clients?.timeoutUs ?? Number.POSITIVE_INFINITY;
    this.retryPolicy = retry;
  }

  /** A logical request's first attempt (it feeds the retry budget). */
  firstAttempt(): void {
    this.retryPolicy?.firstAttempt();
  }

  /** Starts the client's clock on attempt `req`, when clients time out. */
  armTimeout(req: number): void {
    if (this.timeoutUs < Number.POSITIVE_INFINITY)
      this.requests.timer[req] = this.sim.after(this.timeoutUs, Ev.Timeout, req);
  }

  private cancelTimer(req: number): void {
    const rq = this.requests;
    const t = rq.timer[req]!;
    if (t >= 0) this.sim.cancel(t);
    rq.timer[req] = -1;
  }

  /** The attempt fails with `cause` once the sender's connection times out. */
  failLater(req: number, cause: Cause): void {
    this.sim.after(this.ctx.connectTimeoutUs, Ev.FailLater, req, cause);
  }

  /** The answer reached the client. */
  complete(req: number): void {
    const rq = this.requests;
    const now = this.sim.now;
    this.cancelTimer(req);
    this.ctx.obs.completed(req, rq.fn[req]!, rq.arrivalUs[req]!, now);
    this.ctx.obs.attemptDone?.(req, now);
    rq.release(req);
  }

  /** An attempt failed. The client retries (a new attempt) or gives the request up. */
  attemptFailed(req: number, cause: Cause): void {
    const rq = this.requests;
    if (rq.abandoned[req]) return this.finishAbandoned(req);
    this.cancelTimer(req);
    this.clientFailed(req, cause);
    this.ctx.obs.attemptDone?.(req, this.sim.now);
    rq.release(req);
  }

  /**
   * The client's timeout: the attempt fails for the client, which may retry, but nothing
   * tells the platform: the attempt goes on (queued, it still runs; running, it holds its
   * slot) and its execution counts as wasted.
   */
  onTimeout(req: number): void {
    this.requests.timer[req] = -1;
    this.abandon(req, Cause.Timeout);
  }

  /**
   * The frontend the attempt came through died (its zone went out): the client's
   * connection drops, so the attempt fails for it at once (as unreachable) and it may
   * retry through another zone; the platform goes on with the attempt, as after a
   * timeout, and its execution counts as wasted.
   */
  frontendLost(req: number): void {
    if (this.requests.abandoned[req]) return;
    this.cancelTimer(req);
    this.abandon(req, Cause.Unreachable);
  }

  private abandon(req: number, cause: Cause): void {
    this.clientFailed(req, cause);
    this.requests.abandoned[req] = 1;
  }

  private clientFailed(req: number, cause: Cause): void {
    const { obs, sim } = this.ctx;
    const rq = this.requests;
    obs.attemptFailed(req, rq.fn[req]!, rq.arrivalUs[req]!, cause, sim.now);
    if (!this.retry(req, cause)) obs.failed(req, rq.fn[req]!, rq.arrivalUs[req]!, cause, sim.now);
  }

  /** The platform is done with an attempt whose client gave up: nothing to report. */
  finishAbandoned(req: number): void {
    this.ctx.obs.attemptDone?.(req, this.sim.now);
    this.requests.release(req);
  }

  /** Schedules the next attempt of `req`'s logical request, if the retry policy allows. */
  private retry(req: number, cause: Cause): boolean {
    if (!this.retryPolicy) return false;
    const { obs, sim } = this.ctx;
    const rq = this.requests;
    const delay = this.retryPolicy.nextDelayUs(
      rq.attempt[req]!,
      FAILURE_CAUSES[cause],
      rq.delayUs[req]!,
    );
    if (delay === NO_RETRY) return false;
    const next = rq.alloc();
    rq.fn[next] = rq.fn[req]!;
    rq.arrivalUs[next] = rq.arrivalUs[req]!;
    rq.durationUs[next] = rq.durationUs[req]!;
    rq.logical[next] = rq.logical[req]!;
    rq.attempt[next] = rq.attempt[req]! + 1;
    rq.delayUs[next] = delay;
    const waitUs = Math.round(delay);
    rq.retryDelaysUs[next] = rq.retryDelaysUs[req]! + waitUs;
    obs.retried(next, rq.fn[next]!, rq.arrivalUs[next]!, sim.now);
    sim.after(waitUs, Ev.Retry, next);
    return true;
  }
}
