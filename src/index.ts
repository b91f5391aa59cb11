/**
 * lbsim as a library (SPEC 12): load a scenario, simulate it with your own watchers,
 * compare its variants, and write policies of your own against the interfaces and
 * read-only views the built-in policies use. See the README, "As a library" and
 * "Writing a policy".
 *
 * @packageDocumentation
 */

export type { Comparison, RunRecord } from "./experiment/comparison.js";
export type { SimulationObserver as ModelObserver } from "./experiment/observers.js";
export { InvariantViolation } from "./experiment/run.js";
export { NO_RETRY } from "./faults/retry.js";
/** The random stream a policy gets: a function returning uniform numbers in [0, 1). */
export type { Rng } from "./kernel/dist-spec.js";
export {
  type CompareScenarioOptions,
  compare,
  type LoadScenarioOptions,
  loadScenario,
  type SimulateOptions,
  type SimulationResult,
  simulate,
} from "./library/simulate.js";
export type { Summary } from "./metrics/summary.js";
export type { TimeseriesRow } from "./metrics/timeseries.js";
export { type ConformanceProperty, failureSummary } from "./policies/conformance/property.js";
export type {
  AdaptiveKeepAlive,
  IdleWindow,
  KeepAliveFactory,
  KeepAliveOptions,
  KeepAlivePolicy,
  UniformKeepAlive,
} from "./policies/keepalive/keepalive-policy.js";
export type {
  PlacementFactory,
  PlacementOptions,
  PlacementPolicy,
} from "./policies/placement/placement-policy.js";
export { PluginError } from "./policies/plugins/errors.js";
export type { RetryDecider, RetryFactory, RetryOptions } from "./policies/retry/retry-policy.js";
export type {
  RoutingFactory,
  RoutingIndex,
  RoutingOptions,
} from "./policies/routing/routing-policy.js";
export type { HostsView, SandboxStateName, SandboxView } from "./policies/views.js";
export { ScenarioError } from "./scenario/errors.js";
export type {
  ClientsSpec,
  FailureCause,
  PluginRole,
  PolicyModulePath,
  PolicyOptions,
  ResolvedPlugin,
  ResolvedScenario,
} from "./scenario/types.js";
