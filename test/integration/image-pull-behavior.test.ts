// ECS_IMAGE_PULL_BEHAVIOR and the "will try to run anyway" create against the REAL Docker engine's image store and a
// REAL htpasswd registry that refuses the task's (stale) password: a cached image really is in the engine's store
// (pulled first with the right password), and the create step really asks the engine for a container.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { connectDocker, createDockerEngine, type DockerEngine } from "../../agent-sim/adapters/engine/index.ts";
import { createImageState, EngineError } from "../../agent-sim/ports.ts";
import type { LaunchContextInput } from "../../agent-sim/index.ts";
import { findRegistryBinary } from "../../registry-fixture/native.ts";
import { RegistryFixture, type StartedRegistry } from "../../registry-fixture/index.ts";
import { runWithPassword } from "./bad-password-run.ts";

const skip = findRegistryBinary() ? false : "no docker-registry binary (apt-get install docker-registry)";
const RIGHT = "alice-right-pw-behavior";
const STALE = "stale-password-behavior-canary";
const MANIFEST_REFUSED = "CannotPullImageManifestError: Error response from daemon: unauthorized: authentication required";

describe("ECS_IMAGE_PULL_BEHAVIOR with the real engine's image store", { skip, timeout: 120_000 }, () => {
  let engine: DockerEngine;
  let registry: StartedRegistry;
  let image: string;

  before(async () => {
    engine = createDockerEngine(await connectDocker());
    registry = await new RegistryFixture().withUser("alice", RIGHT).start();
    image = (await registry.pushImage({ repository: "team/behavior", tag: "v1", layers: 1, layerSize: 1024, seed: "behavior" })).reference;
  });
  after(async () => {
    await engine?.removeImage(image);
    await registry?.stop();
  });

  const cache = async (present: boolean) => {
    await engine.removeImage(image);
    if (present) await engine.pullImage(image, { username: "alice", password: RIGHT });
    assert.equal(await engine.hasImage(image), present);
  };
  const launch = (imagePullBehavior: string): LaunchContextInput => ({ imagePullBehavior });

  it("the engine's create text for an image it does not hold (CannotCreateContainerError's message)", async () => {
    await cache(false);
    await assert.rejects(engine.createContainer(image), (e: unknown) => e instanceof EngineError && e.message === `Error response from daemon: No such image: ${image}`);
  });

  it("prefer-cached, image in the store: no registry call at all, RUNNING", async () => {
    await cache(true);
    const r = await runWithPassword({ image, engine, password: STALE, launch: launch("prefer-cached") });
    assert.equal(r.result, "RUNNING");
    assert.equal(r.task?.containers[0]?.reason, undefined);
    assert.deepEqual(r.trace.filter((s) => s.step === "manifest" || s.step === "pull").map((s) => s.status), ["skipped", "skipped"]);
    assert.ok(!JSON.stringify(r).includes(STALE));
  });

  it("default, image in the store: the pull fails, the real create succeeds, RUNNING with the pull's reason", async () => {
    await cache(true);
    const r = await runWithPassword({ image, engine, password: STALE, launch: launch("default") });
    assert.equal(r.result, "RUNNING");
    assert.equal(r.task?.containers[0]?.reason, MANIFEST_REFUSED);
    assert.equal(r.trace.find((s) => s.step === "start" && s.container === "app")?.status, "ok");
  });

  it("default, no image: the create fails with the engine's text; STOPPED with the first error", async () => {
    await cache(false);
    const r = await runWithPassword({ image, engine, password: STALE, launch: launch("default") });
    assert.equal(r.result, "STOPPED");
    assert.equal(r.task?.stoppedReason, MANIFEST_REFUSED);
    const create = r.trace.find((s) => s.step === "start" && s.container === "app");
    assert.equal(create?.status, "failed");
    assert.ok(create?.detail.startsWith(`CannotCreateContainerError: Error response from daemon: No such image: ${image}`), create?.detail);
  });

  for (const behavior of ["always", "once"]) {
    it(`${behavior}, image in the store: the failed pull stops the task, no create`, async () => {
      await cache(true);
      const r = await runWithPassword({ image, engine, password: STALE, launch: launch(behavior) });
      assert.equal(r.result, "STOPPED");
      assert.equal(r.task?.stoppedReason, MANIFEST_REFUSED);
      assert.equal(r.trace.some((s) => s.step === "start" && s.container === "app" && s.status !== "skipped"), false);
    });
  }

  it("once: a second task on the same agent uses the image it pulled (the agent's image state), even with a stale password", async () => {
    await cache(false);
    const { runTask, fastRetryPolicies, resolveLaunchContext } = await import("../../agent-sim/index.ts");
    const { FakeClock, FakeSecretsManager, ROLE_ARN } = await import("../unit/agent-fakes.ts");
    const imageState = createImageState();
    const secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:registry-AbCdEf";
    const task = (password: string) =>
      runTask({
        taskDefinition: { family: "once", executionRoleArn: ROLE_ARN, containerDefinitions: [{ name: "app", image, essential: true, repositoryCredentials: { credentialsParameter: secret } }] },
        launch: resolveLaunchContext(launch("once")),
        ports: { secretsManager: new FakeSecretsManager({ [secret]: { SecretString: JSON.stringify({ username: "alice", password }) } }), engine, clock: new FakeClock(), imageState },
        options: fastRetryPolicies,
      });
    assert.equal((await task(RIGHT)).result, "RUNNING");
    const second = await task(STALE);
    assert.equal(second.result, "RUNNING");
    assert.equal(second.trace.find((s) => s.step === "pull")?.status, "skipped");
  });
});
