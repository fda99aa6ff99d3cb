// The registry fixture against Debian's real `docker-registry` binary: htpasswd auth as the registry enforces it,
// images pushed over the HTTP API and read back, deletes, stop and cleanup.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createServer } from "node:net";
import { RegistryFixture, type StartedRegistry, MANIFEST_V2 } from "../../registry-fixture/index.ts";
import { findRegistryBinary, startNativeRegistry } from "../../registry-fixture/native.ts";

const skip = findRegistryBinary() ? false : "no docker-registry binary (apt-get install docker-registry)";
const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
const sha256 = (data: Uint8Array): string => `sha256:${createHash("sha256").update(data).digest("hex")}`;

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("registry fixture, native binary", { skip, timeout: 120_000 }, () => {
  let registry: StartedRegistry;
  before(async () => {
    registry = await new RegistryFixture().withMode("native").withUser("alice", "alice-pw").withUser("bob", "bob-pw").start();
  });
  after(() => registry?.stop());

  it("listens on 127.0.0.1 with the address and url a test needs", () => {
    assert.equal(registry.mode, "native");
    assert.equal(registry.host, "127.0.0.1");
    assert.equal(registry.address, `127.0.0.1:${registry.port}`);
    assert.equal(registry.url, `http://127.0.0.1:${registry.port}`);
    assert.deepEqual(registry.users.map((u) => u.username), ["alice", "bob"]);
  });

  it("GET /v2/ is 401 with a Basic challenge without auth, 200 for each user, 401 for a wrong password", async () => {
    const anonymous = await fetch(`${registry.url}/v2/`);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers.get("www-authenticate"), 'Basic realm="ecs-pull-registry"');
    for (const [user, password] of [["alice", "alice-pw"], ["bob", "bob-pw"]] as const) {
      assert.equal((await fetch(`${registry.url}/v2/`, { headers: { authorization: basic(user, password) } })).status, 200);
    }
    assert.equal((await fetch(`${registry.url}/v2/`, { headers: { authorization: basic("alice", "bob-pw") } })).status, 401);
    assert.equal((await fetch(`${registry.url}/v2/`, { headers: { authorization: basic("carol", "x") } })).status, 401);
  });

  it("pushes 3 layers × 64 KB; the manifest reads back byte for byte under its digest", async () => {
    const image = await registry.pushImage({ repository: "team/app", tag: "v1", layers: 3, layerSize: 64 * 1024, seed: 7 });
    assert.equal(image.reference, `${registry.address}/team/app:v1`);
    assert.equal(image.manifest.layers.length, 3);
    assert.equal(image.manifest.mediaType, MANIFEST_V2);
    assert.equal(image.totalSize, image.manifest.config.size + image.manifest.layers.reduce((s, l) => s + l.size, 0));

    const response = await fetch(`${registry.url}/v2/team/app/manifests/v1`, {
      headers: { authorization: basic("bob", "bob-pw"), accept: MANIFEST_V2 },
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), MANIFEST_V2);
    assert.equal(response.headers.get("docker-content-digest"), image.digest);
    const body = Buffer.from(await response.arrayBuffer());
    assert.equal(body.toString(), image.manifestText);
    assert.equal(sha256(body), image.digest);

    const layer = image.manifest.layers[1];
    assert.ok(layer);
    const blob = await fetch(`${registry.url}/v2/team/app/blobs/${layer.digest}`, { headers: { authorization: basic("alice", "alice-pw") } });
    const bytes = Buffer.from(await blob.arrayBuffer());
    assert.equal(bytes.length, layer.size);
    assert.equal(sha256(bytes), layer.digest);

    assert.equal((await fetch(`${registry.url}/v2/team/app/manifests/v1`, { headers: { accept: MANIFEST_V2 } })).status, 401);
  });

  it("the same seed gives the same digest (and reuses the blobs); another seed another digest", async () => {
    const first = await registry.pushImage({ repository: "same/seed", tag: "a", layers: 2, layerSize: 1000, seed: "s" });
    const second = await registry.pushImage({ repository: "same/seed", tag: "b", layers: 2, layerSize: 1000, seed: "s" });
    const other = await registry.pushImage({ repository: "same/seed", tag: "c", layers: 2, layerSize: 1000, seed: "t" });
    assert.equal(second.digest, first.digest);
    assert.equal(first.skippedBlobs, 0);
    assert.equal(second.skippedBlobs, 3);
    assert.notEqual(other.digest, first.digest);
  });

  it("a wrong password fails the push with 401 and never shows the password", async () => {
    await assert.rejects(
      registry.pushImage({ repository: "x/y", tag: "v", layers: 1, layerSize: 10, auth: { username: "alice", password: "Wr0ng-Passw0rd" } }),
      (error: unknown) => {
        assert.ok(error instanceof Error);
        assert.equal(error.name, "RegistryApiError");
        assert.equal((error as Error & { status?: number }).status, 401);
        assert.match(error.message, /: HEAD answered 401 Unauthorized$/);
        assert.ok(!error.message.includes("Wr0ng-Passw0rd"));
        return true;
      },
    );
  });

  it("deleteManifest by tag makes the tag unknown; deleteBlob makes the layer unknown", async () => {
    const image = await registry.pushImage({ repository: "gone/soon", tag: "v1", layers: 2, layerSize: 100, seed: "del" });
    assert.equal(await registry.deleteManifest({ repository: "gone/soon", reference: "v1" }), image.digest);
    const manifest = await fetch(`${registry.url}/v2/gone/soon/manifests/v1`, { headers: { authorization: basic("alice", "alice-pw"), accept: MANIFEST_V2 } });
    assert.equal(manifest.status, 404);
    assert.equal(((await manifest.json()) as { errors: { code: string }[] }).errors[0]?.code, "MANIFEST_UNKNOWN");

    const kept = await registry.pushImage({ repository: "gone/blob", tag: "v1", layers: 1, layerSize: 100, seed: "blob" });
    const layer = kept.manifest.layers[0];
    assert.ok(layer);
    await registry.deleteBlob({ repository: "gone/blob", digest: layer.digest });
    const blob = await fetch(`${registry.url}/v2/gone/blob/blobs/${layer.digest}`, { headers: { authorization: basic("alice", "alice-pw") } });
    assert.equal(blob.status, 404);
  });

  it("deleting a tag that does not exist says so", async () => {
    await assert.rejects(registry.deleteManifest({ repository: "team/app", reference: "nope" }), {
      name: "RegistryApiError",
      message: `seed: resolving tag nope to ${registry.address}/team/app: HEAD answered 404 Not Found`,
    });
  });

  it("a 20 MB / 4-layer push finishes in a few seconds", async () => {
    const started = Date.now();
    const image = await registry.pushImage({ repository: "big/image", tag: "v1", layers: 4, layerSize: 5 * 1024 * 1024, seed: "big" });
    const elapsed = Date.now() - started;
    assert.ok(image.totalSize > 20 * 1024 * 1024);
    assert.ok(elapsed < 10_000, `took ${elapsed} ms`);
  });

  it("the started registry and its users never print their passwords", async () => {
    const { inspect } = await import("node:util");
    const shown = inspect(registry, { depth: 5 }) + inspect(registry.users) + JSON.stringify(registry.users);
    assert.ok(!shown.includes("alice-pw") && !shown.includes("bob-pw"), shown);
    assert.equal(registry.credentials("bob").password, "bob-pw");
  });
});

describe("registry fixture, native binary, lifecycle", { skip, timeout: 120_000 }, () => {
  it("an anonymous registry answers 200 and takes pushes without auth", async () => {
    await using registry = await new RegistryFixture().withMode("native").withoutAuth().start();
    assert.equal((await fetch(`${registry.url}/v2/`)).status, 200);
    const image = await registry.pushImage({ repository: "open/app", tag: "latest", layers: 1, layerSize: 10 });
    assert.equal((await fetch(`${registry.url}/v2/open/app/manifests/latest`, { headers: { accept: MANIFEST_V2 } })).headers.get("docker-content-digest"), image.digest);
  });

  it("stop frees the port and can be called twice", async () => {
    const registry = await new RegistryFixture().withMode("native").withUser("a", "b").start();
    assert.equal(await portIsFree(registry.port), false);
    await registry.stop();
    await registry.stop();
    assert.equal(await portIsFree(registry.port), true);
  });

  it("a registry that cannot start is a clear error with its log", async () => {
    await assert.rejects(startNativeRegistry({ binary: "/bin/false", startupTimeoutMs: 2000 }), (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.equal(error.name, "RegistryStartError");
      assert.match(error.message, /^registry fixture: native registry on 127\.0\.0\.1:\d+ did not start: the registry exited \(code 1\)\n--- registry log \(last lines\) ---\n/);
      return true;
    });
  });

  for (const how of ["exits", "is killed"] as const) {
    it(`the registry does not outlive a test process that ${how}`, { timeout: 60_000 }, async () => {
      const script = `
        import { startNativeRegistry } from ${JSON.stringify(new URL("../../registry-fixture/native.ts", import.meta.url).href)};
        const r = await startNativeRegistry({ htpasswd: "" });
        console.log(r.pid);
        ${how === "exits" ? "process.exit(0);" : "setTimeout(() => {}, 60_000);"}
      `;
      const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
      const exited = new Promise((resolve) => child.once("exit", resolve));
      try {
        const pid = await new Promise<number>((resolve, reject) => {
          child.stdout.once("data", (data: Buffer) => resolve(Number(String(data).trim())));
          void exited.then(() => reject(new Error("the child exited before printing the registry's pid")));
        });
        assert.ok(pid > 0 && isAlive(pid), `registry pid ${pid} should be alive`);
        if (how === "is killed") child.kill("SIGKILL");
        await exited;
        const deadline = Date.now() + 5000;
        while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
        assert.equal(isAlive(pid), false);
      } finally {
        // Never leave the child behind, whatever failed above.
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      }
    });
  }
});
