/**
 * What the partition leader provisions on its own, with no request waiting:
 * minSandboxes (warm at time 0, and restored after a loss) and an adaptive keep-alive's
 * pre-warms. Placement is the leader's (LeaderPath.place), and a restore initialises
 * as a cold start does (placement latency, the hop to the host, a cold-start draw).
 *
 * A restore's placement message can be lost to a network cut that begins while it
 * travels; the hop of each restore still initialising is kept (restores follow losses
 * only, so the map stays small) and checked when it would have been ready.
 */
import type { Partition } from "./balancer/partition.js";
import type { CodeCache } from "./code-cache.js";
import type { ColdStartTimes } from "./cold-start-times.js";
import type { ModelContext } from "./context.js";
import { Ev } from "./events.js";
import type { FunctionRuntime } from "./function-runtime.js";
import type { HostPath } from "./host-path.js";
import type { Hosts } from "./hosts.js";
import type { LeaderPath } from "./leader-path.js";
import type { Network } from "./network.js";
import { type Sandbox, SandboxState } from "./sandbox.js";
import type { SandboxBook } from "./sandbox-book.js";
import type { Zones } from "./zones.js";

export interface ProvisioningParts {
  readonly fns: readonly FunctionRuntime[];
  readonly partitions: readonly Partition[];
  readonly book: SandboxBook;
  readonly hosts: Hosts;
  readonly zones: Zones;
  readonly network: Network;
  readonly codeCache: CodeCache;
  readonly coldStarts: ColdStartTimes;
  readonly leader: LeaderPath;
  readonly hostPath: HostPath;
}

/** A restore's placement message: sent by the leader of `leaderZone`, on the wire (fromUs, toUs]. */
interface RestoreHop {
  readonly serial: number;
  readonly leaderZone: number;
  readonly fromUs: number;
  readonly toUs: number;
}

export class Provisioning {
  /** The placement message of each restore still initializing, by sandbox id. */
  private readonly restoreHops = new Map<number, RestoreHop>();

  constructor(
    private readonly ctx: ModelContext,
    private readonly parts: ProvisioningParts,
  ) {}

  /**
   * Provisions `f`'s minSandboxes at time 0: warm (their initialisation is taken to be
   * done before the run), never reclaimed.
   */
  atStart(f: FunctionRuntime): void {
    const { leader, codeCache, book } = this.parts;
    for (let i = 0; i < f.spec.minSandboxes; i++) {
      const host = leader.place(f);
      if (host < 0) throw new Error(`cannot provision minSandboxes of ${f.spec.name}: no room`);
      codeCache.load(host, f.index);
      const sb = book.create(f, host, 0, true);
      book.markReady(sb, f);
    }
  }

  /**
   * A provisioned sandbox of `f` was lost or orphaned: the leader places and initializes
   * new ones (a cold start's placement and initialisation, with no request waiting)
   * until `f` has its minSandboxes again. Waits for a committing leader; a function for
   * which no host has room now, or whose chosen host is out of reach, is tried again
   * when a host comes back or a cut is detected or heals (Failures).
   */
  restoreMinimum(f: FunctionRuntime): void {
    const { partitions, leader, network, hosts, codeCache, book, coldStarts } = this.parts;
    const p = partitions[f.partition]!;
    if (!p.serving) return;
    const sim = this.ctx.sim;
    const placementUs = this.ctx.scenario.placement.latencyUs;
    while (f.pinnedSandboxes < f.spec.minSandboxes && f.sandboxes < f.spec.maxSandboxes) {
      const host = leader.place(f);
      if (host < 0) return;
      const toHost = network.delay(p.leaderZone, hosts.zoneOf(host));
      if (!hosts.alive[host] || toHost < 0) return; // a host not yet known down: try later
      const cached = codeCache.load(host, f.index);
      const sb = book.create(f, host, 0, true);
      const fromUs = sim.now + placementUs;
      this.restoreHops.set(sb.id, {
        serial: sb.serial,
        leaderZone: p.leaderZone,
        fromUs,
        toUs: fromUs + toHost,
      });
      const delay = placementUs + toHost + coldStarts.drawUs(f, cached);
      sim.after(delay, Ev.RestoreMinimum, sb.id, sb.serial);
    }
  }

  /**
   * A restored provisioned sandbox finished initializing (void if it ended meanwhile).
   * Unless a cut that began while its placement travelled lost it: the host never made
   * it, and the leader drops it as lost at the time it would have been ready, as it
   * does a cold start's (HostPath.onReady); the loss makes it restore again.
   */
  restoredReady(id: number, serial: number): void {
    const { book, zones, hosts, fns, hostPath, leader } = this.parts;
    const hop = this.restoreHops.get(id);
    if (hop?.serial === serial) this.restoreHops.delete(id);
    const sb = book.find(id, serial);
    if (!sb || sb.state !== SandboxState.Initializing) return;
    if (sb.destroyed) return; // its host crashed meanwhile: lost on detection
    if (
      hop?.serial === serial &&
      zones.cutsBegun > 0 &&
      zones.cutDuring(hop.leaderZone, hosts.zoneOf(sb.host), hop.fromUs, hop.toUs)
    )
      return book.remove(sb, "lost");
    const f = fns[sb.fn]!;
    book.markReady(sb, f);
    hostPath.startQueued(sb);
    if (!sb.orphaned) {
      leader.drainQueueInto(sb, f);
      book.settle(sb, f);
    }
  }

  /**
   * A warm sandbox for an adaptive keep-alive's pre-warm, or null when it is skipped:
   * `f` at maxSandboxes, no host with room, a chosen host not running, or no leader.
   */
  warm(f: FunctionRuntime): Sandbox | null {
    const { partitions, leader, hosts, codeCache, book } = this.parts;
    if (f.sandboxes >= f.spec.maxSandboxes || !partitions[f.partition]!.serving) return null;
    const host = leader.place(f);
    if (host < 0 || !hosts.alive[host]) return null;
    codeCache.load(host, f.index); // as for a cold start: the package is on the host now
    const sb = book.create(f, host, 0, false);
    book.markReady(sb, f);
    return sb;
  }
}
