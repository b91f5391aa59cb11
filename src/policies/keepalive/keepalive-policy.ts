/**
 * Keep-alive: how long an idle sandbox is kept before it is reclaimed. The model keeps
 * each function's idle sandboxes in the order they went idle and one timer per
 * function, so a policy whose keep-alive is the same for a function's sandboxes costs
 * no event per request.
 */
export interface KeepAlivePolicy {
  /** Microseconds an idle sandbox of function `fn` is kept; 0 reclaims it at once. */
  ttlUs(fn: number): number;
}

export type KeepAliveFactory = (options: { readonly ttlUs: number }) => KeepAlivePolicy;
