// runTask end to end with fake ports: results, exit codes, reasons, dedupe, order, region, versions, secrecy.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { LaunchContextInput } from "../../agent-sim/index.ts";
import { fastRetryPolicies, runTask, resolveLaunchContext } from "../../agent-sim/index.ts";
import { EnvironmentError } from "../../agent-sim/ports.ts";
import { FARGATE_COMPATIBLE, FakeClock, FakeEngine, FakeSecretsManager, SECRET_ARN, engineError, privateContainer, taskDef } from "./agent-fakes.ts";
import type { SecretAnswer } from "./agent-fakes.ts";

const CANARY = "canary-Pa55w0rd-9f8e7d";
const GOOD = { SecretString: JSON.stringify({ username: "alice", password: CANARY }) };

function run(td: unknown, opts: { secrets?: Record<string, SecretAnswer>; engine?: FakeEngine; launch?: LaunchContextInput } = {}) {
  const secretsManager = new FakeSecretsManager(opts.secrets ?? { [SECRET_ARN]: GOOD });
  const engine = opts.engine ?? new FakeEngine();
  const clock = new FakeClock();
  const events: string[] = [];
  const result = runTask({
    taskDefinition: td,
    launch: resolveLaunchContext(opts.launch),
    ports: { secretsManager, engine, clock },
    options: { ...fastRetryPolicies, ids: { taskId: "0123456789abcdef0123456789abcdef" }, onEvent: (e) => events.push(e.type) },
  });
  return { result, secretsManager, engine, clock, events };
}

test("works: RUNNING, exit 0, Docker gets only {username,password}", async () => {
  const { result, engine, events } = run(taskDef([privateContainer()]));
  const r = await result;
  assert.equal(r.result, "RUNNING");
  assert.equal(r.exitCode, 0);
  assert.equal(r.task?.lastStatus, "RUNNING");
  assert.equal(r.task?.taskArn, "arn:aws:ecs:us-east-1:000000000000:task/default/0123456789abcdef0123456789abcdef");
  assert.equal(r.task?.taskDefinitionArn, "arn:aws:ecs:us-east-1:000000000000:task-definition/web:1");
  assert.ok(r.task?.startedAt && r.task.pullStartedAt && r.task.pullStoppedAt);
  assert.deepEqual(engine.calls.map((c) => c.op), ["inspect", "pull"]);
  assert.deepEqual(Object.keys(engine.calls[1]?.auth ?? {}).sort(), ["password", "username"]);
  assert.ok(r.trace.some((s) => s.step === "start" && s.detail.includes("does not start the containers")));
  assert.ok(events.includes("step-start") && events.includes("pull-progress"));
});

test("the canary password never appears in the result", async () => {
  const r = await run(taskDef([privateContainer()])).result;
  assert.ok(!JSON.stringify(r).includes(CANARY));
  const engine = new FakeEngine({ "registry.example.com:5000/team/app:1.0": [engineError(`Error response from daemon: bad auth ${CANARY}`)] });
  const failed = await run(taskDef([privateContainer()]), { engine }).result;
  assert.equal(failed.exitCode, 6);
  assert.ok(!JSON.stringify(failed).includes(CANARY));
});

test("the canary password never appears in the live events either (an engine that echoes it)", async () => {
  const engine = new FakeEngine({ "registry.example.com:5000/team/app:1.0": [engineError(`Error response from daemon: bad auth ${CANARY}`)] });
  const events: unknown[] = [];
  const result = await runTask({
    taskDefinition: taskDef([privateContainer()]),
    ports: { secretsManager: new FakeSecretsManager({ [SECRET_ARN]: GOOD }), engine, clock: new FakeClock() },
    options: { ...fastRetryPolicies, onEvent: (e) => events.push(e) },
  });
  assert.equal(result.exitCode, 6);
  assert.ok(events.some((e) => JSON.stringify(e).includes("bad auth")));
  assert.ok(!JSON.stringify(events).includes(CANARY));
});

test("two containers with the same credentialsParameter → one GetSecretValue", async () => {
  const { result, secretsManager } = run(taskDef([privateContainer("a"), privateContainer("b")]));
  assert.equal((await result).result, "RUNNING");
  assert.equal(secretsManager.calls.length, 1);
});

test("name and ARN of the same secret → two calls", async () => {
  const { result, secretsManager } = run(taskDef([privateContainer("a", "r.example.com/a", "registry-creds"), privateContainer("b")]), {
    secrets: { "registry-creds": GOOD, [SECRET_ARN]: GOOD },
  });
  assert.equal((await result).result, "RUNNING");
  assert.deepEqual(secretsManager.calls.map((c) => c.secretId), ["registry-creds", SECRET_ARN]);
});

test("region: an ARN's own region, a bare name in the task's region", async () => {
  const other = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:x-AbCdEf";
  const { result, secretsManager } = run(taskDef([privateContainer("a", "r.example.com/a", "plain-name"), privateContainer("b", "r.example.com/b", other)]), {
    secrets: { "plain-name": GOOD, [other]: GOOD },
    launch: resolveLaunchContext({ region: "ap-southeast-2" }),
  });
  await result;
  assert.deepEqual(secretsManager.calls, [{ secretId: "plain-name", region: "ap-southeast-2" }, { secretId: other, region: "eu-west-1" }]);
});

test("order: containers in task-definition order, the first failure stops the loop (exit 5)", async () => {
  const { result, secretsManager, engine } = run(taskDef([privateContainer("a", "r.example.com/a", "missing"), privateContainer("b")]));
  const r = await result;
  assert.equal(r.result, "STOPPED");
  assert.equal(r.exitCode, 5);
  assert.deepEqual(secretsManager.calls.map((c) => c.secretId), ["missing"]);
  assert.equal(engine.calls.length, 0);
  assert.equal(r.task?.stopCode, "TaskFailedToStart");
  assert.ok(r.task?.stoppedReason?.startsWith("Asm fetching secret from the service for missing: operation error Secrets Manager: GetSecretValue, https response error StatusCode: 400"));
  assert.ok(r.task?.containers.every((c) => c.reason === undefined && c.lastStatus === "STOPPED"));
  assert.equal(r.diagnosis?.failureCode, "cred-not-found");
});

test("agent 1.91.0 shows the SDK v1 text", async () => {
  const r = await run(taskDef([privateContainer("a", "r.example.com/a", "missing")]), { launch: { agentVersion: "1.91.0" } }).result;
  assert.equal(r.task?.stoppedReason, "Asm fetching secret from the service for missing: ResourceNotFoundException: Secrets Manager can't find the specified secret. status code: 400, request id: 11111111-2222-3333-4444-555555555555");
});

test("a parse failure stops the task with the §4 text, title-cased", async () => {
  const r = await run(taskDef([privateContainer()]), { secrets: { [SECRET_ARN]: { SecretString: "just-a-password" } } }).result;
  assert.equal(r.exitCode, 5);
  assert.equal(r.task?.stoppedReason, "Asm fetching authorization data: unable to unmarshal secret value, invalid schema");
  assert.equal(r.diagnosis?.failureCode, "cred-plaintext");
});

test("AccessDenied → cred-no-permission; KMS text → cred-kms", async () => {
  const denied = await run(taskDef([privateContainer()]), { secrets: { [SECRET_ARN]: { fail: { code: "AccessDeniedException", message: "User: x is not authorized", httpStatusCode: 400 } } } }).result;
  assert.equal(denied.diagnosis?.failureCode, "cred-no-permission");
  assert.ok(denied.task?.stoppedReason?.includes("api error AccessDeniedException: User: x is not authorized"));
  const kms = await run(taskDef([privateContainer()]), { secrets: { [SECRET_ARN]: { fail: { code: "AccessDeniedException", message: "Access to KMS is not allowed", httpStatusCode: 400 } } } }).result;
  assert.equal(kms.diagnosis?.failureCode, "cred-kms");
});

test("pull failure: container reason, task reason = first failed essential container's (exit 6)", async () => {
  const engine = new FakeEngine({ "r.example.com/b": [engineError("Error response from daemon: Head \"https://r.example.com/v2/b/manifests/latest\": unauthorized: incorrect username or password", 500)] });
  const r = await run(taskDef([{ name: "a", image: "r.example.com/a" }, privateContainer("b", "r.example.com/b")]), { engine }).result;
  assert.equal(r.exitCode, 6);
  assert.equal(r.result, "STOPPED");
  const b = r.task?.containers.find((c) => c.name === "b");
  assert.equal(b?.reason, "CannotPullContainerError: Error response from daemon: Head \"https://r.example.com/v2/b/manifests/latest\": unauthorized: incorrect username or password");
  assert.equal(r.task?.stoppedReason, b?.reason);
  assert.equal(r.task?.containers.find((c) => c.name === "a")?.reason, undefined);
  assert.equal(r.diagnosis?.failureCode, "pull-bad-password");
});

test("ECS_IMAGE_PULL_BEHAVIOR=always: manifest check failure → CannotPullImageManifestError, no pull", async () => {
  const engine = new FakeEngine({}, { "r.example.com/a:9": [engineError("Error response from daemon: manifest unknown: manifest unknown")] });
  const r = await run(taskDef([privateContainer("a", "r.example.com/a:9")]), { engine, launch: { imagePullBehavior: "always" } }).result;
  assert.equal(r.task?.stoppedReason, "CannotPullImageManifestError: Error response from daemon: manifest unknown: manifest unknown");
  assert.equal(engine.calls.filter((c) => c.op === "inspect").length, 9);
  assert.equal(engine.calls.filter((c) => c.op === "pull").length, 0);
  assert.equal(r.diagnosis?.failureCode, "pull-no-such-image");
});

test("anonymous container without repositoryCredentials: no auth; no basic auth credentials → pull-no-credentials", async () => {
  const engine = new FakeEngine({ "r.example.com/a": [engineError("Error response from daemon: Get \"https://r.example.com/v2/\": no basic auth credentials")] });
  const r = await run(taskDef([{ name: "a", image: "r.example.com/a" }]), { engine }).result;
  assert.equal(engine.calls[0]?.auth, undefined);
  assert.equal(r.diagnosis?.failureCode, "pull-no-credentials");
});

test("non-essential pull failure: task RUNNING with a warning", async () => {
  const engine = new FakeEngine({ "r.example.com/side": [engineError("Error response from daemon: dial tcp 127.0.0.1:1: connect: connection refused")] });
  const r = await run(taskDef([privateContainer("a", "r.example.com/a"), { name: "side", image: "r.example.com/side", essential: false }]), { engine }).result;
  assert.equal(r.result, "RUNNING");
  assert.ok(r.task?.containers.find((c) => c.name === "side")?.reason?.startsWith("CannotPullContainerError: "));
  assert.equal(r.warnings.length, 1);
});

test("rejected at registration → exit 3", async () => {
  const r = await run({ family: "web", containerDefinitions: [privateContainer()] }).result;
  assert.equal(r.result, "REJECTED");
  assert.equal(r.exitCode, 3);
  assert.equal(r.registerError?.message, "Private repository authentication requires that the task definition specify a value for executionRoleArn.");
  assert.equal(r.diagnosis?.failureCode, "reg-no-exec-role");
  assert.equal(r.task, undefined);
});

test("not placed → exit 4 (agent 1.18.9)", async () => {
  const r = await run(taskDef([privateContainer()]), { launch: { agentVersion: "1.18.9" } }).result;
  assert.equal(r.result, "NOT_PLACED");
  assert.equal(r.exitCode, 4);
  assert.equal(r.placementFailure?.kind === "failures" && r.placementFailure.failures[0]?.reason, "ATTRIBUTE");
});

test("a definition that names no requiresCompatibilities: NOT_PLACED on FARGATE (exit 4, no secret read, no pull); RUNNING on EC2", async () => {
  const fargate = run(taskDef([privateContainer()]), { launch: { launchType: "FARGATE", platformVersion: "1.3.0" } });
  const refused = await fargate.result;
  assert.deepEqual([refused.result, refused.exitCode, refused.task], ["NOT_PLACED", 4, undefined]);
  assert.ok(refused.placementFailure?.kind === "exception");
  assert.deepEqual([refused.placementFailure.code, refused.placementFailure.message], ["InvalidParameterException", "Task definition does not support launch_type FARGATE."]);
  assert.equal(refused.diagnosis?.failureCode, "gate-fargate-incompatible");
  assert.equal(fargate.secretsManager.calls.length, 0);
  assert.equal(fargate.engine.calls.length, 0);
  const ec2 = await run(taskDef([privateContainer()])).result;
  assert.deepEqual([ec2.result, ec2.exitCode], ["RUNNING", 0]);
});

test("Fargate LATEST: platformVersion 1.4.0 on the task, Fargate wording for credentials failures", async () => {
  const ok = await run(taskDef([privateContainer()], FARGATE_COMPATIBLE), { launch: { launchType: "FARGATE" } }).result;
  assert.equal(ok.task?.platformVersion, "1.4.0");
  const failed = await run(taskDef([privateContainer("a", "r.example.com/a", "missing")], FARGATE_COMPATIBLE), { launch: { launchType: "FARGATE", platformVersion: "LATEST" } }).result;
  assert.ok(failed.task?.stoppedReason?.startsWith("ResourceInitializationError: unable to pull secrets or registry auth: "));
  assert.ok(failed.inferred.length > 0);
});

test("an EnvironmentError from a port propagates", async () => {
  const secretsManager = { getSecretValue: async () => { throw new EnvironmentError("emulator down"); } };
  await assert.rejects(
    runTask({ taskDefinition: taskDef([privateContainer()]), ports: { secretsManager, engine: new FakeEngine(), clock: new FakeClock() }, options: fastRetryPolicies }),
    EnvironmentError,
  );
});

test("the task-definition JSON may be text or a DescribeTaskDefinition output", async () => {
  const text = JSON.stringify({ taskDefinition: { ...taskDef([privateContainer()]), revision: 7 } });
  const r = await run(text).result;
  assert.equal(r.task?.taskDefinitionArn, "arn:aws:ecs:us-east-1:000000000000:task-definition/web:7");
});
