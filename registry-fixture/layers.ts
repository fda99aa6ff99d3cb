// Deterministic synthetic image content: the same (seed, layer index, size) always gives the same bytes, tar
// and gzip, so pushed digests are stable across runs. Pure: no I/O.
import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";

/**
 * `size` bytes from xorshift128 seeded by sha256(seed + "/" + stream). Random bytes do not compress, which is
 * what we want: the blob size on the wire equals the size asked for, so "pull 20 MB" means 20 MB.
 */
export function seededBytes(seed: string, stream: number, size: number): Buffer {
  const digest = createHash("sha256").update(`${seed}/${stream}`).digest();
  let x = digest.readUInt32LE(0) | 0;
  let y = digest.readUInt32LE(4) | 0;
  let z = digest.readUInt32LE(8) | 0;
  let w = digest.readUInt32LE(12) | 1; // xorshift128 must not start all-zero
  const out = Buffer.allocUnsafe(size);
  const words = size >>> 2;
  for (let i = 0; i < words; i++) {
    const t = x ^ (x << 11);
    x = y;
    y = z;
    z = w;
    w = w ^ (w >>> 19) ^ (t ^ (t >>> 8));
    // Explicit little-endian bytes, so the output does not depend on the host's byte order.
    out.writeInt32LE(w, i << 2);
  }
  for (let i = words << 2; i < size; i++) {
    const t = x ^ (x << 11);
    x = y;
    y = z;
    z = w;
    w = w ^ (w >>> 19) ^ (t ^ (t >>> 8));
    out[i] = w & 0xff;
  }
  return out;
}

const BLOCK = 512;

/**
 * A ustar archive holding one regular file (mode 0644, root:root, mtime 0), padded to 512-byte blocks and closed
 * by two zero blocks — the smallest tar every extractor (Docker's included) reads as a layer.
 */
export function tarWithOneFile(name: string, content: Uint8Array): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`tar: file name longer than 100 bytes: ${name}`);
  const header = Buffer.alloc(BLOCK);
  header.write(name, 0, 100, "utf8");
  writeOctal(header, 100, 8, 0o644); // mode
  writeOctal(header, 108, 8, 0); // uid
  writeOctal(header, 116, 8, 0); // gid
  writeOctal(header, 124, 12, content.length); // size
  writeOctal(header, 136, 12, 0); // mtime: fixed, for stable digests
  header.fill(0x20, 148, 156); // checksum field counts as spaces while summing
  header.write("0", 156, "ascii"); // typeflag: regular file
  header.write("ustar\0", 257, "ascii");
  header.write("00", 263, "ascii");
  header.write("root", 265, "ascii"); // uname
  header.write("root", 297, "ascii"); // gname
  writeOctal(header, 329, 8, 0); // devmajor
  writeOctal(header, 337, 8, 0); // devminor
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "ascii");
  const padding = (BLOCK - (content.length % BLOCK)) % BLOCK;
  return Buffer.concat([header, content, Buffer.alloc(padding + 2 * BLOCK)]);
}

function writeOctal(buffer: Buffer, offset: number, length: number, value: number): void {
  // length-1 octal digits then NUL, as GNU tar and Go's archive/tar write them.
  buffer.write(`${value.toString(8).padStart(length - 1, "0")}\0`, offset, length, "ascii");
}

const STORED_BLOCK_MAX = 0xffff;

/**
 * gzip (RFC 1952) of `data` with deflate "stored" blocks: no compression, so the output depends on nothing but
 * the input (zlib's compressed output differs between zlib builds and Node versions) and is fast for tens of MB.
 * Header fixed: no name, mtime 0, OS unknown (255).
 */
export function gzipStored(data: Uint8Array): Buffer {
  const blocks = Math.max(1, Math.ceil(data.length / STORED_BLOCK_MAX));
  const out = Buffer.allocUnsafe(10 + data.length + blocks * 5 + 8);
  out.set([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff], 0);
  let at = 10;
  for (let b = 0; b < blocks; b++) {
    const start = b * STORED_BLOCK_MAX;
    const length = Math.min(STORED_BLOCK_MAX, data.length - start);
    out[at] = b === blocks - 1 ? 0x01 : 0x00; // BFINAL on the last block, BTYPE 00 (stored)
    out.writeUInt16LE(length, at + 1);
    out.writeUInt16LE(~length & 0xffff, at + 3);
    out.set(data.subarray(start, start + length), at + 5);
    at += 5 + length;
  }
  out.writeUInt32LE(crc32(data) >>> 0, at);
  out.writeUInt32LE(data.length % 2 ** 32, at + 4);
  return out;
}

export function sha256Digest(data: Uint8Array): string {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

/** One image layer: the gzip blob pushed to the registry and the digest of its uncompressed tar (the diff_id). */
export interface SyntheticLayer {
  blob: Buffer;
  digest: string;
  diffId: string;
}

/** Layer `index` of an image: a tar with `ecs-pull-layer-<index>.bin` of `size` seeded bytes, gzipped. */
export function syntheticLayer(seed: string, index: number, size: number): SyntheticLayer {
  const tar = tarWithOneFile(`ecs-pull-layer-${index}.bin`, seededBytes(seed, index, size));
  const blob = gzipStored(tar);
  return { blob, digest: sha256Digest(blob), diffId: sha256Digest(tar) };
}
