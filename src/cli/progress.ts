/**
 * The progress bars of long runs and of comparisons (on stderr, only when it is a
 * terminal and not --quiet): simulated time, events per second, ETA; for a comparison,
 * runs done and the simulated time of each run in flight. Wall-clock time is read here,
 * in the command line, never inside the simulation.
 */
import cliProgress from "cli-progress";
import type { CompareProgress, RunInFlight } from "../experiment/compare.js";

export interface Progress {
  update(simulatedSeconds: number, events: number): void;
  stop(): void;
}

const silent: Progress = { update() {}, stop() {} };

export function progressBar(totalSeconds: number, quiet: boolean): Progress {
  if (quiet || !process.stderr.isTTY) return silent;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format:
        "{bar} {percentage}% | {value}/{total} simulated s | {rate} events/s | ETA {eta_formatted}",
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = performance.now();
  bar.start(Math.round(totalSeconds), 0, { rate: "-" });
  return {
    update(simulatedSeconds, events) {
      const wall = (performance.now() - started) / 1000;
      const rate = wall > 0 ? Math.round(events / wall).toLocaleString("en-US") : "-";
      bar.update(Math.round(simulatedSeconds), { rate });
    },
    stop: () => bar.stop(),
  };
}

export interface ComparisonProgress {
  update(progress: CompareProgress): void;
  stop(): void;
}

/**
 * The bar of `lbsim compare`. Its length counts runs, each run in flight as the part of
 * its simulated time it has reached, so that the ETA moves before the first run ends.
 */
export function comparisonProgressBar(quiet: boolean): ComparisonProgress {
  if (quiet || !process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: "{bar} {done}/{total} runs | in flight: {flight} | ETA {remaining}",
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const since = performance.now();
  return {
    update(p) {
      const partial = p.inFlight.reduce((sum, r) => sum + r.nowUs / Math.max(1, r.endUs), 0);
      const value = p.done + partial;
      const wall = (performance.now() - since) / 1000;
      const payload = {
        done: p.done,
        flight: describeInFlight(p.inFlight),
        remaining: value > 0 && wall >= 1 ? duration((wall * (p.total - value)) / value) : "-",
      };
      if (!started) bar.start(p.total, 0, payload);
      started = true;
      bar.update(value, payload);
    },
    stop: () => bar.stop(),
  };
}

/** `120/600 s, 45/600 s` for the runs in flight, the first few of them, with a count of the rest. */
export function describeInFlight(runs: readonly RunInFlight[], shown = 4): string {
  if (runs.length === 0) return "none";
  const seconds = (us: number, endUs: number): string =>
    endUs >= 100e6 ? String(Math.floor(us / 1e6)) : (us / 1e6).toFixed(1);
  const parts = runs
    .slice(0, shown)
    .map((r) => `${seconds(r.nowUs, r.endUs)}/${seconds(r.endUs, r.endUs)} s`);
  if (runs.length > shown) parts.push(`+${runs.length - shown} more`);
  return parts.join(", ");
}

function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}
