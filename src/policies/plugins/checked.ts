/**
 * A policy module's policy behind a guard: every decision is checked against the
 * family's contract, and anything thrown inside one becomes a PluginError naming the
 * file (exit 1: the run cannot go on). Built-ins are trusted (their conformance suites
 * prove them) and run unguarded; a module pays a few comparisons per decision.
 */
import { sandboxOfUnknown } from "../../model/sandbox-view.js";
import type { FailureCause } from "../../scenario/types.js";
import type { AdaptiveKeepAlive, KeepAlivePolicy } from "../keepalive/keepalive-policy.js";
import type { PlacementPolicy } from "../placement/placement-policy.js";
import type { RetryDecider } from "../retry/retry-policy.js";
import type { RoutingIndex } from "../routing/routing-policy.js";
import type { HostsView, SandboxView } from "../views.js";
import { messageOf, PluginError } from "./errors.js";

const isFn = (x: unknown, name: string): boolean =>
  typeof x === "object" && x !== null && typeof (x as Record<string, unknown>)[name] === "function";

/** Calls `f`, turning a throw into a PluginError about `what`. */
function guard<T>(file: string, what: string, f: () => T): T {
  try {
    return f();
  } catch (error) {
    if (error instanceof PluginError) throw error;
    throw new PluginError(file, `${what} threw: ${messageOf(error)}`, true);
  }
}

/** The factory's result must have the family's methods. */
function shaped<T>(file: string, value: unknown, family: string, methods: readonly string[]): T {
  const missing = methods.filter((m) => !isFn(value, m));
  if (missing.length > 0)
    throw new PluginError(
      file,
      `the default export must return a ${family} policy with ${methods.join(", ")}; ${typeof value === "object" && value !== null ? `it has no ${missing.join(", ")}` : `it returned ${String(value)}`}`,
      false,
    );
  return value as T;
}

export function checkedPlacement(file: string, made: unknown): PlacementPolicy {
  const policy = shaped<PlacementPolicy>(file, made, "placement", ["choose"]);
  return {
    choose(hosts: HostsView, lo: number, hi: number, mb: number, fn: number): number {
      const h = guard(file, `choose(hosts, ${lo}, ${hi}, ${mb}, ${fn})`, () =>
        policy.choose(hosts, lo, hi, mb, fn),
      );
      if (h === -1) return -1;
      if (!Number.isInteger(h) || h < lo || h >= hi)
        throw new PluginError(
          file,
          `choose returned host ${String(h)}: out of range (expected a host in [${lo}, ${hi}) or -1)`,
          true,
        );
      if (hosts.room(h) < mb)
        throw new PluginError(
          file,
          `choose returned host ${h}, which ${hosts.up(h) ? `has ${hosts.freeMb(h)} MB free, less than the ${mb} MB asked` : "is down"} (expected a host with room, or -1)`,
          true,
        );
      return h;
    },
  };
}

/**
 * `isCandidate` says whether a sandbox the index picked is one of the function's
 * candidates: in a world, one the model added and has not removed (the default).
 */
export function checkedRouting(
  file: string,
  made: unknown,
  fn: number,
  isCandidate: (picked: unknown) => boolean = (picked) => {
    const sb = sandboxOfUnknown(picked);
    return sb !== undefined && sb.fn === fn && sb.inRouting;
  },
): RoutingIndex {
  const index = shaped<RoutingIndex>(file, made, "routing", ["add", "remove", "touched", "pick"]);
  const size = (): number => {
    const n = index.size;
    if (!Number.isInteger(n) || n < 0)
      throw new PluginError(file, `size is ${String(n)}: expected a count of candidates`, true);
    return n;
  };
  return {
    add: (sb) => guard(file, `add(sandbox ${sb.id})`, () => index.add(sb)),
    remove: (sb) => guard(file, `remove(sandbox ${sb.id})`, () => index.remove(sb)),
    touched: (sb) => guard(file, `touched(sandbox ${sb.id})`, () => index.touched(sb)),
    pick(): SandboxView | null {
      const picked: unknown = guard(file, "pick()", () => index.pick());
      if (picked === null || picked === undefined) return null;
      if (!isCandidate(picked))
        throw new PluginError(
          file,
          "pick returned something that is not one of the function's candidate sandboxes (return a sandbox given to add, not removed since, or null)",
          true,
        );
      return picked as SandboxView;
    },
    get size() {
      return size();
    },
  };
}

export function checkedKeepAlive(file: string, made: unknown): KeepAlivePolicy {
  const kind = (made as { kind?: unknown } | null)?.kind;
  if (kind === "uniform") {
    const p = shaped<{ ttlUs(fn: number): number }>(file, made, "uniform keep-alive", ["ttlUs"]);
    return {
      kind: "uniform",
      ttlUs(fn) {
        const t = guard(file, `ttlUs(${fn})`, () => p.ttlUs(fn));
        // The model schedules the expiry at idle start + t: the kernel takes whole µs only.
        if (!(Number.isInteger(t) && t >= 0))
          throw new PluginError(
            file,
            `ttlUs(${fn}) returned ${String(t)}: expected whole microseconds >= 0`,
            true,
          );
        return t;
      },
    };
  }
  if (kind !== "adaptive")
    throw new PluginError(
      file,
      `the default export must return a keep-alive policy with kind "uniform" or "adaptive", got ${JSON.stringify(kind) ?? String(kind)}`,
      false,
    );
  const p = shaped<AdaptiveKeepAlive>(file, made, "adaptive keep-alive", [
    "observeIdleTime",
    "window",
  ]);
  return {
    kind: "adaptive",
    observeIdleTime: (fn, idleUs) =>
      guard(file, `observeIdleTime(${fn}, ${idleUs})`, () => p.observeIdleTime(fn, idleUs)),
    window(fn) {
      const w = guard(file, `window(${fn})`, () => p.window(fn));
      const ok =
        typeof w === "object" &&
        w !== null &&
        Number.isInteger(w.prewarmUs) &&
        w.prewarmUs >= 0 &&
        w.keepUntilUs >= w.prewarmUs &&
        (Number.isInteger(w.keepUntilUs) || w.keepUntilUs === Number.POSITIVE_INFINITY);
      if (!ok)
        throw new PluginError(
          file,
          `window(${fn}) returned ${JSON.stringify(w)}: expected {prewarmUs: whole µs >= 0, keepUntilUs: whole µs >= prewarmUs, or Infinity}`,
          true,
        );
      return w;
    },
  };
}

/**
 * `maxAttempts` is the scenario's `clients.retry.maxAttempts`: a retry after that many
 * attempts breaks the contract (and one that retries at once forever would never let the
 * simulated clock move on).
 */
export function checkedRetry(file: string, made: unknown, maxAttempts: number): RetryDecider {
  const p = shaped<Partial<RetryDecider>>(file, made, "retry", ["nextDelayUs"]);
  return {
    firstAttempt: () => guard(file, "firstAttempt()", () => p.firstAttempt?.()),
    nextDelayUs(attempt: number, cause: FailureCause, previousDelayUs: number): number {
      const d = guard(file, `nextDelayUs(${attempt}, ${cause}, ${previousDelayUs})`, () =>
        p.nextDelayUs!(attempt, cause, previousDelayUs),
      );
      if (d !== -1 && !(Number.isInteger(d) && d >= 0))
        throw new PluginError(
          file,
          `nextDelayUs returned ${String(d)}: expected whole microseconds >= 0, or -1 for no retry`,
          true,
        );
      if (d !== -1 && attempt >= maxAttempts)
        throw new PluginError(
          file,
          `nextDelayUs(${attempt}, ${cause}, ${previousDelayUs}) returned ${d}: a retry after attempt ${attempt}, but maxAttempts is ${maxAttempts} (expected -1)`,
          true,
        );
      return d;
    },
  };
}
