/**
 * The attempt trace of `run --trace FILE`: one JSON line per attempt of the requests the
 * summary counts (those that arrived at or after the warmup), written when both the
 * client and the platform are done with the attempt, so in the order attempts end:
 *
 *   {"request":12,"attempt":1,"function":"api","zone":"a","arrivalMs":61.5,
 *    "leaderMs":62.5,"startMs":163.5,"endMs":213.5,"outcomeMs":215.5,"sandbox":4,
 *    "host":0,"cold":true,"cached":false,"outcome":"completed","ranAfterAbandon":false}
 *
 * - `request`: the logical request's number (in arrival order, from 0, warmup included);
 *   its retries share it, `attempt` counts from 1.
 * - `zone`: the frontend zone the attempt arrived in (null when no zone's frontends were up).
 * - times in ms of simulated time: `arrivalMs` at the frontend, `leaderMs` at the partition
 *   leader, `startMs`/`endMs` of its execution (an execution cut short by a crash ends
 *   then), `outcomeMs` when its client learned the outcome; null when not reached.
 * - `sandbox`: the serial of the sandbox it was sent to (unique over the run), `host` that
 *   sandbox's host (hosts numbered zone by zone); null when it was sent to none.
 * - `cold`: it was the first request of a sandbox created for it; `cached`: that cold
 *   start found its package in the host's code cache.
 * - `outcome`: "completed", a failure cause (SPEC 2.4: "throttled", "timeout", ...), or
 *   "in-flight" for an attempt still waiting on its outcome when the run ended.
 * - `ranAfterAbandon`: its client had given up (timeout, or its frontend died: the
 *   outcome says which) but the platform still ran it, at least in part: the wasted
 *   execution of the summary.
 *
 * Lines of completed and failed outcomes match the summary: `completed` lines are
 * requests.completed, lines of a cause are failures[cause].
 *
 * Memory is that of the attempts in flight (arrays indexed by attempt id, as Requests);
 * lines go to a sink (a buffered file, see cli/trace-file.ts) as they are made. Past
 * `limit` lines, attempts are counted, not written.
 */
import { msFromUs } from "../kernel/time.js";
import { type Cause, FAILURE_CAUSES, type ModelObserver } from "../model/observer.js";
import type { Requests } from "../model/requests.js";
import type { Sandbox } from "../model/sandbox.js";

/** Where the trace's lines go. */
export interface LineSink {
  write(text: string): void;
}

/** No outcome yet; otherwise a Cause, or COMPLETED. */
const NONE = -1;
const COMPLETED = FAILURE_CAUSES.length;

export class AttemptTracer implements ModelObserver {
  /** Lines written. */
  written = 0;
  /** Attempts past the limit, counted but not written. */
  dropped = 0;
  private requests!: Requests;
  private readonly functions: string[];
  private readonly zones: string[];
  private readonly outcomes: string[];
  /** When the attempt reaches (or, a retry not yet made, will reach) its frontend. */
  private arrivalUs = new Float64Array(1024);
  private startUs = new Float64Array(1024);
  private endUs = new Float64Array(1024);
  private outcomeUs = new Float64Array(1024);
  private outcome = new Int8Array(1024);
  private wasted = new Uint8Array(1024);

  constructor(
    private readonly sink: LineSink,
    private readonly limit: number,
    private readonly warmupUs: number,
    functionNames: readonly string[],
    zoneNames: readonly string[],
  ) {
    // Names are encoded once: a line is then plain concatenation.
    this.functions = functionNames.map((n) => JSON.stringify(n));
    this.zones = zoneNames.map((n) => JSON.stringify(n));
    this.outcomes = [...FAILURE_CAUSES, "completed"].map((n) => JSON.stringify(n));
  }

  /** The model's attempts, read when an attempt ends (set once the world exists). */
  attach(requests: Requests): void {
    this.requests = requests;
  }

  private begin(req: number, arrivalUs: number): void {
    if (req >= this.outcome.length) this.grow(req);
    this.arrivalUs[req] = arrivalUs;
    this.startUs[req] = -1;
    this.endUs[req] = -1;
    this.outcomeUs[req] = -1;
    this.outcome[req] = NONE;
    this.wasted[req] = 0;
  }

  arrived(req: number, _fn: number, nowUs: number): void {
    this.begin(req, nowUs);
  }

  /** A retry reaches a frontend after the client's delay (clients.ts schedules it so). */
  retried(req: number, _fn: number, _arrivalUs: number, nowUs: number): void {
    this.begin(req, nowUs + Math.round(this.requests.delayUs[req]!));
  }

  started(
    req: number,
    _arrivalUs: number,
    _sb: Sandbox,
    _waitUs: number,
    _cold: boolean,
    nowUs: number,
  ): void {
    this.startUs[req] = nowUs;
  }

  ended(req: number, _sb: Sandbox, _executedUs: number, wasted: boolean, nowUs: number): void {
    this.endUs[req] = nowUs;
    if (wasted) this.wasted[req] = 1;
  }

  completed(req: number, _fn: number, _arrivalUs: number, nowUs: number): void {
    this.outcome[req] = COMPLETED;
    this.outcomeUs[req] = nowUs;
  }

  attemptFailed(req: number, _fn: number, _arrivalUs: number, cause: Cause, nowUs: number): void {
    this.outcome[req] = cause;
    this.outcomeUs[req] = nowUs;
  }

  attemptDone(req: number): void {
    this.line(req);
  }

  /**
   * Writes the attempts still in flight at `nowUs`, the end of the run (an attempt whose
   * client gave up has its outcome; a retry not yet made has no arrival).
   */
  finish(nowUs: number): void {
    for (const req of this.requests.liveIds()) {
      if (this.arrivalUs[req]! > nowUs) this.arrivalUs[req] = -1;
      this.line(req);
    }
  }

  private line(req: number): void {
    const rq = this.requests;
    if (rq.arrivalUs[req]! < this.warmupUs) return;
    if (this.written >= this.limit) {
      this.dropped++;
      return;
    }
    this.written++;
    const zone = rq.zone[req]!;
    const sb = rq.sandbox[req];
    const cold = rq.cold[req]!;
    const outcome = this.outcome[req]!;
    this.sink.write(
      `{"request":${rq.logical[req]},"attempt":${rq.attempt[req]},"function":${this.functions[rq.fn[req]!]},"zone":${zone >= 0 ? this.zones[zone] : "null"},"arrivalMs":${ms(this.arrivalUs[req]!)},"leaderMs":${ms(rq.leaderUs[req]!)},"startMs":${ms(this.startUs[req]!)},"endMs":${ms(this.endUs[req]!)},"outcomeMs":${ms(this.outcomeUs[req]!)},"sandbox":${sb ? sb.serial : "null"},"host":${sb ? sb.host : "null"},"cold":${cold > 0},"cached":${cold === 2},"outcome":${outcome === NONE ? '"in-flight"' : this.outcomes[outcome]},"ranAfterAbandon":${this.wasted[req] === 1}}\n`,
    );
  }

  private grow(req: number): void {
    let n = this.outcome.length;
    while (n <= req) n *= 2;
    const grown = <T extends Float64Array | Int8Array | Uint8Array>(a: T, b: T): T => {
      b.set(a);
      return b;
    };
    this.arrivalUs = grown(this.arrivalUs, new Float64Array(n));
    this.startUs = grown(this.startUs, new Float64Array(n));
    this.endUs = grown(this.endUs, new Float64Array(n));
    this.outcomeUs = grown(this.outcomeUs, new Float64Array(n));
    this.outcome = grown(this.outcome, new Int8Array(n));
    this.wasted = grown(this.wasted, new Uint8Array(n));
  }

  // The rest of what the model reports is not the trace's.
  sandboxCreated(): void {}
  sandboxEnded(): void {}
  sandboxOrphaned(): void {}
  gaugesWillChange(): void {}
  balancerOp(): void {}
  failed(): void {}
}

/** A time in ms for the trace, or null for "not reached" (negative). */
function ms(us: number): string {
  return us < 0 ? "null" : String(msFromUs(us));
}
