/**
 * The clients' side of a request (SPEC 2.4): each attempt's timeout, the decision to
 * retry after a failure (a new attempt that keeps the request's first arrival and drawn
 * execution time) or to give the request up, and attempts whose client gave up while
 * the platform still runs them.
 */

import { NO_RETRY, RetryPolicy } from "../faults/retry.js";
import type { Streams } from "../kernel/random.js";
import { Cause, FAILURE_CAUSES } from "./observer.js";
import type { World } from "./world.js";

export class Clients {
  private readonly timeoutUs: number;
  private readonly retryPolicy: RetryPolicy | null;

  constructor(
    private readonly world: World,
    streams: Streams,
  ) {
    const clients = world.scenario.clients;
    this.timeoutUs = clients?.timeoutUs ?? Number.POSITIVE_INFINITY;
    this.retryPolicy = clients ? new RetryPolicy(clients.retry, streams.get("retries")) : null;
  }

  /** A logical request's first attempt (it feeds the retry budget). */
  firstAttempt(): void {
    this.retryPolicy?.firstAttempt();
  }

  /** Starts the client's clock on attempt `req`, when clients time out. */
  armTimeout(req: number): void {
    if (this.timeoutUs < Number.POSITIVE_INFINITY)
      this.world.requests.timer[req] = this.world.sim.after(
        this.timeoutUs,
        this.world.K.timeout,
        req,
      );
  }

  cancelTimer(req: number): void {
    const rq = this.world.requests;
    const t = rq.timer[req]!;
    if (t >= 0) this.world.sim.cancel(t);
    rq.timer[req] = -1;
  }

  /** The attempt fails with `cause` once the sender's connection times out. */
  failLater(req: number, cause: Cause): void {
    const { sim, K, scenario } = this.world;
    sim.after(scenario.network.connectTimeoutUs, K.failLater, req, cause);
  }

  /** An attempt failed. The client retries (a new attempt) or gives the request up. */
  attemptFailed(req: number, cause: Cause): void {
    const { requests: rq, obs, sim } = this.world;
    if (rq.abandoned[req]) return this.finishAbandoned(req);
    this.cancelTimer(req);
    obs.attemptFailed(req, rq.fn[req]!, rq.arrivalUs[req]!, cause, sim.now);
    if (!this.retry(req, cause)) obs.failed(req, rq.fn[req]!, rq.arrivalUs[req]!, cause, sim.now);
    rq.release(req);
  }

  /**
   * The client's timeout: the attempt fails for the client, which may retry, but nothing
   * tells the platform: the attempt goes on (queued, it still runs; running, it holds its
   * slot) and its execution counts as wasted.
   */
  onTimeout(req: number): void {
    const { requests: rq, obs, sim } = this.world;
    rq.timer[req] = -1;
    obs.attemptFailed(req, rq.fn[req]!, rq.arrivalUs[req]!, Cause.Timeout, sim.now);
    if (!this.retry(req, Cause.Timeout))
      obs.failed(req, rq.fn[req]!, rq.arrivalUs[req]!, Cause.Timeout, sim.now);
    rq.abandoned[req] = 1;
  }

  /** The platform is done with an attempt whose client gave up: nothing to report. */
  finishAbandoned(req: number): void {
    this.world.requests.release(req);
  }

  /** Schedules the next attempt of `req`'s logical request, if the retry policy allows. */
  private retry(req: number, cause: Cause): boolean {
    if (!this.retryPolicy) return false;
    const { requests: rq, obs, sim, K } = this.world;
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
    rq.attempt[next] = rq.attempt[req]! + 1;
    rq.delayUs[next] = delay;
    obs.retried(next, rq.fn[next]!, rq.arrivalUs[next]!, sim.now);
    if (delay === 0) this.world.startAttempt(next);
    else sim.after(delay, K.retry, next);
    return true;
  }
}
