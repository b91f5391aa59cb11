/**
 * Arrival processes: each gives the time of a function's next arrival from the
 * previous one, drawing only from that function's own arrival stream (so policies
 * never change the workload). Times are exact (fractional) microseconds; the model
 * rounds when it schedules.
 */
import type { Rng } from "../kernel/dist-spec.js";
import { US_PER_S } from "../kernel/time.js";
import type { ArrivalSpec } from "../scenario/types.js";

export interface ArrivalProcess {
  /** The next arrival after `afterUs` (the previous arrival, or 0), or Infinity. */
  next(afterUs: number): number;
}

const expUs = (rng: Rng, ratePerS: number): number => (-Math.log(1 - rng()) / ratePerS) * US_PER_S;

export function arrivalProcess(spec: ArrivalSpec, rng: Rng): ArrivalProcess {
  switch (spec.process) {
    case "poisson": {
      const rate = spec.rate;
      return { next: (t) => (rate > 0 ? t + expUs(rng, rate) : Number.POSITIVE_INFINITY) };
    }
    case "constant":
      return constant(spec.rate, rng);
    case "steps":
      return steps(spec.steps, rng);
    case "onoff":
      return onOff(spec, rng);
    case "diurnal":
      return diurnal(spec, rng);
  }
}

/** Evenly spaced, starting at a random phase so that functions do not all fire at once. */
function constant(rate: number, rng: Rng): ArrivalProcess {
  if (rate <= 0) return { next: () => Number.POSITIVE_INFINITY };
  const gap = US_PER_S / rate;
  let started = false;
  return {
    next(t) {
      if (started) return t + gap;
      started = true;
      return t + rng() * gap;
    },
  };
}

/**
 * Piecewise-constant Poisson rates. The exponential is memoryless, so a draw that
 * crosses a step boundary is redrawn from the boundary at the new rate: exact.
 */
function steps(list: ReadonlyArray<{ atUs: number; rate: number }>, rng: Rng): ArrivalProcess {
  const rateAt = (i: number): number => (i >= 0 ? list[i]!.rate : 0);
  return {
    next(t) {
      let i = list.findLastIndex((s) => s.atUs <= t);
      for (;;) {
        const end = i + 1 < list.length ? list[i + 1]!.atUs : Number.POSITIVE_INFINITY;
        const rate = rateAt(i);
        const candidate = rate > 0 ? t + expUs(rng, rate) : Number.POSITIVE_INFINITY;
        if (candidate < end) return candidate;
        if (end === Number.POSITIVE_INFINITY) return end;
        t = end;
        i++;
      }
    },
  };
}

function onOff(spec: Extract<ArrivalSpec, { process: "onoff" }>, rng: Rng): ArrivalProcess {
  if (spec.on.rate <= 0 && spec.off.rate <= 0) return { next: () => Number.POSITIVE_INFINITY };
  let on = rng() < spec.on.meanUs / (spec.on.meanUs + spec.off.meanUs);
  let stateEndUs = -1;
  const sojourn = (): number => -Math.log(1 - rng()) * (on ? spec.on.meanUs : spec.off.meanUs);
  return {
    next(t) {
      if (stateEndUs < 0) stateEndUs = t + sojourn();
      for (;;) {
        const rate = on ? spec.on.rate : spec.off.rate;
        const candidate = rate > 0 ? t + expUs(rng, rate) : Number.POSITIVE_INFINITY;
        if (candidate < stateEndUs) return candidate;
        t = stateEndUs;
        on = !on;
        stateEndUs = t + sojourn();
      }
    },
  };
}

/** Non-homogeneous Poisson by thinning (Lewis and Shedler) against the peak rate. */
function diurnal(spec: Extract<ArrivalSpec, { process: "diurnal" }>, rng: Rng): ArrivalProcess {
  const peak = spec.mean * (1 + spec.amplitude);
  if (peak <= 0) return { next: () => Number.POSITIVE_INFINITY };
  const rateAt = (t: number): number =>
    spec.mean *
    (1 + spec.amplitude * Math.cos((2 * Math.PI * (t - spec.peakAtUs)) / spec.periodUs));
  return {
    next(t) {
      for (;;) {
        t += expUs(rng, peak);
        if (rng() * peak <= rateAt(t)) return t;
      }
    },
  };
}
