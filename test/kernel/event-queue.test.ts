import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventQueue } from "../../src/kernel/event-queue.js";
import { Simulator } from "../../src/kernel/simulator.js";

/** Unbiased, so that `x % n` reaches every index, not mostly 0. */
const anyIndex = fc.noBias(fc.nat());

/** Pops every pending event; returns [time, a, live] of each, in order. */
function drain(q: EventQueue): [number, number, boolean][] {
  const out: [number, number, boolean][] = [];
  while (q.size > 0) {
    const live = q.pop();
    out.push([q.time, q.a, live]);
  }
  return out;
}

describe("EventQueue", () => {
  it("pops in time order and first-in first-out among equal times", () => {
    const q = new EventQueue();
    // Three times, pushed interleaved; `a` numbers the pushes.
    const times = [5, 1, 5, 3, 1, 5, 3, 1, 5, 5, 1, 3];
    for (const [i, t] of times.entries()) q.push(t, 0, i, 0);
    const popped = drain(q);
    const expected = times
      .map((t, i) => [t, i] as const)
      .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    expect(popped.map(([t, a]) => [t, a])).toEqual(expected);
  });

  it("keeps FIFO order among thousands of equal times (beyond the initial capacity)", () => {
    const q = new EventQueue();
    const n = 5000;
    for (let i = 0; i < n; i++) q.push(42, 7, i, -i);
    expect(q.size).toBe(n);
    for (let i = 0; i < n; i++) {
      expect(q.pop()).toBe(true);
      expect([q.time, q.kind, q.a, q.b]).toEqual([42, 7, i, -i]);
    }
    expect(q.size).toBe(0);
    expect(q.peekTime()).toBe(Number.POSITIVE_INFINITY);
  });

  it("grows beyond 1024 pending events and still pops sorted", () => {
    const q = new EventQueue();
    const n = 4100;
    // A permutation of times with many repeats: (i * 7919) mod 997.
    for (let i = 0; i < n; i++) q.push((i * 7919) % 997, 0, i, 0);
    const popped = drain(q);
    expect(popped).toHaveLength(n);
    for (let i = 1; i < n; i++) {
      const [t0, a0] = popped[i - 1]!;
      const [t1, a1] = popped[i]!;
      expect(t0 < t1 || (t0 === t1 && a0 < a1)).toBe(true);
    }
  });

  it("skips cancelled events: pop() reports them as not live", () => {
    const q = new EventQueue();
    const handles = [10, 20, 30, 40].map((t, i) => q.push(t, 0, i, 0));
    q.cancel(handles[1]!);
    q.cancel(handles[1]!); // twice: still one cancelled event
    q.cancel(handles[3]!);
    expect(drain(q)).toEqual([
      [10, 0, true],
      [20, 1, false],
      [30, 2, true],
      [40, 3, false],
    ]);
  });

  it("ignores cancelling an event that already fired, even after its slot is reused", () => {
    const q = new EventQueue();
    const first = q.push(1, 0, 100, 0);
    expect(q.pop()).toBe(true);
    // The freed slot is reused by the next pushes; the stale handle must not hit them.
    const later = [q.push(2, 0, 200, 0), q.push(3, 0, 300, 0)];
    q.cancel(first);
    expect(drain(q)).toEqual([
      [2, 200, true],
      [3, 300, true],
    ]);
    // Handles of cancelled-and-popped events are stale too.
    q.cancel(later[0]!);
    q.push(4, 0, 400, 0);
    q.cancel(later[1]!);
    q.cancel(later[0]!);
    expect(drain(q)).toEqual([[4, 400, true]]);
  });

  it("matches a sorted-array reference under random pushes, pops and cancels", () => {
    type Op =
      | { op: "push"; time: number }
      | { op: "pop" }
      | { op: "cancel"; pick: number }
      | { op: "burst"; time: number; n: number };
    const op = fc.oneof(
      { weight: 5, arbitrary: fc.record({ op: fc.constant("push"), time: fc.nat(20) }) },
      { weight: 3, arbitrary: fc.record({ op: fc.constant("pop") }) },
      { weight: 2, arbitrary: fc.record({ op: fc.constant("cancel"), pick: anyIndex }) },
      {
        weight: 1,
        arbitrary: fc.record({
          op: fc.constant("burst"),
          time: fc.nat(20),
          n: fc.integer({ min: 1, max: 60 }),
        }),
      },
    ) as fc.Arbitrary<Op>;
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200, size: "max" }), (ops) => {
        const q = new EventQueue();
        // Reference: every event ever pushed, with its handle; pending ones are unpopped.
        type Ev = { time: number; seq: number; handle: number; cancelled: boolean; done: boolean };
        const all: Ev[] = [];
        let pending = 0;
        const push = (time: number) => {
          const seq = all.length;
          const handle = q.push(time, 1, seq, 0);
          all.push({ time, seq, handle, cancelled: false, done: false });
          pending++;
        };
        const popOne = () => {
          let want: Ev | undefined;
          for (const ev of all)
            if (
              !ev.done &&
              (!want || ev.time < want.time || (ev.time === want.time && ev.seq < want.seq))
            )
              want = ev;
          if (!want) {
            expect(q.size).toBe(0);
            return;
          }
          want.done = true;
          pending--;
          expect(q.peekTime()).toBe(want.time);
          const live = q.pop();
          expect([q.time, q.a, live]).toEqual([want.time, want.seq, !want.cancelled]);
        };
        for (const o of ops) {
          if (o.op === "push") push(o.time);
          else if (o.op === "burst") for (let i = 0; i < o.n; i++) push(o.time);
          else if (o.op === "pop") popOne();
          else if (all.length > 0) {
            // Any handle, pending or long fired: only a pending one may change anything.
            const ev = all[o.pick % all.length]!;
            q.cancel(ev.handle);
            if (!ev.done) ev.cancelled = true;
          }
          expect(q.size).toBe(pending);
        }
        while (pending > 0) popOne();
        expect(q.size).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});

describe("Simulator", () => {
  /** A simulator whose one handler logs (now, a) and runs `then` if given. */
  function logging(then?: (sim: Simulator, a: number) => void) {
    const sim = new Simulator();
    const log: [number, number][] = [];
    const kind = sim.register((a) => {
      log.push([sim.now, a]);
      then?.(sim, a);
    });
    return { sim, log, kind };
  }

  it("runs events up to and including `until`, then leaves the clock at `until`", () => {
    const { sim, log, kind } = logging();
    for (const t of [5, 10, 10, 11, 20]) sim.at(t, kind, t);
    expect(sim.run(10)).toBe(true);
    expect(log).toEqual([
      [5, 5],
      [10, 10],
      [10, 10],
    ]);
    expect(sim.now).toBe(10);
    expect(sim.pending).toBe(2);
    expect(sim.run(15)).toBe(true);
    expect(sim.now).toBe(15);
    expect(log.at(-1)).toEqual([11, 11]);
    expect(sim.run(100)).toBe(true);
    expect(sim.now).toBe(100);
    expect(log.map(([t]) => t)).toEqual([5, 10, 10, 11, 20]);
    expect(sim.events).toBe(5);
  });

  it("runs events a handler schedules at `until` itself (inclusive)", () => {
    const { sim, log, kind } = logging((s, a) => {
      if (a === 0) s.after(0, 0, 1);
    });
    sim.at(7, kind, 0);
    sim.run(7);
    expect(log).toEqual([
      [7, 0],
      [7, 1],
    ]);
    expect(sim.pending).toBe(0);
  });

  it("schedules relative to now with after(), refuses the past, and skips cancelled events", () => {
    const { sim, log, kind } = logging((s, a) => {
      if (a === 1) s.after(3, 0, 2);
    });
    sim.at(4, kind, 1);
    const h = sim.at(6, kind, 99);
    sim.cancel(h);
    sim.run(50);
    expect(log).toEqual([
      [4, 1],
      [7, 2],
    ]);
    expect(sim.events).toBe(2);
    expect(() => sim.at(49, kind)).toThrow(/past/);
  });

  it("stop() makes run() return false after the current event; a later run() resumes", () => {
    const { sim, log, kind } = logging((s, a) => {
      if (a === 2) s.stop();
    });
    for (let i = 1; i <= 4; i++) sim.at(i * 10, kind, i);
    expect(sim.run(1000)).toBe(false);
    expect(log.map(([, a]) => a)).toEqual([1, 2]);
    expect(sim.now).toBe(20);
    expect(sim.run(1000)).toBe(true);
    expect(log.map(([, a]) => a)).toEqual([1, 2, 3, 4]);
    expect(sim.now).toBe(1000);
  });
});
