// Issue #4's acceptance on a token-auth registry ("anonymous" mode: a wrong password gets a token that grants
// nothing, as some registries do): the same bad password gives three different texts for agent 1.19.0 (pull,
// no manifest step), 1.83.x and 1.84.0+ (the manifest check's `errors:` list: the agent augments only the pull
// stage's CannotPullContainerError, agent/engine/docker_task_engine.go pullAndUpdateContainerReference, so no
// prefix here) and Fargate 1.4.0 (containerd).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { connectDocker, createDockerEngine } from "../../agent-sim/adapters/engine/index.ts";
import type { ImageEngine, LaunchContextInput } from "../../agent-sim/index.ts";
import { CONTAINERD, DOCKER, FARGATE, PULL } from "../../agent-sim/texts/agent.ts";
import { findRegistryBinary } from "../../registry-fixture/native.ts";
import { RegistryFixture, type StartedRegistry } from "../../registry-fixture/index.ts";
import { runWithPassword } from "./bad-password-run.ts";

const skip = findRegistryBinary() ? false : "no docker-registry binary (apt-get install docker-registry)";
const WRONG = "wrong-password-token-canary-91";

describe("the same bad password on a token registry, four launch contexts, three texts", { skip, timeout: 120_000 }, () => {
  let registry: StartedRegistry;
  let engine: ImageEngine;
  let image: string;
  const texts = new Map<string, string>();

  before(async () => {
    engine = createDockerEngine(await connectDocker());
    registry = await new RegistryFixture()
      .withUser("alice", "alice-right-pw")
      .withTokenAuth({ acl: { alice: ["team/*"] }, badCredentials: "anonymous" })
      .start();
    await registry.pushImage({ repository: "team/versions", tag: "v1", layers: 1, layerSize: 1024, seed: "token-versions" });
    image = registry.imageReference("team/versions", "v1");
  });
  after(() => registry?.stop());

  async function reasonFor(launch: LaunchContextInput): Promise<{ reason: string; failureCode: string | undefined }> {
    const result = await runWithPassword({ image, engine, password: WRONG, launch });
    assert.equal(result.result, "STOPPED", JSON.stringify(result.trace));
    assert.ok(!JSON.stringify(result).includes(WRONG));
    return { reason: result.task?.stoppedReason ?? "", failureCode: result.diagnosis?.failureCode };
  }

  // The daemon's errcode.Errors text (one line per error), kept as is in the container's reason.
  const manifestList = "Error response from daemon: errors:\ndenied: requested access to the resource is denied\nunauthorized: authentication required";

  it("agent 1.19.0: CannotPullContainerError: pull access denied …", async () => {
    const { reason } = await reasonFor({ agentVersion: "1.19.0" });
    texts.set("1.19.0", reason);
    assert.equal(reason, PULL.named(PULL.cannotPullContainer, DOCKER.pullAccessDenied(`${registry.address}/team/versions`)).slice(0, 255));
  });

  it("agent 1.83.0: CannotPullImageManifestError with the daemon's errors list", async () => {
    const { reason } = await reasonFor({ agentVersion: "1.83.0" });
    texts.set("1.83.0", reason);
    assert.equal(reason, PULL.named(PULL.cannotPullImageManifest, manifestList));
  });

  it("agent 1.84.0+: the same, without the prefix (the manifest stage's error is never augmented)", async () => {
    const { reason } = await reasonFor({ agentVersion: "1.84.0" });
    texts.set("1.84.0", reason);
    assert.equal(reason, PULL.named(PULL.cannotPullImageManifest, manifestList));
  });

  it("Fargate 1.4.0: containerd's text", async () => {
    const { reason } = await reasonFor({ launchType: "FARGATE", platformVersion: "1.4.0" });
    texts.set("fargate-1.4.0", reason);
    assert.equal(reason, FARGATE.inspectImageRetried(image, CONTAINERD.pullAccessDenied(CONTAINERD.serverMessage("insufficient_scope"))));
  });

  it("three distinct texts", () => {
    for (const [k, v] of texts) console.log(`# ${k}: ${JSON.stringify(v)}`);
    assert.equal(texts.size, 4);
    assert.equal(new Set(texts.values()).size, 3, [...texts.values()].join("\n"));
  });
});
