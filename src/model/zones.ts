/**
 * The zones' own state: outages and network partitions, each reference-counted so that
 * overlapping faults compose (a zone is out while any outage holds it; cut off while
 * any partition holds it), and the frontends, which are up exactly when their zone is
 * not out. Each cut gets an epoch when it begins (the zone joins no one), so that the
 * balancer's detection of a cut belongs to that cut and is void once it has healed.
 *
 * Only the fault commands write here (through `beginOutage`...); everything else reads.
 */
import type { Rng } from "../kernel/dist-spec.js";

export class Zones {
  readonly count: number;
  /** Outages in force per zone. */
  private readonly outages: Int32Array;
  /** Network partitions in force per zone. */
  private readonly cuts: Int32Array;
  /** Bumped when a zone becomes cut off (its first partition begins). */
  private readonly cutEpoch: Int32Array;
  /** When each zone last became cut off (-1: never). */
  private readonly cutBeganUs: Float64Array;
  /** Zones with at least one partition in force. */
  private cutZones = 0;
  /** Cuts begun so far (0: no message can have been lost to one). */
  cutsBegun = 0;
  /**
   * Zones the balancer knows to be cut off (detected, not yet healed): the leaders stop
   * routing to sandboxes they cannot reach.
   */
  private readonly cutKnown: Uint8Array;

  constructor(
    count: number,
    /** The frontend zone of each arrival: a stream of its own, so zones never move arrivals. */
    private readonly frontendRng: Rng,
  ) {
    this.count = count;
    this.outages = new Int32Array(count);
    this.cuts = new Int32Array(count);
    this.cutEpoch = new Int32Array(count);
    this.cutKnown = new Uint8Array(count);
    this.cutBeganUs = new Float64Array(count).fill(-1);
  }

  /** Whether the zone's frontends, balancer nodes and hosts run (no outage holds it). */
  isUp(zone: number): boolean {
    return this.outages[zone] === 0;
  }

  /** One more outage holds the zone; true when it just went down. */
  beginOutage(zone: number): boolean {
    return ++this.outages[zone]! === 1;
  }

  /** One outage of the zone ended; true when the zone just came back (none holds it). */
  endOutage(zone: number): boolean {
    if (this.outages[zone] === 0) throw new Error(`zone ${zone}: no outage to end`);
    return --this.outages[zone]! === 0;
  }

  get anyCut(): boolean {
    return this.cutZones > 0;
  }

  isCut(zone: number): boolean {
    return this.cuts[zone]! > 0;
  }

  /** One more partition cuts the zone off at `nowUs`; true when it just became cut off. */
  beginCut(zone: number, nowUs: number): boolean {
    if (++this.cuts[zone]! > 1) return false;
    this.cutZones++;
    this.cutEpoch[zone]!++;
    this.cutBeganUs[zone] = nowUs;
    this.cutsBegun++;
    return true;
  }

  /**
   * Whether a message between the zones, on the wire during (fromUs, toUs], met a cut
   * that began then (only each zone's latest cut is remembered: enough for a hop of a
   * few milliseconds).
   */
  cutDuring(a: number, b: number, fromUs: number, toUs: number): boolean {
    if (a === b) return false;
    const began = (z: number): boolean =>
      this.cutBeganUs[z]! > fromUs && this.cutBeganUs[z]! <= toUs;
    return began(a) || began(b);
  }

  /** One partition of the zone ended; true when it just joined the others again. */
  endCut(zone: number): boolean {
    if (this.cuts[zone] === 0) throw new Error(`zone ${zone}: no partition to end`);
    if (--this.cuts[zone]! > 0) return false;
    this.cutZones--;
    this.cutKnown[zone] = 0;
    return true;
  }

  /** The epoch of the zone's current (or last) cut. */
  cutEpochOf(zone: number): number {
    return this.cutEpoch[zone]!;
  }

  /** The balancer detected the cut of `zone` that began with `epoch`; false if it is over. */
  detectCut(zone: number, epoch: number): boolean {
    if (this.cuts[zone] === 0 || this.cutEpoch[zone] !== epoch) return false;
    this.cutKnown[zone] = 1;
    return true;
  }

  /** Whether the balancer knows that messages between the zones are lost. */
  knownUnreachable(from: number, to: number): boolean {
    return from !== to && (this.cutKnown[from] === 1 || this.cutKnown[to] === 1);
  }

  /**
   * Whether messages pass between two zones now: inside a zone always; between zones
   * only when neither is cut off (two zones cut at once cannot reach each other either).
   */
  reachable(from: number, to: number): boolean {
    return from === to || this.cutZones === 0 || (this.cuts[from] === 0 && this.cuts[to] === 0);
  }

  /** A zone whose frontends are up, drawn uniformly; -1 when none is. */
  frontendZone(): number {
    const zones = this.count;
    if (zones === 1) return this.outages[0] === 0 ? 0 : -1;
    const z = Math.floor(this.frontendRng() * zones);
    if (this.outages[z] === 0) return z;
    for (let i = 1; i < zones; i++) if (this.outages[(z + i) % zones] === 0) return (z + i) % zones;
    return -1;
  }
}
