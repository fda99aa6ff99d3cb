// The emulator's ECS on the wire (supertest, fake Secrets Manager and engine): clusters, container instances and
// their attributes by agent version, task definition revisions and requiresAttributes, RunTask's placement and
// execution-role answers byte for byte, the background lifecycle PROVISIONING → RUNNING / STOPPED, DescribeTasks
// MISSING, ListTasks filters and StopTask.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import request from "supertest";
import { fastRetryPolicies, texts } from "../../agent-sim/index.ts";
import { type EcsOptions } from "../../emulator/services/ecs/index.ts";
import { createEmulator } from "../../emulator/index.ts";
import { EcsText } from "../../aws/texts.ts";
import { FakeEngine, FakeSecretsManager } from "./agent-fakes.ts";

const ACCOUNT = "000000000000";
const ROLE = `arn:aws:iam::${ACCOUNT}:role/exec`;
const PRIVATE = texts.PRIVATE_REGISTRY_ATTRIBUTE;
const IMAGE = "127.0.0.1:5000/team/app:1";
const auth = (service: string) => `AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=00`;

function setup(ecs: EcsOptions = {}) {
  const secrets = new FakeSecretsManager({ creds: { SecretString: JSON.stringify({ username: "u", password: "p4ssw0rd" }) } });
  const engine = new FakeEngine();
  const emulator = createEmulator({
    signatureCheck: false,
    ecs: { secretsManager: () => secrets, engine, pullRetry: fastRetryPolicies.pullRetry, manifestRetry: fastRetryPolicies.manifestRetry, ...ecs },
  });
  const call = async (op: string, input: Record<string, unknown> = {}) => {
    const res = await request(emulator.app)
      .post("/")
      .set("X-Amz-Target", `AmazonEC2ContainerServiceV20141113.${op}`)
      .set("Content-Type", "application/x-amz-json-1.1")
      .set("Authorization", auth("ecs"))
      .send(JSON.stringify(input));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire answers of many shapes
    return { status: res.status, body: JSON.parse(res.text) as Record<string, any> };
  };
  const iam = (action: string, params: Record<string, string>) =>
    request(emulator.app)
      .post("/")
      .set("Content-Type", "application/x-www-form-urlencoded")
      .set("Authorization", auth("iam"))
      .send(new URLSearchParams({ Action: action, Version: "2010-05-08", ...params }).toString());
  const trustEcs = async () => {
    const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }] };
    const res = await iam("CreateRole", { RoleName: "exec", AssumeRolePolicyDocument: JSON.stringify(trust) });
    assert.equal(res.status, 200);
  };
  return { emulator, call, iam, trustEcs, secrets, engine };
}

const FARGATE_COMPATIBLE = { requiresCompatibilities: ["EC2", "FARGATE"], networkMode: "awsvpc", cpu: "256", memory: "512" };
const taskDefinition = (secret = "creds", extra: Record<string, unknown> = {}) => ({
  family: "web",
  executionRoleArn: ROLE,
  containerDefinitions: [{ name: "app", image: IMAGE, repositoryCredentials: { credentialsParameter: secret } }],
  ...extra,
});

describe("ECS clusters and container instances", () => {
  it("a default cluster exists; CreateCluster adds one; DescribeClusters reports unknown ones MISSING", async () => {
    const { call } = setup();
    assert.deepEqual((await call("ListClusters")).body, { clusterArns: [`arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/default`] });
    const created = await call("CreateCluster", { clusterName: "ci" });
    assert.equal(created.body.cluster.clusterArn, `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/ci`);
    assert.equal(created.body.cluster.status, "ACTIVE");
    const described = await call("DescribeClusters", { clusters: ["ci", "nope"] });
    assert.deepEqual(described.body.clusters.map((c: { clusterName: string }) => c.clusterName), ["ci"]);
    assert.deepEqual(described.body.failures, [{ arn: `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/nope`, reason: "MISSING" }]);
    const missing = await call("ListContainerInstances", { cluster: "nope" });
    assert.deepEqual([missing.status, missing.body], [400, { __type: "ClusterNotFoundException", message: EcsText.clusterNotFound }]);
  });

  it("the default instance runs the current agent and advertises the private-registry attribute; 1.18.0 does not", async () => {
    const { call } = setup();
    const [arn] = (await call("ListContainerInstances")).body.containerInstanceArns;
    const current = (await call("DescribeContainerInstances", { containerInstances: [arn] })).body.containerInstances[0];
    assert.equal(current.status, "ACTIVE");
    assert.equal(current.agentConnected, true);
    assert.ok(current.attributes.some((a: { name: string }) => a.name === PRIVATE));
    for (const [version, has] of [["1.18.0", false], ["1.19.0", true]] as const) {
      const registered = await call("RegisterContainerInstance", { versionInfo: { agentVersion: version } });
      assert.equal(registered.body.containerInstance.versionInfo.agentVersion, version);
      assert.equal(registered.body.containerInstance.attributes.some((a: { name: string }) => a.name === PRIVATE), has, version);
    }
    assert.equal((await call("ListContainerInstances")).body.containerInstanceArns.length, 3);
  });
});

describe("ECS task definitions", () => {
  it("revisions per family, requiresAttributes with the private-registry capability, describe/list/deregister", async () => {
    const { call } = setup();
    const first = await call("RegisterTaskDefinition", taskDefinition());
    assert.equal(first.status, 200);
    assert.equal(first.body.taskDefinition.taskDefinitionArn, `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/web:1`);
    assert.deepEqual(first.body.taskDefinition.requiresAttributes, [{ name: PRIVATE }]);
    assert.equal(first.body.taskDefinition.containerDefinitions[0].essential, true);
    const logged = taskDefinition("creds", {});
    (logged.containerDefinitions[0] as Record<string, unknown>).logConfiguration = { logDriver: "awslogs", options: {} };
    const second = await call("RegisterTaskDefinition", logged);
    assert.equal(second.body.taskDefinition.revision, 2);
    assert.deepEqual(second.body.taskDefinition.requiresAttributes.map((a: { name: string }) => a.name), [
      "com.amazonaws.ecs.capability.logging-driver.awslogs",
      "ecs.capability.execution-role-awslogs",
      PRIVATE,
    ]);
    assert.equal((await call("DescribeTaskDefinition", { taskDefinition: "web" })).body.taskDefinition.revision, 2);
    const deregistered = await call("DeregisterTaskDefinition", { taskDefinition: "web:2" });
    assert.equal(deregistered.body.taskDefinition.status, "INACTIVE");
    assert.equal((await call("DescribeTaskDefinition", { taskDefinition: "web" })).body.taskDefinition.revision, 1);
    assert.deepEqual((await call("ListTaskDefinitions")).body.taskDefinitionArns, [`arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/web:1`]);
    const unknown = await call("DescribeTaskDefinition", { taskDefinition: "nope" });
    assert.deepEqual(unknown.body, { __type: "ClientException", message: EcsText.unableToDescribeTaskDefinition });
    const inactive = await call("RunTask", { taskDefinition: "web:2" });
    assert.deepEqual(inactive.body, { __type: "ClientException", message: EcsText.taskDefinitionInactive });
  });

  it("the register rules answer AWS's ClientException texts byte for byte", async () => {
    const { call } = setup();
    const noRole = await call("RegisterTaskDefinition", { ...taskDefinition(), executionRoleArn: undefined });
    assert.deepEqual([noRole.status, noRole.body], [400, { __type: "ClientException", message: texts.REGISTER.executionRoleRequired }]);
    const ecr = taskDefinition();
    ecr.containerDefinitions[0]!.image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1";
    assert.deepEqual((await call("RegisterTaskDefinition", ecr)).body, { __type: "ClientException", message: texts.REGISTER.ecrNotSupported });
    assert.deepEqual((await call("RegisterTaskDefinition", { ...taskDefinition(), family: "bad family" })).body, { __type: "ClientException", message: texts.REGISTER.familyInvalid });
  });
});

describe("ECS RunTask", () => {
  it("no container instance: InvalidParameterException; an old agent: 200 with failures ATTRIBUTE and no task", async () => {
    const empty = setup({ instances: [] });
    await empty.call("RegisterTaskDefinition", taskDefinition());
    const none = await empty.call("RunTask", { taskDefinition: "web" });
    assert.deepEqual([none.status, none.body], [400, { __type: "InvalidParameterException", message: texts.RUN_TASK.noContainerInstances }]);

    const old = setup({ instances: [{ cluster: "old", agentVersion: "1.18.0" }] });
    await old.call("RegisterTaskDefinition", taskDefinition());
    const [instance] = (await old.call("ListContainerInstances", { cluster: "old" })).body.containerInstanceArns;
    const placed = await old.call("RunTask", { cluster: "old", taskDefinition: "web" });
    assert.deepEqual([placed.status, placed.body], [200, { tasks: [], failures: [{ arn: instance, reason: "ATTRIBUTE" }] }]);
  });

  it("an execution role ECS cannot assume: ClientException, and no task is created", async () => {
    const { call } = setup();
    await call("RegisterTaskDefinition", taskDefinition());
    const refused = await call("RunTask", { taskDefinition: "web" });
    assert.deepEqual([refused.status, refused.body], [400, { __type: "ClientException", message: texts.RUN_TASK.unableToAssumeRole(ROLE) }]);
    assert.deepEqual((await call("ListTasks", { desiredStatus: "STOPPED" })).body.taskArns, []);
    assert.deepEqual((await call("ListTasks")).body.taskArns, []);
  });

  it("PROVISIONING in RunTask's answer, RUNNING once agent-sim pulled; one GetSecretValue per task", async () => {
    const { emulator, call, trustEcs, secrets, engine } = setup();
    await trustEcs();
    await call("RegisterTaskDefinition", taskDefinition());
    const ran = await call("RunTask", { taskDefinition: "web:1", count: 2, overrides: { containerOverrides: [{ name: "app", command: ["true"] }] } });
    assert.equal(ran.status, 200);
    assert.deepEqual(ran.body.tasks.map((t: { lastStatus: string }) => t.lastStatus), ["PROVISIONING", "PROVISIONING"]);
    assert.equal(typeof ran.body.tasks[0].createdAt, "number");
    await emulator.ecs.idle();
    const arns = ran.body.tasks.map((t: { taskArn: string }) => t.taskArn);
    const described = (await call("DescribeTasks", { tasks: arns })).body;
    for (const task of described.tasks) {
      assert.equal(task.lastStatus, "RUNNING");
      assert.equal(task.desiredStatus, "RUNNING");
      assert.ok(task.pullStartedAt <= task.pullStoppedAt && task.pullStoppedAt <= task.startedAt);
      assert.deepEqual(task.overrides.containerOverrides, [{ name: "app", command: ["true"] }]);
      assert.equal(task.containers[0].lastStatus, "RUNNING");
    }
    assert.equal(secrets.calls.length, 2);
    // The agent fetched as the execution role's session, named after the task (as in real session ARNs).
    const sessionArns = secrets.calls.map((c) => (c as { executionRole?: { sessionArn: string } }).executionRole?.sessionArn).sort();
    assert.deepEqual(sessionArns, arns.map((a: string) => `arn:aws:sts::${ACCOUNT}:assumed-role/exec/${a.slice(a.lastIndexOf("/") + 1)}`).sort());
    assert.ok(engine.calls.some((c) => c.op === "pull" && c.auth?.username === "u"));
    assert.deepEqual((await call("ListTasks", { family: "web" })).body.taskArns, arns);
    assert.deepEqual((await call("ListTasks", { family: "other" })).body.taskArns, []);
  });

  it("a secret that does not exist: STOPPED, TaskFailedToStart, the agent's exact reason", async () => {
    const { emulator, call, trustEcs } = setup();
    await trustEcs();
    await call("RegisterTaskDefinition", taskDefinition("missing"));
    const ran = await call("RunTask", { taskDefinition: "web" });
    await emulator.ecs.idle();
    const [task] = (await call("DescribeTasks", { tasks: [ran.body.tasks[0].taskArn] })).body.tasks;
    assert.equal(task.lastStatus, "STOPPED");
    assert.equal(task.stopCode, texts.STOP_CODE_TASK_FAILED_TO_START);
    assert.equal(
      task.stoppedReason,
      "Asm fetching secret from the service for missing: operation error Secrets Manager: GetSecretValue, https response error StatusCode: 400, RequestID: 11111111-2222-3333-4444-555555555555, ResourceNotFoundException: Secrets Manager can't find the specified secret.",
    );
    assert.equal(typeof task.stoppedAt, "number");
  });

  it("a definition that names no requiresCompatibilities: compatibilities EC2 and EXTERNAL (awsvpc, cpu and memory or not); refused on FARGATE, runs on EC2", async () => {
    const { emulator, call, trustEcs } = setup();
    await trustEcs();
    const bare = await call("RegisterTaskDefinition", taskDefinition());
    assert.deepEqual(bare.body.taskDefinition.compatibilities, ["EC2", "EXTERNAL"]);
    const sized = await call("RegisterTaskDefinition", taskDefinition("creds", { networkMode: "awsvpc", cpu: "256", memory: "512" }));
    assert.deepEqual([sized.body.taskDefinition.revision, sized.body.taskDefinition.compatibilities], [2, ["EC2", "EXTERNAL"]]);
    for (const platformVersion of [undefined, "1.4.0", "1.3.0"]) {
      const refused = await call("RunTask", { taskDefinition: "web", launchType: "FARGATE", ...(platformVersion && { platformVersion }) });
      assert.deepEqual([refused.status, refused.body], [400, { __type: "InvalidParameterException", message: "Task definition does not support launch_type FARGATE." }]);
    }
    assert.deepEqual((await call("ListTasks")).body.taskArns, []);
    const ran = await call("RunTask", { taskDefinition: "web", launchType: "EC2" });
    assert.equal(ran.status, 200);
    await emulator.ecs.idle();
    const task = (await call("DescribeTasks", { tasks: [ran.body.tasks[0].taskArn] })).body.tasks[0];
    assert.deepEqual([task.launchType, task.lastStatus], ["EC2", "RUNNING"]);
    const compatible = await call("RegisterTaskDefinition", taskDefinition("creds", FARGATE_COMPATIBLE));
    assert.deepEqual(compatible.body.taskDefinition.compatibilities, ["EC2", "EXTERNAL", "FARGATE"]);
  });

  it("StopTask: UserInitiated with the caller's reason; DescribeTasks reports unknown ids MISSING", async () => {
    const { emulator, call, trustEcs } = setup();
    await trustEcs();
    await call("RegisterTaskDefinition", taskDefinition());
    const ran = await call("RunTask", { taskDefinition: "web" });
    await emulator.ecs.idle();
    const arn = ran.body.tasks[0].taskArn;
    const stopped = await call("StopTask", { task: arn, reason: "done testing" });
    assert.deepEqual([stopped.body.task.lastStatus, stopped.body.task.stopCode, stopped.body.task.stoppedReason], ["STOPPED", "UserInitiated", "done testing"]);
    assert.deepEqual((await call("ListTasks", { desiredStatus: "STOPPED" })).body.taskArns, [arn]);
    const unknown = await call("DescribeTasks", { tasks: ["0123456789abcdef0123456789abcdef"] });
    assert.deepEqual(unknown.body, { tasks: [], failures: [{ arn: `arn:aws:ecs:us-east-1:${ACCOUNT}:task/default/0123456789abcdef0123456789abcdef`, reason: "MISSING" }] });
    assert.deepEqual((await call("StopTask", { task: "nope" })).body, { __type: "InvalidParameterException", message: EcsText.taskNotFound });
    assert.deepEqual((await call("DescribeTasks", { tasks: [] })).body, { __type: "InvalidParameterException", message: EcsText.tasksEmpty });
  });

  it("StopTask while the image is being pulled: STOPPED UserInitiated at once, and the pull's end does not undo it", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const engine = new FakeEngine();
    const slow = { inspectDistribution: engine.inspectDistribution.bind(engine), hasImage: engine.hasImage.bind(engine), createContainer: engine.createContainer.bind(engine), tagImage: engine.tagImage.bind(engine), pullImage: async (...args: Parameters<FakeEngine["pullImage"]>) => { await gate; return engine.pullImage(...args); } };
    const { emulator, call, trustEcs } = setup({ engine: slow });
    await trustEcs();
    await call("RegisterTaskDefinition", taskDefinition());
    const arn = (await call("RunTask", { taskDefinition: "web" })).body.tasks[0].taskArn;
    let task = (await call("DescribeTasks", { tasks: [arn] })).body.tasks[0];
    for (let i = 0; i < 100 && task.pullStartedAt === undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      task = (await call("DescribeTasks", { tasks: [arn] })).body.tasks[0];
    }
    assert.equal(task.lastStatus, "PENDING");
    assert.equal(typeof task.pullStartedAt, "number");
    await call("StopTask", { task: arn });
    release();
    await emulator.ecs.idle();
    task = (await call("DescribeTasks", { tasks: [arn] })).body.tasks[0];
    assert.deepEqual([task.lastStatus, task.desiredStatus, task.stopCode, task.stoppedReason], ["STOPPED", "STOPPED", "UserInitiated", EcsText.taskStoppedByUser]);
  });

  it("FARGATE needs no container instance and shows the resolved platform version", async () => {
    const { emulator, call, trustEcs } = setup({ instances: [] });
    await trustEcs();
    await call("RegisterTaskDefinition", taskDefinition("creds", FARGATE_COMPATIBLE));
    const ran = await call("RunTask", { taskDefinition: "web", launchType: "FARGATE" });
    assert.equal(ran.status, 200);
    assert.deepEqual([ran.body.tasks[0].launchType, ran.body.tasks[0].platformVersion, ran.body.tasks[0].containerInstanceArn], ["FARGATE", "1.4.0", undefined]);
    await emulator.ecs.idle();
  });

  it("bad input: unknown task definition, count, platformVersion on EC2, unknown override, old Fargate platform", async () => {
    const { call, trustEcs } = setup();
    await trustEcs();
    await call("RegisterTaskDefinition", taskDefinition());
    await call("RegisterTaskDefinition", taskDefinition("creds", { ...FARGATE_COMPATIBLE, family: "fweb" }));
    const cases: [Record<string, unknown>, string, string][] = [
      [{ taskDefinition: "nope" }, "ClientException", EcsText.taskDefinitionNotFound],
      [{ taskDefinition: "web", count: 11 }, "InvalidParameterException", EcsText.countRange],
      [{ taskDefinition: "web", platformVersion: "1.4.0" }, "InvalidParameterException", EcsText.platformVersionWithEc2],
      [{ taskDefinition: "web", overrides: { containerOverrides: [{ name: "db" }] } }, "InvalidParameterException", EcsText.overrideNotInTaskDefinition("db")],
      [{ taskDefinition: "fweb", launchType: "FARGATE", platformVersion: "1.1.0" }, "PlatformUnknownException", texts.RUN_TASK.platformUnknown],
      [{ taskDefinition: "web", launchType: "FARGATE" }, "InvalidParameterException", texts.RUN_TASK.launchTypeUnsupported("FARGATE")],
      [{ taskDefinition: "web", cluster: "nope" }, "ClusterNotFoundException", EcsText.clusterNotFound],
    ];
    for (const [input, code, message] of cases) {
      const res = await call("RunTask", input);
      assert.deepEqual([res.status, res.body], [400, { __type: code, message }], JSON.stringify(input));
    }
  });
});
