/**
 * The conformance suites for a policy module (what `lbsim check-policy` runs): the
 * module is loaded by path as a scenario would load it, made with the options a
 * scenario would give (its `options` schema applied to the ones given), wrapped in
 * the same guard as in a run, and held to its family's suite, which ends with the
 * determinism check (the same seed twice gives the same decisions).
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { basename, resolve } from "node:path";
import { createStream } from "../../kernel/random.js";
import type { PluginRole, PolicyOptions } from "../../scenario/types.js";
import {
  checkedKeepAlive,
  checkedPlacement,
  checkedRetry,
  checkedRouting,
} from "../plugins/checked.js";
import { PluginError } from "../plugins/errors.js";
import { factoryOf, importPolicyModule, PLUGIN_KINDS } from "../plugins/load.js";
import { keepAliveConformance } from "./keepalive.js";
import { placementConformance } from "./placement.js";
import type { ConformanceProperty } from "./property.js";
import { retryConformance } from "./retry.js";
import { routingConformance } from "./routing.js";

export interface ModuleUnderTest {
  readonly file: string;
  readonly sha256: string;
  readonly kind: PluginRole;
  readonly properties: ConformanceProperty[];
}

/**
 * Loads the module at `file` and returns its family's properties. `kind` is needed only
 * when the module does not export one. Throws PluginError (exit 2) when it cannot load.
 */
export async function moduleConformance(
  file: string,
  kind: string | undefined,
  given: PolicyOptions = {},
): Promise<ModuleUnderTest> {
  const absolute = resolve(file);
  let sha256: string;
  try {
    if (!statSync(absolute).isFile()) throw new Error("not a file");
    sha256 = createHash("sha256").update(readFileSync(absolute)).digest("hex");
  } catch {
    throw new PluginError(file, "no such policy module file", false);
  }
  const module = await importPolicyModule(absolute, file, sha256.slice(0, 16));
  const role = (kind ?? module.kind) as PluginRole | undefined;
  if (role === undefined || !PLUGIN_KINDS.includes(role))
    throw new PluginError(
      file,
      role === undefined
        ? `which family? export const kind = "placement" (or ${PLUGIN_KINDS.slice(1).join(", ")}) from the module, or pass --kind`
        : `unknown kind ${JSON.stringify(role)}: expected one of ${PLUGIN_KINDS.join(", ")}`,
      false,
    );
  const factory = factoryOf(module, role, file) as (o: unknown) => unknown;
  const options = moduleOptions(module.options, given, file);
  const stream = (seed: number) => createStream(seed, `plugin/${role}/${basename(absolute)}`);
  const make = (o: object) => factory({ ...o, options });
  return { file, sha256, kind: role, properties: suiteOf(role, file, make, stream) };
}

function suiteOf(
  role: PluginRole,
  file: string,
  make: (o: object) => unknown,
  stream: (seed: number) => () => number,
): ConformanceProperty[] {
  switch (role) {
    case "placement":
      return placementConformance({
        make: ({ seed, d, functions }) =>
          checkedPlacement(
            file,
            make({ d, rng: stream(seed), seed, functions, boundedLoad: 1.25, fallback: "random" }),
          ),
      });
    case "routing":
      // The suite checks membership itself, by what it added and removed.
      return routingConformance({
        make: ({ seed, d }) =>
          checkedRouting(file, make({ d, rng: stream(seed), fn: 0 }), 0, () => true),
      });
    case "keepAlive":
      return keepAliveConformance({
        make: ({ ttlUs, functions, seed }) =>
          checkedKeepAlive(file, make({ ttlUs, functions, rng: stream(seed) })),
      });
    case "retry":
      return retryConformance({
        make: ({ spec, seed }) =>
          checkedRetry(file, make({ spec, rng: stream(seed) }), spec.maxAttempts),
      });
  }
}

/** The options to make the policy with: through its schema when it has one. */
function moduleOptions(schema: unknown, given: PolicyOptions, file: string): PolicyOptions {
  if (schema === undefined) {
    const names = Object.keys(given);
    if (names.length > 0)
      throw new PluginError(
        file,
        `declares no options (no \`options\` export), but got ${names.join(", ")}`,
        false,
      );
    return {};
  }
  const parse = (
    schema as {
      safeParse?: (v: unknown) => { success: boolean; data?: unknown; error?: { message: string } };
    }
  ).safeParse;
  if (typeof parse !== "function")
    throw new PluginError(
      file,
      "its `options` export has no safeParse: expected a zod schema",
      false,
    );
  const result = parse.call(schema, given);
  if (!result.success)
    throw new PluginError(
      file,
      `its options schema rejects ${JSON.stringify(given)}: ${result.error?.message ?? "invalid"}`,
      false,
    );
  return (result.data ?? {}) as PolicyOptions;
}
