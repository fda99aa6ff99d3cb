// Fargate 1.4.0 against the real registry (htpasswd) and the real Docker engine: the containerd-style resolve over
// the distribution API, then a real pull. Right password → RUNNING; wrong or no password, missing tag, registry
// down → the Fargate texts of ECS-BEHAVIOR.md §7 (and containerd's, labelled inferred).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { connectDocker, createDockerEngine, type DockerEngine } from "../../agent-sim/adapters/engine/index.ts";
import { createHttpDistribution, fastRetryPolicies, runTask, resolveLaunchContext } from "../../agent-sim/index.ts";
import { CONTAINERD, FARGATE } from "../../agent-sim/texts/agent.ts";
import { findRegistryBinary } from "../../registry-fixture/native.ts";
import { RegistryFixture, type StartedRegistry } from "../../registry-fixture/index.ts";
import { FARGATE_COMPATIBLE, FakeClock, FakeSecretsManager, ROLE_ARN } from "../unit/agent-fakes.ts";

const skip = findRegistryBinary() ? false : "no docker-registry binary (apt-get install docker-registry)";
const SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:registry-AbCdEf";
const RIGHT = "fargate-right-pw-5521";

describe("Fargate 1.4.0 pulls from the real registry", { skip }, () => {
  let registry: StartedRegistry;
  let engine: DockerEngine;

  before(async () => {
    engine = createDockerEngine(await connectDocker());
    registry = await new RegistryFixture().withUser("alice", RIGHT).start();
    await registry.pushImage({ repository: "team/fargate", tag: "v1", layers: 2, layerSize: 4096, seed: "fargate" });
  });
  after(async () => {
    // The pulled image would outlive the registry it came from.
    if (registry) await engine.removeImage(registry.imageReference("team/fargate", "v1")).catch(() => undefined);
    await registry?.stop();
  });

  const run = (image: string, password: string | undefined) =>
    runTask({
      taskDefinition: {
        family: "fargate",
        executionRoleArn: ROLE_ARN,
        ...FARGATE_COMPATIBLE,
        containerDefinitions: [
          { name: "app", image, essential: true, ...(password !== undefined ? { repositoryCredentials: { credentialsParameter: SECRET } } : {}) },
        ],
      },
      launch: resolveLaunchContext({ launchType: "FARGATE", platformVersion: "1.4.0" }),
      ports: {
        secretsManager: new FakeSecretsManager({ [SECRET]: { SecretString: JSON.stringify({ username: "alice", password }) } }),
        engine,
        clock: new FakeClock(),
        distribution: createHttpDistribution({ requestTimeoutMs: 10_000 }),
      },
      options: fastRetryPolicies,
    });

  it("the right password: resolved, pulled by the engine, RUNNING", async () => {
    const r = await run(registry.imageReference("team/fargate", "v1"), RIGHT);
    assert.equal(r.result, "RUNNING", JSON.stringify(r.trace));
    assert.ok(r.trace.some((s) => s.step === "manifest" && s.status === "ok" && s.detail.includes("sha256:")));
    assert.ok(r.trace.some((s) => s.step === "pull" && s.status === "ok"));
    assert.ok(!JSON.stringify(r).includes(RIGHT));
  });

  it("a wrong password: the §7 text", async () => {
    const image = registry.imageReference("team/fargate", "v1");
    const r = await run(image, "not-the-password");
    assert.equal(r.task?.stoppedReason, FARGATE.inspectImageRetried(image, FARGATE.manifestsUnauthorized("v1")));
    assert.equal(r.diagnosis?.failureCode, "pull-bad-password");
  });

  it("no repositoryCredentials on a Basic registry: containerd gives the 401 back (same text)", async () => {
    const image = registry.imageReference("team/fargate", "v1");
    const r = await run(image, undefined);
    assert.equal(r.task?.stoppedReason, FARGATE.inspectImageRetried(image, FARGATE.manifestsUnauthorized("v1")));
    assert.equal(r.diagnosis?.failureCode, "pull-no-credentials");
  });

  it("a missing tag: <ref>: not found (inferred from containerd)", async () => {
    const image = registry.imageReference("team/fargate", "nope");
    const r = await run(image, RIGHT);
    assert.equal(r.task?.stoppedReason, FARGATE.inspectImageRetried(image, CONTAINERD.notFound(image)));
    assert.equal(r.diagnosis?.failureCode, "pull-no-such-image");
    assert.ok(r.inferred.length > 0);
  });
});
