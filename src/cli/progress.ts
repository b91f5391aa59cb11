/**
 * The progress bar of long runs (on stderr, only when it is a terminal and not
 * --quiet): simulated time, events per second, ETA. Wall-clock time is read here, in
 * the command line, never inside the simulation.
 */
import cliProgress from "cli-progress";

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
