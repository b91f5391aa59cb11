/**
 * The end-of-run invariants of SPEC 2.4, checked by a watcher that keeps its own books
 * rather than trusting the model's counters:
 * - conservation: every request that arrived is completed, failed once, or still in
 *   flight at the end, and none ends twice;
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

export class InvariantChecker implements ModelObserver {
  /** Flags by request id (ids are reused, so this follows the number in flight). */
  private inFlight = new Uint8Array(1024);
  private inFlightCount = 0;
  private arrivedCount = 0;
  private endedCount = 0;
  /** Executions running, by sandbox id (ids are reused once a sandbox is gone). */
  private running = new Int32Array(1024);
  readonly violations: string[] = [];

  private hosts!: HostMemoryView;

  constructor(private readonly slotsOf: (fn: number) => number) {}

  /** The hosts whose memory is checked; set once the model exists. */
  attach(hosts: HostMemoryView): void {
    this.hosts = hosts;
  }

  arrived(req: number, _fn: number, nowUs: number): void {
    if (req >= this.inFlight.length) this.inFlight = grown(this.inFlight, req);
    if (this.inFlight[req]) this.violation(nowUs, `request ${req} arrived while still in flight`);
    this.inFlight[req] = 1;
    this.inFlightCount++;
    this.arrivedCount++;
  }

  started(
    req: number,
    _arrivalUs: number,
    sb: Sandbox,
    _waitUs: number,
    _cold: boolean,
    nowUs: number,
  ): void {
    if (!this.inFlight[req]) this.violation(nowUs, `request ${req} started but is not in flight`);
    if (sb.id >= this.running.length) this.running = grown(this.running, sb.id);
    const n = ++this.running[sb.id]!;
    const slots = this.slotsOf(sb.fn);
    if (n > slots)
      this.violation(nowUs, `sandbox ${sb.id} runs ${n} executions with ${slots} slots`);
  }

  ended(_req: number, sb: Sandbox, nowUs: number): void {
    const n = --this.running[sb.id]!;
    if (n < 0) this.violation(nowUs, `sandbox ${sb.id} ended an execution it was not running`);
  }

  completed(req: number, _fn: number, _arrivalUs: number, nowUs: number): void {
    this.end(req, nowUs, "completed");
  }

  failed(req: number, _fn: number, _arrivalUs: number, _cause: Cause, nowUs: number): void {
    this.end(req, nowUs, "failed");
  }

  sandboxCreated(sb: Sandbox, nowUs: number): void {
    const free = this.hosts.freeMb[sb.host]!;
    if (free < 0)
      this.violation(
        nowUs,
        `host ${sb.host} holds ${this.hosts.memoryMb - free} MB of ${this.hosts.memoryMb} MB`,
      );
  }

  sandboxReclaimed(sb: Sandbox, nowUs: number): void {
    if (this.running[sb.id]) this.violation(nowUs, `sandbox ${sb.id} reclaimed while running`);
  }

  gaugesWillChange(): void {}
  balancerOp(): void {}

  /**
   * Final check: `reported` is what the model and the metrics claim (all requests,
   * warmup included). Returns the list of violations (empty when all hold).
   */
  finish(reported: { arrived: number; ended: number; inFlight: number }): string[] {
    const mine = {
      arrived: this.arrivedCount,
      ended: this.endedCount,
      inFlight: this.inFlightCount,
    };
    if (mine.arrived !== mine.ended + mine.inFlight)
      this.violation(
        -1,
        `conservation: ${mine.arrived} arrived != ${mine.ended} ended + ${mine.inFlight} in flight`,
      );
    for (const key of ["arrived", "ended", "inFlight"] as const) {
      if (reported[key] !== mine[key])
        this.violation(
          -1,
          `conservation: the run reports ${key} = ${reported[key]}, the checker counted ${mine[key]}`,
        );
    }
    return this.violations;
  }

  private end(req: number, nowUs: number, how: string): void {
    if (!this.inFlight[req]) this.violation(nowUs, `request ${req} ${how} but was not in flight`);
    this.inFlight[req] = 0;
    this.inFlightCount--;
    this.endedCount++;
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
