/**
 * Loading policy modules (SPEC 12), asynchronously, before a world is built: `run`,
 * `simulate`, and each of `compare`'s workers call `loadPlugins` on the resolved
 * scenario, then build the world synchronously as for built-ins. Only files named by
 * path load (loadScenario located and hashed them); a bare name never reaches here.
 *
 * A module's default export is a factory with the built-ins' signature (see each
 * family's `*-policy.ts`). It may also export `kind` (which family it belongs to: a
 * mismatch is an error) and `options`, a schema with zod's `safeParse` (zod itself, or
 * any library with the same method) that validates the scenario's `options:` for it;
 * without one, any option is an unknown option.
 *
 * The import URL carries the file's hash, so a file edited between two loads in one
 * process is imported afresh, and the file is hashed again at import: the code that runs
 * is the code whose hash the results record.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { ScenarioError, type ScenarioProblem } from "../../scenario/errors.js";
import { type PluginLocation, pluginLocation } from "../../scenario/plugins.js";
import type {
  PluginRole,
  PolicyOptions,
  ResolvedPlugin,
  ResolvedScenario,
} from "../../scenario/types.js";
import { messageOf, PluginError } from "./errors.js";

/** A loaded module, ready to make its policy. */
export interface LoadedPlugin {
  readonly plugin: ResolvedPlugin;
  readonly location: PluginLocation;
  /** The default export. */
  readonly factory: (options: never) => unknown;
  /** The scenario's options for it, validated (with the schema's defaults). */
  readonly options: PolicyOptions;
}

/** What a module may export. */
interface PluginModule {
  readonly default?: unknown;
  readonly kind?: unknown;
  readonly options?: unknown;
}

interface OptionsSchema {
  safeParse(value: unknown): {
    success: boolean;
    data?: unknown;
    error?: { issues: readonly { path: readonly PropertyKey[]; message: string }[] };
  };
}

const loaded = new WeakMap<ResolvedPlugin, LoadedPlugin>();

export const PLUGIN_KINDS: readonly PluginRole[] = ["placement", "routing", "keepAlive", "retry"];

/**
 * Loads every module the scenario names (none: nothing to do); `onLoad` hears of each
 * file loaded, with its hash (the command line prints it on stderr). Throws PluginError
 * (bad module) or ScenarioError (bad options), both exit 2.
 */
export async function loadPlugins(
  scenario: ResolvedScenario,
  onLoad?: (file: string, sha256: string, role: PluginRole) => void,
): Promise<void> {
  for (const plugin of scenario.plugins ?? []) {
    if (loaded.has(plugin)) continue;
    const location = pluginLocation(plugin);
    const module = await importModule(plugin, location);
    loaded.set(plugin, {
      plugin,
      location,
      factory: factoryOf(module, plugin.role, location.file),
      options: validOptions(module, location),
    });
    onLoad?.(location.file, plugin.sha256, plugin.role);
  }
}

/** The loaded module of `plugin`; throws if loadPlugins did not load it. */
export function loadedPlugin(plugin: ResolvedPlugin): LoadedPlugin {
  const found = loaded.get(plugin);
  if (!found)
    throw new PluginError(
      pluginLocation(plugin).file,
      "not loaded: call loadPlugins(scenario) before building the world (simulate and compare do)",
      false,
    );
  return found;
}

/** Imports a module by path (never by package name), for the plugin or for check-policy. */
export async function importPolicyModule(
  absolute: string,
  file: string,
  tag = "",
): Promise<PluginModule> {
  try {
    const url = `${pathToFileURL(absolute).href}${tag ? `?sha256=${tag}` : ""}`;
    return (await import(url)) as PluginModule;
  } catch (error) {
    throw new PluginError(file, `cannot load the policy module: ${messageOf(error)}`, false);
  }
}

async function importModule(plugin: ResolvedPlugin, at: PluginLocation): Promise<PluginModule> {
  let now: string;
  try {
    now = createHash("sha256").update(readFileSync(at.absolute)).digest("hex");
  } catch (error) {
    throw new PluginError(at.file, `cannot read the policy module: ${messageOf(error)}`, false);
  }
  if (now !== plugin.sha256)
    throw new PluginError(at.file, "the file changed after the scenario was loaded", false);
  return importPolicyModule(at.absolute, at.file, plugin.sha256.slice(0, 16));
}

/** The module's default export, checked to be a factory of the right family. */
export function factoryOf(
  module: PluginModule,
  role: PluginRole,
  file: string,
): (options: never) => unknown {
  if (module.kind !== undefined && module.kind !== role)
    throw new PluginError(
      file,
      `exports kind ${JSON.stringify(module.kind)}, but it is named as a ${role} policy (kind must be one of ${PLUGIN_KINDS.join(", ")})`,
      false,
    );
  if (typeof module.default !== "function")
    throw new PluginError(
      file,
      module.default === undefined
        ? `no default export: expected \`export default function (options) { ... }\` returning a ${role} policy`
        : `the default export is a ${typeof module.default}, not a function that makes a ${role} policy`,
      false,
    );
  return module.default as (options: never) => unknown;
}

/** The scenario's options for the module, through its schema; problems are ScenarioErrors. */
function validOptions(module: PluginModule, at: PluginLocation): PolicyOptions {
  const where = (path: readonly PropertyKey[]): (string | number)[] => [
    ...at.optionsField.split("."),
    ...path.map((k) => (typeof k === "number" ? k : String(k))),
  ];
  const schema = module.options;
  if (schema === undefined) {
    const names = Object.keys(at.options);
    if (names.length === 0) return {};
    throw new ScenarioError(
      names.map((name) => ({
        file: at.scenarioFile,
        path: where([name]),
        message: `unknown option: ${at.file} declares no options (it exports no \`options\` schema)`,
      })),
    );
  }
  if (typeof (schema as Partial<OptionsSchema>).safeParse !== "function")
    throw new PluginError(
      at.file,
      "its `options` export has no safeParse: expected a zod schema",
      false,
    );
  const result = (schema as OptionsSchema).safeParse(at.options);
  if (result.success) {
    const data = (result.data ?? {}) as PolicyOptions;
    // A schema that strips what it does not know would drop a misspelt option silently.
    const unknown = Object.keys(at.options).filter((k) => !Object.hasOwn(data, k));
    if (unknown.length === 0) return data;
    throw new ScenarioError(
      unknown.map((name) => ({
        file: at.scenarioFile,
        path: where([name]),
        message: `unknown option (not in the options schema of ${at.file})`,
      })),
    );
  }
  const problems: ScenarioProblem[] = (result.error?.issues ?? []).map((issue) => ({
    file: at.scenarioFile,
    path: where(issue.path),
    message: `${issue.message} (options of ${at.file})`,
  }));
  throw new ScenarioError(
    problems.length > 0 ? problems : [{ file: at.file, message: "invalid options" }],
  );
}
