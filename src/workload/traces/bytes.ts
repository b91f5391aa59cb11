/**
 * Reading a trace file incrementally and synchronously, a block at a time: the
 * simulator's run loop is synchronous and pulls the next arrival when it needs it, so
 * the reader cannot await. Plain files are read with readSync. Gzip is detected by its
 * magic bytes (not the name) and inflated by Node's zlib in a worker thread that hands
 * blocks over through shared memory (gunzip-worker.ts): node:zlib has no synchronous
 * streaming API (gunzipSync inflates a whole buffer), and the worker also takes the
 * inflating off the simulation's thread.
 *
 * Memory is bounded by the block size whatever the file's length.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { GunzipSource } from "./gunzip-worker.js";

/** A stream of bytes read on demand. */
export interface ByteSource {
  /**
   * The next block, or null at the end. The block is valid until the next call (it
   * may be a view into a buffer that is reused).
   */
  read(): Uint8Array | null;
  /** Releases the file (and worker); reading after close returns null. */
  close(): void;
}

export const BLOCK_BYTES = 256 * 1024;

/** Opens `path` (absolute), inflating it if it is gzip. Throws the fs error if it cannot. */
export function openBytes(path: string): ByteSource {
  const fd = openSync(path, "r");
  let gzip = false;
  try {
    const magic = new Uint8Array(2);
    const n = readSync(fd, magic, 0, 2, 0);
    gzip = n === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  if (!gzip) return new FileSource(fd);
  closeSync(fd);
  return new GunzipSource(path);
}

class FileSource implements ByteSource {
  private readonly buffer = new Uint8Array(BLOCK_BYTES);
  private fd: number;

  constructor(fd: number) {
    this.fd = fd;
  }

  read(): Uint8Array | null {
    if (this.fd < 0) return null;
    const n = readSync(this.fd, this.buffer, 0, this.buffer.length, null);
    if (n === 0) {
      this.close();
      return null;
    }
    return this.buffer.subarray(0, n);
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

/**
 * Bytes made on demand by a generator (a test's generated trace, never stored): each
 * yielded block is passed on as it comes.
 */
export function generatedBytes(blocks: Iterator<Uint8Array>): ByteSource {
  let done = false;
  return {
    read() {
      if (done) return null;
      const next = blocks.next();
      if (next.done === true) {
        done = true;
        return null;
      }
      return next.value;
    },
    close() {
      done = true;
      blocks.return?.();
    },
  };
}
