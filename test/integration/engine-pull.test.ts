// The production ImageEngine against the REAL Docker engine and a REAL htpasswd registry (the project's registry
// fixture: registry:2 or Debian's docker-registry on 127.0.0.1): manifest check and pull succeed with the right credentials, and every failure rejects with the text
// the ECS agent's Go Docker client would carry. The texts below were observed on Debian's docker.io 20.10.24 with
// distribution registry 2.8.2; on that engine they must match exactly, elsewhere their stable beginning must.
// Needs an engine: `npm test` brings one up; run alone, a missing engine fails here with a clear message.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import Docker from "dockerode";
import { connectDocker, createDockerEngine, type DockerEngine } from "../../agent-sim/adapters/engine/index.ts";
import { EngineError, EnvironmentError, type PullProgress } from "../../agent-sim/ports.ts";
import { createServer } from "node:net";
import { RegistryFixture, type StartedRegistry } from "../../registry-fixture/index.ts";

const USER = { username: "engine-user", password: "s3cret-Engine-pw+/=" };
const WRONG = { username: USER.username, password: "not-the-password" };

/** Real daemon texts (Docker 20.10.24, registry 2.8.2); `{addr}` is the registry's 127.0.0.1:<port>. */
const DAEMON = {
  wrongPassword: "Error response from daemon: unauthorized: authentication required",
  noCredentials: 'Error response from daemon: Head "http://{addr}/v2/{repo}/manifests/{tag}": no basic auth credentials',
  manifestUnknown: "Error response from daemon: manifest unknown: manifest unknown",
  pullNotFound: "Error response from daemon: manifest for {ref} not found: manifest unknown: manifest unknown",
  registryDown: 'Error response from daemon: Get "http://{addr}/v2/": dial tcp {addr}: connect: connection refused',
  /** Inside the pull stream (HTTP 200 already sent), so no daemon prefix. */
  missingLayer: "unknown blob",
} as const;

/** A port nobody listens on right now (for "registry down"). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? `{${key}}`);
}

describe("dockerode engine against the real Docker engine and registry", () => {
  let engine: DockerEngine;
  let registry: StartedRegistry;
  let image: string;
  let digest: string;
  let exactTexts = false;
  const pulled = new Set<string>();

  before(async () => {
    // connectDocker throws EnvironmentError("No Docker engine answered at ...") when there is none: every test
    // then fails with that message instead of skipping.
    const docker = await connectDocker();
    exactTexts = ((await docker.version()).Version ?? "").startsWith("20.10.");
    engine = createDockerEngine(docker);
    registry = await new RegistryFixture().withUser(USER.username, USER.password).start();
    const pushed = await registry.pushImage({ repository: "team/app", tag: "v1", layers: 2, layerSize: 16 * 1024, seed: 1 });
    image = pushed.reference;
    digest = pushed.digest;
  });

  after(async () => {
    for (const ref of pulled) await engine?.removeImage(ref).catch(() => undefined);
    await registry?.stop();
  });

  /** Rejects with EngineError, the expected text (exact on 20.10), and never the password. */
  async function assertEngineError(action: Promise<unknown>, expected: string, prefix: string): Promise<EngineError> {
    const error: unknown = await action.then(
      () => assert.fail("expected the engine to reject"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof EngineError, `expected EngineError, got ${String(error)}`);
    assert.ok(!error.message.includes(USER.password) && !error.message.includes(WRONG.password), "password leaked");
    if (exactTexts) assert.equal(error.message, expected);
    else assert.ok(error.message.startsWith(prefix), `${error.message} should start with ${prefix}`);
    return error;
  }

  it("good credentials: the manifest resolves (its digest and media type), the pull streams per-layer progress and the image is there", async () => {
    assert.deepEqual(await engine.inspectDistribution(image, USER), { digest, mediaType: "application/vnd.docker.distribution.manifest.v2+json" });
    const progress: PullProgress[] = [];
    pulled.add(image);
    await engine.pullImage(image, USER, (p) => progress.push(p));
    assert.equal(await engine.hasImage(image), true);
    const layerLines = progress.filter((p) => p.id !== "" && p.id !== "v1");
    assert.ok(layerLines.some((p) => p.status === "Pull complete"), JSON.stringify(progress));
    // A tiny layer may finish before Docker reports any Downloading line; when one comes, it carries sizes.
    for (const line of layerLines.filter((p) => p.status === "Downloading")) assert.equal(typeof line.total, "number");
    assert.ok(progress.some((p) => p.status.startsWith("Digest: sha256:")));
    // ImageTag: the pulled image under a second reference; a source the engine does not hold is its 404 text.
    const second = image.replace(":v1", ":tagged");
    pulled.add(second);
    await engine.tagImage(image, second);
    assert.equal(await engine.hasImage(second), true);
    await engine.removeImage(second);
    const absent = image.replace(":v1", ":absent");
    await assertEngineError(engine.tagImage(absent, second), `Error response from daemon: No such image: ${absent}`, "Error response from daemon: ");
    await engine.removeImage(image);
    assert.equal(await engine.hasImage(image), false);
  });

  it("wrong password: both calls reject with the daemon's unauthorized text", async () => {
    const prefix = "Error response from daemon: unauthorized";
    await assertEngineError(engine.inspectDistribution(image, WRONG), DAEMON.wrongPassword, prefix);
    await assertEngineError(engine.pullImage(image, WRONG), DAEMON.wrongPassword, prefix);
  });

  it("no credentials on an auth registry: 'no basic auth credentials'", async () => {
    const text = fill(DAEMON.noCredentials, { addr: registry.address, repo: "team/app", tag: "v1" });
    await assertEngineError(engine.inspectDistribution(image, undefined), text, "Error response from daemon: ");
    const error = await assertEngineError(engine.pullImage(image, undefined), text, "Error response from daemon: ");
    assert.match(error.message, /no basic auth credentials$/);
  });

  it("missing tag: manifest unknown (manifest check) and 'manifest for <ref> not found' (pull)", async () => {
    const ref = `${registry.address}/team/app:no-such-tag`;
    await assertEngineError(engine.inspectDistribution(ref, USER), DAEMON.manifestUnknown, "Error response from daemon: ");
    const error = await assertEngineError(
      engine.pullImage(ref, USER),
      fill(DAEMON.pullNotFound, { ref }),
      `Error response from daemon: manifest for ${ref} not found`,
    );
    assert.equal(error.statusCode, 404);
  });

  it("missing repository: the same texts as a missing tag (the registry says manifest unknown)", async () => {
    const ref = `${registry.address}/team/no-such-repo:v1`;
    await assertEngineError(engine.inspectDistribution(ref, USER), DAEMON.manifestUnknown, "Error response from daemon: ");
    await assertEngineError(
      engine.pullImage(ref, USER),
      fill(DAEMON.pullNotFound, { ref }),
      `Error response from daemon: manifest for ${ref} not found`,
    );
  });

  it("registry down (nothing listens on the port): connection refused", async () => {
    const addr = `127.0.0.1:${await freePort()}`;
    const ref = `${addr}/team/app:v1`;
    const text = fill(DAEMON.registryDown, { addr });
    await assertEngineError(engine.inspectDistribution(ref, USER), text, "Error response from daemon: ");
    const error = await assertEngineError(engine.pullImage(ref, USER), text, "Error response from daemon: ");
    assert.match(error.message, /connection refused$/);
  });

  it("a layer missing after the manifest: the error arrives inside the pull stream, bare (no daemon prefix)", async () => {
    const broken = await registry.pushImage({ repository: "team/broken", tag: "v1", layers: 1, layerSize: 4096, seed: 2 });
    await registry.deleteBlob({ repository: "team/broken", digest: broken.manifest.layers[0]!.digest });
    await engine.inspectDistribution(broken.reference, USER);
    pulled.add(broken.reference);
    const error: unknown = await engine.pullImage(broken.reference, USER).then(
      () => assert.fail("expected the pull to fail"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof EngineError, String(error));
    assert.equal(error.statusCode, undefined);
    assert.ok(!error.message.startsWith("Error response from daemon"), error.message);
    if (exactTexts) assert.equal(error.message, DAEMON.missingLayer);
    else assert.ok(error.message.length > 0);
  });
});

describe("dockerode engine when the engine is unreachable", () => {
  it("a socket with no engine behind it: EnvironmentError naming the socket, not EngineError", async () => {
    const engine = createDockerEngine(new Docker({ socketPath: "/nonexistent/ecs-pull-test/docker.sock" }));
    const error: unknown = await engine.pullImage("127.0.0.1:1/x:y", USER).then(
      () => assert.fail("expected a rejection"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof EnvironmentError, String(error));
    assert.match(error.message, /^The Docker engine at unix:\/\/\/nonexistent\/ecs-pull-test\/docker\.sock stopped answering/);
    await assert.rejects(engine.inspectDistribution("127.0.0.1:1/x:y", undefined), EnvironmentError);
  });

  it("an engine that is down on TCP: EnvironmentError", async () => {
    const port = await freePort();
    const engine = createDockerEngine(new Docker({ host: "127.0.0.1", port, protocol: "http" }));
    await assert.rejects(engine.hasImage("x:y"), (e: unknown) => e instanceof EnvironmentError && /ECONNREFUSED/.test(e.message));
  });
});
