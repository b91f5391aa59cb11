/** Shared inputs and checks of the report tests. */
import { join } from "node:path";
import { packageRoot } from "../../src/package-info.js";

export const SCENARIOS = join(packageRoot(), "scenarios");

/** Every src= or href= in the page whose value is an address on a network. */
export function externalReferences(html: string): string[] {
  const refs = [
    ...html.matchAll(/\b(?:src|href|action|srcset|poster|data)\s*=\s*["']?([^"'\s>]+)/gi),
  ].map((m) => m[1]!);
  const urls = [...html.matchAll(/url\(\s*["']?([^"')]+)/gi)].map((m) => m[1]!);
  return [...refs, ...urls].filter(
    (u) => /^(?:[a-z][a-z0-9+.-]*:)?\/\//i.test(u) || /^(?:https?|ftp|wss?):/i.test(u),
  );
}

/** zone-outage, shortened: a 1-minute outage of zone b in a 3-minute run (not its answer). */
export const ZONE_OUTAGE_SHORT = [
  join(SCENARIOS, "zone-outage.yaml"),
  "--quiet",
  "--no-expect",
  "--set",
  "duration=3min",
  "--set",
  "warmup=30s",
  "--set",
  "faults=[{at: 90s, kind: zone-outage, zone: b, duration: 1min}]",
];
