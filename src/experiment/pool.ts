/**
 * Runs tasks on `jobs` worker threads (or in this thread for one job), collecting
 * results by run index, so the outcome never depends on which worker finished first.
 * Workers run the built code (dist/), which `npm ci` builds, so that this works from
 * the installed command and from the test runner alike.
 */
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { packageRoot } from "../package-info.js";
import type { RunRecord } from "./comparison.js";
import { executeRun, type RunTask } from "./run-spec.js";

export interface PoolOptions {
  readonly jobs: number;
  /** Called after each finished run. */
  readonly onDone?: (record: RunRecord) => void;
  /** Polled between runs: true stops dispatching (what finished is kept). */
  readonly shouldStop?: () => boolean;
}

/** An error from inside a run, re-raised in the main thread with its kind's name. */
export class RunFailed extends Error {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
  }
}

export async function runAll(
  tasks: readonly RunTask[],
  options: PoolOptions,
): Promise<RunRecord[]> {
  if (options.jobs <= 1 || tasks.length <= 1) return runHere(tasks, options);
  return runOnWorkers(tasks, options);
}

async function runHere(tasks: readonly RunTask[], options: PoolOptions): Promise<RunRecord[]> {
  const records: RunRecord[] = [];
  for (const task of tasks) {
    if (options.shouldStop?.()) break;
    const record = executeRun(task);
    records.push(record);
    options.onDone?.(record);
    await new Promise((r) => setImmediate(r)); // lets Ctrl-C and the progress bar in
  }
  return records;
}

function runOnWorkers(tasks: readonly RunTask[], options: PoolOptions): Promise<RunRecord[]> {
  const script = join(packageRoot(), "dist", "src", "experiment", "worker.js");
  const workers = Array.from(
    { length: Math.min(options.jobs, tasks.length) },
    () => new Worker(script),
  );
  const records: RunRecord[] = [];
  let next = 0;
  let busy = 0;
  return new Promise((resolve, reject) => {
    const finish = (error?: Error): void => {
      for (const w of workers) void w.terminate();
      if (error) reject(error);
      else resolve(records.sort((a, b) => a.index - b.index));
    };
    const feed = (w: Worker): void => {
      if (next < tasks.length && !options.shouldStop?.()) {
        busy++;
        w.postMessage(tasks[next++]);
      } else if (busy === 0) {
        finish();
      }
    };
    for (const w of workers) {
      w.on("message", (msg: { record?: RunRecord; error?: { name: string; message: string } }) => {
        busy--;
        if (msg.error) return finish(new RunFailed(msg.error.name, msg.error.message));
        records.push(msg.record!);
        options.onDone?.(msg.record!);
        feed(w);
      });
      w.on("error", (e) => finish(e));
      feed(w);
    }
  });
}
