/**
 * What every part of the model may read: the clock and event queue, the named random
 * streams, the resolved scenario and the observer the model reports to. Parts hold
 * this, never the whole world.
 */
import type { Streams } from "../kernel/random.js";
import type { Simulator } from "../kernel/simulator.js";
import type { ResolvedScenario } from "../scenario/types.js";
import type { ModelObserver } from "./observer.js";

export interface ModelContext {
  readonly sim: Simulator;
  readonly streams: Streams;
  readonly scenario: ResolvedScenario;
  readonly obs: ModelObserver;
  /** End of the run (warmup + duration): no arrival is scheduled at or after it. */
  readonly endUs: number;
  /** How long a sender waits on a peer that does not answer (`network.connectTimeout`). */
  readonly connectTimeoutUs: number;
}
