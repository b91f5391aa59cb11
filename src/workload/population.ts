/**
 * A population's workload, drawn for all of its functions at once (issue 13: a region
 * holds millions of functions, most of them rarely invoked, and the cost of a run
 * must not grow with their number).
 *
 * - Poisson functions are one superposed Poisson process: the total rate, each arrival's
 *   function chosen by an alias table in proportion to its rate. It is the same process
 *   in law as one Poisson process per function, with one pending event instead of one
 *   per function and O(1) work per arrival. Stream `population/arrivals`.
 * - Execution times: every function of a population has the same distribution, so they
 *   draw from one stream, `population/durations`, in arrival order.
 * - Constant-rate functions keep a process each (`arrivals/<name>`), on small-state
 *   streams (random.ts: createSmallStream).
 *
 * Neither order depends on a policy: arrivals and execution times are the same in every
 * variant on one seed (common random numbers). Explicit functions are not affected.
 */
import type { Rng } from "../kernel/dist-spec.js";
import { US_PER_S } from "../kernel/time.js";
import { AliasTable } from "./alias-table.js";
import { type ArrivalSource, DRAW_DURATION } from "./source.js";

export const POPULATION_ARRIVALS = "population/arrivals";
export const POPULATION_DURATIONS = "population/durations";

/** The superposed arrivals of a population's Poisson functions. */
export class PopulationArrivals implements ArrivalSource {
  fn = -1;
  durationUs = DRAW_DURATION;
  private lastUs = 0;
  private readonly totalRate: number;
  private readonly table: AliasTable | null;

  constructor(
    /** Scenario index of the population's first function. */
    readonly first: number,
    rates: readonly number[],
    private readonly rng: Rng,
  ) {
    let total = 0;
    for (const r of rates) total += r;
    this.totalRate = total;
    this.table = total > 0 ? new AliasTable(rates) : null;
  }

  advance(): number {
    if (this.table === null) return Number.POSITIVE_INFINITY;
    const rng = this.rng;
    this.lastUs += (-Math.log(1 - rng()) / this.totalRate) * US_PER_S;
    this.fn = this.first + this.table.draw(rng);
    return this.lastUs;
  }
}
