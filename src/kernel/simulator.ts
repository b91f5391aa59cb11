/**
 * The run loop: simulated time, the event queue and a table of handlers. It knows
 * nothing of load balancers: the model registers handlers and schedules events that
 * carry a kind and two numbers (indexes into the model's own tables), so the hot
 * path allocates nothing per event.
 */
import { EventQueue } from "./event-queue.js";

export type Handler = (a: number, b: number) => void;
export type Handler3 = (kind: number, a: number, b: number) => void;

export class Simulator {
  /** Current simulated time in microseconds. */
  now = 0;
  /** Events executed so far. */
  events = 0;
  private readonly queue = new EventQueue();
  private readonly handlers: Handler[] = [];
  private stopped = false;

  /**
   * Runs one event. By default it looks the handler up in the table; a model with a
   * hot path may replace it with a switch over its own kinds (direct, inlinable calls
   * instead of one megamorphic call site), falling back to `handle` for the rest.
   */
  dispatch: Handler3 = (kind, a, b) => this.handle(kind, a, b);

  /** Runs the registered handler of `kind`. */
  handle(kind: number, a: number, b: number): void {
    this.handlers[kind]!(a, b);
  }

  /** Registers an event handler and returns its kind number. */
  register(handler: Handler): number {
    this.handlers.push(handler);
    return this.handlers.length - 1;
  }

  /** Schedules an event at absolute time `time` (>= now); returns a handle for cancel(). */
  at(time: number, kind: number, a = 0, b = 0): number {
    // One test for both rules on the hot path (NaN fails it too); the message tells which.
    if (!(time >= this.now && Number.isInteger(time))) throw badTime(time, this.now);
    return this.queue.push(time, kind, a, b);
  }

  /**
   * Schedules an event `delay` microseconds from now. Time is an integer number of
   * microseconds (SPEC 2): a caller that scales a duration rounds it first.
   */
  after(delay: number, kind: number, a = 0, b = 0): number {
    if (!(delay >= 0 && Number.isInteger(delay))) throw badTime(this.now + delay, this.now);
    return this.queue.push(this.now + delay, kind, a, b);
  }

  cancel(handle: number): void {
    this.queue.cancel(handle);
  }

  /** Asks run() to return after the current event. */
  stop(): void {
    this.stopped = true;
  }

  get pending(): number {
    return this.queue.size;
  }

  /**
   * Executes events in (time, sequence) order up to and including time `until`, then
   * leaves the clock at `until`. Returns false if stop() was called.
   */
  run(until: number): boolean {
    const q = this.queue;
    const dispatch = this.dispatch;
    this.stopped = false;
    while (q.peekTime() <= until) {
      if (!q.pop()) continue;
      this.now = q.time;
      this.events++;
      dispatch(q.kind, q.a, q.b);
      if (this.stopped) return false;
    }
    this.now = Math.max(this.now, until);
    return true;
  }
}

/** Why a time cannot be scheduled: in the past, or not whole microseconds. */
function badTime(time: number, now: number): Error {
  return time < now
    ? new Error(`event scheduled in the past: ${time} < ${now}`)
    : new Error(`event time is not whole microseconds: ${time}`);
}
