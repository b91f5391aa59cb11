/**
 * The `power-of-two` model with nothing watching it: the world alone, its observer a
 * no-op (no metrics, no invariant checks, no summary). Not a way to run lbsim (every
 * run records its metrics and checks its invariants); it bounds what the model itself
 * costs, so that the bench can say how much of lbsim's time is the model and how much
 * the watching, and how fast lbsim could be against SimPy with no watcher at all.
 *
 * Prints one JSON line. Run: `npm run build && node dist/test/bench/model-alone.js`.
 */
import { join } from "node:path";
import { Streams } from "../../src/kernel/random.js";
import type { ModelObserver } from "../../src/model/observer.js";
import { World } from "../../src/model/world.js";
import { packageRoot } from "../../src/package-info.js";
import { loadScenario } from "../../src/scenario/load.js";

const noop = (): void => {};
const unwatched: ModelObserver = {
  arrived: noop,
  retried: noop,
  started: noop,
  ended: noop,
  completed: noop,
  attemptFailed: noop,
  failed: noop,
  sandboxCreated: noop,
  sandboxEnded: noop,
  sandboxOrphaned: noop,
  gaugesWillChange: noop,
  balancerOp: noop,
};

const scenario = loadScenario(join(packageRoot(), "scenarios", "power-of-two.yaml"));
const world = new World(scenario, new Streams(scenario.seed), unwatched);
world.start();
const started = performance.now();
const cpu = process.cpuUsage();
world.sim.run(scenario.warmupUs + scenario.durationUs);
const wallSeconds = (performance.now() - started) / 1000;
const used = process.cpuUsage(cpu);
const requests = world.requests.logicalRequests;
process.stdout.write(
  `${JSON.stringify({
    impl: "model-alone",
    requests,
    events: world.sim.events,
    wallSeconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    requestsPerSecond: requests / wallSeconds,
  })}\n`,
);
