/**
 * A worker thread of `lbsim compare`: runs the tasks it is sent, one at a time, in
 * steps. After each step it posts the run's simulated time, and checks the stop flag
 * that the pool shares with it (workerData.stop, an Int32Array over shared memory):
 * once set, the run in hand is finished where it stands (a truncated record) and tasks
 * sent afterwards are not run. Shared memory rather than a message, because a message
 * would only be seen when the step loop gives the event loop a turn.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { WorkerReply } from "./pool.js";
import { inSteps, type RunTask, recordOf, startRun } from "./run-spec.js";

const stop = new Int32Array((workerData as { stop: SharedArrayBuffer }).stop);
const stopped = (): boolean => Atomics.load(stop, 0) !== 0;
const post = (reply: WorkerReply): void => parentPort?.postMessage(reply);

parentPort?.on("message", async (task: RunTask) => {
  const { index } = task.spec;
  try {
    if (stopped()) return post({ index, kind: "skipped" });
    const run = await startRun(task);
    post({ index, kind: "progress", nowUs: run.nowUs, endUs: run.endUs });
    for (const _ of inSteps(run)) {
      if (stopped()) break;
      post({ index, kind: "progress", nowUs: run.nowUs, endUs: run.endUs });
    }
    post({ index, kind: "done", record: recordOf(task, run) });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // A PluginError's name tells load (exit 2) from run time (exit 1); others, their class.
    const name =
      error instanceof Error
        ? error.name !== "Error"
          ? error.name
          : error.constructor.name
        : "Error";
    post({ index, kind: "error", name, message });
  }
});
