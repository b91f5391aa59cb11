/**
 * Keep-alive policies by name. `fixed`: reclaim after `ttl` idle. `none`: reclaim at
 * once, so every request is a cold start. `hybrid`: the histogram policy of Shahrad et
 * al. (hybrid.ts), falling back to `ttl` while a function's histogram is not
 * representative.
 */
import { HybridKeepAlive } from "./hybrid.js";
import type { KeepAliveFactory } from "./keepalive-policy.js";

export const keepAlivePolicies: Record<"fixed" | "none" | "hybrid", KeepAliveFactory> = {
  fixed: ({ ttlUs }) => ({ kind: "uniform", ttlUs: () => ttlUs }),
  none: () => ({ kind: "uniform", ttlUs: () => 0 }),
  hybrid: ({ ttlUs, functions }) => new HybridKeepAlive(functions, { ttlUs }),
};
