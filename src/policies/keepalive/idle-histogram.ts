/**
 * One function's histogram of idle times (Shahrad et al., "Serverless in the Wild",
 * USENIX ATC 2020, section 4.2): `bins` bins of `binUs` each (1 minute x 240 = 4 hours
 * in the hybrid policy), plus a count of idle times beyond the range.
 *
 * Built so that recording costs O(1) and a percentile O(sqrt(bins)): counts per bin,
 * counts per block of about sqrt(bins) bins (a percentile walks the blocks, then the
 * bins of one block), and the running sum of squared bin counts, from which the
 * coefficient of variation of the bin counts follows exactly (no float drift: every
 * sum is an integer well below 2^53 for any realistic run).
 *
 * Nothing ages: every idle time ever recorded counts the same, as in the paper (which
 * keeps the histogram for the whole trace) and DSLab FaaS. A function whose pattern
 * changes is therefore followed slowly.
 */
export class IdleHistogram {
  readonly bins: number;
  private readonly counts: Uint32Array;
  private readonly blockCounts: Uint32Array;
  private readonly blockSize: number;
  /** Idle times that fell in a bin. */
  inRange = 0;
  /** Idle times of `bins * binUs` or more. */
  outOfRange = 0;
  /** Sum over the bins of count^2. */
  private sumSquares = 0;

  constructor(
    readonly binUs: number,
    bins: number,
  ) {
    if (!(binUs > 0) || !Number.isInteger(bins) || bins < 2)
      throw new Error(`an idle-time histogram needs binUs > 0 and at least 2 bins`);
    this.bins = bins;
    this.counts = new Uint32Array(bins);
    this.blockSize = Math.ceil(Math.sqrt(bins));
    this.blockCounts = new Uint32Array(Math.ceil(bins / this.blockSize));
  }

  /** Idle times recorded, in range or not. */
  get total(): number {
    return this.inRange + this.outOfRange;
  }

  /** Records one idle time (microseconds, >= 0). O(1). */
  record(idleUs: number): void {
    const bin = Math.floor(idleUs / this.binUs);
    if (bin >= this.bins) {
      this.outOfRange++;
      return;
    }
    const i = Math.max(bin, 0);
    const c = this.counts[i]!;
    this.counts[i] = c + 1;
    this.blockCounts[Math.floor(i / this.blockSize)]!++;
    this.sumSquares += 2 * c + 1; // (c + 1)^2 - c^2
    this.inRange++;
  }

  /** Count of bin `i`. */
  count(i: number): number {
    return this.counts[i] ?? 0;
  }

  /**
   * Coefficient of variation (population standard deviation over mean) of the counts of
   * all bins, empty ones included; 0 when nothing is in range. With the idle times spread
   * evenly over k of the n bins it is sqrt(n / k - 1): the more concentrated the idle
   * times, the higher.
   */
  cv(): number {
    if (this.inRange === 0) return 0;
    const n = this.bins;
    const mean = this.inRange / n;
    const variance = Math.max(0, this.sumSquares / n - mean * mean);
    return Math.sqrt(variance) / mean;
  }

  /** Share of the recorded idle times that fell beyond the range; 0 when none recorded. */
  outOfRangeShare(): number {
    const total = this.total;
    return total === 0 ? 0 : this.outOfRange / total;
  }

  /**
   * The bin holding the `p`-th quantile (0 < p <= 1) of the in-range idle times: the
   * smallest bin whose cumulative count reaches ceil(p x inRange) (at least 1), so p = 1
   * is the highest non-empty bin. -1 when nothing is in range. O(sqrt(bins)).
   */
  percentileBin(p: number): number {
    if (this.inRange === 0) return -1;
    // The epsilon keeps p x n from rounding up past an integer it equals (0.07 x 100).
    const rank = Math.max(1, Math.ceil(p * this.inRange - 1e-9));
    let below = 0;
    let block = 0;
    while (below + this.blockCounts[block]! < rank) below += this.blockCounts[block++]!;
    let bin = block * this.blockSize;
    while (below + this.counts[bin]! < rank) below += this.counts[bin++]!;
    return bin;
  }
}
