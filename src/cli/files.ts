/**
 * Output files are written atomically: to a temporary file in the same directory,
 * then renamed over the target, so an interrupted run never leaves half a file.
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

let counter = 0;

export function writeFileAtomic(path: string, contents: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${process.pid}.${++counter}.tmp`);
  writeFileSync(tmp, contents);
  renameSync(tmp, path);
}
