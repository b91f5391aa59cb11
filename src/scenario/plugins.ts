/**
 * The scenario's side of policy modules (SPEC 12): which fields name a module, where
 * its file is (relative to the scenario file that names it), and its SHA-256. Loading
 * the module is asynchronous and happens later (src/policies/plugins/load.ts); this part
 * stays synchronous, so `loadScenario` still reports a missing file with the scenario's
 * other problems (exit 2) before anything runs. `options:` is read by a module alone:
 * a built-in leaves it unread (resolve.ts drops it), so that a variant may switch from a
 * module with options to a built-in.
 *
 * Where the file is rides on each ResolvedPlugin under a symbol, out of sight of JSON:
 * results record the path as written and the hash, never a machine's absolute path.
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import type { RawProblem } from "./issues.js";
import { isModulePath } from "./schema-values.js";
import { fileRef } from "./trace.js";
import type { PluginRole, PolicyOptions, ResolvedPlugin, ResolvedScenario } from "./types.js";

const LOCATION = Symbol("lbsim.plugin.location");

/** Where a policy module is and who named it. */
export interface PluginLocation {
  /** The file to import. */
  readonly absolute: string;
  /** The file as shown in messages (relative to the working directory when it can be). */
  readonly file: string;
  /** The scenario file (as shown) whose field names the module. */
  readonly scenarioFile: string;
  /** The field naming the module, and the one holding its options. */
  readonly field: string;
  readonly optionsField: string;
  /** The options the scenario gives it ({} when none). */
  readonly options: PolicyOptions;
}

/** The scenario fields that may name a policy module, with their options' field. */
export const PLUGIN_FIELDS: readonly {
  readonly role: PluginRole;
  readonly field: readonly string[];
  readonly options: readonly string[];
  readonly policy: (s: ResolvedScenario) => { policy: string; options?: PolicyOptions } | null;
}[] = [
  {
    role: "placement",
    field: ["placement", "policy"],
    options: ["placement", "options"],
    policy: (s) => s.placement,
  },
  {
    role: "routing",
    field: ["balancer", "routing", "policy"],
    options: ["balancer", "routing", "options"],
    policy: (s) => s.balancer.routing,
  },
  {
    role: "keepAlive",
    field: ["keepAlive", "policy"],
    options: ["keepAlive", "options"],
    policy: (s) => s.keepAlive,
  },
  {
    role: "retry",
    field: ["clients", "retry", "policy"],
    options: ["clients", "retry", "options"],
    policy: (s) => s.clients?.retry ?? null,
  },
];

export function pluginLocation(plugin: ResolvedPlugin): PluginLocation {
  const location = (plugin as { [LOCATION]?: PluginLocation })[LOCATION];
  if (!location) throw new Error(`policy module ${plugin.path}: not located by loadScenario`);
  return location;
}

/** The plugin of `role` in the scenario, if a module fills that role. */
export function pluginOf(s: ResolvedScenario, role: PluginRole): ResolvedPlugin | undefined {
  return s.plugins?.find((p) => p.role === role);
}

/**
 * The modules a resolved scenario names, each located and hashed; `fileOf` tells which
 * scenario file (as shown) wrote a field. A missing file, and options given to a
 * built-in, are problems of the field.
 */
export function locatePlugins(
  s: ResolvedScenario,
  fileOf: (path: readonly string[]) => string,
  problems: RawProblem[],
): ResolvedPlugin[] {
  const plugins: ResolvedPlugin[] = [];
  for (const spec of PLUGIN_FIELDS) {
    const named = spec.policy(s);
    if (named === null) continue;
    if (!isModulePath(named.policy)) continue;
    const scenarioFile = fileOf(spec.field);
    const ref = fileRef(named.policy, scenarioFile);
    let sha256: string;
    try {
      if (!statSync(ref.path).isFile()) throw new Error("not a file");
      sha256 = createHash("sha256").update(readFileSync(ref.path)).digest("hex");
    } catch {
      problems.push({ path: [...spec.field], message: `no policy module file ${ref.file}` });
      continue;
    }
    const plugin: ResolvedPlugin = { role: spec.role, path: named.policy, sha256 };
    const location: PluginLocation = {
      absolute: ref.path,
      file: ref.file,
      scenarioFile,
      field: spec.field.join("."),
      optionsField: spec.options.join("."),
      options: named.options ?? {},
    };
    Object.defineProperty(plugin, LOCATION, { value: location, enumerable: false });
    plugins.push(plugin);
  }
  return plugins;
}
