/**
 * Synchronous, incremental gunzip: a worker thread inflates the file with node:zlib
 * and passes the output through a ring of SLOTS blocks in shared memory; the reading
 * thread blocks in Atomics.wait until a block is there. The ring bounds memory (and
 * makes the worker wait when the reader is behind), so a file of any length streams.
 *
 * Shared words (Int32): STATE (running, done, failed), CANCEL (set by the reader on
 * close), PUBLISHED and FREED (counters the two sides wait on: each waits on the other's
 * counter after reading it, so a wake-up cannot be missed), and one length per slot
 * (-1 while the slot is free). Multi-member gzip files (concatenated blocks, as
 * `lbsim trace convert` writes) are read whole: zlib's Gunzip continues past a member.
 */
import { Worker } from "node:worker_threads";
import type { ByteSource } from "./bytes.js";

const SLOTS = 4;
const SLOT_BYTES = 256 * 1024;
const MESSAGE_BYTES = 1024;

const STATE = 0;
const CANCEL = 1;
const PUBLISHED = 2;
const FREED = 3;
const MESSAGE_LENGTH = 4;
const LENGTH = 5;
const WORDS = LENGTH + SLOTS;

const RUNNING = 0;
const DONE = 1;
const FAILED = 2;

/** The worker's code: CommonJS, evaluated (no file to find from the sources or the build). */
const WORKER = `
const { workerData } = require("node:worker_threads");
const { createReadStream } = require("node:fs");
const { createGunzip } = require("node:zlib");
const { pipeline } = require("node:stream/promises");
const { path, control, data, message, slots, slotBytes } = workerData;
const ctl = new Int32Array(control);
const bytes = new Uint8Array(data);
let slot = 0;
function publish(chunk) {
  for (let off = 0; off < chunk.length; ) {
    for (;;) {
      if (Atomics.load(ctl, ${CANCEL}) === 1) throw new Error("cancelled");
      const freed = Atomics.load(ctl, ${FREED});
      if (Atomics.load(ctl, ${LENGTH} + slot) === -1) break;
      Atomics.wait(ctl, ${FREED}, freed);
    }
    const n = Math.min(slotBytes, chunk.length - off);
    bytes.set(chunk.subarray(off, off + n), slot * slotBytes);
    off += n;
    Atomics.store(ctl, ${LENGTH} + slot, n);
    Atomics.add(ctl, ${PUBLISHED}, 1);
    Atomics.notify(ctl, ${PUBLISHED});
    slot = (slot + 1) % slots;
  }
}
function finish(state, text) {
  if (text !== undefined) {
    const encoded = new TextEncoder().encode(text).subarray(0, ${MESSAGE_BYTES});
    new Uint8Array(message).set(encoded);
    Atomics.store(ctl, ${MESSAGE_LENGTH}, encoded.length);
  }
  Atomics.store(ctl, ${STATE}, state);
  Atomics.add(ctl, ${PUBLISHED}, 1);
  Atomics.notify(ctl, ${PUBLISHED});
}
pipeline(
  createReadStream(path),
  createGunzip(),
  async function* (source) {
    for await (const chunk of source) publish(chunk);
  },
).then(
  () => finish(${DONE}),
  (error) => {
    if (Atomics.load(ctl, ${CANCEL}) === 1) finish(${DONE});
    else finish(${FAILED}, error && error.message ? error.message : String(error));
  },
);
`;

export class GunzipSource implements ByteSource {
  private readonly ctl: Int32Array;
  private readonly data: Uint8Array;
  private readonly message: Uint8Array;
  private worker: Worker | null;
  private slot = 0;
  /** The slot handed out by the last read(), freed at the next. */
  private held = -1;

  /** `path` is absolute; the worker opens it (a descriptor opened here could not be closed there). */
  constructor(path: string) {
    const control = new SharedArrayBuffer(WORDS * 4);
    const data = new SharedArrayBuffer(SLOTS * SLOT_BYTES);
    const message = new SharedArrayBuffer(MESSAGE_BYTES);
    this.ctl = new Int32Array(control);
    this.ctl.fill(-1, LENGTH);
    this.data = new Uint8Array(data);
    this.message = new Uint8Array(message);
    this.worker = new Worker(WORKER, {
      eval: true,
      workerData: { path, control, data, message, slots: SLOTS, slotBytes: SLOT_BYTES },
    });
    // Never keeps the process alive: a run stopped early leaves no thread waiting for it.
    this.worker.unref();
  }

  read(): Uint8Array | null {
    this.release();
    if (this.worker === null) return null;
    const ctl = this.ctl;
    for (;;) {
      const published = Atomics.load(ctl, PUBLISHED);
      const block = this.take();
      if (block !== null) return block;
      const state = Atomics.load(ctl, STATE);
      if (state !== RUNNING) {
        // Everything published before the state changed is visible now: look once more.
        const last = this.take();
        if (last !== null) return last;
        const failure = state === FAILED ? this.failure() : null;
        this.close();
        if (failure !== null) throw new Error(`not valid gzip data (${failure})`);
        return null;
      }
      Atomics.wait(ctl, PUBLISHED, published);
    }
  }

  close(): void {
    this.release();
    if (this.worker === null) return;
    Atomics.store(this.ctl, CANCEL, 1);
    Atomics.add(this.ctl, FREED, 1);
    Atomics.notify(this.ctl, FREED);
    void this.worker.terminate();
    this.worker = null;
  }

  private take(): Uint8Array | null {
    const n = Atomics.load(this.ctl, LENGTH + this.slot);
    if (n < 0) return null;
    const start = this.slot * SLOT_BYTES;
    this.held = this.slot;
    this.slot = (this.slot + 1) % SLOTS;
    return this.data.subarray(start, start + n);
  }

  private release(): void {
    if (this.held < 0) return;
    Atomics.store(this.ctl, LENGTH + this.held, -1);
    Atomics.add(this.ctl, FREED, 1);
    Atomics.notify(this.ctl, FREED);
    this.held = -1;
  }

  private failure(): string {
    const n = Atomics.load(this.ctl, MESSAGE_LENGTH);
    return new TextDecoder().decode(this.message.slice(0, Math.max(0, n)));
  }
}
