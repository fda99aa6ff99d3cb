// The pure parts of `registry up`: where its state lives, the names it accepts, how an image reference becomes a
// repository and tag in our registry; and the docker-save reader on archives made here with tar-stream (a plain
// layer is gzipped on the way with its diff_id unchanged, a symlinked layer resolves, a hostile entry name writes
// nowhere outside the reader's temp dir, a broken manifest is named).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { gunzipSync } from "node:zlib";
import { describe, it } from "node:test";
import { pack } from "tar-stream";
import { checkRegistryName, imageTarget, registryStateRoot } from "../../registry-fixture/detached.ts";
import { ImageArchiveError, readImageArchive } from "../../registry-fixture/image-archive.ts";
import { LAYER_TAR_GZIP } from "../../registry-fixture/seed.ts";

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

function archive(entries: Array<{ name: string; body?: string | Buffer; linkname?: string }>): Readable {
  const p = pack();
  for (const e of entries) {
    if (e.linkname) p.entry({ name: e.name, type: "symlink", linkname: e.linkname });
    else p.entry({ name: e.name }, e.body ?? "");
  }
  p.finalize();
  return Readable.from(p);
}

describe("registry up: state, names, targets", () => {
  it("state lives under XDG_RUNTIME_DIR, else XDG_CACHE_HOME, else ~/.cache", () => {
    assert.equal(registryStateRoot({ XDG_RUNTIME_DIR: "/run/user/1000" }), "/run/user/1000/ecs-pull/registry");
    assert.equal(registryStateRoot({ XDG_CACHE_HOME: "/c" }), "/c/ecs-pull/registry");
    assert.match(registryStateRoot({}), /\/\.cache\/ecs-pull\/registry$/);
  });

  it("names are path-safe", () => {
    assert.equal(checkRegistryName("repro-2"), "repro-2");
    for (const bad of ["", "../x", "A", "a/b", "-a", "a".repeat(64)]) assert.throws(() => checkRegistryName(bad), /--name must be/);
  });

  it("an image reference → repository and tag in our registry (host and digest dropped, tag default latest)", () => {
    assert.deepEqual(imageTarget("team/app:v1"), { repository: "team/app", tag: "v1" });
    assert.deepEqual(imageTarget("busybox"), { repository: "busybox", tag: "latest" });
    assert.deepEqual(imageTarget("docker.io/library/nginx:1.27"), { repository: "library/nginx", tag: "1.27" });
    assert.deepEqual(imageTarget("127.0.0.1:5000/team/app:v2"), { repository: "team/app", tag: "v2" });
    assert.deepEqual(imageTarget("localhost/app@sha256:" + "a".repeat(64)), { repository: "app", tag: "latest" });
    assert.deepEqual(imageTarget("registry.corp:443/a/b"), { repository: "a/b", tag: "latest" });
  });
});

describe("docker-save archives", () => {
  const layer = Buffer.from("a plain layer tar, as docker save writes it");
  const config = Buffer.from(JSON.stringify({ rootfs: { type: "layers", diff_ids: [`sha256:${sha256(layer)}`] } }));

  it("reads manifest.json, the config byte for byte, and gzips a plain layer with the same diff_id", async () => {
    const a = await readImageArchive(
      archive([
        { name: "abc/layer.tar", body: layer },
        { name: "def/layer.tar", linkname: "../abc/layer.tar" },
        { name: "cfg.json", body: config },
        { name: "manifest.json", body: JSON.stringify([{ Config: "cfg.json", RepoTags: ["team/app:v1"], Layers: ["abc/layer.tar", "./def/layer.tar"] }]) },
      ]),
      "app.tar",
    );
    try {
      assert.equal(a.images.length, 1);
      const image = a.images[0]!;
      assert.deepEqual(image.repoTags, ["team/app:v1"]);
      assert.ok(image.config.equals(config));
      for (const load of image.layers) {
        const blob = await load();
        assert.equal(blob.mediaType, LAYER_TAR_GZIP);
        assert.ok(gunzipSync(blob.blob).equals(layer), "the gzip holds the layer's tar unchanged");
      }
    } finally {
      a.dispose();
    }
  });

  it("a hostile entry name is read under our own name, never written where it points", async () => {
    const target = join(tmpdir(), `ecs-pull-escape-${process.pid}`);
    const a = await readImageArchive(
      archive([
        { name: `../../../../..${target}`, body: "x" },
        { name: "c.json", body: config },
        { name: "manifest.json", body: JSON.stringify([{ Config: "c.json", RepoTags: null, Layers: [] }]) },
      ]),
      "evil.tar",
    );
    a.dispose();
    assert.equal(existsSync(target), false);
  });

  it("what is wrong with an archive is named", async () => {
    const cases: Array<[Readable, RegExp]> = [
      [archive([{ name: "x", body: "y" }]), /x\.tar: not a docker-save archive: it has no manifest\.json/],
      [archive([{ name: "manifest.json", body: "{" }]), /manifest\.json is not JSON/],
      [archive([{ name: "manifest.json", body: "[]" }]), /manifest\.json lists no image/],
      [archive([{ name: "manifest.json", body: JSON.stringify([{ Config: 1 }]) }]), /manifest\.json\[0\] needs Config/],
      [archive([{ name: "manifest.json", body: JSON.stringify([{ Config: "nope.json", Layers: [] }]) }]), /Config "nope\.json" is not in the archive/],
      [archive([{ name: "c.json", body: "{}" }, { name: "manifest.json", body: JSON.stringify([{ Config: "c.json", Layers: ["gone/layer.tar"] }]) }]), /layer "gone\/layer\.tar" is not in the archive/],
      [Readable.from([Buffer.from("not a tar at all, just text that goes on")]), /not a docker-save archive: not a readable tar/],
    ];
    for (const [source, message] of cases) await assert.rejects(readImageArchive(source, "x.tar"), (e: Error) => e instanceof ImageArchiveError && message.test(e.message));
  });
});
