/**
 * A watcher for model tests: records what World reports (arrivals, starts with their
 * waits, ends, completions, failures, sandboxes created and reclaimed) and runs the
 * invariant checks beside it, plus small measures over what it recorded.
 */
import { expect } from "vitest";
import { InvariantChecker } from "../../src/checks/invariants.js";
import { Streams } from "../../src/kernel/random.js";
import { type Cause, type ModelObserver, ObserverPair } from "../../src/model/observer.js";
import type { Sandbox } from "../../src/model/sandbox.js";
import { World } from "../../src/model/world.js";
import type { ResolvedScenario } from "../../src/scenario/types.js";

export const MS = 1000;
export const S = 1e6;
export const constant = (value: number) => ({ dist: "constant", value }) as const;

interface Start {
  arrivalUs: number;
  atUs: number;
  waitUs: number;
  cold: boolean;
  /** A cold start that hit its host's code cache. */
  cached: boolean;
  fn: number;
  sb: number;
  host: number;
}
interface Ev {
  sb: number;
  host: number;
  atUs: number;
}

/** Records what the model reports, and runs the invariant checks beside it. */
export class Log implements ModelObserver {
  arrivals: number[] = [];
  starts: Start[] = [];
  ends: Ev[] = [];
  latencies: number[] = [];
  failures: { cause: Cause; arrivalUs: number; atUs: number }[] = [];
  created: Ev[] = [];
  reclaimed: Ev[] = [];
  arrived(_req: number, _fn: number, nowUs: number): void {
    this.arrivals.push(nowUs);
  }
  retried(): void {}
  attemptFailed(): void {}
  sandboxOrphaned(): void {}
  started(
    _r: number,
    arrivalUs: number,
    sb: Sandbox,
    waitUs: number,
    cold: boolean,
    now: number,
    cached: boolean,
  ) {
    this.starts.push({
      arrivalUs,
      atUs: now,
      waitUs,
      cold,
      cached,
      fn: sb.fn,
      sb: sb.id,
      host: sb.host,
    });
  }
  ended(_req: number, sb: Sandbox, _executedUs: number, _wasted: boolean, nowUs: number): void {
    this.ends.push({ sb: sb.id, host: sb.host, atUs: nowUs });
  }
  completed(_req: number, _fn: number, arrivalUs: number, nowUs: number): void {
    this.latencies.push(nowUs - arrivalUs);
  }
  failed(_req: number, _fn: number, arrivalUs: number, cause: Cause, nowUs: number): void {
    this.failures.push({ cause, arrivalUs, atUs: nowUs });
  }
  sandboxCreated(sb: Sandbox, nowUs: number): void {
    this.created.push({ sb: sb.id, host: sb.host, atUs: nowUs });
  }
  sandboxEnded(sb: Sandbox, _how: string, nowUs: number): void {
    this.reclaimed.push({ sb: sb.id, host: sb.host, atUs: nowUs });
  }
  gaugesWillChange(): void {}
  balancerOp(): void {}

  get colds(): number {
    return this.starts.filter((s) => s.cold).length;
  }
  meanWaitUs(): number {
    return this.starts.reduce((a, s) => a + s.waitUs, 0) / this.starts.length;
  }
  meanLatencyUs(): number {
    return this.latencies.reduce((a, b) => a + b, 0) / this.latencies.length;
  }
}

/** Runs `sc` and then lets every request in flight finish; checks the invariants. */
export function simulate(sc: ResolvedScenario): { log: Log; world: World } {
  const log = new Log();
  const checker = new InvariantChecker((f) => sc.functions[f]!.slots);
  const world = new World(sc, new Streams(sc.seed), new ObserverPair(log, checker));
  checker.attach(world.hosts);
  world.start();
  world.sim.run(sc.durationUs + 3600 * S);
  expect(checker.violations).toEqual([]);
  expect(log.latencies.length + log.failures.length).toBe(log.arrivals.length);
  expect(world.book.busySandboxes).toBe(0);
  return { log, world };
}

/** Most (time-sorted) +1/-1 events open at once. */
export function peak(events: [number, number][]): number {
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]); // at equal times, ends first
  let n = 0;
  let most = 0;
  for (const [, d] of events) {
    n += d;
    most = Math.max(most, n);
  }
  return most;
}
export const concurrency = (log: Log) =>
  peak([
    ...log.starts.map((s) => [s.atUs, 1] as [number, number]),
    ...log.ends.map((e) => [e.atUs, -1] as [number, number]),
  ]);
/** Most requests waiting at once (arrived, neither started nor failed yet). */
export const waiting = (log: Log) =>
  peak([
    ...log.starts.map((s) => [s.arrivalUs, 1] as [number, number]),
    ...log.starts.map((s) => [s.atUs, -1] as [number, number]),
    ...log.failures.map((f) => [f.arrivalUs, 1] as [number, number]),
    ...log.failures.map((f) => [f.atUs, -1] as [number, number]),
  ]);
