/**
 * A scenario that loads code says so (SPEC 12): `run`, `compare` and `validate` name on
 * stderr each policy module file they load, with its SHA-256, before running anything.
 */
export function announcePlugin(file: string, sha256: string): void {
  process.stderr.write(`lbsim: loading policy module ${file} (sha256 ${sha256})\n`);
}
