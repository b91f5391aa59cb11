/**
 * The keep-alive family's conformance suite: for any sequence of idle times, a uniform
 * policy's keep-alive is whole microseconds >= 0, an adaptive policy's windows are
 * well-formed (a pre-warm in whole microseconds >= 0, kept past it: whole microseconds
 * or for ever), and the same observations always give the same decisions.
 */
import fc from "fast-check";
import type { KeepAlivePolicy } from "../keepalive/keepalive-policy.js";
import { type ConformanceProperty, check, holds } from "./property.js";

export interface KeepAliveSubject {
  make(options: { ttlUs: number; functions: number; seed: number }): KeepAlivePolicy;
}

const MIN = 60e6;
const FUNCTIONS = 3;

export function keepAliveConformance(subject: KeepAliveSubject): ConformanceProperty[] {
  const observationsArb = fc.array(
    fc.record({
      fn: fc.integer({ min: 0, max: FUNCTIONS - 1 }),
      idleUs: fc.oneof(fc.integer({ min: 0, max: 300 * MIN }), fc.constant(4.5 * MIN)),
    }),
    { maxLength: 200 },
  );
  const decide = (seed: number, observations: readonly { fn: number; idleUs: number }[]) => {
    const p = subject.make({ ttlUs: 10 * MIN, functions: FUNCTIONS, seed });
    const out: string[] = [];
    for (const { fn, idleUs } of observations) {
      if (p.kind === "uniform") {
        const ttl = p.ttlUs(fn);
        check(
          Number.isInteger(ttl) && ttl >= 0,
          () => `ttlUs(${fn}) is ${ttl}: expected whole µs >= 0`,
        );
        out.push(String(ttl));
        continue;
      }
      p.observeIdleTime(fn, idleUs);
      const w = { ...p.window(fn) };
      check(
        Number.isInteger(w.prewarmUs) && w.prewarmUs >= 0,
        () => `window(${fn}).prewarmUs is ${w.prewarmUs}: expected whole µs >= 0`,
      );
      check(
        Number.isInteger(w.keepUntilUs) || w.keepUntilUs === Number.POSITIVE_INFINITY,
        () => `window(${fn}).keepUntilUs is ${w.keepUntilUs}: expected whole µs or Infinity`,
      );
      check(
        w.keepUntilUs > w.prewarmUs,
        () =>
          `window(${fn}) keeps until ${w.keepUntilUs}, not after its pre-warm at ${w.prewarmUs}`,
      );
      out.push(`${w.prewarmUs}/${w.keepUntilUs}`);
    }
    return out;
  };
  return [
    {
      name: "decisions are well-formed",
      run: () => holds([observationsArb], (obs) => void decide(1, obs), 100),
    },
    {
      name: "is deterministic: the same seed and the same idle times give the same decisions",
      run: () =>
        holds(
          [observationsArb, fc.nat(1000)],
          (obs, seed) => {
            const a = decide(seed, obs);
            const b = decide(seed, obs);
            const i = a.findIndex((x, k) => x !== b[k]);
            check(
              i < 0,
              () => `seed ${seed}: decision ${i} was ${a[i]} once and ${b[i]} the second time`,
            );
          },
          50,
        ),
    },
  ];
}
