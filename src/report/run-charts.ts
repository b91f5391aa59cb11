/**
 * The charts of a run report, each with a sentence computed from the numbers: the
 * latency CDF, the time series (fault windows shaded) and the host memory utilisation
 * distribution.
 */
import type { FaultWindow } from "../metrics/detail.js";
import type { Summary } from "../metrics/summary.js";
import type { BandSpec, ChartSpec, SeriesSpec } from "./chart-spec.js";
import { compact, duration, num, pct, timeUnit } from "./format.js";
import { argMax, type Frame, median, perSecond } from "./frame.js";
import { type Buckets, cdfAt, edgeGrid } from "./latency.js";
import { colour, dash } from "./palette.js";

export interface Figure {
  readonly spec: ChartSpec;
  readonly shows: string;
}

const line = (label: string, i: number, values: (number | null)[]): SeriesSpec => ({
  label,
  colour: colour(i),
  dash: dash(i),
  values: values.map(compact),
});

export function latencyCdf(buckets: Buckets, s: Summary): Figure {
  const edges = edgeGrid([buckets]);
  const l = s.latencyMs;
  return {
    spec: {
      kind: "lines",
      title: "Latency distribution (CDF) of completed requests",
      xLabel: "latency (ms, log scale)",
      yLabel: "requests at or below (%)",
      xLog: true,
      x: edges.map((us) => compact(us / 1000)!),
      series: [
        line(
          "completed requests",
          0,
          cdfAt(buckets, edges).map((f) => f * 100),
        ),
      ],
      yRange: [0, 100],
    },
    shows: `Half of the ${num(s.requests.completed)} completed requests took at most ${num(l.p50)} ms, 99% at most ${num(l.p99)} ms and 99.9% at most ${num(l.p999)} ms; the slowest took ${num(l.max)} ms (mean ${num(l.mean)} ms).`,
  };
}

/** The time-series charts; `windows` shade the faults. */
export function timeCharts(f: Frame, s: Summary, windows: readonly FaultWindow[]): Figure[] {
  const span = (f.t[f.t.length - 1] ?? 0) + (f.len[f.len.length - 1] ?? 0) - (f.t[0] ?? 0);
  const unit = timeUnit(span);
  const x = f.t.map((t) => compact(t / unit.seconds)!);
  const bands: BandSpec[] = windows.map((w) => ({
    from: w.startSeconds / unit.seconds,
    to: w.endSeconds / unit.seconds,
    label: w.kind,
  }));
  const at = (i: number): string => `t = ${num(f.t[i]! / unit.seconds)} ${unit.label}`;
  const merged = f.merged > 1 ? ` Each point merges ${f.merged} metrics intervals.` : "";
  const base = {
    kind: "lines" as const,
    xLabel: `simulated time (${unit.label})`,
    x,
    bands,
  };
  const ctx: Context = { f, s, windows, at, merged };
  return [
    { spec: { ...base, ...arrivals(ctx) }, shows: arrivalsText(ctx) },
    { spec: { ...base, ...latency(ctx) }, shows: latencyText(ctx) },
    { spec: { ...base, ...errors(ctx) }, shows: errorsText(ctx) },
    { spec: { ...base, ...coldStarts(ctx) }, shows: coldStartsText(ctx) },
    { spec: { ...base, ...sandboxes(ctx) }, shows: sandboxesText(ctx) },
    { spec: { ...base, ...hosts(ctx) }, shows: hostsText(ctx) },
  ];
}

interface Context {
  readonly f: Frame;
  readonly s: Summary;
  readonly windows: readonly FaultWindow[];
  readonly at: (i: number) => string;
  readonly merged: string;
}

type Part = Pick<ChartSpec, "title" | "yLabel" | "series" | "yLog" | "yRange">;

function arrivals({ f }: Context): Part {
  return {
    title: "Arrivals, completions and failures",
    yLabel: "requests per second",
    series: [
      line("arrived", 0, perSecond(f, f.arrivals)),
      line("completed", 1, perSecond(f, f.completed)),
      line("failed", 3, perSecond(f, f.failed)),
    ],
  };
}

function arrivalsText({ f, windows, merged }: Context): string {
  const rate = perSecond(f, f.arrivals);
  const total = f.arrivals.reduce((a, b) => a + b, 0);
  const seconds = f.len.reduce((a, b) => a + b, 0);
  let text = `Requests arrived at ${num(total / seconds)}/s on average (from ${num(Math.min(...rate))} to ${num(Math.max(...rate))}/s per interval).`;
  const w = windows[0];
  if (w) {
    const inside = f.t
      .map((t, i) => (t >= w.startSeconds && t < w.endSeconds ? i : -1))
      .filter((i) => i >= 0);
    const failedInside = inside.reduce((a, i) => a + f.failed[i]!, 0);
    const failedAll = f.failed.reduce((a, b) => a + b, 0);
    if (failedAll > 0)
      text += ` ${pct(failedInside / failedAll, 2)} of the failed requests failed during the first fault (${w.kind}, ${duration(w.startSeconds)} to ${duration(w.endSeconds)}).`;
  }
  return text + merged;
}

function latency({ f }: Context): Part {
  const positive = [...f.p50, ...f.p99].filter((v) => v > 0);
  const spread = positive.length > 0 ? Math.max(...positive) / Math.min(...positive) : 1;
  const log = spread > 30;
  const value = (v: number): number | null => (log && v <= 0 ? null : v);
  return {
    title: "Latency per interval (p50 and p99)",
    yLabel: log ? "latency (ms, log scale)" : "latency (ms)",
    yLog: log,
    series: [line("p50", 0, f.p50.map(value)), line("p99", 3, f.p99.map(value))],
  };
}

function latencyText({ f, windows, at, merged }: Context): string {
  const w = windows[0];
  const peak = argMax(f.p99);
  if (peak < 0) return "No interval completed a request.";
  const before = w
    ? f.p99.filter((_, i) => f.t[i]! + f.len[i]! <= w.startSeconds && f.completed[i]! > 0)
    : [];
  const typical = median(before.length > 0 ? before : f.p99.filter((_, i) => f.completed[i]! > 0));
  const lead =
    w && before.length > 0
      ? `Before the first fault (${w.kind} at ${duration(w.startSeconds)}) the p99 of an interval was typically ${num(typical)} ms`
      : `The p99 of an interval was typically ${num(typical)} ms`;
  return `${lead}; it peaked at ${num(f.p99[peak])} ms at ${at(peak)}. The p50 stayed between ${num(Math.min(...f.p50))} and ${num(Math.max(...f.p50))} ms.${merged}`;
}

function errors({ f }: Context): Part {
  const causes = f.causes;
  const series: SeriesSpec[] = [];
  if (causes) {
    Object.entries(causes).forEach(([cause, counts], i) => {
      if (counts.some((c) => c > 0)) series.push(line(cause, i, perSecond(f, counts)));
    });
  } else {
    series.push(line("failed requests", 3, perSecond(f, f.failed)));
    series.push(line("throttled attempts", 0, perSecond(f, f.throttled)));
  }
  const none = series.length === 0;
  if (none)
    series.push(
      line(
        "failed attempts",
        3,
        f.failed.map(() => 0),
      ),
    );
  return {
    title: causes ? "Failed attempts by cause" : "Failed requests and throttled attempts",
    yLabel: causes ? "failed attempts per second" : "per second",
    series,
    ...(none ? { yRange: [0, 1] as [number, number] } : {}),
  };
}

function errorsText({ f, s, windows }: Context): string {
  const entries = Object.entries(s.failures)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  const total = entries.reduce((a, [, n]) => a + n, 0);
  if (total === 0) return "No attempt failed.";
  const parts = entries.map(([cause, n]) => `${cause} ${pct(n / total, 2)}`).join(", ");
  let text = `${num(total)} attempts failed (${parts}); ${num(s.requests.failed)} requests failed in the end, an error ratio of ${pct(s.errorRatio)}.`;
  if (windows.length > 0) {
    const inWindow = (t: number): boolean =>
      windows.some((w) => t >= w.startSeconds && t < w.endSeconds + 60);
    const near = f.failed.reduce((a, n, i) => a + (inWindow(f.t[i]!) ? n : 0), 0);
    const all = f.failed.reduce((a, b) => a + b, 0);
    if (all > 0)
      text += ` ${pct(near / all, 2)} of the failed requests fell within a fault window or the minute after it.`;
  }
  return text;
}

function coldStarts({ f }: Context): Part {
  return {
    title: "Cold starts",
    yLabel: "cold starts per second",
    series: [line("cold starts", 2, perSecond(f, f.coldStarts))],
  };
}

function coldStartsText({ f, s, at, merged }: Context): string {
  if (s.coldStarts === 0) return "No request needed a cold start.";
  const rate = perSecond(f, f.coldStarts);
  const peak = argMax(rate);
  return `${num(s.coldStarts)} cold starts, ${pct(s.coldStartRatio)} of the attempts that started executing; the rate peaked at ${num(rate[peak])}/s at ${at(peak)} (median ${num(median(rate))}/s).${merged}`;
}

function sandboxes({ f }: Context): Part {
  const series = [line("busy", 0, f.busy), line("idle", 2, f.idle)];
  if (f.initializing) series.push(line("initializing", 1, f.initializing));
  if (f.orphaned) series.push(line("orphaned", 3, f.orphaned));
  series.push(line("all", 6, f.sandboxes));
  return { title: "Sandboxes (at the end of each interval)", yLabel: "sandboxes", series };
}

function sandboxesText({ f, s, at }: Context): string {
  const busy = argMax(f.busy);
  const idle = argMax(f.idle);
  let text = `At most ${num(f.busy[busy])} sandboxes were busy (${at(busy)}) and ${num(f.idle[idle])} idle (${at(idle)}); the peak of all sandboxes was ${num(s.sandboxes.peak)}, holding ${num(s.sandboxes.idleGbSeconds)} idle GB-seconds over the run.`;
  if (f.orphaned) {
    const o = argMax(f.orphaned);
    text +=
      f.orphaned[o]! > 0
        ? ` Up to ${num(f.orphaned[o])} sandboxes were orphaned (${at(o)}), ${num(s.sandboxes.orphanedGbSeconds)} GB-seconds in all.`
        : " No sandbox was orphaned.";
  }
  if (s.sandboxes.lost > 0)
    text += ` ${num(s.sandboxes.lost)} sandboxes were lost with their hosts.`;
  return text;
}

function hosts({ f }: Context): Part {
  return {
    title: "Hosts up and active",
    yLabel: "hosts",
    // "up" drawn last, on top: the two lines often coincide.
    series: [line("active (holding a sandbox)", 1, f.hostsActive), line("up", 0, f.hostsUp)],
  };
}

function hostsText({ f, s, windows, at }: Context): string {
  const first = f.hostsUp[0] ?? 0;
  const low = f.hostsUp.indexOf(Math.min(...f.hostsUp));
  const active = argMax(f.hostsActive);
  let text =
    f.hostsUp[low]! < first
      ? `${num(first)} hosts were up at the start; the fewest up was ${num(f.hostsUp[low])} (${at(low)}${windowAt(windows, f.t[low]!)}).`
      : `All ${num(first)} hosts stayed up.`;
  text += ` At most ${num(f.hostsActive[active])} held a sandbox; active hosts add up to ${num(s.hosts.activeHostHours)} host-hours.`;
  return text;
}

function windowAt(windows: readonly FaultWindow[], t: number): string {
  const w = windows.find((w) => t >= w.startSeconds && t <= w.endSeconds);
  return w ? `, during ${w.kind}` : "";
}

/** Bars of the share of host samples per 5% of memory used. */
export function utilisation(percent: readonly number[], s: Summary): Figure | null {
  const total = percent.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const bins = Array.from({ length: 20 }, (_, b) =>
    percent.slice(b * 5, b * 5 + 5).reduce((a, c) => a + c, 0),
  );
  const empty = (percent[0] ?? 0) / total;
  const top = bins.slice(16).reduce((a, b) => a + b, 0) / total;
  return {
    spec: {
      kind: "bars",
      title: "Host memory utilisation distribution (bins of 5 points)",
      xLabel: "memory in use (% of the host)",
      yLabel: "host samples (%)",
      categories: bins.map((_, b) => `${b * 5}%`),
      x: bins.map((_, b) => b),
      series: [
        {
          label: "share of samples",
          colour: colour(0),
          values: bins.map((c) => compact((c / total) * 100)),
        },
      ],
      yRange: [0, Math.min(100, Math.ceil(((Math.max(...bins) / total) * 100) / 5) * 5 + 5)],
    },
    shows: `Over ${num(total)} samples (each up host at the end of each interval) hosts were ${pct(s.hosts.memoryUtilizationMean)} full on average and 99% of samples at most ${pct(s.hosts.memoryUtilizationP99)} full; ${pct(empty, 2)} of samples were of hosts under 1% used and ${pct(top, 2)} above 80%. Imbalance (busiest host over the mean) averaged ${num(s.hosts.imbalance)}.`,
  };
}

/** `balancerQueue` → "balancer queue". */
export const componentLabel = (name: string): string =>
  name.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);

/**
 * One stacked bar: where the mean latency of completed requests goes (SPEC 2.1), the
 * components with time in them from the bottom up; null without the breakdown (a
 * summary from before it) or without completed requests.
 */
export function latencyBreakdown(s: Summary): Figure | null {
  const b = s.latencyBreakdownMs as Summary["latencyBreakdownMs"] | undefined;
  if (!b || s.requests.completed === 0) return null;
  const parts = Object.entries(b).filter(([, v]) => v > 0);
  const total = parts.reduce((a, [, v]) => a + v, 0);
  if (total <= 0) return null;
  const ranked = [...parts].sort((x, y) => y[1] - x[1]);
  const share = ([name, v]: [string, number]): string =>
    `${componentLabel(name)} ${num(v)} ms (${pct(v / total)})`;
  const rest = ranked.slice(1, 4).map(share);
  const none = Object.keys(b).filter((k) => !(b[k as keyof typeof b] > 0));
  return {
    spec: {
      kind: "bars",
      stacked: true,
      title: "Where the time of a completed request goes (mean)",
      xLabel: "",
      yLabel: "mean time (ms)",
      categories: ["completed requests"],
      x: [0],
      series: parts.map(([name, v], i) => ({
        label: componentLabel(name),
        colour: colour(i),
        values: [compact(v)],
      })),
      yRange: [0, total * 1.05],
    },
    shows: `The mean latency of ${num(s.latencyMs.mean)} ms, split by the steps of a request's life: ${share(ranked[0]!)}${rest.length > 0 ? `, then ${rest.join(", ")}` : ""}.${none.length > 0 ? ` No time in ${none.map(componentLabel).join(", ")}.` : ""} Retry delay and failed attempts are the time before the attempt that completed.`,
  };
}
