/** A worker thread of `lbsim compare`: runs the tasks it is sent, one at a time. */
import { parentPort } from "node:worker_threads";
import { executeRun, type RunTask } from "./run-spec.js";

parentPort?.on("message", (task: RunTask) => {
  try {
    parentPort?.postMessage({ index: task.spec.index, record: executeRun(task) });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const name = error instanceof Error ? error.constructor.name : "Error";
    parentPort?.postMessage({ index: task.spec.index, error: { name, message } });
  }
});
