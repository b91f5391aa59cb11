/**
 * The zones as the network sees them: which zones' frontends and balancer nodes are up,
 * which zones are cut off by network partitions, one-way latencies between zones, and
 * the zone a new request arrives in.
 */
import type { Rng } from "../kernel/dist-spec.js";
import { sampler } from "../kernel/distributions.js";
import type { Streams } from "../kernel/random.js";
import type { ResolvedScenario } from "../scenario/types.js";

export class Network {
  /** Whether each zone's frontends (and balancer nodes) are up. */
  readonly zoneUp: Uint8Array;
  /** Network partitions in force on each zone (they may overlap). */
  private readonly zoneCut: Uint8Array;
  /** Zones with at least one partition in force. */
  private cutZones = 0;
  private readonly sameZoneUs: () => number;
  private readonly crossZoneUs: () => number;
  private readonly zeroLatency: boolean;
  /** The frontend zone of each arrival: a stream of its own, so zones never move arrivals. */
  private readonly frontendRng: Rng;

  constructor(scenario: ResolvedScenario, streams: Streams) {
    const zones = scenario.cluster.zones.length;
    const { sameZone, crossZone } = scenario.network;
    const rng = streams.get("network");
    this.sameZoneUs = sampler(sameZone, rng);
    this.crossZoneUs = sampler(crossZone, rng);
    const isZero = (d: typeof sameZone): boolean => d.dist === "constant" && d.value === 0;
    this.zeroLatency = isZero(sameZone) && isZero(crossZone);
    this.frontendRng = streams.get("frontend");
    this.zoneUp = new Uint8Array(zones).fill(1);
    this.zoneCut = new Uint8Array(zones);
  }

  /** Whether any zone is cut off now. */
  get anyCut(): boolean {
    return this.cutZones > 0;
  }

  /**
   * Starts (or ends) one partition cutting `zone` off. Returns true when the zone joined
   * the others again (its last partition ended).
   */
  cut(zone: number, on: boolean): boolean {
    if (!on && this.zoneCut[zone] === 0) return false;
    this.zoneCut[zone]! += on ? 1 : -1;
    if (on && this.zoneCut[zone] === 1) this.cutZones++;
    if (on || this.zoneCut[zone]! > 0) return false; // another cut of the zone still holds
    this.cutZones--;
    return true;
  }

  /**
   * Whether messages pass between two zones: inside a zone always; between zones only
   * when neither is cut off (two zones cut at once cannot reach each other either).
   */
  reachable(from: number, to: number): boolean {
    return (
      from === to || this.cutZones === 0 || (this.zoneCut[from] === 0 && this.zoneCut[to] === 0)
    );
  }

  /** One-way latency between zones in whole microseconds; -1 when cut off. */
  delay(from: number, to: number): number {
    if (this.cutZones > 0 && !this.reachable(from, to)) return -1;
    if (this.zeroLatency) return 0;
    return Math.round(from === to ? this.sameZoneUs() : this.crossZoneUs());
  }

  /** A zone whose frontends are up, drawn uniformly; -1 when none is. */
  frontendZone(): number {
    const zones = this.zoneUp.length;
    if (zones === 1) return this.zoneUp[0] ? 0 : -1;
    const z = Math.floor(this.frontendRng() * zones);
    if (this.zoneUp[z]) return z;
    for (let i = 1; i < zones; i++) if (this.zoneUp[(z + i) % zones]) return (z + i) % zones;
    return -1;
  }
}
