/**
 * Requests in flight, as a pool of parallel typed arrays indexed by request id. Ids are
 * recycled when a request ends, so memory follows the number in flight, not the number
 * simulated.
 */
export class Requests {
  fn = new Int32Array(1024);
  zone = new Int32Array(1024);
  /** Arrival of the first attempt (latency is measured from it). */
  arrivalUs = new Float64Array(1024);
  /** Arrival of the current attempt (waits are measured from it). */
  attemptUs = new Float64Array(1024);
  /** Execution time, drawn at arrival from the function's duration stream. */
  durationUs = new Float64Array(1024);
  cold = new Uint8Array(1024);
  live = new Uint8Array(1024);
  private free: number[] = [];
  private next = 0;
  inFlight = 0;
  /** Requests ever created. */
  allocated = 0;

  alloc(): number {
    this.inFlight++;
    this.allocated++;
    const id = this.free.length > 0 ? this.free.pop()! : this.next++;
    if (id >= this.fn.length) this.grow();
    this.live[id] = 1;
    this.cold[id] = 0;
    return id;
  }

  release(id: number): void {
    this.live[id] = 0;
    this.inFlight--;
    this.free.push(id);
  }

  /** Ids of requests still in flight (for the end of a run). */
  *liveIds(): Generator<number> {
    for (let i = 0; i < this.next; i++) if (this.live[i]) yield i;
  }

  private grow(): void {
    const n = this.fn.length * 2;
    this.fn = copy(this.fn, new Int32Array(n));
    this.zone = copy(this.zone, new Int32Array(n));
    this.arrivalUs = copy(this.arrivalUs, new Float64Array(n));
    this.attemptUs = copy(this.attemptUs, new Float64Array(n));
    this.durationUs = copy(this.durationUs, new Float64Array(n));
    this.cold = copy(this.cold, new Uint8Array(n));
    this.live = copy(this.live, new Uint8Array(n));
  }
}

function copy<T extends Int32Array | Float64Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
