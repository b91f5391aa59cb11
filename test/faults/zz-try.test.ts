import { it, expect } from "vitest";
import { fn, scenario } from "../support/scenario.js";
import { constant, MS, runWithFaults, S } from "./harness.js";

it("queued requests after loss", () => {
  const sc = scenario({
    durationUs: 5 * S,
    cluster: { hostsPerZone: 2, failureDetectionUs: 1 * S },
    balancer: { overflow: "queue" },
    functions: [fn({ maxSandboxes: 1, duration: constant(100 * MS), arrivals: { process: "constant", rate: 20 } })],
    faults: [{ kind: "host-crash", atUs: 4.95 * S, count: 1, zone: null, repairUs: Number.POSITIVE_INFINITY }],
  });
  const h = runWithFaults(sc, 100 * S);
  console.log(h.world.requests.inFlight, h.world.fns[0]!.queueLength, h.log.done.length, h.log.failures.length, h.log.arrivals.length, h.commands);
});
