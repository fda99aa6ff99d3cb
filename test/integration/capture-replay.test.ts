// Issue 15's acceptance: an emulator stands in for AWS (its own account and region); worlds are built through the
// real SDK; a task fails there through its ECS API (RunTask + DescribeTasks); `capture` reads it through the SDK
// against that endpoint; the captured file runs against a fresh local world: the same outcome and text, byte for
// byte after placeholders. Worlds: a policy without the -?????? suffix (EC2, current agent), a customer key without
// kms:Decrypt (Fargate), a stale registry password (EC2 on agent 1.19.0). The emulator's request log shows capture
// issued no GetSecretValue, no Decrypt and no write; a canary password is in no captured file and no output.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { DescribeTasksCommand, ECSClient, RegisterTaskDefinitionCommand, RunTaskCommand } from "@aws-sdk/client-ecs";
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { CreateKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { connectDocker, createDockerEngine, fastRetryPolicies } from "../../agent-sim/index.ts";
import { applyAssumptions } from "../../capture/assume.ts";
import { createSdkCaptureReader } from "../../capture/aws-reader.ts";
import { captureTask, CaptureError, type Capture } from "../../capture/capture.ts";
import { scenarioFileText } from "../../capture/scenario-file.ts";
import { startEmulator, type StartedEmulator } from "../../emulator/index.ts";
import { RegistryFixture, type StartedRegistry } from "../../registry-fixture/index.ts";
import { loadCatalogue, parseScenarioText } from "../../scenarios/load.ts";
import { runScenario } from "../../scenarios/runner.ts";
import { runCli } from "../support/cli.ts";

const ACCOUNT = "210987654321";
const REGION = "eu-west-1";
const CANARY = "canary-Reg1stry-pw-7f3a";
const admin = { accessKeyId: "test", secretAccessKey: "test" };
const READ_OPERATIONS = /^(Describe|Get|List)[A-Za-z]+$/;
const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }] };

describe("capture → replay: a task that failed in the stand-in AWS reproduces locally, byte for byte", { timeout: 600_000 }, () => {
  let emulator: StartedEmulator;
  let registry: StartedRegistry;
  let image: string;
  const clients: { destroy(): void }[] = [];
  const catalogue = loadCatalogue();
  const dir = mkdtempSync(join(tmpdir(), "ecs-pull-capture-"));
  const outputs: string[] = [];
  const config = () => ({ endpoint: emulator.url, region: REGION, credentials: admin });
  const track = <T extends { destroy(): void }>(c: T) => (clients.push(c), c);
  let ecs: ECSClient, sm: SecretsManagerClient, iam: IAMClient, kms: KMSClient;

  before(async () => {
    registry = await new RegistryFixture().withBcryptCost(4).withUser("alice", CANARY).start();
    image = (await registry.pushImage({ repository: "team/app", tag: "v1", layers: 1, layerSize: 4096, seed: 15 })).reference;
    emulator = await startEmulator({
      port: 0,
      defaultAccount: ACCOUNT,
      defaultRegion: REGION,
      ecs: { instances: [{ cluster: "default" }, { cluster: "old", agentVersion: "1.19.0" }], pullRetry: fastRetryPolicies.pullRetry, manifestRetry: fastRetryPolicies.manifestRetry },
    });
    ecs = track(new ECSClient(config()));
    sm = track(new SecretsManagerClient(config()));
    iam = track(new IAMClient({ ...config(), region: "us-east-1" }));
    kms = track(new KMSClient(config()));
  });
  after(async () => {
    await emulator?.emulator.ecs.idle();
    clients.forEach((c) => c.destroy());
    await emulator?.close();
    await registry?.stop();
    if (image) await createDockerEngine(await connectDocker()).removeImage(image).catch(() => undefined);
  });

  async function world(name: string, policy: (secretArn: string, keyArn?: string) => unknown, options: { password?: string; customerKey?: boolean } = {}) {
    const keyArn = options.customerKey ? (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn! : undefined;
    const secretArn = (await sm.send(new CreateSecretCommand({ Name: `${name}/creds`, SecretString: JSON.stringify({ username: "alice", password: options.password ?? CANARY }), ...(keyArn && { KmsKeyId: keyArn }) }))).ARN!;
    const role = `${name}ExecutionRole`;
    await iam.send(new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: JSON.stringify(trust) }));
    await iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: "read-creds", PolicyDocument: JSON.stringify(policy(secretArn, keyArn)) }));
    await ecs.send(new RegisterTaskDefinitionCommand({
      family: name,
      executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/${role}`,
      requiresCompatibilities: ["EC2", "FARGATE"],
      networkMode: "awsvpc",
      cpu: "256",
      memory: "512",
      containerDefinitions: [{ name: "app", image, essential: true, repositoryCredentials: { credentialsParameter: secretArn } }],
    }));
    return { secretArn, keyArn };
  }

  async function runAndWait(family: string, launch: { launchType: "EC2" | "FARGATE"; cluster?: string }) {
    const out = await ecs.send(new RunTaskCommand({ taskDefinition: family, launchType: launch.launchType, ...(launch.cluster && { cluster: launch.cluster }), ...(launch.launchType === "FARGATE" && { platformVersion: "LATEST" }) }));
    const arn = out.tasks?.[0]?.taskArn;
    assert.ok(arn, JSON.stringify(out.failures));
    await emulator.emulator.ecs.idle();
    const task = (await ecs.send(new DescribeTasksCommand({ tasks: [arn], ...(launch.cluster && { cluster: launch.cluster }) }))).tasks![0]!;
    return task;
  }

  async function captureIt(taskArn: string, cluster: string | undefined, credentials = admin): Promise<Capture> {
    emulator.emulator.stats.reset();
    const reader = createSdkCaptureReader({ endpoint: emulator.url, region: REGION, credentials });
    try {
      return await captureTask(reader, { task: taskArn, ...(cluster && { cluster }), region: REGION, catalogue });
    } finally {
      reader.destroy();
      const calls = emulator.emulator.stats.calls.map((c) => c.operation);
      assert.ok(calls.length > 0);
      for (const op of calls) {
        assert.notEqual(op, "GetSecretValue");
        assert.notEqual(op, "Decrypt");
        assert.match(op, READ_OPERATIONS, `capture issued ${op}, which is not a read`);
      }
    }
  }

  async function replay(capture: Capture, label: string, choices = new Map<string, string>()) {
    const text = scenarioFileText(capture);
    outputs.push(text);
    assert.ok(!text.includes(CANARY), "the canary is in the captured file");
    const scenario = applyAssumptions(parseScenarioText(text, join(dir, `${label}.yaml`)), choices);
    const report = await runScenario(scenario, { fast: true });
    outputs.push(JSON.stringify(report));
    assert.equal(report.status, "passed", `${label}: ${JSON.stringify(report.runs.map((r) => ({ error: r.error, mismatches: r.mismatches })), null, 2)}`);
    return scenario;
  }

  it("a policy without the -?????? suffix (EC2, current agent): captured, then the same stoppedReason locally", async () => {
    await world("suffix", (arn) => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: arn.slice(0, -7) }] }));
    const task = await runAndWait("suffix", { launchType: "EC2" });
    assert.equal(task.lastStatus, "STOPPED");
    assert.match(task.stoppedReason ?? "", /AccessDeniedException/);
    const capture = await captureIt(task.taskArn!, undefined);
    const run = capture.scenario.runs![0]!;
    assert.equal(run.launch!.region, REGION);
    assert.equal(capture.scenario.world!.accounts!.main!.id, ACCOUNT);
    assert.match(run.expect!.stoppedReason!, /^Asm fetching secret from the service for \{secretArn:suffix\/creds\}: .*assumed-role\/suffixExecutionRole\/\{taskId\}/);
    // The suffix-less ARN stays literal in the policy: that is the failure.
    assert.ok(JSON.stringify(capture.scenario.world!.roles![0]!.inline).includes(`arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:suffix/creds"`));
    await replay(capture, "suffix");
  });

  it("a customer key without kms:Decrypt (Fargate): DescribeKey and GetKeyPolicy, never Decrypt", async () => {
    await world("kms", (arn) => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: arn }] }), { customerKey: true });
    const task = await runAndWait("kms", { launchType: "FARGATE" });
    assert.match(task.stoppedReason ?? "", /^ResourceInitializationError: .*Access to KMS is not allowed/);
    const capture = await captureIt(task.taskArn!, undefined);
    assert.equal(capture.scenario.world!.kmsKeys!.length, 1);
    assert.equal(capture.scenario.runs![0]!.launch!.launchType, "FARGATE");
    assert.equal(capture.scenario.runs![0]!.expect!.failureCode, "cred-kms");
    await replay(capture, "kms");
  });

  it("a stale registry password (EC2, agent 1.19.0): the password is an unknown, assumed different from AWS's text", async () => {
    await world("stale", (arn) => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: arn }] }), { password: "stale-password" });
    const task = await runAndWait("stale", { launchType: "EC2", cluster: "old" });
    assert.match(task.stoppedReason ?? task.containers?.[0]?.reason ?? "", /^CannotPull/);
    const capture = await captureIt(task.taskArn!, "old");
    assert.equal(capture.scenario.runs![0]!.launch!.agentVersion, "1.19.0");
    const unknown = capture.scenario.unknowns!.find((u) => u.id === "registry-password")!;
    assert.equal(unknown.assume, "different");
    const scenario = await replay(capture, "stale");
    // The other assumption reproduces a different outcome: the run then does not match AWS's.
    const other = await runScenario(applyAssumptions(scenario, new Map([["registry-password", "same"]])), { fast: true });
    assert.equal(other.status, "failed");
    assert.equal(other.runs[0]!.actual!.result, "RUNNING");
  });

  it("a role with read access to ECS only: the refused reads are unknowns, and the reproduction still runs", async () => {
    await iam.send(new CreateRoleCommand({ RoleName: "ecsReadOnly", AssumeRolePolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "sts:AssumeRole" }] }) }));
    await iam.send(new PutRolePolicyCommand({ RoleName: "ecsReadOnly", PolicyName: "ecs-read", PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["ecs:Describe*", "ecs:List*"], Resource: "*" }] }) }));
    const sts = track(new STSClient(config()));
    const session = (await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/ecsReadOnly`, RoleSessionName: "capture" }))).Credentials!;
    const task = await runAndWait("suffix", { launchType: "EC2" });
    const capture = await captureIt(task.taskArn!, undefined, { accessKeyId: session.AccessKeyId!, secretAccessKey: session.SecretAccessKey!, sessionToken: session.SessionToken! } as typeof admin);
    assert.ok(capture.refused.some((r) => r.startsWith("iam:GetRole") && r.endsWith("AccessDenied")), capture.refused.join("\n"));
    assert.ok(capture.refused.some((r) => r.startsWith("secretsmanager:DescribeSecret")), capture.refused.join("\n"));
    const ids = capture.scenario.unknowns!.map((u) => u.id);
    assert.ok(ids.includes("role:suffixExecutionRole") && ids.some((id) => id.startsWith("role-policy:")), ids.join(", "));
    // Assumed: the unread policy grants nothing → AWS's AccessDenied is reproduced.
    await replay(capture, "ecs-only");
  });

  it("bad input: a task that does not exist, a task that never stopped — clear messages", async () => {
    const reader = createSdkCaptureReader({ endpoint: emulator.url, region: REGION, credentials: admin });
    try {
      await assert.rejects(captureTask(reader, { task: `arn:aws:ecs:${REGION}:${ACCOUNT}:task/default/0123456789abcdef0123456789abcdef`, region: REGION, catalogue }), (e: Error) => e instanceof CaptureError && /no task .* DescribeTasks answered MISSING/.test(e.message));
      await world("works", (arn) => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: arn }] }));
      const task = await runAndWait("works", { launchType: "EC2" });
      assert.equal(task.lastStatus, "RUNNING");
      await assert.rejects(captureTask(reader, { task: task.taskArn!, region: REGION, catalogue }), (e: Error) => e instanceof CaptureError && /has not stopped \(lastStatus RUNNING\)/.test(e.message));
    } finally {
      reader.destroy();
    }
  });

  it("the command: capture -o writes the file (exit 0), a missing task exits 2; the canary is in no output", async () => {
    const task = await runAndWait("kms", { launchType: "FARGATE" });
    const file = join(dir, "cli.yaml");
    const env = { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" };
    const ok = await runCli(["capture", "--task", task.taskArn!, "--endpoint", emulator.url, "-o", file, "--anonymize"], env);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /wrote .*cli\.yaml/);
    const text = readFileSync(file, "utf8");
    assert.ok(!text.includes(ACCOUNT), "--anonymize leaves no account id");
    assert.ok(!text.includes("kms/creds"), "--anonymize leaves no secret name");
    outputs.push(ok.stdout, ok.stderr, text);
    const missing = await runCli(["capture", "--task", `arn:aws:ecs:${REGION}:${ACCOUNT}:task/default/ffffffffffffffffffffffffffffffff`, "--endpoint", emulator.url], env);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no task .*MISSING/);
    outputs.push(missing.stdout, missing.stderr);
    for (const o of outputs) assert.ok(!o.includes(CANARY));
  });
});
