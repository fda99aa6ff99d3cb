// Issue 14: the pull behaviours as the agent's source has them, byte for byte (fakes; the real engine's side is in
// test/integration/image-pull-behavior.test.ts).
import assert from "node:assert/strict";
import { test } from "node:test";
import type { LaunchContextInput } from "../../agent-sim/index.ts";
import { fastRetryPolicies, runTask } from "../../agent-sim/index.ts";
import type { RunTaskInput } from "../../agent-sim/index.ts";
import { createImageState } from "../../agent-sim/ports.ts";
import { ecsAgentProfile, pullTimerDefaults } from "../../agent-sim/profile/agent-profile.ts";
import { resolveLaunchContext, LaunchContextError } from "../../agent-sim/profile/launch-context.ts";
import { agentPullTimers, canonicalRef, digestOf, pullInactivityNote } from "../../agent-sim/steps/image-pull-behavior.ts";
import { containerReason } from "../../agent-sim/steps/pull.ts";
import { goFields, goTitle, goTrimString } from "../../agent-sim/texts/go-strings.ts";
import { toTaskReason } from "../../agent-sim/texts/sdk-error.ts";
import { FakeClock, FakeEngine, FakeSecretsManager, SECRET_ARN, engineError, privateContainer, taskDef } from "./agent-fakes.ts";

const GOOD = { SecretString: JSON.stringify({ username: "alice", password: "at-source-canary-pw" }) };
const IMAGE = "r.example.com/team/app:1";
const DENIED = "Error response from daemon: pull access denied for r.example.com/team/app, repository does not exist or may require 'docker login': denied: requested access to the resource is denied";
const MANIFEST_DENIED = "Error response from daemon: errors:\ndenied: requested access to the resource is denied\nunauthorized: authentication required";

function run(engine: FakeEngine, launch: LaunchContextInput = {}, extra: Partial<RunTaskInput["ports"]> = {}, options: RunTaskInput["options"] = {}) {
  return runTask({
    taskDefinition: taskDef([privateContainer("app", IMAGE)]),
    launch: resolveLaunchContext(launch),
    ports: { secretsManager: new FakeSecretsManager({ [SECRET_ARN]: GOOD }), engine, clock: new FakeClock(), ...extra },
    options: { ...fastRetryPolicies, ids: { taskId: "0123456789abcdef0123456789abcdef" }, ...options },
  });
}

// 1. The prefix is the pull stage's only.
test("1.84.0+: the manifest stage's CannotPullImageManifestError carries no prefix; the pull stage's does", () => {
  const p = ecsAgentProfile("1.95.0");
  assert.equal(containerReason("CannotPullImageManifestError", MANIFEST_DENIED, p, "manifest"), `CannotPullImageManifestError: ${MANIFEST_DENIED}`);
  assert.equal(containerReason("CannotPullContainerError", DENIED, p, "pull"), `CannotPullContainerError: The task can\u2019t pull the image. Check whether the image exists. ${DENIED}`);
  assert.equal(containerReason("DockerTimeoutError", "Could not transition to pulled; timed out after waiting 2h0m0s denied: requested access to the resource is denied", p, "pull").startsWith("DockerTimeoutError: Could not"), true);
});

test("runTask (always): a manifest refusal reads without the prefix", async () => {
  const engine = new FakeEngine({}, { [IMAGE]: [engineError(MANIFEST_DENIED)] });
  const r = await run(engine, { imagePullBehavior: "always" });
  assert.equal(r.task?.stoppedReason, `CannotPullImageManifestError: ${MANIFEST_DENIED}`);
});

// 4. trimString by bytes; strings.Fields + strings.Title.
test("container reasons are cut by bytes (trimString); a broken character becomes U+FFFD per byte (smithy-go's JSON)", () => {
  assert.equal(goTrimString("abc", 3), "abc");
  assert.equal(goTrimString("a€b", 2), "a\ufffd");
  assert.equal(goTrimString("a€b", 3), "a\ufffd\ufffd");
  assert.equal(goTrimString("a€b", 4), "a€");
  assert.equal(goTrimString("ab😀", 5), "ab\ufffd\ufffd\ufffd");
  const long = `${"x".repeat(1020)}’’`;
  const r = containerReason("CannotPullContainerError", long, ecsAgentProfile("1.95.0"));
  assert.equal(Buffer.byteLength("CannotPullContainerError: ", "utf8"), 26);
  assert.equal(r, `CannotPullContainerError: ${"x".repeat(998)}`);
  const r2 = containerReason("CannotPullContainerError", `${"x".repeat(997)}’`, ecsAgentProfile("1.95.0"));
  assert.equal(r2, `CannotPullContainerError: ${"x".repeat(997)}\ufffd`);
});

test("the task reason: strings.Fields (no U+FEFF, with U+0085), strings.Title on the first word, 1024 bytes", () => {
  assert.deepEqual(goFields("  a\u0085b\ufeffc\t d  "), ["a", "b\ufeffc", "d"]);
  assert.equal(goTitle("asm-fetching:secret_x"), "Asm-Fetching:Secret_x");
  assert.equal(toTaskReason("asm fetching secret from the service for x:\n\tstatus code: 400"), "Asm fetching secret from the service for x: status code: 400");
  assert.equal(toTaskReason("api-error  x"), "Api-Error x");
  assert.equal(toTaskReason(`${"y".repeat(1023)}é`), `${"Y"}${"y".repeat(1022)}\ufffd`);
});

// 3. The last attempt's error.
test("the manifest stage reports its last attempt's error", async () => {
  const engine = new FakeEngine({}, { [IMAGE]: [engineError("toomanyrequests: first"), engineError("received unexpected HTTP status: 503 Service Unavailable")] });
  const r = await run(engine, { imagePullBehavior: "always" });
  assert.equal(r.task?.containers[0]?.reason, "CannotPullImageManifestError: received unexpected HTTP status: 503 Service Unavailable");
});

// 5 and 12. Timers as the agent's config reads them.
test("inactivity below 1m → 1m with the agent's warning; 0 → the default (Linux 1m, Windows 3m); manifest: min 30s, default 1m", () => {
  const linux = pullTimerDefaults("linux");
  const windows = pullTimerDefaults("windows");
  assert.deepEqual(agentPullTimers(linux, { inactivityMs: 5000 }), { inactivityMs: 60_000, manifestPullMs: 60_000, pullTimeoutMs: 7_200_000, warnings: ["Discarded invalid value for image pull inactivity timeout, parsed as: 5s"] });
  assert.equal(agentPullTimers(linux, { inactivityMs: 0 }).inactivityMs, 60_000);
  assert.equal(agentPullTimers(windows, {}).inactivityMs, 180_000);
  assert.equal(agentPullTimers(windows, { inactivityMs: 5000 }).inactivityMs, 60_000);
  assert.equal(agentPullTimers(linux, { inactivityMs: 90_000 }).inactivityMs, 90_000);
  assert.deepEqual(agentPullTimers(linux, { manifestPullMs: 10_000 }).warnings, ["Discarded invalid value for manifest pull timeout, parsed as: 10s"]);
  assert.equal(agentPullTimers(linux, { manifestPullMs: 10_000 }).manifestPullMs, 30_000);
});

test("runTask: a configured inactivity timeout below 1m shows the agent's warning", async () => {
  const r = await run(new FakeEngine(), {}, {}, { pullInactivityTimeoutMs: 3000 });
  assert.equal(r.result, "RUNNING");
  assert.deepEqual(r.warnings, ["Discarded invalid value for image pull inactivity timeout, parsed as: 3s"]);
});

// 9. ECS_MANIFEST_PULL_TIMEOUT.
test("ECS_MANIFEST_PULL_TIMEOUT reached: DockerTimeoutError … MANIFEST_PULLED, the elapsed time as Go prints it", async () => {
  const engine = new FakeEngine({}, { [IMAGE]: [engineError("received unexpected HTTP status: 503 Service Unavailable")] });
  const clock = new FakeClock();
  const r = await runTask({
    taskDefinition: taskDef([privateContainer("app", IMAGE)]),
    launch: resolveLaunchContext({ imagePullBehavior: "always" }),
    ports: { secretsManager: new FakeSecretsManager({ [SECRET_ARN]: GOOD }), engine, clock },
    options: { manifestRetry: { maxAttempts: 9, initialDelayMs: 20_000, maxDelayMs: 20_000, multiplier: 1, jitter: 0 }, ids: { taskId: "0123456789abcdef0123456789abcdef" } },
  });
  assert.equal(r.task?.stoppedReason, "DockerTimeoutError: Could not transition to MANIFEST_PULLED; timed out after waiting 1m0s");
  assert.equal(engine.calls.filter((c) => c.op === "pull").length, 0);
});

// 2 and 7. ECS_IMAGE_PULL_BEHAVIOR.
test("default: a failed pull goes on to create; no image → the reason stays the pull's error, task STOPPED", async () => {
  const engine = new FakeEngine({ [IMAGE]: [engineError(DENIED)] });
  const r = await run(engine, { agentVersion: "1.82.0" });
  assert.equal(r.result, "STOPPED");
  assert.equal(r.task?.containers[0]?.reason, `CannotPullContainerError: ${DENIED}`);
  assert.equal(engine.calls.filter((c) => c.op === "create").length, 1);
  const create = r.trace.find((s) => s.step === "start" && s.container === "app");
  assert.equal(create?.status, "failed");
  assert.ok(create?.detail.includes(`CannotCreateContainerError: Error response from daemon: No such image: ${IMAGE}`));
});

test("default: a failed pull with the image already in the store → the container runs (reason kept)", async () => {
  const engine = new FakeEngine({ [IMAGE]: [engineError(DENIED)] });
  engine.images.add(IMAGE);
  const r = await run(engine, { agentVersion: "1.82.0" });
  assert.equal(r.result, "RUNNING");
  assert.equal(r.exitCode, 0);
});

test("default: a failed manifest check does not stop the pull; the reason is the first error (ApplyingError)", async () => {
  const engine = new FakeEngine({ [IMAGE]: [engineError(DENIED)] }, { [IMAGE]: [engineError(MANIFEST_DENIED)] });
  const r = await run(engine);
  assert.equal(engine.calls.filter((c) => c.op === "pull").length, 5);
  assert.equal(r.task?.containers[0]?.reason, `CannotPullImageManifestError: ${MANIFEST_DENIED}`);
  assert.equal(r.result, "STOPPED");
});

test("always: a failed pull stops the task even when the image is in the store; no create", async () => {
  const engine = new FakeEngine({ [IMAGE]: [engineError(DENIED)] });
  engine.images.add(IMAGE);
  const r = await run(engine, { agentVersion: "1.82.0", imagePullBehavior: "always" });
  assert.equal(r.result, "STOPPED");
  assert.equal(engine.calls.filter((c) => c.op === "create").length, 0);
});

test("prefer-cached: the image in the store → no manifest check, no pull; absent → pull as usual", async () => {
  const engine = new FakeEngine({ [IMAGE]: [engineError(DENIED)] }, { [IMAGE]: [engineError(MANIFEST_DENIED)] });
  engine.images.add(IMAGE);
  const r = await run(engine, { imagePullBehavior: "prefer-cached" });
  assert.equal(r.result, "RUNNING");
  assert.deepEqual(engine.calls, []);
  const pull = r.trace.find((s) => s.step === "pull");
  assert.equal(pull?.detail, "ECS_IMAGE_PULL_BEHAVIOR=prefer-cached: Found cached image, use it directly for container; the cached image is used");
  const absent = new FakeEngine();
  assert.equal((await run(absent, { imagePullBehavior: "prefer-cached" })).result, "RUNNING");
  assert.equal(absent.calls.filter((c) => c.op === "pull").length, 1);
});

test("once: pulls an image this agent never pulled, even if the store has it; skips it the second time", async () => {
  const engine = new FakeEngine();
  engine.images.add(IMAGE);
  const imageState = createImageState();
  assert.equal((await run(engine, { imagePullBehavior: "once" }, { imageState })).result, "RUNNING");
  assert.equal(engine.calls.filter((c) => c.op === "pull").length, 1);
  const second = await run(engine, { imagePullBehavior: "once" }, { imageState });
  assert.equal(second.result, "RUNNING");
  assert.equal(engine.calls.filter((c) => c.op === "pull").length, 1);
  assert.equal(second.trace.find((s) => s.step === "pull")?.detail, "ECS_IMAGE_PULL_BEHAVIOR=once: Image for container already exists, not pulling it again; the cached image is used");
});

test("once: a failed pull stops the task although the store has the image", async () => {
  const engine = new FakeEngine({ [IMAGE]: [engineError(DENIED)] });
  engine.images.add(IMAGE);
  const r = await run(engine, { agentVersion: "1.82.0", imagePullBehavior: "once" });
  assert.equal(r.result, "STOPPED");
  assert.equal(r.task?.containers[0]?.reason, `CannotPullContainerError: ${DENIED}`);
});

test("launch: imagePullBehavior and osType are checked; Fargate has neither", () => {
  assert.equal(resolveLaunchContext({}).imagePullBehavior, "default");
  assert.equal(resolveLaunchContext({ osType: "windows" }).osType, "windows");
  assert.throws(() => resolveLaunchContext({ imagePullBehavior: "Always" }), (e: unknown) => e instanceof LaunchContextError && e.message === 'imagePullBehavior (ECS_IMAGE_PULL_BEHAVIOR) must be one of default, always, once, prefer-cached, got "Always"');
  assert.throws(() => resolveLaunchContext({ launchType: "FARGATE", imagePullBehavior: "once" }), LaunchContextError);
});

// 8. Digests.
test("a digest reference: no manifest check; the pull asks for name@digest with the tag trimmed", async () => {
  const digest = `sha256:${"a".repeat(64)}`;
  assert.equal(digestOf(`r.example.com:5000/team/app:1@${digest}`), digest);
  assert.equal(canonicalRef(`r.example.com:5000/team/app:1@${digest}`), `r.example.com:5000/team/app@${digest}`);
  assert.equal(canonicalRef(`r.example.com:5000/team/app@${digest}`), `r.example.com:5000/team/app@${digest}`);
  assert.equal(canonicalRef("r.example.com:5000/team/app:1"), undefined);
  const image = `r.example.com/team/app:1@${digest}`;
  const engine = new FakeEngine();
  const r = await runTask({
    taskDefinition: taskDef([privateContainer("app", image)]),
    ports: { secretsManager: new FakeSecretsManager({ [SECRET_ARN]: GOOD }), engine, clock: new FakeClock() },
    options: { ...fastRetryPolicies },
  });
  assert.equal(r.result, "RUNNING");
  assert.deepEqual(engine.calls.map((c) => `${c.op} ${c.image}`), [`pull r.example.com/team/app@${digest}`]);
  assert.equal(r.trace.find((s) => s.step === "manifest")?.detail, `${image} names a digest (${digest}): no manifest check`);
});

// 10. Engine auth entries: every AuthConfig field to Docker; the map-order pick said in the trace.
test("ECS_ENGINE_AUTH_TYPE=docker: identitytoken / registrytoken / auth go to Docker as Go encodes AuthConfig; secrets hidden", async () => {
  const { parseEngineAuth, matchEngineAuth } = await import("../../agent-sim/steps/engine-auth.ts");
  const { registryAuthHeader } = await import("../../agent-sim/texts/go-client.ts");
  const parsed = parseEngineAuth({ type: "docker", data: JSON.stringify({ "https://r.example.com": { identitytoken: "idtok-canary-1234", RegistryToken: "regtok-canary-5678", email: "" } }) });
  const match = matchEngineAuth(IMAGE, parsed);
  assert.deepEqual(match.auth, { username: "", password: "", identitytoken: "idtok-canary-1234", registrytoken: "regtok-canary-5678" });
  const header = Buffer.from(registryAuthHeader(match.auth).replace(/-/g, "+").replace(/_/g, "/"), "base64").toString("utf8");
  assert.equal(header, '{"identitytoken":"idtok-canary-1234","registrytoken":"regtok-canary-5678"}');
  const engine = new FakeEngine();
  const r = await runTask({
    taskDefinition: taskDef([{ name: "app", image: IMAGE, essential: true }]),
    launch: resolveLaunchContext({ engineAuth: { type: "docker", data: JSON.stringify({ "r.example.com": { identitytoken: "idtok-canary-1234" } }) } }),
    ports: { secretsManager: new FakeSecretsManager({}), engine, clock: new FakeClock() },
    options: { ...fastRetryPolicies },
  });
  assert.equal(engine.calls[0]?.auth?.identitytoken, "idtok-canary-1234");
  assert.equal(JSON.stringify(r).includes("idtok-canary-1234"), false);
  assert.ok(r.trace.some((s) => s.detail.endsWith('key "r.example.com" (exact host key); passes identitytoken to Docker')));
});

test("several keys on the host and no exact one: the trace says the agent's pick depends on Go's map order", async () => {
  const { parseEngineAuth, matchEngineAuth } = await import("../../agent-sim/steps/engine-auth.ts");
  const entry = { username: "u", password: "p4ssword" };
  const image = "r.example.com/team/app:1";
  const parsed = parseEngineAuth({ type: "docker", data: JSON.stringify({ "r.example.com/other-long-namespace": entry, "r.example.com/team": entry }) });
  const m = matchEngineAuth(image, parsed);
  assert.equal(m.key, "r.example.com/team");
  assert.deepEqual(m.mapOrderPicks, ["r.example.com/other-long-namespace", "r.example.com/team"]);
  const withHost = parseEngineAuth({ type: "docker", data: JSON.stringify({ "r.example.com": entry, "r.example.com/team": entry, "r.example.com/other-long-namespace": entry }) });
  assert.equal(matchEngineAuth(image, withHost).mapOrderPicks, undefined);
  assert.equal(matchEngineAuth(image, withHost).key, "r.example.com/team");
});

// 11. Register rules that touch pulls.
test("RegisterTaskDefinition: 64 KiB limit, and FARGATE's requirements with ECS's ClientException texts", async () => {
  const { registerTaskDefinition } = await import("../../agent-sim/steps/task-definition.ts");
  const base = { family: "web", containerDefinitions: [{ name: "app", image: "r.example.com/app:1" }] };
  const big = { ...base, containerDefinitions: [{ name: "app", image: "r.example.com/app:1", environment: [{ name: "X", value: "x".repeat(70_000) }] }] };
  const size = Buffer.byteLength(JSON.stringify(big));
  const tooBig = registerTaskDefinition(JSON.stringify(big));
  assert.ok(!tooBig.ok && tooBig.error.code === "ClientException");
  assert.equal(!tooBig.ok && tooBig.error.message, `Actual length: '${size}'. Max allowed length is '65536' bytes.`);
  const fargate = { ...base, requiresCompatibilities: ["FARGATE"] };
  const msg = (td: unknown) => {
    const r = registerTaskDefinition(td);
    return r.ok ? "ok" : r.error.message;
  };
  assert.equal(msg(fargate), "Fargate only supports network mode \u2018awsvpc\u2019.");
  assert.equal(msg({ ...fargate, networkMode: "awsvpc" }), "Fargate requires that 'cpu' be defined at the task level.");
  assert.equal(msg({ ...fargate, networkMode: "awsvpc", cpu: "256" }), "Fargate requires that 'memory' be defined at the task level.");
  assert.equal(msg({ ...fargate, networkMode: "awsvpc", cpu: "256", memory: "4096" }), "No Fargate configuration exists for given values.");
  assert.equal(msg({ ...fargate, networkMode: "awsvpc", cpu: "1 vCPU", memory: "2 GB" }), "ok");
  assert.equal(msg({ ...fargate, networkMode: "awsvpc", cpu: 256, memory: 512 }), "ok");
  assert.equal(msg({ ...base, requiresCompatibilities: ["EC2"] }), "ok");
});

// 9. DockerPullBeginTimeout.
test("no progress line before DockerPullBeginTimeout: DockerTimeoutError … pullBegin, retried like any attempt", async () => {
  const { PULL_TIMEOUT } = await import("../../agent-sim/texts/agent.ts");
  const { goDuration } = await import("../../agent-sim/steps/pull-timeouts.ts");
  assert.equal(PULL_TIMEOUT.transitionTimedOutTo(PULL_TIMEOUT.pullBegin, goDuration(PULL_TIMEOUT.pullBeginTimeoutMs)), "Could not transition to pullBegin; timed out after waiting 5m0s");
  let pulls = 0;
  const silent = Object.assign(new FakeEngine(), {
    pullImage: () => {
      pulls++;
      return new Promise<void>(() => undefined);
    },
  });
  const r = await runTask({
    taskDefinition: taskDef([privateContainer("app", IMAGE)]),
    launch: resolveLaunchContext({ imagePullBehavior: "always" }),
    ports: { secretsManager: new FakeSecretsManager({ [SECRET_ARN]: GOOD }), engine: silent, clock: new FakeClock() },
    options: { ...fastRetryPolicies, timerOverrides: { pullBeginMs: 20, inactivityMs: 0 } },
  });
  assert.equal(pulls, 5);
  assert.equal(r.task?.stoppedReason, "DockerTimeoutError: Could not transition to pullBegin; timed out after waiting 20ms");
});

test("the pull's trace names the inactivity timeout the agent applies: the OS's default, the minimum, or as set", () => {
  const windows = pullTimerDefaults("windows");
  const linux = pullTimerDefaults("linux");
  const applied = (d: typeof windows, given?: number) => agentPullTimers(d, given === undefined ? {} : { inactivityMs: given }).inactivityMs;
  assert.equal(pullInactivityNote(windows, undefined, applied(windows), 1000), "ECS_IMAGE_PULL_INACTIVITY_TIMEOUT 3m0s (the windows default, simulated as 1s)");
  assert.equal(pullInactivityNote(linux, undefined, applied(linux), undefined), "ECS_IMAGE_PULL_INACTIVITY_TIMEOUT 1m0s (the linux default)");
  assert.equal(pullInactivityNote(windows, 0, applied(windows, 0), undefined), "ECS_IMAGE_PULL_INACTIVITY_TIMEOUT 3m0s (the windows default)");
  assert.equal(pullInactivityNote(windows, 3000, applied(windows, 3000), undefined), "ECS_IMAGE_PULL_INACTIVITY_TIMEOUT 1m0s (raised to the 1m0s minimum)");
  assert.equal(pullInactivityNote(linux, 90_000, applied(linux, 90_000), undefined), "ECS_IMAGE_PULL_INACTIVITY_TIMEOUT 1m30s (as set)");
});
