// A real Docker engine pulls what the fixture seeds: the layer tars, gzip, image config and schema 2 manifest
// are formats Docker accepts, and the image it stores has the config's diff_ids and the manifest's digest.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { RegistryFixture, type StartedRegistry } from "../../registry-fixture/index.ts";
import { findRegistryBinary } from "../../registry-fixture/native.ts";
import { reachableEngine } from "../support/docker.ts";

const docker = await reachableEngine();
const skip = !docker ? "no Docker engine answers (DOCKER_HOST, /var/run/docker.sock, .runtime/env)" : !findRegistryBinary() ? "no docker-registry binary" : false;

describe("registry fixture, pulled by a real Docker engine", { skip, timeout: 120_000 }, () => {
  let registry: StartedRegistry;
  const pulled: string[] = [];
  before(async () => {
    registry = await new RegistryFixture().withMode("native").withUser("alice", "alice-pw").start();
  });
  after(async () => {
    for (const reference of pulled) await docker?.getImage(reference).remove({ force: true }).catch(() => undefined);
    await registry?.stop();
  });

  it("docker pull with the user's credentials gets the image: same layers, same repo digest", async () => {
    assert.ok(docker);
    const tag = `t${process.pid}`;
    const image = await registry.pushImage({ repository: "fixture/pull-check", tag, layers: 3, layerSize: 64 * 1024, seed: tag });
    pulled.push(image.reference);
    const stream = await docker.pull(image.reference, { authconfig: { username: "alice", password: "alice-pw" } });
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(stream, (error: Error | null, events: { error?: string }[]) => {
        const failed = error ?? events.find((event) => event.error);
        if (failed) reject(failed instanceof Error ? failed : new Error(String(failed.error)));
        else resolve();
      }),
    );
    const inspected = await docker.getImage(image.reference).inspect();
    assert.equal(inspected.Id, image.manifest.config.digest);
    assert.equal(inspected.RootFS.Layers?.length, 3);
    assert.ok(inspected.RepoDigests.includes(`${registry.address}/fixture/pull-check@${image.digest}`), inspected.RepoDigests.join(", "));
    assert.equal(inspected.Os, "linux");
    assert.equal(inspected.Architecture, "amd64");
  });

  it("docker pull without credentials is refused by the registry", async () => {
    assert.ok(docker);
    const image = await registry.pushImage({ repository: "fixture/pull-denied", tag: "v1", layers: 1, layerSize: 100 });
    await assert.rejects(
      (async () => {
        const stream = await docker.pull(image.reference);
        await new Promise<void>((resolve, reject) => docker.modem.followProgress(stream, (error: Error | null) => (error ? reject(error) : resolve())));
      })(),
      /no basic auth credentials/,
    );
  });
});
