/**
 * Keep-alive policies by name. `fixed`: reclaim after `ttl` idle. `none`: reclaim at
 * once, so every request is a cold start. `hybrid` (the histogram policy) belongs to
 * the host-model work and is not built yet: a scenario that names it is refused.
 */
import type { KeepAliveFactory } from "./keepalive-policy.js";

export const keepAlivePolicies: Partial<Record<"fixed" | "none" | "hybrid", KeepAliveFactory>> = {
  fixed: ({ ttlUs }) => ({ ttlUs: () => ttlUs }),
  none: () => ({ ttlUs: () => 0 }),
};
