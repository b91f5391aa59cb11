// The invariant checker's sandbox books, driven by hand: it keeps each sandbox's running
// count and its function's slots by sandbox id, so a breach must show whatever the id.
import { describe, expect, it } from "vitest";
import { InvariantChecker } from "../../src/checks/invariants.js";
import { Sandbox } from "../../src/model/sandbox.js";

/** Function 0 has 1 slot, function 1 has 2; one host with room. */
function checker(): InvariantChecker {
  const slots = [1, 2];
  const c = new InvariantChecker((fn) => slots[fn]!);
  c.attach({ memoryMb: 4096, freeMb: Float64Array.of(2048) });
  return c;
}

const sandbox = (id: number, fn: number): Sandbox => new Sandbox(id, id, fn, 0, 128, 0, 1, 0);

describe("InvariantChecker: slots", () => {
  it("takes the slots from the function, and flags the execution past them", () => {
    const c = checker();
    const one = sandbox(0, 0);
    const two = sandbox(1, 1); // the sandbox says 1 slot; its function says 2: the function counts
    c.sandboxCreated(one, 0);
    c.sandboxCreated(two, 0);
    c.started(0, 0, two, 0, true, 1);
    c.started(1, 0, two, 0, false, 2);
    expect(c.violations).toEqual([]);
    c.started(2, 0, one, 0, true, 3);
    c.started(3, 0, one, 0, false, 4);
    expect(c.violations).toEqual(["t=4us: sandbox 0 runs 2 executions with 1 slots"]);
  });

  it("finds the books of a sandbox with a large id (the arrays grow)", () => {
    const c = checker();
    const far = sandbox(5000, 0);
    c.sandboxCreated(far, 0);
    c.started(0, 0, far, 0, true, 1);
    c.started(1, 0, far, 0, false, 2);
    c.ended(0, far, 1, false, 3);
    c.ended(1, far, 1, false, 4);
    c.ended(2, far, 1, false, 5);
    expect(c.violations).toEqual([
      "t=2us: sandbox 5000 runs 2 executions with 1 slots",
      "t=5us: sandbox 5000 ended an execution it was not running",
    ]);
  });

  it("flags a sandbox that ends while running, and a reused id takes its new function's slots", () => {
    const c = checker();
    const first = sandbox(3, 0);
    c.sandboxCreated(first, 0);
    c.started(0, 0, first, 0, true, 1);
    c.sandboxEnded(first, "lost", 2);
    c.ended(0, first, 1, true, 2);
    const reused = sandbox(3, 1);
    c.sandboxCreated(reused, 3);
    c.started(1, 0, reused, 0, true, 4);
    c.started(2, 0, reused, 0, false, 5);
    expect(c.violations).toEqual(["t=2us: sandbox 3 lost while running"]);
  });
});
