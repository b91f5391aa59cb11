/**
 * The routing family's conformance suite: an index is driven the way the model drives
 * it (sandboxes become candidates when ready, are acquired and released, leave when
 * full or reclaimed, come back when a slot frees) and must pick a current candidate,
 * or null exactly when there is none, keep `size` right, never pick a removed sandbox,
 * and give the same picks for the same seed and operations.
 */
import fc from "fast-check";
import { Sandbox } from "../../model/sandbox.js";
import type { RoutingIndex } from "../routing/routing-policy.js";
import type { SandboxView } from "../views.js";
import { type ConformanceProperty, check, holds } from "./property.js";

export interface RoutingSubject {
  /** A fresh index for one function: `seed` seeds its stream, `d` its sample size. */
  make(options: { seed: number; d: number }): RoutingIndex;
}

const anyIndex = fc.noBias(fc.nat());
/** Slots plus local queue of every sandbox here: a candidate has outstanding < CAPACITY. */
const CAPACITY = 3;

export type RoutingOp =
  | { op: "create"; outstanding: number }
  | { op: "acquire"; pick: number }
  | { op: "release"; pick: number }
  | { op: "reclaim"; pick: number }
  | { op: "pick" };

const opArb: fc.Arbitrary<RoutingOp> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ op: fc.constant("create"), outstanding: fc.nat(1) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("acquire"), pick: anyIndex }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("release"), pick: anyIndex }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("reclaim"), pick: anyIndex }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("pick") }) },
) as fc.Arbitrary<RoutingOp>;
export const routingOpsArb = fc.array(opArb, { maxLength: 200, size: "max" });

/** What the driver knows independently of the index: the candidates and their recency. */
export interface RoutingTruth {
  readonly members: Set<SandboxView>;
  /** Candidates, least recently added or touched first. */
  readonly recency: SandboxView[];
}

/** A sandbox of function 0 (one slot, one vCPU, partition 0) on host 0, as the model would make it. */
export const testSandbox = (id: number, outstanding = 0): Sandbox => {
  const sb = new Sandbox(id, id, 0, 0, 128, 0, 1, 0);
  sb.outstanding = outstanding;
  return sb;
};

/**
 * Applies `ops` to `index` as the model would, checking the contract at every step;
 * `onPick(picked, truth)` adds a policy's own check. Returns the ids picked.
 */
export function driveRouting(
  index: RoutingIndex,
  ops: readonly RoutingOp[],
  onPick?: (picked: SandboxView, truth: RoutingTruth) => void,
): number[] {
  const truth: RoutingTruth = { members: new Set(), recency: [] };
  const live: Sandbox[] = []; // every sandbox not reclaimed, candidate or full
  const picks: number[] = [];
  let nextId = 0;
  const enter = (sb: Sandbox) => {
    index.add(sb.view);
    truth.members.add(sb.view);
    truth.recency.push(sb.view);
  };
  const leave = (sb: Sandbox) => {
    index.remove(sb.view);
    truth.members.delete(sb.view);
    truth.recency.splice(truth.recency.indexOf(sb.view), 1);
  };
  const touch = (sb: Sandbox) => {
    index.touched(sb.view);
    truth.recency.splice(truth.recency.indexOf(sb.view), 1);
    truth.recency.push(sb.view);
  };
  const byView = new Map<SandboxView, Sandbox>();
  for (const o of ops) {
    if (o.op === "create") {
      const sb = testSandbox(nextId++, o.outstanding);
      byView.set(sb.view, sb);
      live.push(sb);
      enter(sb);
    } else if (o.op === "pick") {
      const picked = index.pick();
      if (picked === null) {
        check(truth.members.size === 0, () => `picked null with ${truth.members.size} candidates`);
      } else {
        check(
          truth.members.has(picked),
          () => `picked sandbox ${picked.id}, which is not a candidate`,
        );
        onPick?.(picked, truth);
        picks.push(picked.id);
      }
    } else if (o.op === "acquire") {
      const candidates = [...truth.members];
      const view = candidates[o.pick % Math.max(1, candidates.length)];
      const sb = view && byView.get(view);
      if (!sb) continue;
      sb.outstanding++;
      if (sb.outstanding >= CAPACITY) leave(sb);
      else touch(sb);
    } else if (o.op === "release") {
      const busy = live.filter((sb) => sb.outstanding > 0);
      const sb = busy[o.pick % Math.max(1, busy.length)];
      if (!sb) continue;
      sb.outstanding--;
      if (truth.members.has(sb.view)) touch(sb);
      else enter(sb);
    } else {
      const sb = live[o.pick % Math.max(1, live.length)];
      if (!sb) continue;
      live.splice(live.indexOf(sb), 1);
      if (truth.members.has(sb.view)) leave(sb);
    }
    check(
      index.size === truth.members.size,
      () => `size is ${index.size}, but there are ${truth.members.size} candidates`,
    );
  }
  return picks;
}

export function routingConformance(subject: RoutingSubject): ConformanceProperty[] {
  const make = (d = 2, seed = 1) => subject.make({ seed, d });
  return [
    {
      name: "picks a current candidate, or null exactly when there is none; size is right",
      run: () =>
        holds(
          [routingOpsArb, fc.integer({ min: 1, max: 4 })],
          (ops, d) => void driveRouting(make(d), ops),
          150,
        ),
    },
    {
      name: "never picks a sandbox that was removed, even the last one picked",
      run: () => neverRemoved(make()),
    },
    {
      name: "is deterministic: the same seed and the same operations give the same picks",
      run: () =>
        holds(
          [routingOpsArb, fc.nat(1000)],
          (ops, seed) => {
            const a = driveRouting(make(2, seed), ops);
            const b = driveRouting(make(2, seed), ops);
            const i = a.findIndex((id, k) => id !== b[k]);
            check(
              i < 0 && a.length === b.length,
              () => `seed ${seed}: pick ${i} was sandbox ${a[i]} once and ${b[i]} the second time`,
            );
          },
          50,
        ),
    },
  ];
}

function neverRemoved(index: RoutingIndex): void {
  const sbs: SandboxView[] = [0, 1, 2].map((id) => testSandbox(id).view);
  for (const sb of sbs) index.add(sb);
  for (let round = 0; round < 3; round++) {
    const victim = index.pick();
    check(
      victim !== null && sbs.includes(victim),
      () => `picked ${victim?.id ?? "null"} among ${sbs.length} candidates`,
    );
    index.remove(victim!);
    sbs.splice(sbs.indexOf(victim!), 1);
    for (let i = 0; i < 10; i++) {
      const p = index.pick();
      if (sbs.length === 0)
        check(p === null, () => `picked sandbox ${p?.id} after every one was removed`);
      else
        check(
          p !== null && sbs.includes(p),
          () => `picked ${p === null ? "null" : `sandbox ${p.id}`}, removed or unknown`,
        );
    }
  }
  check(index.size === 0, () => `size is ${index.size} after every sandbox was removed`);
}
