/** What the frontend asks of a source of arrivals (see sources.ts). */

/** Draw the execution time from the function's distribution. */
export const DRAW_DURATION = -1;

export interface ArrivalSource {
  /**
   * Advances to the next arrival and returns its time (exact µs; Infinity when there is
   * none); `fn` and `durationUs` then describe it.
   */
  advance(): number;
  /** The function of the arrival `advance` returned (an index into scenario.functions). */
  fn: number;
  /** Its execution time in whole µs, or DRAW_DURATION. */
  durationUs: number;
}
