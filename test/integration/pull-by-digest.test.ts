// After a manifest check the agent pulls `name@<resolved digest>` and tags the pulled image with the task's reference
// (agent/engine/docker_task_engine.go pullContainerManifest, pullAndUpdateContainerReference; dockerapi TagImage),
// against the REAL Docker engine and a REAL htpasswd registry: the engine's store holds the image under the task's
// tag, the registry was asked for the digest, and a tag that moves between the check and the pull does not change
// what the task gets. Test hooks sit in an ImageEngine wrapper around the real engine (a push between the two calls,
// an image removed between the pull and the tag); every answer still comes from the real engine and registry.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type Docker from "dockerode";
import { connectDocker, createDockerEngine, type DockerEngine } from "../../agent-sim/adapters/engine/index.ts";
import type { ImageEngine } from "../../agent-sim/ports.ts";
import { findRegistryBinary } from "../../registry-fixture/native.ts";
import { RegistryFixture, type PushedImage, type StartedRegistry } from "../../registry-fixture/index.ts";
import { runWithPassword } from "./bad-password-run.ts";

const skip = findRegistryBinary() ? false : "no docker-registry binary (apt-get install docker-registry)";
const PASSWORD = "alice-digest-pw-canary";
const USER = { username: "alice", password: PASSWORD };

describe("pull by the resolved digest, then tag (agent >= 1.83.0)", { skip, timeout: 180_000 }, () => {
  let docker: Docker;
  let engine: DockerEngine;
  let registry: StartedRegistry;
  let seq = 0;
  const made = new Set<string>();

  before(async () => {
    docker = await connectDocker();
    engine = createDockerEngine(docker);
    registry = await new RegistryFixture().withUser("alice", PASSWORD).start();
  });
  after(async () => {
    for (const ref of made) await engine?.removeImage(ref);
    await registry?.stop();
  });

  /** A fresh repository with one image under `v1`, absent from the engine's store. */
  async function fresh(seed: string): Promise<{ pushed: PushedImage; name: string; repository: string }> {
    const repository = `team/digest-${++seq}`;
    const pushed = await registry.pushImage({ repository, tag: "v1", layers: 1, layerSize: 2048, seed });
    const name = pushed.reference.slice(0, pushed.reference.lastIndexOf(":"));
    made.add(pushed.reference);
    await engine.removeImage(pushed.reference);
    return { pushed, name, repository };
  }

  const inspect = (ref: string) => docker.getImage(ref).inspect();

  it("RUNNING: the pull asks for name@digest, the engine holds the image under the task's tag, the trace names both", async () => {
    const { pushed, name } = await fresh("digest-plain");
    const r = await runWithPassword({ image: pushed.reference, engine, password: PASSWORD, launch: {} });
    assert.equal(r.result, "RUNNING");
    const pinned = `${name}@${pushed.digest}`;
    const manifest = r.trace.find((s) => s.step === "manifest");
    assert.equal(manifest?.detail, `${pushed.reference}: manifest found (attempt 1); digest ${pushed.digest}`);
    const pull = r.trace.find((s) => s.step === "pull");
    assert.equal(pull?.status, "ok");
    assert.equal(pull?.detail, `${pinned}: pulled (attempt 1); tagged ${pushed.reference}`);
    const held = await inspect(pushed.reference);
    assert.ok(held.RepoTags.includes(pushed.reference), JSON.stringify(held.RepoTags));
    assert.deepEqual(held.RepoDigests, [pinned]);
    assert.equal(r.task?.containers[0]?.imageDigest, pushed.digest);
    // The registry saw the pull's manifest request by digest (its access log); the tag was only HEAD/GET by the check.
    const log = registry.logTail(400);
    assert.ok(log.includes(`/v2/${name.slice(name.indexOf("/") + 1)}/manifests/${pushed.digest}`), "registry log has no manifest request by digest");
    assert.ok(!JSON.stringify(r).includes(PASSWORD));
  });

  it("a tag moved between the manifest check and the pull: the task gets the digest checked first, tagged with its reference", async () => {
    const { pushed: first, name, repository } = await fresh("digest-before-move");
    let moved: PushedImage | undefined;
    const moving: ImageEngine = {
      ...engine,
      async inspectDistribution(image, auth) {
        const answer = await engine.inspectDistribution(image, auth);
        moved = await registry.pushImage({ repository, tag: "v1", layers: 1, layerSize: 2048, seed: "digest-after-move" });
        return answer;
      },
    };
    const r = await runWithPassword({ image: first.reference, engine: moving, password: PASSWORD, launch: {} });
    assert.equal(r.result, "RUNNING");
    assert.ok(moved && moved.digest !== first.digest, "the push did not move the tag");
    const held = await inspect(first.reference);
    assert.deepEqual(held.RepoDigests, [`${name}@${first.digest}`]);
    assert.equal(r.trace.find((s) => s.step === "pull")?.detail, `${name}@${first.digest}: pulled (attempt 1); tagged ${first.reference}`);
    // The registry's tag really moved: a pull of the tag now gets the other image.
    await engine.removeImage(first.reference);
    await engine.pullImage(first.reference, USER);
    assert.deepEqual((await inspect(first.reference)).RepoDigests, [`${name}@${moved.digest}`]);
  });

  it("an agent before 1.83.0 has no manifest check: it pulls the tag itself, no tag step", async () => {
    const { pushed } = await fresh("digest-old-agent");
    const r = await runWithPassword({ image: pushed.reference, engine, password: PASSWORD, launch: { agentVersion: "1.82.0" } });
    assert.equal(r.result, "RUNNING");
    assert.equal(r.trace.find((s) => s.step === "pull")?.detail, `${pushed.reference}: pulled (attempt 1)`);
  });

  it("the tag fails (the pulled image gone before it): CannotPullContainerError with the agent's wrapping, the engine's text, 5 attempts", async () => {
    const { pushed, name } = await fresh("digest-tag-fails");
    const pinned = `${name}@${pushed.digest}`;
    let tags = 0;
    const vanishing: ImageEngine = {
      ...engine,
      async pullImage(image, auth, onProgress) {
        await engine.pullImage(image, auth, onProgress);
        await engine.removeImage(image);
      },
      async tagImage(source, target) {
        tags++;
        return engine.tagImage(source, target);
      },
    };
    const r = await runWithPassword({ image: pushed.reference, engine: vanishing, password: PASSWORD, launch: { imagePullBehavior: "always" } });
    assert.equal(r.result, "STOPPED");
    const expected = `CannotPullContainerError: failed to tag image '${pinned}' as '${pushed.reference}': Error response from daemon: No such image: ${pinned}`;
    assert.equal(r.task?.stoppedReason, expected);
    assert.equal(r.task?.containers[0]?.reason, expected);
    assert.equal(tags, 5);
    assert.equal(r.trace.find((s) => s.step === "pull")?.status, "failed");
  });
});
