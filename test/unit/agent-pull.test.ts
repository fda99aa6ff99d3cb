// pull: manifest check gate, retry counts and delays, first error wins, U+2019 prefixes and reason cuts by version.
import { ecsAgentProfile } from "../../agent-sim/profile/agent-profile.ts";
import assert from "node:assert/strict";
import { test } from "node:test";
import { containerReason, pullContainerImage } from "../../agent-sim/steps/pull.ts";
import { agentRetryPolicies, backoffDelay, fastRetryPolicies } from "../../agent-sim/steps/retry.ts";
import { FakeClock, FakeEngine, engineError } from "./agent-fakes.ts";

const IMAGE = "r.example.com/app:1";
const DENIED = `Error response from daemon: pull access denied for r.example.com/app, repository does not exist or may require 'docker login': denied: requested access to the resource is denied`;

function pull(engine: FakeEngine, agentVersion: string, clock = new FakeClock(), policies = fastRetryPolicies) {
  return pullContainerImage({ container: "app", image: IMAGE, auth: { username: "u", password: "p" }, profile: ecsAgentProfile(agentVersion), policies, engine, clock });
}

test("agent 1.82.0: no manifest check", async () => {
  const engine = new FakeEngine();
  assert.equal((await pull(engine, "1.82.0")).ok, true);
  assert.deepEqual(engine.calls.map((c) => c.op), ["pull"]);
});
test("agent 1.83.0: manifest check first, same credentials", async () => {
  const engine = new FakeEngine();
  await pull(engine, "1.83.0");
  assert.deepEqual(engine.calls.map((c) => [c.op, c.auth?.username]), [["inspect", "u"], ["pull", "u"]]);
});
test("pull retried 5 times, then CannotPullContainerError", async () => {
  const engine = new FakeEngine({ [IMAGE]: [engineError("unauthorized: incorrect username or password")] });
  const r = await pull(engine, "1.82.0");
  assert.ok(!r.ok);
  assert.equal(engine.calls.length, 5);
  assert.equal(r.reason, "CannotPullContainerError: unauthorized: incorrect username or password");
});
test("manifest retried 9 times", async () => {
  const engine = new FakeEngine({}, { [IMAGE]: [engineError("manifest unknown")] });
  const r = await pull(engine, "1.95.0");
  assert.ok(!r.ok && r.stage === "manifest");
  assert.equal(engine.calls.length, 9);
});
test("a later success clears earlier failures", async () => {
  const engine = new FakeEngine({ [IMAGE]: [engineError("toomanyrequests"), null] });
  assert.equal((await pull(engine, "1.82.0")).ok, true);
  assert.equal(engine.calls.length, 2);
});
test("the stage reports its last attempt's error (ecs-agent/utils/retry RetryNWithBackoffCtx)", async () => {
  const engine = new FakeEngine({ [IMAGE]: [engineError("first"), engineError("second"), engineError("third"), engineError("fourth"), engineError("fifth")] });
  const r = await pull(engine, "1.82.0");
  assert.ok(!r.ok);
  assert.equal(r.reason, "CannotPullContainerError: fifth");
  assert.equal(r.dockerError, "fifth");
});
test("agent policy delays: 1.1 s ×2 capped at 5 s (no jitter at random 0.5)", async () => {
  const clock = new FakeClock();
  const engine = new FakeEngine({ [IMAGE]: [engineError("x")] });
  await pullContainerImage({ container: "app", image: IMAGE, auth: undefined, profile: ecsAgentProfile("1.82.0"), policies: agentRetryPolicies, engine, clock, random: () => 0.5 });
  assert.deepEqual(clock.sleeps, [1100, 2200, 4400, 5000]);
  assert.equal(backoffDelay(agentRetryPolicies.pullRetry, 1, () => 1), 1320);
  assert.equal(backoffDelay(agentRetryPolicies.pullRetry, 1, () => 0), 880);
});

test("1.83.x: no prefix", () => assert.equal(containerReason("CannotPullContainerError", DENIED, ecsAgentProfile("1.83.5")), `CannotPullContainerError: ${DENIED}`));
test("1.84.0: image-does-not-exist prefix with U+2019 (cut at 255 bytes until 1.92.0: trimString counts bytes)", () => {
  const full = `CannotPullContainerError: The task can\u2019t pull the image. Check whether the image exists. ${DENIED}`;
  assert.equal(containerReason("CannotPullContainerError", DENIED, ecsAgentProfile("1.84.0")), Buffer.from(full).subarray(0, 255).toString("utf8"));
  assert.equal(containerReason("CannotPullContainerError", DENIED, ecsAgentProfile("1.95.0")), full);
});
test("1.84.0: network prefix", () => {
  const text = "Error response from daemon: Get https://r.example.com/v2/: net/http: request canceled while waiting for connection";
  assert.equal(containerReason("CannotPullContainerError", text, ecsAgentProfile("1.84.0")), `CannotPullContainerError: The task can\u2019t pull the image. Check your network configuration. ${text}`);
});
test("unknown texts are not prefixed", () => assert.equal(containerReason("CannotPullContainerError", "no basic auth credentials", ecsAgentProfile("1.95.0")), "CannotPullContainerError: no basic auth credentials"));
test("container reason cut at 255 before 1.92.0, 1024 from it", () => {
  const long = "x".repeat(3000);
  assert.equal(containerReason("CannotPullContainerError", long, ecsAgentProfile("1.91.0")).length, 255);
  assert.equal(containerReason("CannotPullContainerError", long, ecsAgentProfile("1.92.0")).length, 1024);
});

// After a manifest check that resolved a digest: pull name@digest, then TagImage (docker_task_engine.go
// pullAndUpdateContainerReference; dockerapi TagImage: 5 attempts 100 ms apart, the last error wrapped).
const DIGEST = `sha256:${"ab".repeat(32)}`;
test("a resolved digest: the pull asks for name@digest (tag trimmed), then tags the task's reference", async () => {
  const engine = new FakeEngine();
  engine.digests[IMAGE] = DIGEST;
  const r = await pull(engine, "1.83.0");
  assert.ok(r.ok);
  assert.equal(r.imageDigest, DIGEST);
  assert.deepEqual(engine.calls.map((c) => [c.op, c.source, c.image]), [["inspect", undefined, IMAGE], ["pull", undefined, `r.example.com/app@${DIGEST}`], ["tag", `r.example.com/app@${DIGEST}`, IMAGE]]);
});
test("the tag fails every attempt: CannotPullContainerError with TagImage's wrapping of the last error, 100 ms apart", async () => {
  const clock = new FakeClock();
  const engine = new FakeEngine();
  engine.digests[IMAGE] = DIGEST;
  engine.tagErrors[IMAGE] = [engineError("Error response from daemon: first"), engineError("Error response from daemon: last")];
  const r = await pull(engine, "1.95.0", clock);
  assert.ok(!r.ok && r.stage === "pull");
  assert.equal(r.reason, `CannotPullContainerError: failed to tag image 'r.example.com/app@${DIGEST}' as '${IMAGE}': Error response from daemon: last`);
  assert.equal(engine.calls.filter((c) => c.op === "tag").length, 5);
  assert.deepEqual(clock.sleeps, [100, 100, 100, 100]);
});
