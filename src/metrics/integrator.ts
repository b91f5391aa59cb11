/**
 * Time integral of a piecewise-constant gauge, restricted to the measured window
 * [fromUs, toUs]. Call `advance(now, value)` before the gauge changes, with its value
 * until now.
 */
export class Integrator {
  private lastUs: number;
  area = 0;

  constructor(
    readonly fromUs: number,
    private readonly toUs: number,
  ) {
    this.lastUs = fromUs;
  }

  advance(nowUs: number, value: number): void {
    const end = Math.min(nowUs, this.toUs);
    if (end > this.lastUs) {
      this.area += value * (end - this.lastUs);
      this.lastUs = end;
    }
  }
}
