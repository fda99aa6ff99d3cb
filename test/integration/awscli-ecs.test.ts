// Issue #5's acceptance, with the real AWS CLI v2 (/usr/bin/aws) against a started emulator, a real htpasswd registry
// and the real Docker engine: create the secret and the execution role (trust for ecs-tasks.amazonaws.com, a
// GetSecretValue policy) with `aws secretsmanager` / `aws iam`, `aws ecs register-task-definition --cli-input-json
// file://...` with repositoryCredentials, `aws ecs run-task`, poll `describe-tasks` until RUNNING, `aws ecs wait
// tasks-stopped` for a task whose secret does not exist (STOPPED with the agent's exact reason), and `ATTRIBUTE`
// for a cluster whose only instance runs agent 1.18.0 (registered with `aws ecs register-container-instance`).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { texts, toTaskReason } from "../../agent-sim/index.ts";
import { connectDocker, createDockerEngine } from "../../agent-sim/adapters/engine/index.ts";
import { type StartedEmulator, startEmulator } from "../../emulator/index.ts";
import { SecretsManagerText } from "../../aws/texts.ts";
import { RegistryFixture, type StartedRegistry } from "../../registry-fixture/index.ts";

const AWS_CLI = "/usr/bin/aws";
const ACCOUNT = "000000000000";
const USER = { username: "ecs-cli-user", password: "Cli-pull-pw-0912" };
const run = promisify(execFile);
const skip = existsSync(AWS_CLI) ? false : `${AWS_CLI} is not installed (the environment bootstrap installs it)`;

interface Task {
  taskArn: string;
  lastStatus: string;
  desiredStatus: string;
  stopCode?: string;
  stoppedReason?: string;
  pullStartedAt?: string;
  pullStoppedAt?: string;
  startedAt?: string;
  containers: { name: string; lastStatus: string; reason?: string }[];
}

describe("AWS CLI v2: ECS with repositoryCredentials against the emulator, a real registry and Docker", { skip, timeout: 240_000 }, () => {
  let emulator: StartedEmulator;
  let registry: StartedRegistry;
  let image: string;
  let dir: string;
  const env = { ...process.env, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_DEFAULT_REGION: "us-east-1", AWS_PAGER: "", AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null", AWS_MAX_ATTEMPTS: "1" };
  const aws = async <T = Record<string, unknown>>(...args: string[]): Promise<T> => {
    const { stdout } = await run(AWS_CLI, ["--endpoint-url", emulator.url, "--output", "json", ...args], { env, timeout: 90_000 });
    return (stdout.trim() === "" ? {} : JSON.parse(stdout)) as T;
  };
  const describeTask = async (arn: string) => (await aws<{ tasks: Task[] }>("ecs", "describe-tasks", "--tasks", arn)).tasks[0]!;
  const register = async (name: string, document: unknown) => {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(document));
    return aws<{ taskDefinition: { taskDefinitionArn: string; requiresAttributes: { name: string }[] } }>("ecs", "register-task-definition", "--cli-input-json", `file://${file}`);
  };
  const taskDefinition = (family: string, credentialsParameter: string) => ({
    family,
    executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`,
    containerDefinitions: [{ name: "app", image, essential: true, memory: 64, repositoryCredentials: { credentialsParameter } }],
  });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "ecs-pull-awscli-ecs-"));
    registry = await new RegistryFixture().withUser(USER.username, USER.password).start();
    image = (await registry.pushImage({ repository: "team/ecs-cli", tag: "v1", layers: 1, layerSize: 8 * 1024, seed: 5 })).reference;
    emulator = await startEmulator({ port: 0 });
  });
  after(async () => {
    await emulator?.emulator.ecs.idle();
    await emulator?.close();
    await registry?.stop();
    // The pulled image would outlive the registry it came from.
    if (image) await createDockerEngine(await connectDocker()).removeImage(image).catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("sets up the secret and the execution role with the CLI", async () => {
    await aws("secretsmanager", "create-secret", "--name", "registry-creds", "--secret-string", JSON.stringify(USER));
    const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }] };
    await aws("iam", "create-role", "--role-name", "ecsTaskExecutionRole", "--assume-role-policy-document", JSON.stringify(trust));
    // Any secret: IAM is checked before existence, so the missing secret below must be allowed to be "not found".
    const policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" }] };
    await aws("iam", "put-role-policy", "--role-name", "ecsTaskExecutionRole", "--policy-name", "read-registry-creds", "--policy-document", JSON.stringify(policy));
  });

  it("register-task-definition from a file; run-task; describe-tasks shows RUNNING after the real pull", async () => {
    const registered = await register("good", taskDefinition("good", "registry-creds"));
    assert.equal(registered.taskDefinition.taskDefinitionArn, `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/good:1`);
    assert.ok(registered.taskDefinition.requiresAttributes.some((a) => a.name === texts.PRIVATE_REGISTRY_ATTRIBUTE));
    const ran = await aws<{ tasks: Task[]; failures: unknown[] }>("ecs", "run-task", "--task-definition", "good", "--launch-type", "EC2");
    assert.deepEqual(ran.failures, []);
    assert.equal(ran.tasks[0]!.lastStatus, "PROVISIONING");
    const arn = ran.tasks[0]!.taskArn;
    let task = await describeTask(arn);
    for (const deadline = Date.now() + 90_000; task.lastStatus !== "RUNNING" && task.lastStatus !== "STOPPED" && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      task = await describeTask(arn);
    }
    assert.equal(task.lastStatus, "RUNNING", task.stoppedReason);
    assert.equal(task.desiredStatus, "RUNNING");
    assert.deepEqual(task.containers.map((c) => [c.name, c.lastStatus]), [["app", "RUNNING"]]);
    assert.ok(task.pullStartedAt && task.pullStoppedAt && task.startedAt);
    assert.ok(Date.parse(task.pullStartedAt) <= Date.parse(task.pullStoppedAt));
    assert.equal(emulator.emulator.stats.count("GetSecretValue", { secretId: "registry-creds" }), 1);
    const listed = await aws<{ taskArns: string[] }>("ecs", "list-tasks", "--family", "good");
    assert.deepEqual(listed.taskArns, [arn]);
  });

  it("a secret that does not exist: wait tasks-stopped, then STOPPED with the agent's exact reason", async () => {
    await register("bad", taskDefinition("bad", "no-such-secret"));
    const ran = await aws<{ tasks: Task[] }>("ecs", "run-task", "--task-definition", "bad");
    const arn = ran.tasks[0]!.taskArn;
    await emulator.emulator.ecs.idle(); // the CLI waiter polls every 6 s; a task that already stopped ends it at once
    await aws("ecs", "wait", "tasks-stopped", "--tasks", arn);
    const task = await describeTask(arn);
    assert.equal(task.lastStatus, "STOPPED");
    assert.equal(task.stopCode, texts.STOP_CODE_TASK_FAILED_TO_START);
    const requestId = /RequestID: ([0-9a-f-]{36}),/.exec(task.stoppedReason ?? "")?.[1] ?? "(none)";
    const sdkError = texts.SDK.v2OperationError(texts.SDK.v2ResponseError(400, requestId, texts.SDK.v2ModelledError("ResourceNotFoundException", SecretsManagerText.secretNotFound)));
    assert.equal(task.stoppedReason, toTaskReason(texts.ASM.fetchFromService("no-such-secret", sdkError)));
    assert.equal(task.containers[0]!.reason, undefined);
  });

  it("a cluster whose only instance runs agent 1.18.0: failures ATTRIBUTE and no task", async () => {
    await aws("ecs", "create-cluster", "--cluster-name", "old-agents");
    const instance = await aws<{ containerInstance: { containerInstanceArn: string; attributes: { name: string }[] } }>(
      "ecs", "register-container-instance", "--cluster", "old-agents", "--version-info", "agentVersion=1.18.0",
    );
    assert.equal(instance.containerInstance.attributes.some((a) => a.name === texts.PRIVATE_REGISTRY_ATTRIBUTE), false);
    const ran = await aws<{ tasks: Task[]; failures: { arn: string; reason: string }[] }>("ecs", "run-task", "--cluster", "old-agents", "--task-definition", "good");
    assert.deepEqual(ran, { tasks: [], failures: [{ arn: instance.containerInstance.containerInstanceArn, reason: "ATTRIBUTE" }] });
  });
});
