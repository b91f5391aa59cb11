/**
 * The resolved scenario as the report prints it: YAML, with microsecond fields turned
 * back into durations with units (`durationUs: 600000000` → `duration: 10min`) and null
 * (JSON's unlimited) spelled out.
 */
import { stringify } from "yaml";
import { formatUs } from "../scenario/units.js";

export function readableScenario(resolved: unknown): string {
  return stringify(readable(resolved), { lineWidth: 100 });
}

function readable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(readable);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key.endsWith("Us") && key.length > 2 && (typeof v === "number" || v === null))
      out[key.slice(0, -2)] = v === null ? "unlimited" : formatUs(v);
    else out[key] = readable(v);
  }
  return out;
}
