/**
 * The end-of-run invariants of SPEC 2.4, checked by a watcher that keeps its own books
 * rather than trusting the model's counters:
 * - conservation: every logical request that arrived is completed, failed once, or
 *   still in flight at the end; every attempt likewise ends once (completed or failed
 *   by one cause) or is in flight; nothing ends twice;
 * - memory: no host ever holds more memory than it has;
 * - slots: no sandbox ever runs more than `slots` executions at once.
 * Violations are collected (the first few, with the time) and reported together.
 */
import type { Cause, ModelObserver } from "../model/observer.js";
import type { Sandbox } from "../model/sandbox.js";

export interface HostMemoryView {
  readonly memoryMb: number;
  readonly freeMb: Float64Array;
}

const MAX_REPORTED = 10;

/** What the run claims at its end, checked against the checker's own books. */
export interface ReportedCounts {
  /** Logical requests (and so client-side attempts) still in flight. */
  readonly inFlight: number;
}

export class InvariantChecker implements ModelObserver {
  /** Attempts in flight for their client, by attempt id (ids are reused). */
  private attemptLive = new Uint8Array(1024);
  private logicalArrived = 0;
  private logicalEnded = 0;
  private attemptsBegun = 0;
  private attemptsEnded = 0;
  /**
   * By sandbox id (ids are reused once a sandbox is gone), two entries each: executions
   * running, then its function's slots (taken from the function, not the sandbox, when it
   * is created). Side by side, a start reads one cache line: a lookup by function would
   * be a miss more per request on a large population.
   */
  private running = new Int32Array(2048);
  readonly violations: string[] = [];
  private hosts!: HostMemoryView;

  constructor(private readonly slotsOf: (fn: number) => number) {}

  /** The hosts whose memory is checked; set once the model exists. */
  attach(hosts: HostMemoryView): void {
    this.hosts = hosts;
  }

  arrived(req: number, _fn: number, nowUs: number): void {
    this.logicalArrived++;
    this.beginAttempt(req, nowUs);
  }

  retried(req: number, _fn: number, _arrivalUs: number, nowUs: number): void {
    this.beginAttempt(req, nowUs);
  }

  started(
    _req: number,
    _arrivalUs: number,
    sb: Sandbox,
    _waitUs: number,
    _cold: boolean,
    nowUs: number,
  ): void {
    const at = 2 * sb.id;
    const n = ++this.running[at]!;
    const slots = this.running[at + 1]!;
    if (n > slots)
      this.violation(nowUs, `sandbox ${sb.id} runs ${n} executions with ${slots} slots`);
  }

  ended(_req: number, sb: Sandbox, _executedUs: number, _wasted: boolean, nowUs: number): void {
    const n = --this.running[2 * sb.id]!;
    if (n < 0) this.violation(nowUs, `sandbox ${sb.id} ended an execution it was not running`);
  }

  completed(req: number, _fn: number, _arrivalUs: number, nowUs: number): void {
    this.endAttempt(req, nowUs, "completed");
    this.logicalEnded++;
  }

  attemptFailed(req: number, _fn: number, _arrivalUs: number, _cause: Cause, nowUs: number): void {
    this.endAttempt(req, nowUs, "failed");
  }

  failed(): void {
    this.logicalEnded++;
  }

  sandboxCreated(sb: Sandbox, nowUs: number): void {
    const at = 2 * sb.id;
    if (at + 1 >= this.running.length) this.running = grown(this.running, at + 1);
    this.running[at + 1] = this.slotsOf(sb.fn);
    const free = this.hosts.freeMb[sb.host]!;
    if (free < 0)
      this.violation(
        nowUs,
        `host ${sb.host} holds ${this.hosts.memoryMb - free} MB of ${this.hosts.memoryMb} MB`,
      );
  }

  sandboxEnded(sb: Sandbox, how: string, nowUs: number): void {
    if (this.running[2 * sb.id]) this.violation(nowUs, `sandbox ${sb.id} ${how} while running`);
  }

  sandboxOrphaned(): void {}
  gaugesWillChange(): void {}
  balancerOp(): void {}

  /** Final check against what the run reports. Returns the violations (empty when all hold). */
  finish(reported: ReportedCounts): string[] {
    const logicalInFlight = this.logicalArrived - this.logicalEnded;
    const attemptsInFlight = this.attemptsBegun - this.attemptsEnded;
    if (logicalInFlight < 0 || attemptsInFlight !== logicalInFlight)
      this.violation(
        -1,
        `conservation: ${logicalInFlight} requests but ${attemptsInFlight} attempts in flight`,
      );
    if (reported.inFlight !== logicalInFlight)
      this.violation(
        -1,
        `conservation: the run reports ${reported.inFlight} requests in flight, the checker counted ${logicalInFlight}`,
      );
    return this.violations;
  }

  private beginAttempt(req: number, nowUs: number): void {
    if (req >= this.attemptLive.length) this.attemptLive = grown(this.attemptLive, req);
    if (this.attemptLive[req]) this.violation(nowUs, `attempt ${req} began while still in flight`);
    this.attemptLive[req] = 1;
    this.attemptsBegun++;
  }

  private endAttempt(req: number, nowUs: number, how: string): void {
    if (!this.attemptLive[req])
      this.violation(nowUs, `attempt ${req} ${how} but was not in flight`);
    this.attemptLive[req] = 0;
    this.attemptsEnded++;
  }

  private violation(nowUs: number, what: string): void {
    if (this.violations.length < MAX_REPORTED)
      this.violations.push(nowUs >= 0 ? `t=${nowUs}us: ${what}` : what);
  }
}

function grown<T extends Uint8Array | Int32Array>(a: T, index: number): T {
  let n = a.length;
  while (n <= index) n *= 2;
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}
