/**
 * What goes wrong in a policy module, named by its file. At load (missing default
 * export, an import that throws, a module of the wrong kind) it is bad input: exit 2.
 * At run time (a decision that throws or answers out of range) the run cannot go on:
 * exit 1. Either way the message alone is shown; the stack only with --debug.
 */
export class PluginError extends Error {
  override readonly name: string;

  constructor(
    /** The module's file, as shown. */
    readonly file: string,
    message: string,
    /** True when a decision failed during a run (exit 1); false at load (exit 2). */
    readonly atRunTime: boolean,
  ) {
    super(`${file}: ${message}`);
    this.name = atRunTime ? "PluginRunError" : "PluginLoadError";
  }
}

/** The message of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
