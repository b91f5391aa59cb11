/**
 * Fault tests drive the model as a run does (World, Failures, the fault injector on the
 * same named streams), with a recording watcher and the invariant checks beside it, and
 * record every command the injector gives (crash, repair, failover...) with its time.
 * `expectBooksBalance` recounts the model's gauges from its sandboxes.
 */
import { expect } from "vitest";
import { InvariantChecker } from "../../src/checks/invariants.js";
import { FaultInjector } from "../../src/faults/injector.js";
import { Streams } from "../../src/kernel/random.js";
import type { Failures } from "../../src/model/failures.js";
import { type Cause, type ModelObserver, ObserverPair } from "../../src/model/observer.js";
import type { Sandbox } from "../../src/model/sandbox.js";
import { SandboxState } from "../../src/model/sandbox.js";
import { World } from "../../src/model/world.js";
import type { ResolvedScenario } from "../../src/scenario/types.js";

export { constant, MS, S } from "../model/recording.js";

/** One end of an attempt or a logical request, with the frontend zone it came through. */
export interface End {
  cause: Cause | null;
  arrivalUs: number;
  atUs: number;
  zone: number;
}

type At = { sb: number; host: number; atUs: number };

/** Records what the model reports, with the frontend zone of each request's end. */
export class FaultLog implements ModelObserver {
  world!: World;
  arrivals: number[] = [];
  starts: { arrivalUs: number; atUs: number; cold: boolean; sb: number; host: number }[] = [];
  ends: (At & { executedUs: number; wasted: boolean })[] = [];
  /** Every attempt that failed (its logical request may have retried). */
  attemptFailures: End[] = [];
  /** Logical requests that failed (their last attempt's cause). */
  failures: End[] = [];
  /** Logical requests that completed. */
  done: End[] = [];
  /** Retries, with the cause of the attempt that failed just before. */
  retries: { arrivalUs: number; atUs: number; after: Cause }[] = [];
  created: At[] = [];
  reclaimed: At[] = [];
  lost: At[] = [];
  orphaned: At[] = [];
  private lastCause: Cause | null = null;

  private end(req: number, cause: Cause | null, arrivalUs: number, atUs: number): End {
    return { cause, arrivalUs, atUs, zone: this.world.requests.zone[req]! };
  }
  arrived(_req: number, _fn: number, nowUs: number): void {
    this.arrivals.push(nowUs);
  }
  retried(_req: number, _fn: number, arrivalUs: number, nowUs: number): void {
    this.retries.push({ arrivalUs, atUs: nowUs, after: this.lastCause! });
  }
  started(_r: number, arrivalUs: number, sb: Sandbox, _w: number, cold: boolean, now: number) {
    this.starts.push({ arrivalUs, atUs: now, cold, sb: sb.id, host: sb.host });
  }
  ended(_req: number, sb: Sandbox, executedUs: number, wasted: boolean, nowUs: number): void {
    this.ends.push({ sb: sb.id, host: sb.host, atUs: nowUs, executedUs, wasted });
  }
  completed(req: number, _fn: number, arrivalUs: number, nowUs: number): void {
    this.done.push(this.end(req, null, arrivalUs, nowUs));
  }
  attemptFailed(req: number, _fn: number, arrivalUs: number, cause: Cause, nowUs: number): void {
    this.attemptFailures.push(this.end(req, cause, arrivalUs, nowUs));
    this.lastCause = cause;
  }
  failed(req: number, _fn: number, arrivalUs: number, cause: Cause, nowUs: number): void {
    this.failures.push(this.end(req, cause, arrivalUs, nowUs));
  }
  sandboxCreated(sb: Sandbox, nowUs: number): void {
    this.created.push({ sb: sb.id, host: sb.host, atUs: nowUs });
  }
  sandboxEnded(sb: Sandbox, how: string, nowUs: number): void {
    (how === "lost" ? this.lost : this.reclaimed).push({ sb: sb.id, host: sb.host, atUs: nowUs });
  }
  sandboxOrphaned(sb: Sandbox, nowUs: number): void {
    this.orphaned.push({ sb: sb.id, host: sb.host, atUs: nowUs });
  }
  gaugesWillChange(): void {}
  balancerOp(): void {}
}

export type Command = { what: string; arg: number; atUs: number };

export interface Harness {
  log: FaultLog;
  world: World;
  /** The injector's commands, in order. */
  commands: Command[];
  /** Runs up to `untilUs` (simulated) and checks the invariants so far. */
  runUntil(untilUs: number): void;
}

/** Builds the model of `sc` with its faults scheduled and minSandboxes provisioned. */
export function harness(sc: ResolvedScenario): Harness {
  const log = new FaultLog();
  const checker = new InvariantChecker((f) => sc.functions[f]!.slots);
  const streams = new Streams(sc.seed);
  const world = new World(sc, streams, new ObserverPair(log, checker));
  log.world = world;
  checker.attach(world.hosts);
  const failures = world.failures;
  const commands: Command[] = [];
  const spy = <K extends "crashHost" | "repairHost" | "setSlowdown">(name: K) => {
    const real = failures[name].bind(failures) as (h: number, x: number) => void;
    failures[name] = ((h: number, x: number) => {
      commands.push({ what: name, arg: h, atUs: world.sim.now });
      real(h, x);
    }) as Failures[K];
  };
  spy("crashHost");
  spy("repairHost");
  spy("setSlowdown");
  const crashLeader = failures.crashLeader.bind(failures);
  failures.crashLeader = (p) => {
    commands.push({ what: "crashLeader", arg: p.id, atUs: world.sim.now });
    crashLeader(p);
  };
  new FaultInjector(world, failures, streams).schedule();
  world.start();
  return {
    log,
    world,
    commands,
    runUntil(untilUs: number) {
      world.sim.run(untilUs);
      expect(checker.violations).toEqual([]);
    },
  };
}

/** Runs `sc` to its end plus `drainUs` (no arrivals after the end). */
export function runWithFaults(sc: ResolvedScenario, drainUs = 0): Harness {
  const h = harness(sc);
  h.runUntil(h.world.endUs + drainUs);
  expectBooksBalance(h.world);
  return h;
}

/** The model's gauges and counts agree with a recount of its live sandboxes. */
export function expectBooksBalance(world: World): void {
  const { book, hosts, fns } = world;
  let live = 0;
  let orphans = 0;
  let orphanMb = 0;
  let busy = 0;
  let initializing = 0;
  let idleMb = 0;
  const perFn = fns.map(() => 0);
  const usedOnHost = new Float64Array(hosts.count);
  for (const sb of book.byId) {
    if (!sb) continue;
    expect(sb.state).not.toBe(SandboxState.Gone);
    expect(book.onHost(sb.host)).toContain(sb);
    live++;
    usedOnHost[sb.host]! += sb.memoryMb;
    if (sb.orphaned) {
      orphans++;
      orphanMb += sb.memoryMb;
      continue;
    }
    perFn[sb.fn]!++;
    expect(sb.outstanding).toBeGreaterThanOrEqual(0);
    if (sb.state === SandboxState.Initializing) {
      initializing++;
      idleMb += sb.memoryMb;
    } else if (sb.outstanding > 0) busy++;
    else idleMb += sb.memoryMb;
  }
  expect({
    live: book.liveSandboxes,
    orphans: book.orphanedSandboxes,
    busy: book.busySandboxes,
    initializing: book.initializingSandboxes,
    perFn: fns.map((f) => f.sandboxes),
  }).toEqual({ live, orphans, busy, initializing, perFn });
  expect(book.orphanedMemoryMb).toBeCloseTo(orphanMb, 6);
  expect(book.idleMemoryMb).toBeCloseTo(idleMb, 6);
  for (let h = 0; h < hosts.count; h++) {
    expect(hosts.memoryMb - hosts.freeMb[h]!).toBeCloseTo(usedOnHost[h]!, 6);
    expect(book.onHost(h).length).toBe(hosts.sandboxCount[h]);
  }
}

/** Arrivals (first attempts) in [fromUs, toUs). */
export const between = <T extends { arrivalUs: number }>(xs: T[], fromUs: number, toUs: number) =>
  xs.filter((x) => x.arrivalUs >= fromUs && x.arrivalUs < toUs);
