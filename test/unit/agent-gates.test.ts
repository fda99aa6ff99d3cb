// gates, versions and launch context: who may run a task with repositoryCredentials, and clear launch errors.
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkGates, supportsLaunchType } from "../../agent-sim/steps/gates.ts";
import { LaunchContextError, resolveLaunchContext } from "../../agent-sim/profile/launch-context.ts";
import { registerTaskDefinition } from "../../agent-sim/steps/task-definition.ts";
import type { TaskDefinition } from "../../agent-sim/steps/task-definition.ts";
import { CURRENT_AGENT_VERSION, agentChecksManifest, agentPrefixesPullErrors, agentUsesSdkV2, containerReasonLimit } from "../../agent-sim/profile/versions.ts";
import { FARGATE_COMPATIBLE, privateContainer, taskDef } from "./agent-fakes.ts";

function td(containers = [privateContainer()], extra: Record<string, unknown> = {}): TaskDefinition {
  const r = registerTaskDefinition(taskDef(containers, extra));
  assert.ok(r.ok);
  return r.taskDefinition;
}

test("EC2 agent 1.18.9 → ATTRIBUTE failure with the container-instance ARN", () => {
  const g = checkGates(td(), resolveLaunchContext({ agentVersion: "1.18.9", cluster: "prod" }));
  assert.ok(!g.ok && g.failure.kind === "failures");
  assert.equal(g.failure.failures[0]?.reason, "ATTRIBUTE");
  assert.match(g.failure.failures[0]?.arn ?? "", /^arn:aws:ecs:us-east-1:000000000000:container-instance\/prod\/[0-9a-f]{32}$/);
  assert.equal(g.failure.serviceEvent, undefined, "a standalone RunTask has no service event");
  const byService = checkGates(td(), resolveLaunchContext({ agentVersion: "1.18.9", cluster: "prod" }), "web");
  assert.ok(!byService.ok && byService.failure.kind === "failures");
  assert.ok(byService.failure.serviceEvent?.startsWith("service web was unable to place a task because no container instance met all of its requirements. The closest matching container-instance "));
});
test("EC2 agent 1.19.0 → placed", () => assert.deepEqual(checkGates(td(), resolveLaunchContext({ agentVersion: "1.19.0" })), { ok: true }));
test("EXTERNAL agent 1.18.0 → ATTRIBUTE", () => assert.equal(checkGates(td(), resolveLaunchContext({ launchType: "EXTERNAL", agentVersion: "1.18.0" })).ok, false));
test("old agent without repositoryCredentials → placed", () => {
  assert.deepEqual(checkGates(td([{ name: "a", image: "nginx" } as never]), resolveLaunchContext({ agentVersion: "1.10.0" })), { ok: true });
});
test("Fargate 1.1.0 → PlatformUnknownException, labelled inferred", () => {
  const g = checkGates(td(undefined, FARGATE_COMPATIBLE), resolveLaunchContext({ launchType: "FARGATE", platformVersion: "1.1.0" }));
  assert.ok(!g.ok && g.failure.kind === "exception");
  assert.deepEqual([g.failure.code, g.failure.message, g.failure.inferred], ["PlatformUnknownException", "The specified platform version doesn't exist.", true]);
});
test("Fargate with requiresCompatibilities [EC2] → InvalidParameterException before the platform check; EC2 still placed", () => {
  const r = registerTaskDefinition(taskDef([privateContainer()], { requiresCompatibilities: ["EC2"] }));
  assert.ok(r.ok);
  for (const platformVersion of ["LATEST", "1.1.0"]) {
    const g = checkGates(r.taskDefinition, resolveLaunchContext({ launchType: "FARGATE", platformVersion }));
    assert.ok(!g.ok && g.failure.kind === "exception");
    assert.deepEqual([g.failure.code, g.failure.message, g.failure.failureCode, g.failure.inferred], ["InvalidParameterException", "Task definition does not support launch_type FARGATE.", "gate-fargate-incompatible", true]);
  }
  assert.deepEqual(checkGates(r.taskDefinition, resolveLaunchContext({ agentVersion: "1.19.0" })), { ok: true });
});
test("a definition that names no requiresCompatibilities is EC2's: refused on FARGATE (any platform), placed on EC2 and EXTERNAL", () => {
  const bare = td();
  assert.equal(bare.requiresCompatibilities, undefined);
  assert.equal(supportsLaunchType(bare, "FARGATE"), false);
  assert.equal(supportsLaunchType({ requiresCompatibilities: [] }, "FARGATE"), false);
  for (const platformVersion of ["LATEST", "1.4.0", "1.3.0", "1.1.0"]) {
    const g = checkGates(bare, resolveLaunchContext({ launchType: "FARGATE", platformVersion }));
    assert.ok(!g.ok && g.failure.kind === "exception");
    assert.deepEqual([g.failure.code, g.failure.message, g.failure.failureCode], ["InvalidParameterException", "Task definition does not support launch_type FARGATE.", "gate-fargate-incompatible"]);
  }
  assert.deepEqual(checkGates(bare, resolveLaunchContext({ agentVersion: "1.19.0" })), { ok: true });
  assert.deepEqual(checkGates(bare, resolveLaunchContext({ launchType: "EXTERNAL", agentVersion: "1.19.0" })), { ok: true });
  assert.equal(supportsLaunchType(td(undefined, FARGATE_COMPATIBLE), "FARGATE"), true);
  assert.equal(supportsLaunchType(td([privateContainer()], { ...FARGATE_COMPATIBLE, requiresCompatibilities: ["FARGATE"] }), "FARGATE"), true);
});
test("Fargate LATEST → placed on 1.4.0", () => {
  const launch = resolveLaunchContext({ launchType: "FARGATE", platformVersion: "LATEST" });
  assert.equal(launch.resolvedPlatformVersion, "1.4.0");
  assert.deepEqual(checkGates(td(undefined, FARGATE_COMPATIBLE), launch), { ok: true });
});
test("Fargate 1.3.0 → placed, old ECS agent behaviour", () => {
  const launch = resolveLaunchContext({ launchType: "FARGATE", platformVersion: "1.3.0" });
  assert.deepEqual(checkGates(td(undefined, FARGATE_COMPATIBLE), launch), { ok: true });
  assert.equal(agentUsesSdkV2(launch.agentVersion), false);
  assert.equal(agentChecksManifest(launch.agentVersion), false);
});

test("version gates", () => {
  assert.equal(agentChecksManifest("1.82.9"), false);
  assert.equal(agentChecksManifest("1.83.0"), true);
  assert.equal(agentPrefixesPullErrors("1.83.9"), false);
  assert.equal(agentPrefixesPullErrors("1.84.0"), true);
  assert.equal(containerReasonLimit("1.91.0"), 255);
  assert.equal(containerReasonLimit("1.92.0"), 1024);
  assert.equal(resolveLaunchContext().agentVersion, CURRENT_AGENT_VERSION);
});

test("launch context defaults", () => {
  assert.deepEqual(resolveLaunchContext(), { launchType: "EC2", agentVersion: CURRENT_AGENT_VERSION, region: "us-east-1", account: "000000000000", cluster: "default", imagePullBehavior: "default", osType: "linux" });
});
test("launch context errors name the field", () => {
  assert.throws(() => resolveLaunchContext({ launchType: "LAMBDA" }), (e) => e instanceof LaunchContextError && /launchType must be one of EC2, FARGATE, EXTERNAL/.test(e.message));
  assert.throws(() => resolveLaunchContext({ agentVersion: "1.19" }), /agentVersion must be x.y.z/);
  assert.throws(() => resolveLaunchContext({ region: "mars" }), /region must look like us-east-1/);
  assert.throws(() => resolveLaunchContext({ account: "123" }), /account must be 12 digits/);
  assert.throws(() => resolveLaunchContext({ cluster: "a b" }), /cluster must be/);
  assert.throws(() => resolveLaunchContext({ launchType: "FARGATE", agentVersion: "1.2.3" }), /agentVersion applies to EC2 and EXTERNAL only/);
  assert.throws(() => resolveLaunchContext({ platformVersion: "1.4.0" }), /platformVersion applies to FARGATE only/);
  assert.throws(() => resolveLaunchContext({ launchType: "FARGATE", platformVersion: "newest" }), /platformVersion must be LATEST or x.y.z/);
});
