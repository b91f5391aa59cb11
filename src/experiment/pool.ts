/**
 * Runs tasks on `jobs` worker threads (or in this thread for one job), collecting
 * results by run index, so the outcome never depends on which worker finished first.
 * Workers run the built code (dist/), which `npm ci` builds, so that this works from
 * the installed command and from the test runner alike.
 *
 * Runs advance in steps (run-spec.ts), reporting their simulated time after each. When
 * `signal` aborts, the runs in flight stop at their current simulated time and are kept,
 * truncated; runs not yet started are not started.
 */
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { packageRoot } from "../package-info.js";
import type { RunRecord } from "./comparison.js";
import { inSteps, type RunTask, recordOf, startRun } from "./run-spec.js";

/** Where a run in flight stands. */
export interface RunProgress {
  readonly index: number;
  readonly nowUs: number;
  readonly endUs: number;
}

export interface PoolOptions {
  readonly jobs: number;
  /** Called after each finished (or truncated) run. */
  readonly onDone?: (record: RunRecord) => void;
  /** Called when a run starts and after each of its steps. */
  readonly onProgress?: (progress: RunProgress) => void;
  /** Stops the runs in flight where they stand, and any further dispatching. */
  readonly signal?: AbortSignal;
}

/** What a worker posts back (worker.ts). */
export type WorkerReply =
  | { index: number; kind: "progress"; nowUs: number; endUs: number }
  | { index: number; kind: "done"; record: RunRecord }
  | { index: number; kind: "skipped" }
  | { index: number; kind: "error"; name: string; message: string };

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
  if (options.signal?.aborted) return [];
  if (options.jobs <= 1 || tasks.length <= 1) return runHere(tasks, options);
  return runOnWorkers(tasks, options);
}

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

async function runHere(tasks: readonly RunTask[], options: PoolOptions): Promise<RunRecord[]> {
  const { signal, onProgress } = options;
  const records: RunRecord[] = [];
  for (const task of tasks) {
    if (signal?.aborted) break;
    const run = await startRun(task);
    const report = (): void =>
      onProgress?.({ index: task.spec.index, nowUs: run.nowUs, endUs: run.endUs });
    report();
    // Each step gives the event loop a turn, which lets Ctrl-C and the progress bar in.
    for (const _ of inSteps(run)) {
      report();
      await turn();
      if (signal?.aborted) break;
    }
    const record = recordOf(task, run);
    records.push(record);
    options.onDone?.(record);
  }
  return records;
}

function runOnWorkers(tasks: readonly RunTask[], options: PoolOptions): Promise<RunRecord[]> {
  const script = join(packageRoot(), "dist", "src", "experiment", "worker.js");
  const stop = new SharedArrayBuffer(4);
  const workers = Array.from(
    { length: Math.min(options.jobs, tasks.length) },
    () => new Worker(script, { workerData: { stop } }),
  );
  const { signal } = options;
  const onAbort = (): void => {
    Atomics.store(new Int32Array(stop), 0, 1);
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  const records: RunRecord[] = [];
  let next = 0;
  let busy = 0;
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      for (const w of workers) void w.terminate();
      if (error) reject(error);
      else resolve(records.sort((a, b) => a.index - b.index));
    };
    const feed = (w: Worker): void => {
      if (next < tasks.length && !signal?.aborted) {
        busy++;
        w.postMessage(tasks[next++]);
      } else if (busy === 0) {
        finish();
      }
    };
    for (const w of workers) {
      w.on("message", (msg: WorkerReply) => {
        if (msg.kind === "progress") {
          const { index, nowUs, endUs } = msg;
          return options.onProgress?.({ index, nowUs, endUs });
        }
        busy--;
        if (msg.kind === "error") return finish(new RunFailed(msg.name, msg.message));
        if (msg.kind === "done") {
          records.push(msg.record);
          options.onDone?.(msg.record);
        }
        feed(w);
      });
      w.on("error", (e) => finish(e));
      feed(w);
    }
  });
}
