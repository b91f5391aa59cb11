/**
 * A trace once read: its functions and how their arrivals are replayed. Two kinds:
 *
 * - `minutes` (Azure 2019, or an lbsim file of that kind): per function, the number of
 *   invocations in each minute, kept sparse (the minutes with a count, as offsets from
 *   the first minute replayed). Memory grows with the non-zero (function, minute)
 *   cells, never with the counts: a billion invocations take as little as a thousand.
 * - `invocations` (Azure 2021, or an lbsim file of that kind): one record per
 *   invocation, streamed from the file during the run (a first pass at load time finds
 *   the functions, checks every row and measures how far the file is out of arrival
 *   order); nothing per invocation is kept.
 *
 * Minute m of a trace covers [m − 1, m) minutes of the trace's clock; the first minute
 * replayed starts at simulated time 0.
 */
import type { DistSpec } from "../../kernel/dist-spec.js";
import type { InvocationRows } from "./invocation-stream.js";

export const MINUTE_US = 60_000_000;

export type TraceFormat = "azure2019" | "azure2021" | "lbsim";

export interface TraceFunction {
  /** Identity in the source: owner/app/function (2019) or app/func (2021). */
  readonly key: string;
  /** A short name, unique in the trace: a prefix of the function's hash. */
  readonly name: string;
  readonly memoryMb: number;
  /**
   * Execution time: from the percentiles (2019); for an invocation trace a constant of
   * the mean, descriptive only (each invocation runs its own recorded time).
   */
  readonly duration: DistSpec;
  /** Invocations in the window replayed. */
  readonly invocations: number;
}

/** Minutes with a non-zero count, as offsets from the first minute replayed. */
export interface MinuteCounts {
  readonly minutes: Uint32Array;
  readonly counts: Uint32Array;
}

/** Functions the source holds that are not replayed, and why. */
export interface LeftOut {
  readonly reason: string;
  readonly functions: number;
  readonly invocations: number;
}

interface TraceCommon {
  readonly format: TraceFormat;
  /** The files read, as the user named them. */
  readonly files: readonly string[];
  /** SHA-256 (first 16 hex digits) of the files' contents: identifies the data. */
  readonly digest: string;
  /** The minutes replayed, inclusive, in the source's numbering. */
  readonly firstMinute: number;
  readonly lastMinute: number;
  readonly functions: readonly TraceFunction[];
  /** Invocations replayed (the sum of the functions'). */
  readonly invocations: number;
  /** Invocations of the replayed functions in each minute of the window. */
  readonly perMinute: Float64Array;
  /** Functions with memory that were given the default (no row in the memory file). */
  readonly defaultMemory: number;
  readonly leftOut: readonly LeftOut[];
}

export interface MinuteTrace extends TraceCommon {
  readonly kind: "minutes";
  /** One per function, in the order of `functions`. */
  readonly counts: readonly MinuteCounts[];
}

export interface InvocationTrace extends TraceCommon {
  readonly kind: "invocations";
  /**
   * Opens the file again for the replay: rows in file order, `fn` the index in
   * `functions` or -1 for a function not replayed.
   */
  readonly rows: () => InvocationRows;
  /**
   * How far the file runs out of arrival order (µs): every row arrives no earlier than
   * the latest arrival before it minus this. The replay's reorder buffer spans it.
   */
  readonly lagUs: number;
}

export type LoadedTrace = MinuteTrace | InvocationTrace;

/** Simulated time 0 in the trace's clock (µs): the start of the first minute replayed. */
export function windowStartUs(trace: { readonly firstMinute: number }): number {
  return (trace.firstMinute - 1) * MINUTE_US;
}

export function windowMinutes(trace: { firstMinute: number; lastMinute: number }): number {
  return trace.lastMinute - trace.firstMinute + 1;
}
