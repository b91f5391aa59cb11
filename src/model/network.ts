/**
 * One-way latencies between zones, and whether a message gets through: a message is
 * lost when its zones cannot reach each other at the moment it would arrive (a cut
 * begun while it was in flight loses it too; a cut that begins and heals within one
 * flight, a few milliseconds, is not seen).
 */
import { sampler } from "../kernel/distributions.js";
import type { Streams } from "../kernel/random.js";
import type { ResolvedScenario } from "../scenario/types.js";
import type { Zones } from "./zones.js";

export class Network {
  private readonly sameZoneUs: () => number;
  private readonly crossZoneUs: () => number;
  private readonly zeroLatency: boolean;

  constructor(
    scenario: ResolvedScenario,
    streams: Streams,
    private readonly zones: Zones,
  ) {
    const { sameZone, crossZone } = scenario.network;
    const rng = streams.get("network");
    this.sameZoneUs = sampler(sameZone, rng);
    this.crossZoneUs = sampler(crossZone, rng);
    const isZero = (d: typeof sameZone): boolean => d.dist === "constant" && d.value === 0;
    this.zeroLatency = isZero(sameZone) && isZero(crossZone);
  }

  /** One-way latency between zones in whole microseconds; -1 when they cannot reach each other. */
  delay(from: number, to: number): number {
    if (!this.zones.reachable(from, to)) return -1;
    if (this.zeroLatency) return 0;
    return Math.round(from === to ? this.sameZoneUs() : this.crossZoneUs());
  }

  /** Whether a message sent between the zones arrives now (checked on delivery). */
  delivers(from: number, to: number): boolean {
    return this.zones.reachable(from, to);
  }
}
