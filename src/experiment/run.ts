/**
 * One simulation run: builds the world from a resolved scenario, wires the metrics and
 * the invariant checks to it, advances simulated time (in steps, so that a caller can
 * show progress or stop early), and produces the summary and time series.
 *
 * A run with faults has a twin: the same scenario and seed without the faults, advanced
 * in step with it in the same thread, whose time series is the counterfactual each
 * fault's impact is measured against (fault-impact.ts). It roughly doubles the cost of
 * such a run; the summary's `counterfactualEvents` shows what it took.
 */
import { InvariantChecker } from "../checks/invariants.js";
import { FaultInjector } from "../faults/injector.js";
import { Streams } from "../kernel/random.js";
import { buildDetail, type RunDetail } from "../metrics/detail.js";
import { faultImpacts } from "../metrics/fault-impact.js";
import { Recorder } from "../metrics/recorder.js";
import { buildSummary, type Summary } from "../metrics/summary.js";
import { type ModelObserver, ObserverPair } from "../model/observer.js";
import { World } from "../model/world.js";
import { packageVersion } from "../package-info.js";
import type { ResolvedScenario } from "../scenario/types.js";

/** An invariant broke: the run's numbers cannot be trusted (exit 1). */
export class InvariantViolation extends Error {
  constructor(
    readonly violations: readonly string[],
    readonly seed: number,
  ) {
    super(`invariant violated (seed ${seed}):\n  ${violations.join("\n  ")}`);
  }
}

export interface RunOptions {
  readonly variant?: string | null;
  /** Functions listed in the summary, busiest first (SPEC 5: 50 unless all are asked for). */
  readonly functionLimit?: number;
  /**
   * More watchers of the model's events (the attempt trace, the library's `simulate`);
   * never given to the fault-free twin.
   */
  readonly observers?: ModelObserver;
}

export interface RunResult {
  readonly summary: Summary;
  readonly timeseriesCsv: string;
  /** The run's end-to-end latencies as [bucket, count] pairs (log-buckets.ts), for pooling. */
  readonly latencyBuckets: [number, number][];
  /** What the report draws beyond the summary (summary.json's added `detail` field). */
  readonly detail: RunDetail;
}

export class Run {
  readonly world: World;
  readonly recorder: Recorder;
  private readonly checker: InvariantChecker;
  readonly endUs: number;
  private tickStartUs: number;

  constructor(
    readonly scenario: ResolvedScenario,
    private readonly options: RunOptions = {},
  ) {
    this.endUs = scenario.warmupUs + scenario.durationUs;
    this.recorder = new Recorder(
      scenario.functions.map((f) => f.name),
      scenario.balancer.partitions,
      scenario.warmupUs,
      this.endUs,
    );
    const fnSlots = scenario.functions.map((f) => f.slots);
    this.checker = new InvariantChecker((fn) => fnSlots[fn]!);
    const streams = new Streams(scenario.seed);
    const watchers = new ObserverPair(this.recorder, this.checker);
    const observers = options.observers ? new ObserverPair(watchers, options.observers) : watchers;
    const world = new World(scenario, streams, observers);
    this.recorder.attach(world.book, world.hosts, world.requests);
    this.checker.attach(world.hosts);
    this.world = world;
    // Interval ends are scheduled first, so that at an interval boundary the interval
    // closes before anything else that happens at that instant (which belongs to the next).
    this.tickStartUs = scenario.warmupUs;
    const tick = world.sim.register(() => this.onTick());
    for (
      let t = scenario.warmupUs + scenario.metricsIntervalUs;
      t < this.endUs;
      t += scenario.metricsIntervalUs
    )
      world.sim.at(t, tick);
    this.faults = new FaultInjector(world, world.failures, streams);
    this.faults.schedule();
    world.start();
    this.twin =
      this.faults.occurrences.length > 0
        ? new Run({ ...scenario, faults: [] }, { variant: options.variant, functionLimit: 0 })
        : null;
  }

  private readonly faults: FaultInjector;
  /** The fault-free counterfactual, when there are faults to measure. */
  private readonly twin: Run | null;

  get nowUs(): number {
    return this.world.sim.now;
  }

  get events(): number {
    return this.world.sim.events;
  }

  /** Runs up to `untilUs` (capped at the end); true once the end is reached. */
  advance(untilUs: number): boolean {
    this.twin?.advance(untilUs);
    this.world.sim.run(Math.min(untilUs, this.endUs));
    return this.world.sim.now >= this.endUs;
  }

  /** Runs to the end in one go. */
  runToEnd(): void {
    this.advance(this.endUs);
  }

  /**
   * Closes the books at the current time (the end, or earlier when truncated) and
   * checks the invariants; throws InvariantViolation if one broke.
   */
  finish(wallSeconds = 0): RunResult {
    const now = this.world.sim.now;
    this.closeBooks(now);
    const { requests } = this.world;
    let inFlightAtEnd = 0;
    for (const id of requests.liveIds())
      if (!requests.abandoned[id] && requests.arrivalUs[id]! >= this.scenario.warmupUs)
        inFlightAtEnd++;
    const summary = this.summarize(now, inFlightAtEnd, wallSeconds);
    let clientsWaiting = 0;
    for (const id of requests.liveIds()) if (!requests.abandoned[id]) clientsWaiting++;
    const violations = this.checker.finish({ inFlight: clientsWaiting });
    const r = summary.requests;
    if (r.arrived !== r.completed + r.failed + r.inFlightAtEnd)
      violations.push(
        `conservation (measured window): ${r.arrived} arrived != ${r.completed} completed + ${r.failed} failed + ${r.inFlightAtEnd} in flight`,
      );
    if (violations.length > 0) throw new InvariantViolation(violations, this.scenario.seed);
    const detail = buildDetail(this.recorder, this.scenario, this.faults.occurrences, now);
    return {
      summary,
      timeseriesCsv: this.recorder.timeseries.toCsv(),
      latencyBuckets: detail.latencyBuckets,
      detail,
    };
  }

  /** Closes the last (partial) interval at `now`; the twin's too. */
  private closeBooks(now: number): void {
    if (now > this.tickStartUs) {
      this.recorder.tick(this.tickStartUs, now, this.faults.label(this.tickStartUs, now));
      this.tickStartUs = now;
    } else this.recorder.gaugesWillChange(now);
    this.twin?.closeBooks(now);
  }

  private summarize(now: number, inFlightAtEnd: number, wallSeconds: number): Summary {
    return buildSummary(this.recorder, {
      scenario: this.scenario.name,
      seed: this.scenario.seed,
      variant: this.options.variant ?? null,
      version: packageVersion(),
      measuredUs: Math.max(0, Math.min(now, this.endUs) - this.scenario.warmupUs),
      wallSeconds,
      events: this.world.sim.events,
      truncated: now < this.endUs,
      inFlightAtEnd,
      peakSandboxes: this.world.book.peakSandboxes,
      faults: this.twin
        ? faultImpacts(
            this.recorder.timeseries.intervals,
            this.twin.recorder.timeseries.intervals,
            this.faults.occurrences,
          )
        : [],
      counterfactualEvents: this.twin?.events ?? 0,
      functionLimit: this.options.functionLimit ?? 50,
    });
  }

  private onTick(): void {
    const now = this.world.sim.now;
    this.recorder.tick(this.tickStartUs, now, this.faults.label(this.tickStartUs, now));
    this.tickStartUs = now;
  }
}

/** Runs a scenario start to end. */
export function runScenario(scenario: ResolvedScenario, options: RunOptions = {}): RunResult {
  const run = new Run(scenario, options);
  run.runToEnd();
  return run.finish();
}
