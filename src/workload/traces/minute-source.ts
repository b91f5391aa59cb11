/**
 * Arrivals of one function of a per-minute trace: each minute's count spread uniformly
 * at random over the minute, so that every minute replays exactly its count.
 *
 * The points of a minute are generated in increasing order, one at a time, with no
 * buffer: of k points uniform on (x, 1), the smallest is x + (1 − x)(1 − V^(1/k)) for V
 * uniform (P(min > y) = ((1 − y)/(1 − x))^k), and the k − 1 others are uniform above it.
 * So a minute of a million invocations costs O(1) memory, and the sequence is exactly
 * that of sorted uniform draws. One draw per arrival, from the function's own stream.
 */
import type { Rng } from "../../kernel/dist-spec.js";
import { MINUTE_US, type MinuteCounts } from "./trace.js";

export class MinuteSource {
  private index = 0;
  private left = 0;
  /** Position of the last point in the current minute, in [0, 1). */
  private x = 0;
  private minuteStartUs = 0;
  private readonly whole: number;
  private readonly fraction: number;

  constructor(
    private readonly data: MinuteCounts,
    private readonly rng: Rng,
    /** workload.scale: each count becomes count × scale, rounded at random (1: exact). */
    scale = 1,
  ) {
    this.whole = Math.floor(scale);
    this.fraction = scale - this.whole;
  }

  /** The next arrival (exact µs from the first minute's start), or Infinity after the last. */
  next(): number {
    while (this.left === 0) {
      const i = this.index;
      if (i >= this.data.minutes.length) return Number.POSITIVE_INFINITY;
      this.index = i + 1;
      this.minuteStartUs = this.data.minutes[i]! * MINUTE_US;
      this.left = this.scaled(this.data.counts[i]!);
      this.x = 0;
    }
    const u = 1 - this.rng(); // in (0, 1]
    const x = this.x + (1 - this.x) * -Math.expm1(Math.log(u) / this.left);
    this.x = x;
    this.left--;
    // Within the minute even after rounding to whole microseconds.
    return Math.min(this.minuteStartUs + x * MINUTE_US, this.minuteStartUs + MINUTE_US - 1);
  }

  private scaled(count: number): number {
    if (this.fraction === 0) return count * this.whole;
    // Binomial-free stochastic rounding of count × scale: the mean is exact.
    const target = count * (this.whole + this.fraction);
    const base = Math.floor(target);
    return base + (this.rng() < target - base ? 1 : 0);
  }
}
