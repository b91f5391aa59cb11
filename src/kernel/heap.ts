/**
 * A binary min-heap of (time, sequence, slot) on typed arrays: the event queue's
 * building block (event-queue.ts). Ordered by time, then sequence.
 */
export class Heap {
  private time = new Float64Array(1024);
  private seq = new Float64Array(1024);
  private slot = new Int32Array(1024);
  size = 0;

  /** Time of the root, or Infinity when empty. */
  topTime(): number {
    return this.size > 0 ? this.time[0]! : Number.POSITIVE_INFINITY;
  }

  /** Sequence of the root (call only when size > 0). */
  topSeq(): number {
    return this.seq[0]!;
  }

  /** Slot of the root (call only when size > 0). */
  topSlot(): number {
    return this.slot[0]!;
  }

  push(time: number, seq: number, slot: number): void {
    if (this.size === this.time.length) this.grow();
    const ht = this.time;
    const hs = this.seq;
    const hl = this.slot;
    let i = this.size++;
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

  /** Removes the root (call only when size > 0): the last entry sifts down from the top. */
  removeTop(): void {
    const n = --this.size;
    if (n === 0) return;
    const ht = this.time;
    const hs = this.seq;
    const hl = this.slot;
    const time = ht[n]!;
    const seq = hs[n]!;
    const slot = hl[n]!;
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

  private grow(): void {
    const n = this.time.length * 2;
    const t = new Float64Array(n);
    t.set(this.time);
    this.time = t;
    const s = new Float64Array(n);
    s.set(this.seq);
    this.seq = s;
    const l = new Int32Array(n);
    l.set(this.slot);
    this.slot = l;
  }
}
