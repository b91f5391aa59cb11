/** The readable summary `lbsim run` prints: the numbers a platform engineer looks at first. */
import Table from "cli-table3";
import type { DistributionMs } from "../metrics/histogram.js";
import type { Summary } from "../metrics/summary.js";

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;
const ms = (d: DistributionMs): string =>
  `mean ${d.mean}  p50 ${d.p50}  p90 ${d.p90}  p99 ${d.p99}  p99.9 ${d.p999}  max ${d.max}`;

export function summaryTable(s: Summary): string {
  const table = new Table({ head: ["metric", "value"], style: { head: [], border: [] } });
  const r = s.requests;
  const failures = Object.entries(s.failures)
    .filter(([, n]) => n > 0)
    .map(([cause, n]) => `${cause} ${n}`)
    .join(", ");
  table.push(
    [
      "scenario",
      `${s.scenario}${s.variant ? ` (${s.variant})` : ""}, seed ${s.seed}${s.truncated ? ", TRUNCATED" : ""}`,
    ],
    [
      "simulated",
      `${s.simulatedSeconds} s in ${s.wallSeconds} s wall, ${s.events.toLocaleString("en-US")} events`,
    ],
    [
      "requests",
      `${r.arrived} arrived, ${r.completed} completed, ${r.failed} failed, ${r.inFlightAtEnd} in flight`,
    ],
    ["errors", `${pct(s.errorRatio)}${failures ? ` (${failures})` : ""}`],
    [
      "cold starts",
      `${s.coldStarts} (${pct(s.coldStartRatio)} of executions), ${s.coldStartCache.hits} with the package cached`,
    ],
    ["latency ms", ms(s.latencyMs)],
    ["wait ms", ms(s.waitMs)],
    [
      "sandboxes",
      `${s.sandboxes.created} created, ${s.sandboxes.reclaimed} reclaimed, peak ${s.sandboxes.peak}, idle ${s.sandboxes.idleGbSeconds} GB-s`,
    ],
    [
      "hosts",
      `${s.hosts.activeHostHours} active host-hours, memory ${pct(s.hosts.memoryUtilizationMean)} mean / ${pct(s.hosts.memoryUtilizationP99)} p99, imbalance ${s.hosts.imbalance}`,
    ],
    [
      "balancer",
      `busiest leader ${pct(s.balancer.utilizationMax)}, queue wait p99 ${s.balancer.queueWaitMsP99} ms`,
    ],
  );
  return table.toString();
}
