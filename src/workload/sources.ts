/**
 * Where arrivals come from: each source has exactly one pending arrival in the event
 * queue at a time, and yields the next when that one fires, so memory never follows
 * the number of requests. A source is
 *
 * - a function's generated process (Poisson, steps, ...), or its per-minute trace counts:
 *   one source per function, at the function's index;
 * - an invocation trace (Azure 2021, or an lbsim file of invocations): one source for
 *   all its functions, after the per-function ones, that also gives each invocation's
 *   recorded duration.
 *
 * - a population's Poisson functions: one superposed source for all of them, after the
 *   per-function ones (population.ts); their per-function sources never fire.
 *
 * Streams: a function's arrivals draw from `arrivals/<name>` as before; the invocation
 * trace needs draws only when workload.scale is not 1 (`arrivals/trace`).
 */
import type { Rng } from "../kernel/dist-spec.js";
import { createSmallStream, type Streams } from "../kernel/random.js";
import { traceData } from "../scenario/trace.js";
import type { ResolvedScenario } from "../scenario/types.js";
import { type ArrivalProcess, arrivalProcess } from "./arrivals.js";
import { populationMember } from "./draws.js";
import { POPULATION_ARRIVALS, PopulationArrivals } from "./population.js";
import { type ArrivalSource, DRAW_DURATION } from "./source.js";
import { InvocationStream } from "./traces/invocation-stream.js";
import { MinuteSource } from "./traces/minute-source.js";
import { type InvocationTrace, MINUTE_US, windowStartUs } from "./traces/trace.js";

export { type ArrivalSource, DRAW_DURATION } from "./source.js";

/**
 * The sources of a scenario: `functions.length` per-function ones (a function fed by
 * an invocation trace has one that never fires), then the shared ones. Arrivals at or
 * after `endUs` are never asked for; an invocation trace stops reading there.
 */
export function arrivalSources(
  scenario: ResolvedScenario,
  streams: Streams,
  endUs: number,
): ArrivalSource[] {
  const scale = scenario.workload.scale;
  const fns = scenario.functions;
  const sources: ArrivalSource[] = [];
  const traced: number[] = [];
  const population = scenario.workload.population;
  const inPopulation = populationMember(scenario);
  const superposed = population?.process === "poisson";
  fns.forEach((f, i) => {
    const a = f.arrivals;
    if (inPopulation(i) && a.process !== "trace") {
      if (superposed) sources.push(NEVER);
      else {
        const rng = createSmallStream(streams.seed, `arrivals/${f.name}`);
        sources.push(new ProcessSource(i, arrivalProcess(a, rng)));
      }
      return;
    }
    const rng = streams.get(`arrivals/${f.name}`);
    if (a.process !== "trace") {
      sources.push(new ProcessSource(i, arrivalProcess(a, rng)));
      return;
    }
    const trace = traceData(scenario);
    if (trace.kind === "minutes") {
      sources.push(new ProcessSource(i, new MinuteSource(trace.counts[a.index]!, rng, scale)));
    } else {
      traced[a.index] = i;
      sources.push(NEVER);
    }
  });
  if (population !== undefined && superposed) {
    const { first, count } = population;
    const rates: number[] = [];
    for (let i = first; i < first + count; i++) {
      const a = fns[i]!.arrivals;
      rates.push(a.process === "poisson" ? a.rate : 0);
    }
    sources.push(new PopulationArrivals(first, rates, streams.get(POPULATION_ARRIVALS)));
  }
  if (traced.length > 0) {
    const trace = traceData(scenario) as InvocationTrace;
    sources.push(new TraceSource(trace, traced, endUs, scale, streams.get("arrivals/trace")));
  }
  return sources;
}

const NEVER: ArrivalSource = {
  fn: -1,
  durationUs: DRAW_DURATION,
  advance: () => Number.POSITIVE_INFINITY,
};

/** One function's process: each arrival follows the previous one. */
class ProcessSource implements ArrivalSource {
  durationUs = DRAW_DURATION;
  private lastUs = 0;

  constructor(
    readonly fn: number,
    private readonly process: ArrivalProcess,
  ) {}

  advance(): number {
    this.lastUs = this.process.next(this.lastUs);
    return this.lastUs;
  }
}

/** An invocation trace, streamed: every invocation at its time with its own duration. */
class TraceSource implements ArrivalSource {
  fn = -1;
  durationUs = DRAW_DURATION;
  private readonly stream: InvocationStream;

  constructor(
    trace: InvocationTrace,
    /** Scenario function index of each trace function. */
    private readonly functionOf: readonly number[],
    private readonly endUs: number,
    scale: number,
    rng: Rng,
  ) {
    const startUs = windowStartUs(trace);
    const window = {
      startUs,
      endUs: (trace.lastMinute - trace.firstMinute + 1) * MINUTE_US + startUs,
    };
    this.stream = new InvocationStream(trace.rows(), trace.lagUs, window, scale, rng);
  }

  advance(): number {
    const s = this.stream;
    if (!s.next()) return Number.POSITIVE_INFINITY;
    this.fn = this.functionOf[s.fn]!;
    this.durationUs = s.durationUs;
    // The run ends before this one: stop reading the file now.
    if (s.arrivalUs >= this.endUs) s.close();
    return s.arrivalUs;
  }
}
