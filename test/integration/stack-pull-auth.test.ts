// PullAuthStack (stack/): what a user's test sees — endpoint, credentials, users (passwords never printed), the
// helpers against the emulator with the real SDK, runTask through execution-role credentials, Fargate texts, a role
// ECS cannot assume, and cleanup (ports closed, pulled images removed).
import assert from "node:assert/strict";
import { createConnection } from "node:net";
import { inspect } from "node:util";
import { after, before, describe, it } from "node:test";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { ExecutionRoleError, PullAuthStack, connectDocker, createAgentPorts, createDockerEngine, fastRetryPolicies, resolveLaunchContext, runTask } from "../../index.ts";
import type { TaskRunResult } from "../../index.ts";

const CANARY = "canary-stack-4f1e9a";

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}

describe("PullAuthStack", { timeout: 120_000 }, () => {
  let stack: PullAuthStack;
  let image: string;
  before(async () => {
    stack = await PullAuthStack.start({ users: { alice: CANARY, bob: "bob-pw" }, region: "eu-west-1" });
    image = await stack.pushImage({ repository: "stack/app", tag: "1" });
  });
  after(() => stack.stop());

  const taskDefinition = (executionRoleArn: string | undefined, credentialsParameter: string) => ({
    family: "stack-app",
    ...(executionRoleArn && { executionRoleArn }),
    // EC2 and FARGATE: RunTask refuses a FARGATE launch of a definition that does not ask for FARGATE.
    requiresCompatibilities: ["EC2", "FARGATE"],
    networkMode: "awsvpc",
    cpu: "256",
    memory: "512",
    containerDefinitions: [{ name: "app", image, essential: true, repositoryCredentials: { credentialsParameter } }],
  });

  it("exposes endpoint, region, admin credentials, registry address and users; passwords stay out of output", () => {
    assert.match(stack.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(stack.region, "eu-west-1");
    assert.equal(stack.account, "000000000000");
    assert.deepEqual({ ...stack.credentials }, { accessKeyId: "test", secretAccessKey: "test" });
    assert.match(stack.registryAddress, /^127\.0\.0\.1:\d+$/);
    assert.equal(image, `${stack.registryAddress}/stack/app:1`);
    assert.deepEqual(stack.users.map((u) => u.username), ["alice", "bob"]);
    assert.equal(stack.user("bob").password, "bob-pw");
    for (const text of [inspect(stack), JSON.stringify(stack), inspect(stack.users)]) assert.ok(!text.includes(CANARY), text);
  });

  it("createSecret stores {username,password} as ECS's JSON, readable with the real SDK and the admin credentials", async () => {
    const arn = await stack.createSecret("stack/json", { username: "alice", password: CANARY });
    assert.match(arn, /^arn:aws:secretsmanager:eu-west-1:000000000000:secret:stack\/json-[A-Za-z0-9]{6}$/);
    const sm = new SecretsManagerClient({ endpoint: stack.endpoint, region: stack.region, credentials: { ...stack.credentials } });
    try {
      const out = await sm.send(new GetSecretValueCommand({ SecretId: arn }));
      assert.deepEqual(JSON.parse(out.SecretString!), { username: "alice", password: CANARY });
    } finally {
      sm.destroy();
    }
  });

  it("runTask → RUNNING with the execution role's credentials; the pulled image is removed afterwards", async () => {
    const secret = await stack.createSecret("stack/good", { username: "alice", password: CANARY });
    const role = await stack.createExecutionRole({ roleName: "stack-good", secretArns: [secret] });
    const run = await stack.runTask(taskDefinition(role, secret));
    assert.equal(run.result, "RUNNING");
    assert.equal(run.task?.lastStatus, "RUNNING");
    assert.ok(!JSON.stringify(run).includes(CANARY));
    const engine = createDockerEngine(await connectDocker());
    assert.equal(await engine.hasImage(image), false);
  });

  it("putExecutionRolePolicy grants a role created without access; a bare role name works like in ECS", async () => {
    const secret = await stack.createSecret("stack/later", { username: "bob", password: "bob-pw" });
    await stack.createExecutionRole({ roleName: "stack-later" });
    const denied = await stack.runTask(taskDefinition("stack-later", secret));
    assert.equal(denied.diagnosis?.failureCode, "cred-no-permission");
    await stack.putExecutionRolePolicy("stack-later", { secretArns: [secret] });
    const ok = await stack.runTask(taskDefinition("stack-later", secret));
    assert.equal(ok.task?.lastStatus, "RUNNING");
  });

  it("an IAM denial: the same assume-role step and statement-level diagnosis as `ecs-pull run` (runTask with createAgentPorts)", async () => {
    const secret = await stack.createSecret("stack/denied", { username: "alice", password: CANARY });
    const other = await stack.createSecret("stack/other", { username: "bob", password: "bob-pw" });
    await stack.createExecutionRole({ roleName: "stack-denied", secretArns: [other] });
    const td = taskDefinition("stack-denied", secret);
    const fromStack = await stack.runTask(td);
    const ports = createAgentPorts({ endpoint: stack.endpoint, credentials: { ...stack.credentials } });
    let fromRun: TaskRunResult;
    try {
      fromRun = await runTask({ taskDefinition: td, launch: resolveLaunchContext({ region: stack.region, account: stack.account }), ports, options: fastRetryPolicies });
    } finally {
      ports.close();
    }
    // Each run is its own task (its id names the role session); apart from that the two say the same.
    const same = (run: TaskRunResult) => {
      const taskId = run.task!.taskArn.slice(run.task!.taskArn.lastIndexOf("/") + 1);
      return JSON.parse(JSON.stringify(run.diagnosis).replaceAll(taskId, "<task>")) as unknown;
    };
    assert.equal(fromStack.diagnosis?.failureCode, "cred-no-permission");
    assert.ok(fromStack.diagnosis?.explanation, "the stack's diagnosis has no statement-level explanation");
    assert.deepEqual(same(fromStack), same(fromRun));
    const steps = (run: TaskRunResult) => run.trace.map((t) => `${t.step}:${t.status}`);
    assert.deepEqual(steps(fromStack), steps(fromRun));
    assert.ok(steps(fromStack).includes("assume-role:ok"), steps(fromStack).join(", "));
  });

  it("Fargate 1.4.0: the platform's own texts", async () => {
    const secret = await stack.createSecret("stack/fargate-plain", `alice:${CANARY}`);
    const role = await stack.createExecutionRole({ roleName: "stack-fargate", secretArns: [secret] });
    const run = await stack.runTask(taskDefinition(role, secret), { launchType: "FARGATE", platformVersion: "1.4.0" });
    assert.equal(run.task?.lastStatus, "STOPPED");
    assert.match(run.task?.stoppedReason ?? "", /^ResourceInitializationError: /);
    assert.equal(run.diagnosis?.failureCode, "cred-plaintext");
    assert.ok(!JSON.stringify(run).includes(CANARY));
  });

  it("an old agent is not placed (ATTRIBUTE)", async () => {
    const secret = await stack.createSecret("stack/old-agent", { username: "alice", password: CANARY });
    const role = await stack.createExecutionRole({ roleName: "stack-old", secretArns: [secret] });
    const run = await stack.runTask(taskDefinition(role, secret), { agentVersion: "1.18.0" });
    assert.equal(run.result, "NOT_PLACED");
    const failure = run.placementFailure;
    assert.equal(failure?.kind, "failures");
    assert.equal(failure.kind === "failures" && failure.failures[0]?.reason, "ATTRIBUTE");
  });

  it("a role ECS cannot assume → ExecutionRoleError with RunTask's ClientException text", async () => {
    const secret = await stack.createSecret("stack/untrusted", { username: "alice", password: CANARY });
    const role = await stack.createExecutionRole({ roleName: "stack-untrusted", trustedService: "ec2.amazonaws.com", secretArns: [secret] });
    await assert.rejects(stack.runTask(taskDefinition(role, secret)), (error: unknown) => {
      assert.ok(error instanceof ExecutionRoleError);
      assert.equal(error.code, "ClientException");
      assert.equal(
        error.message,
        `ECS was unable to assume the role '${role}' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.`,
      );
      return true;
    });
  });

  it("credentials: 'admin' skips IAM (registry-side tests)", async () => {
    const secret = await stack.createSecret("stack/admin", { username: "bob", password: "bob-pw" });
    await stack.createExecutionRole({ roleName: "stack-admin-only" });
    const run = await stack.runTask(taskDefinition("stack-admin-only", secret), {}, { credentials: "admin" });
    assert.equal(run.task?.lastStatus, "RUNNING");
  });
});

describe("PullAuthStack lifecycle", { timeout: 60_000 }, () => {
  it("await using stops the emulator and the registry; stop() twice is fine", async () => {
    let ports: number[];
    {
      await using stack = await PullAuthStack.start();
      ports = [stack.emulator.port, stack.registry.port];
      assert.equal(stack.users.length, 1);
      assert.equal(stack.users[0]!.username, "ecs-pull");
      for (const port of ports) assert.equal(await portAnswers(port), true);
    }
    for (const port of ports) assert.equal(await portAnswers(port), false);
    const again = await PullAuthStack.start();
    await again.stop();
    await again.stop();
  });
});
