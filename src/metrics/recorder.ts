/**
 * Watches a run and keeps its metrics: counters, HDR histograms and time integrals,
 * all of a size that does not depend on the number of requests. Requests count when
 * they arrive at or after the warmup; gauges are integrated over the measured window.
 */
import type { Cause, ModelObserver } from "../model/observer.js";
import { BREAKDOWN_COMPONENTS } from "../model/requests.js";
import type { Sandbox } from "../model/sandbox.js";
import { FunctionTable } from "./function-table.js";
import { LatencyHistogram } from "./histogram.js";
import { Integrator } from "./integrator.js";
import { Timeseries } from "./timeseries.js";

/** What the recorder reads of the model's sandboxes (never writes). */
export interface SandboxGauges {
  readonly idleMemoryMb: number;
  readonly orphanedMemoryMb: number;
  readonly liveSandboxes: number;
  readonly busySandboxes: number;
  readonly initializingSandboxes: number;
  readonly orphanedSandboxes: number;
}

/** What the recorder reads of the model's attempts (never writes): see Requests. */
export interface AttemptTimes {
  addBreakdown(id: number, nowUs: number, sums: Float64Array): void;
}

/** What the recorder reads of the model's hosts (never writes). */
export interface HostGauges {
  readonly activeCount: number;
  readonly usedMb: number;
  readonly count: number;
  readonly memoryMb: number;
  readonly up: Uint8Array;
  readonly freeMb: Float64Array;
}

export class Recorder implements ModelObserver {
  /** Counts of the measured window (requests that arrived after the warmup). */
  readonly count = {
    arrived: 0,
    completed: 0,
    failed: 0,
    attempts: 0,
    retries: 0,
    started: 0,
    coldStarts: 0,
    /** Cold starts whose host's code cache held the function's package. */
    coldStartCacheHits: 0,
  };
  readonly failures = new Float64Array(6);
  sandboxesCreated = 0;
  sandboxesReclaimed = 0;
  sandboxesLost = 0;
  sandboxesOrphaned = 0;
  /** Execution time spent on attempts whose client had given up (timed out). */
  wastedUs = 0;
  readonly latency = new LatencyHistogram();
  readonly wait = new LatencyHistogram();
  readonly balancerQueue = new LatencyHistogram();
  readonly balancerBusyUs: Float64Array;
  readonly idleMemory: Integrator;
  readonly orphanedMemory: Integrator;
  readonly activeHosts: Integrator;
  /** Requests in the system (arrived, not yet ended), integrated for Little's law. */
  readonly inSystem: Integrator;
  private inSystemNow = 0;
  readonly functions: FunctionTable;
  readonly timeseries = new Timeseries();
  /** Host memory utilisation samples (percent of a host's memory), one per up host per tick. */
  readonly hostUtilization = new LatencyHistogram();
  /** The same samples counted per whole percent: [k, k+1)% at k (100% counts at 99). */
  readonly hostUtilizationPercent = new Float64Array(100);
  imbalanceSum = 0;
  imbalanceSamples = 0;
  /**
   * Where completed requests' time went, summed over them, by BREAKDOWN_COMPONENTS
   * (requests.ts): the entries add up to the latency histogram's sum.
   */
  readonly breakdownUs = new Float64Array(BREAKDOWN_COMPONENTS.length);

  /** The model's gauges; set by attach() once the model exists. */
  private sandboxes!: SandboxGauges;
  private hosts!: HostGauges;
  private attempts!: AttemptTimes;

  constructor(
    functionNames: readonly string[],
    partitions: number,
    private readonly warmupUs: number,
    endUs: number,
  ) {
    this.functions = new FunctionTable(functionNames, this.latency);
    this.balancerBusyUs = new Float64Array(partitions);
    this.idleMemory = new Integrator(warmupUs, endUs);
    this.orphanedMemory = new Integrator(warmupUs, endUs);
    this.activeHosts = new Integrator(warmupUs, endUs);
    this.inSystem = new Integrator(warmupUs, endUs);
  }

  attach(sandboxes: SandboxGauges, hosts: HostGauges, attempts: AttemptTimes): void {
    this.sandboxes = sandboxes;
    this.hosts = hosts;
    this.attempts = attempts;
  }

  arrived(_req: number, fn: number, nowUs: number): void {
    this.inSystem.advance(nowUs, this.inSystemNow++);
    if (nowUs < this.warmupUs) return;
    this.count.arrived++;
    this.count.attempts++;
    this.functions.countArrival(fn);
    this.timeseries.arrivals++;
  }

  started(
    _req: number,
    arrivalUs: number,
    sb: Sandbox,
    waitUs: number,
    cold: boolean,
    _nowUs: number,
    cached: boolean,
  ): void {
    if (arrivalUs < this.warmupUs) return;
    this.count.started++;
    this.wait.record(waitUs);
    this.functions.countStart(sb.fn, cold);
    if (cold) {
      this.count.coldStarts++;
      if (cached) this.count.coldStartCacheHits++;
      this.timeseries.coldStarts++;
    }
  }

  retried(_req: number, _fn: number, arrivalUs: number): void {
    if (arrivalUs < this.warmupUs) return;
    this.count.attempts++;
    this.count.retries++;
  }

  ended(_req: number, _sb: Sandbox, executedUs: number, wasted: boolean): void {
    if (wasted) this.wastedUs += executedUs;
  }

  completed(req: number, fn: number, arrivalUs: number, nowUs: number): void {
    this.inSystem.advance(nowUs, this.inSystemNow--);
    if (arrivalUs < this.warmupUs) return;
    const latency = nowUs - arrivalUs;
    this.attempts.addBreakdown(req, nowUs, this.breakdownUs);
    this.count.completed++;
    this.latency.record(latency);
    this.functions.recordLatency(fn, latency);
    this.timeseries.completed++;
    this.timeseries.latency.record(latency);
  }

  attemptFailed(_req: number, _fn: number, arrivalUs: number, cause: Cause): void {
    if (arrivalUs < this.warmupUs) return;
    this.failures[cause]!++;
    if (cause === 0) this.timeseries.throttled++;
    this.timeseries.failuresByCause[cause]!++;
  }

  failed(_req: number, _fn: number, arrivalUs: number, _cause: Cause, nowUs: number): void {
    this.inSystem.advance(nowUs, this.inSystemNow--);
    if (arrivalUs < this.warmupUs) return;
    this.count.failed++;
    this.timeseries.failed++;
  }

  sandboxCreated(_sb: Sandbox, nowUs: number): void {
    if (nowUs >= this.warmupUs) this.sandboxesCreated++;
  }

  sandboxEnded(_sb: Sandbox, how: "reclaimed" | "lost", nowUs: number): void {
    if (nowUs < this.warmupUs) return;
    if (how === "lost") this.sandboxesLost++;
    else this.sandboxesReclaimed++;
  }

  sandboxOrphaned(_sb: Sandbox, nowUs: number): void {
    if (nowUs >= this.warmupUs) this.sandboxesOrphaned++;
  }

  gaugesWillChange(nowUs: number): void {
    this.idleMemory.advance(nowUs, this.sandboxes.idleMemoryMb);
    this.orphanedMemory.advance(nowUs, this.sandboxes.orphanedMemoryMb);
    this.activeHosts.advance(nowUs, this.hosts.activeCount);
  }

  balancerOp(partition: number, queueUs: number, serviceUs: number, nowUs: number): void {
    if (nowUs < this.warmupUs) return;
    this.balancerQueue.record(queueUs);
    this.balancerBusyUs[partition]! += serviceUs;
  }

  /** Closes the time-series interval [startUs, nowUs) and samples host memory. */
  tick(startUs: number, nowUs: number, faults: string): void {
    const s = this.sandboxes;
    const hosts = this.hosts;
    this.gaugesWillChange(nowUs);
    this.inSystem.advance(nowUs, this.inSystemNow);
    let up = 0;
    let maxUsed = 0;
    for (let h = 0; h < hosts.count; h++) {
      if (!hosts.up[h]) continue;
      up++;
      const used = hosts.memoryMb - hosts.freeMb[h]!;
      if (used > maxUsed) maxUsed = used;
      this.hostUtilization.record(Math.round((used / hosts.memoryMb) * 10_000));
      this.hostUtilizationPercent[Math.min(99, Math.floor((used / hosts.memoryMb) * 100))]!++;
    }
    const meanUsed = up > 0 ? hosts.usedMb / up : 0;
    if (meanUsed > 0) {
      this.imbalanceSum += maxUsed / meanUsed;
      this.imbalanceSamples++;
    }
    this.timeseries.close(
      startUs,
      nowUs,
      {
        sandboxes: s.liveSandboxes,
        busySandboxes: s.busySandboxes,
        idleSandboxes:
          s.liveSandboxes - s.busySandboxes - s.initializingSandboxes - s.orphanedSandboxes,
        hostsUp: up,
        hostsActive: hosts.activeCount,
        memoryUsedMb: hosts.usedMb,
        orphanedSandboxes: s.orphanedSandboxes,
        initializingSandboxes: s.initializingSandboxes,
      },
      faults,
    );
  }
}
