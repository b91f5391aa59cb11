/**
 * The pending-event set: a binary min-heap ordered by (time, sequence), where the
 * sequence is a counter, so simultaneous events come out first-in first-out and
 * nothing relies on sort stability.
 *
 * Built for the hot path: the heap holds its keys in typed arrays (no object per
 * event), and an event's payload (kind and two numeric arguments) lives in a slot
 * that is reused once the event has fired. Cancellation flags the slot; the heap
 * entry is skipped when it comes up (as in ns-3). A handle packs (generation, slot)
 * so cancelling an event that already fired is a harmless no-op.
 */
const SLOT_BITS = 2 ** 26;

export class EventQueue {
  private heapTime = new Float64Array(1024);
  private heapSeq = new Float64Array(1024);
  private heapSlot = new Int32Array(1024);
  private heapSize = 0;

  private slotKind = new Int32Array(1024);
  private slotA = new Float64Array(1024);
  private slotB = new Float64Array(1024);
  private slotGen = new Int32Array(1024);
  private slotCancelled = new Uint8Array(1024);
  private freeSlots = new Int32Array(1024);
  private freeCount = 0;
  private slotCount = 0;
  private seq = 0;

  /** Payload of the event last returned by pop(). */
  kind = 0;
  a = 0;
  b = 0;
  time = 0;

  get size(): number {
    return this.heapSize;
  }

  push(time: number, kind: number, a: number, b: number): number {
    const slot = this.allocSlot();
    this.slotKind[slot] = kind;
    this.slotA[slot] = a;
    this.slotB[slot] = b;
    this.slotCancelled[slot] = 0;
    if (this.heapSize === this.heapTime.length) this.growHeap();
    this.siftUp(this.heapSize++, time, this.seq++, slot);
    return this.slotGen[slot]! * SLOT_BITS + slot;
  }

  /** Cancels a pending event; a no-op if it has already fired or been cancelled. */
  cancel(handle: number): void {
    const slot = handle % SLOT_BITS;
    const gen = (handle - slot) / SLOT_BITS;
    if (this.slotGen[slot] === gen) this.slotCancelled[slot] = 1;
  }

  /** Time of the earliest pending event (cancelled ones included), or Infinity. */
  peekTime(): number {
    return this.heapSize > 0 ? this.heapTime[0]! : Number.POSITIVE_INFINITY;
  }

  /**
   * Removes the earliest event and exposes it in `time`, `kind`, `a`, `b`. Returns
   * false if that event had been cancelled (the caller skips it). Call only when
   * size > 0.
   */
  pop(): boolean {
    const slot = this.heapSlot[0]!;
    this.time = this.heapTime[0]!;
    const n = --this.heapSize;
    if (n > 0) this.siftDown(this.heapTime[n]!, this.heapSeq[n]!, this.heapSlot[n]!);
    const live = this.slotCancelled[slot] === 0;
    this.kind = this.slotKind[slot]!;
    this.a = this.slotA[slot]!;
    this.b = this.slotB[slot]!;
    this.releaseSlot(slot);
    return live;
  }

  private siftUp(i: number, time: number, seq: number, slot: number): void {
    const ht = this.heapTime;
    const hs = this.heapSeq;
    const hl = this.heapSlot;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = ht[p]!;
      if (pt < time || (pt === time && hs[p]! < seq)) break;
      ht[i] = pt;
      hs[i] = hs[p]!;
      hl[i] = hl[p]!;
      i = p;
    }
    ht[i] = time;
    hs[i] = seq;
    hl[i] = slot;
  }

  /** Places (time, seq, slot) starting from the root, moving the hole down. */
  private siftDown(time: number, seq: number, slot: number): void {
    const ht = this.heapTime;
    const hs = this.heapSeq;
    const hl = this.heapSlot;
    const n = this.heapSize;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      let ct = ht[c]!;
      let cs = hs[c]!;
      const r = c + 1;
      if (r < n) {
        const rt = ht[r]!;
        if (rt < ct || (rt === ct && hs[r]! < cs)) {
          c = r;
          ct = rt;
          cs = hs[r]!;
        }
      }
      if (time < ct || (time === ct && seq < cs)) break;
      ht[i] = ct;
      hs[i] = cs;
      hl[i] = hl[c]!;
      i = c;
    }
    ht[i] = time;
    hs[i] = seq;
    hl[i] = slot;
  }

  private allocSlot(): number {
    if (this.freeCount > 0) return this.freeSlots[--this.freeCount]!;
    if (this.slotCount === this.slotKind.length) this.growSlots();
    if (this.slotCount >= SLOT_BITS) throw new Error("event queue: too many pending events");
    return this.slotCount++;
  }

  private releaseSlot(slot: number): void {
    this.slotGen[slot] = (this.slotGen[slot]! + 1) % 2 ** 26;
    this.freeSlots[this.freeCount++] = slot;
  }

  private growHeap(): void {
    const n = this.heapTime.length * 2;
    this.heapTime = grow(this.heapTime, new Float64Array(n));
    this.heapSeq = grow(this.heapSeq, new Float64Array(n));
    this.heapSlot = grow(this.heapSlot, new Int32Array(n));
  }

  private growSlots(): void {
    const n = this.slotKind.length * 2;
    this.slotKind = grow(this.slotKind, new Int32Array(n));
    this.slotA = grow(this.slotA, new Float64Array(n));
    this.slotB = grow(this.slotB, new Float64Array(n));
    this.slotGen = grow(this.slotGen, new Int32Array(n));
    this.slotCancelled = grow(this.slotCancelled, new Uint8Array(n));
    this.freeSlots = grow(this.freeSlots, new Int32Array(n));
  }
}

function grow<T extends Float64Array | Int32Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
