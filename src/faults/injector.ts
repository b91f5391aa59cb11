/**
 * Turns the scenario's `faults` into commands on the world at their times (SPEC 2.4):
 * scheduled faults at `at`, and random host crashes drawn from their own stream, so
 * adding a fault never changes the workload's draws. Hosts hit by a fault are a seeded
 * choice among the running ones (in the fault's zone, if it names one).
 */
import type { Rng } from "../kernel/dist-spec.js";
import type { Streams } from "../kernel/random.js";
import { activeFaults, type FaultOccurrence } from "../metrics/fault-impact.js";
import type { Failures } from "../model/failures.js";
import type { World } from "../model/world.js";
import type { FaultSpec } from "../scenario/types.js";

export class FaultInjector {
  /** The scenario's faults as they happen, for the summary (random crashes excluded). */
  readonly occurrences: FaultOccurrence[] = [];
  /** Every fault, random host crashes included, for the time series' fault column. */
  private readonly labels: FaultOccurrence[] = [];
  private readonly rng: Rng;
  private readonly randomRng: Rng;
  private readonly actions: (() => void)[] = [];
  private readonly kAction: number;

  constructor(
    private readonly world: World,
    private readonly failures: Failures,
    streams: Streams,
  ) {
    this.rng = streams.get("faults");
    this.randomRng = streams.get("faults/random-host-crashes");
    this.kAction = world.sim.register((i) => this.actions[i]!());
  }

  /** Schedules every fault of the scenario. */
  schedule(): void {
    for (const fault of this.world.scenario.faults) this.scheduleOne(fault);
  }

  /** The faults active in [startUs, endUs), for the time series. */
  label(startUs: number, endUs: number): string {
    return activeFaults(startUs, endUs, this.labels);
  }

  private scheduleOne(fault: FaultSpec): void {
    if (fault.kind === "random-host-crashes") {
      this.randomCrashes(fault);
      return;
    }
    const { failures, world } = this;
    const zone = (name: string | null): number | null =>
      name === null ? null : world.scenario.cluster.zones.indexOf(name);
    const { detectionUs, electionUs } = world.scenario.balancer.failover;
    switch (fault.kind) {
      case "host-crash": {
        let hosts: number[] = [];
        this.at(fault.atUs, () => {
          hosts = this.pick(failures.crashableHosts(zone(fault.zone)), fault.count);
          for (const h of hosts) failures.crashHost(h);
        });
        if (fault.repairUs < Number.POSITIVE_INFINITY)
          this.at(fault.atUs + fault.repairUs, () => {
            for (const h of hosts) failures.repairHost(h);
          });
        this.occurred(fault.kind, fault.atUs, fault.atUs + Math.min(fault.repairUs, world.endUs));
        return;
      }
      case "zone-outage":
        this.during(
          fault,
          () => failures.beginOutage(zone(fault.zone)!),
          () => failures.endOutage(zone(fault.zone)!),
        );
        return;
      case "network-partition":
        this.during(
          fault,
          () => failures.beginCut(zone(fault.zone)!),
          () => failures.endCut(zone(fault.zone)!),
        );
        return;
      case "slow-hosts": {
        let hosts: number[] = [];
        this.during(
          fault,
          () => {
            hosts = this.pick(failures.aliveHosts(zone(fault.zone)), fault.count);
            for (const h of hosts) failures.setSlowdown(h, fault.factor);
          },
          () => {
            for (const h of hosts) failures.setSlowdown(h, 1);
          },
        );
        return;
      }
      case "balancer-crash":
        this.at(fault.atUs, () => {
          const z = zone(fault.zone);
          for (const p of world.partitions)
            if (p.id === fault.partition || (z !== null && p.leader >= 0 && p.leaderZone === z))
              failures.crashLeader(p);
        });
        this.occurred(fault.kind, fault.atUs, fault.atUs + detectionUs + electionUs);
        return;
    }
  }

  /** A fault that starts at `atUs` and is undone `durationUs` later. */
  private during(
    fault: { kind: string; atUs: number; durationUs: number },
    start: () => void,
    end: () => void,
  ): void {
    this.at(fault.atUs, start);
    this.at(fault.atUs + fault.durationUs, end);
    this.occurred(fault.kind, fault.atUs, fault.atUs + fault.durationUs);
  }

  /**
   * Each host (of the zone, if named) crashes after an exponential time of mean `mtbf`,
   * is repaired `repair` later, and starts over.
   */
  private randomCrashes(fault: Extract<FaultSpec, { kind: "random-host-crashes" }>): void {
    const { failures, world } = this;
    const zone = fault.zone === null ? null : world.scenario.cluster.zones.indexOf(fault.zone);
    const next = (h: number, fromUs: number): void => {
      const t = fromUs + Math.round(-Math.log(1 - this.randomRng()) * fault.mtbfUs);
      if (t >= world.endUs) return;
      this.at(t, () => {
        failures.crashHost(h);
        this.labels.push({ kind: "host-crash", atUs: t, endUs: t + fault.repairUs });
        this.at(t + fault.repairUs, () => {
          failures.repairHost(h);
          next(h, world.sim.now);
        });
      });
    };
    for (const h of failures.aliveHosts(zone)) next(h, 0);
  }

  /** A fault that starts at or after the end of the run did not happen: nothing is reported. */
  private occurred(kind: string, atUs: number, endUs: number): void {
    if (atUs >= this.world.endUs) return;
    this.occurrences.push({ kind, atUs, endUs });
    this.labels.push({ kind, atUs, endUs });
  }

  private at(timeUs: number, action: () => void): void {
    if (timeUs >= this.world.endUs) return;
    this.actions.push(action);
    this.world.sim.at(timeUs, this.kAction, this.actions.length - 1);
  }

  /** `count` of `from`, a seeded choice (a partial Fisher-Yates shuffle). */
  private pick(from: number[], count: number): number[] {
    const n = Math.min(count, from.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.rng() * (from.length - i));
      [from[i], from[j]] = [from[j]!, from[i]!];
    }
    return from.slice(0, n);
  }
}
