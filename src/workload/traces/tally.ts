/**
 * The first pass over an invocation trace: which functions there are, how many
 * invocations each has in each minute (kept sparse: only the minutes a function is
 * active in, so memory follows the trace's span times its active functions, not its
 * invocations), their mean duration, and the file's lag (how far a row can arrive
 * before rows read ahead of it; see invocation-stream.ts). Then the window and the
 * selection turn it into the replayed functions.
 */
import type { DistSpec } from "../../kernel/dist-spec.js";
import { selectionReason } from "./azure2019.js";
import { type Selection, selectFunctions, uniqueNames } from "./select.js";
import { type LeftOut, MINUTE_US, type TraceFunction } from "./trace.js";

interface Active {
  readonly minutes: number[];
  readonly counts: number[];
  durationSumUs: number;
  total: number;
}

/** The trace's minute number of an arrival (minute 1 is [0, 60 s) of the trace's clock). */
export const minuteOf = (arrivalUs: number): number => Math.floor(arrivalUs / MINUTE_US) + 1;

export class InvocationTally {
  readonly keys: string[] = [];
  /** The hash that names each function (the last part of its key). */
  readonly hashes: string[] = [];
  private readonly active: Active[] = [];
  private frontierUs = Number.NEGATIVE_INFINITY;
  lagUs = 0;
  minArrivalUs = Number.POSITIVE_INFINITY;
  maxArrivalUs = Number.NEGATIVE_INFINITY;
  rows = 0;

  /** A new function; returns its index. */
  addFunction(key: string, hash: string): number {
    this.keys.push(key);
    this.hashes.push(hash);
    this.active.push({ minutes: [], counts: [], durationSumUs: 0, total: 0 });
    return this.keys.length - 1;
  }

  add(fn: number, arrivalUs: number, durationUs: number): void {
    this.rows++;
    if (arrivalUs > this.frontierUs) this.frontierUs = arrivalUs;
    else if (this.frontierUs - arrivalUs > this.lagUs) this.lagUs = this.frontierUs - arrivalUs;
    if (arrivalUs < this.minArrivalUs) this.minArrivalUs = arrivalUs;
    if (arrivalUs > this.maxArrivalUs) this.maxArrivalUs = arrivalUs;
    const a = this.active[fn]!;
    a.durationSumUs += durationUs;
    a.total++;
    const minute = minuteOf(arrivalUs);
    const { minutes, counts } = a;
    let i = minutes.length - 1;
    if (i >= 0 && minutes[i] === minute) {
      counts[i]!++;
      return;
    }
    // Out of order (within the lag): find its place from the end.
    while (i >= 0 && minutes[i]! > minute) i--;
    if (i >= 0 && minutes[i] === minute) counts[i]!++;
    else {
      minutes.splice(i + 1, 0, minute);
      counts.splice(i + 1, 0, 1);
    }
  }

  /** The window given, or the trace's whole span. */
  window(minutes: readonly [number, number] | undefined): [number, number] {
    if (minutes) return [minutes[0], minutes[1]];
    if (this.rows === 0) return [1, 1];
    return [minuteOf(this.minArrivalUs), minuteOf(this.maxArrivalUs)];
  }

  /** The replayed functions of the window, and where each function of the file went. */
  finish(
    firstMinute: number,
    lastMinute: number,
    selection: Selection,
    memoryMb: (fn: number) => number,
  ) {
    const inWindow = this.active.map((a) => {
      let n = 0;
      a.minutes.forEach((m, i) => {
        if (m >= firstMinute && m <= lastMinute) n += a.counts[i]!;
      });
      return n;
    });
    const leftOut: LeftOut[] = [];
    const idle = inWindow.filter((n) => n === 0).length;
    if (idle > 0)
      leftOut.push({ reason: "no invocations in the window", functions: idle, invocations: 0 });
    const candidates = inWindow.flatMap((n, i) => (n > 0 ? [i] : []));
    const kept = selectFunctions(
      candidates.map((i) => inWindow[i]!),
      selection,
    ).map((j) => candidates[j]!);
    if (kept.length < candidates.length) {
      const keptSet = new Set(kept);
      const dropped = candidates.filter((i) => !keptSet.has(i));
      leftOut.push({
        reason: selectionReason(selection),
        functions: dropped.length,
        invocations: dropped.reduce((s, i) => s + inWindow[i]!, 0),
      });
    }
    const names = uniqueNames(kept.map((i) => this.hashes[i]!));
    const replayIndex = new Int32Array(this.keys.length).fill(-1);
    const perMinute = new Float64Array(lastMinute - firstMinute + 1);
    const functions: TraceFunction[] = kept.map((i, j) => {
      replayIndex[i] = j;
      const a = this.active[i]!;
      a.minutes.forEach((m, k) => {
        if (m >= firstMinute && m <= lastMinute) perMinute[m - firstMinute]! += a.counts[k]!;
      });
      const duration: DistSpec = { dist: "constant", value: a.durationSumUs / a.total };
      return {
        key: this.keys[i]!,
        name: names[j]!,
        memoryMb: memoryMb(i),
        duration,
        invocations: inWindow[i]!,
      };
    });
    const invocations = functions.reduce((s, f) => s + f.invocations, 0);
    return { functions, kept, replayIndex, perMinute, leftOut, invocations };
  }
}
