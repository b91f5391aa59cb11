import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { openBytes } from "../../../src/workload/traces/bytes.js";

const dir = mkdtempSync(join(tmpdir(), "lbsim-bytes-"));
const text = Buffer.from(
  Array.from({ length: 300_000 }, (_, i) => `line ${i},${(i * 7) % 13}\n`).join(""),
);

function readAll(path: string): Buffer {
  const source = openBytes(path);
  const parts: Buffer[] = [];
  for (let b = source.read(); b !== null; b = source.read()) parts.push(Buffer.from(b));
  return Buffer.concat(parts);
}

describe("reading bytes incrementally", () => {
  it("reads a plain file block by block", () => {
    const path = join(dir, "plain.csv");
    writeFileSync(path, text);
    expect(readAll(path).equals(text)).toBe(true);
  });

  it("inflates gzip (detected by its magic bytes), several members in a row too", () => {
    const path = join(dir, "two-members.bin");
    writeFileSync(
      path,
      Buffer.concat([gzipSync(text.subarray(0, 1_000_000)), gzipSync(text.subarray(1_000_000))]),
    );
    expect(readAll(path).equals(text)).toBe(true);
  });

  it("reports corrupt gzip data as an error, after what could be read", () => {
    const path = join(dir, "cut.gz");
    writeFileSync(path, gzipSync(text).subarray(0, 50_000));
    expect(() => readAll(path)).toThrow(/not valid gzip data/);
  });

  it("can be closed before the end", () => {
    const path = join(dir, "early.gz");
    writeFileSync(path, gzipSync(text));
    const source = openBytes(path);
    expect(source.read()).not.toBeNull();
    source.close();
    expect(source.read()).toBeNull();
  });
});
