// Issue #4's acceptance, against the real registry and the real Docker engine: the same bad registry password
// for agent 1.19.0, 1.83.x, 1.84.0+ and Fargate 1.4.0, each matching its ECS-BEHAVIOR.md template.
// Finding: an htpasswd registry makes the daemon say `unauthorized: authentication required`, which none of the
// agent >= 1.84.0 augmentations matches (they match `denied: requested access to the resource is denied`), so
// 1.83.x and 1.84.0+ read the same for a bad password: three distinct texts, not four.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { connectDocker, createDockerEngine } from "../../agent-sim/adapters/engine/index.ts";
import type { ImageEngine, LaunchContextInput } from "../../agent-sim/index.ts";
import { FARGATE, PULL } from "../../agent-sim/texts/agent.ts";
import { findRegistryBinary } from "../../registry-fixture/native.ts";
import { RegistryFixture, type StartedRegistry } from "../../registry-fixture/index.ts";
import { runWithPassword } from "./bad-password-run.ts";

const skip = findRegistryBinary() ? false : "no docker-registry binary (apt-get install docker-registry)";
const WRONG = "wrong-password-canary-77";

describe("the same bad password, four launch contexts", { skip }, () => {
  let registry: StartedRegistry;
  let engine: ImageEngine;
  let image: string;
  const texts = new Map<string, string>();

  before(async () => {
    engine = createDockerEngine(await connectDocker());
    registry = await new RegistryFixture().withUser("alice", "alice-right-pw").start();
    await registry.pushImage({ repository: "team/versions", tag: "v1", layers: 1, layerSize: 1024, seed: "versions" });
    image = registry.imageReference("team/versions", "v1");
  });
  after(() => registry?.stop());

  async function reasonFor(launch: LaunchContextInput): Promise<string> {
    const result = await runWithPassword({ image, engine, password: WRONG, launch });
    assert.equal(result.result, "STOPPED", JSON.stringify(result.trace));
    assert.equal(result.exitCode, 6);
    assert.equal(result.diagnosis?.failureCode, "pull-bad-password");
    assert.ok(!JSON.stringify(result).includes(WRONG));
    const reason = result.task?.stoppedReason ?? "";
    assert.equal(result.task?.containers[0]?.reason, reason);
    return reason;
  }

  it("agent 1.19.0: CannotPullContainerError with the daemon's text, no manifest step, cut at 255", async () => {
    const reason = await reasonFor({ agentVersion: "1.19.0" });
    texts.set("1.19.0", reason);
    assert.ok(reason.startsWith(`${PULL.cannotPullContainer}: Error response from daemon: `), reason);
    assert.ok(Array.from(reason).length <= 255);
  });

  it("agent 1.83.0: CannotPullImageManifestError from the manifest check", async () => {
    const reason = await reasonFor({ agentVersion: "1.83.0" });
    texts.set("1.83.0", reason);
    assert.ok(reason.startsWith(`${PULL.cannotPullImageManifest}: Error response from daemon: `), reason);
  });

  it("agent 1.84.0+: the manifest error; no augmentation matches a bad password", async () => {
    const reason = await reasonFor({ agentVersion: "1.84.0" });
    texts.set("1.84.0", reason);
    assert.equal(reason, `${PULL.cannotPullImageManifest}: Error response from daemon: unauthorized: authentication required`);
    assert.equal(await reasonFor({}), reason, "the current agent reads like 1.84.0");
  });

  it("Fargate 1.4.0: containerd's 401 on manifests, the §7 text byte for byte", async () => {
    const reason = await reasonFor({ launchType: "FARGATE", platformVersion: "1.4.0" });
    texts.set("fargate-1.4.0", reason);
    assert.equal(reason, FARGATE.inspectImageRetried(image, FARGATE.manifestsUnauthorized("v1")));
  });

  it("1.19.0, 1.83.x and Fargate 1.4.0 differ; 1.83.x and 1.84.0+ are the same for this failure", () => {
    for (const [k, v] of texts) console.log(`# ${k}: ${v}`);
    assert.equal(texts.size, 4);
    assert.equal(texts.get("1.83.0"), texts.get("1.84.0"));
    assert.equal(new Set(texts.values()).size, 3, [...texts.values()].join("\n"));
  });
});
