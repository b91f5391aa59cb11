/**
 * How long a new sandbox takes to initialise (SPEC 2.3): a draw from the function's
 * uncached distribution, or from its cached one when the host's code cache held the
 * package (a hit). Shared by the two callers that make sandboxes initialise, a
 * request's cold start (LeaderPath) and the leader's own restores (Provisioning), so
 * that both draw from the same streams in the order events happen.
 */
import { sampler } from "../kernel/distributions.js";
import { ColdStartDraws } from "../workload/draws.js";
import type { ModelContext } from "./context.js";
import type { FunctionRuntime } from "./function-runtime.js";

export class ColdStartTimes {
  private readonly uncached: ColdStartDraws;
  /** Cached cold-start samplers, made on a function's first cache hit. */
  private readonly cached: ((() => number) | undefined)[] = [];

  constructor(private readonly ctx: ModelContext) {
    this.uncached = new ColdStartDraws(ctx.scenario, ctx.streams);
  }

  /** An initialisation time of `f`, in whole microseconds; `cached`: a code-cache hit. */
  drawUs(f: FunctionRuntime, cached: boolean): number {
    return Math.round(cached ? this.cachedUs(f) : this.uncached.draw(f.index, f.coldStartUncached));
  }

  /**
   * A draw from the function's cached cold-start distribution, from a stream of its own
   * (`coldstart-cached/<fn>`), so that hits never move the uncached draws; the stream
   * is made on the first hit (no cost without a cache).
   */
  private cachedUs(f: FunctionRuntime): number {
    let draw = this.cached[f.index];
    if (!draw) {
      const stream = this.ctx.streams.get(`coldstart-cached/${f.spec.name}`);
      draw = sampler(f.spec.coldStartCached, stream);
      this.cached[f.index] = draw;
    }
    return draw();
  }
}
