// `ecs-pull run` end to end: the real command, the emulator through the real SDK, the real registry and the real
// Docker engine. Exit codes, exact texts, and a canary password that must never appear in any output.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { startEmulator } from "../../emulator/server.ts";
import { RegistryFixture } from "../../registry-fixture/index.ts";
import type { StartedRegistry } from "../../registry-fixture/index.ts";
import { connectDocker, createDockerEngine } from "../../agent-sim/adapters/engine/index.ts";
import { runCli } from "../support/cli.ts";

const CANARY = "canary-Pw-7f3a9c1e";
const ROLE = "arn:aws:iam::000000000000:role/ecsTaskExecutionRole";

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let registry: StartedRegistry;
let dir: string;
let image: string;
const secrets: Record<string, string> = {};
const engine = createDockerEngine(await connectDocker());

function taskdef(containers: { name?: string; image?: string; credentialsParameter?: string }[], family = "web") {
  return {
    family,
    executionRoleArn: ROLE,
    containerDefinitions: containers.map((c, i) => ({
      name: c.name ?? `c${i}`,
      image: c.image ?? image,
      essential: true,
      ...(c.credentialsParameter !== undefined && { repositoryCredentials: { credentialsParameter: c.credentialsParameter } }),
    })),
  };
}

async function writeTaskdef(name: string, content: unknown): Promise<string> {
  const path = join(dir, `${name}.json`);
  await writeFile(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

const run = (file: string, ...flags: string[]) => runCli(["run", file, "--endpoint", emulator.url, "--fast", ...flags]);

function assertNoCanary(...outputs: string[]): void {
  for (const o of outputs) assert.ok(!o.includes(CANARY), "the registry password leaked into the output");
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "ecs-pull-e2e-"));
  emulator = await startEmulator({ port: 0 });
  registry = await new RegistryFixture().withUser("alice", CANARY).start();
  await registry.pushImage({ repository: "team/app", tag: "1", layers: 2, layerSize: 64 * 1024, seed: "e2e" });
  image = registry.imageReference("team/app", "1");
  const sm = new SecretsManagerClient({ endpoint: emulator.url, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  const create = async (Name: string, SecretString: string) => (secrets[Name] = (await sm.send(new CreateSecretCommand({ Name, SecretString }))).ARN!);
  await create("registry/good", JSON.stringify({ username: "alice", password: CANARY }));
  await create("registry/wrong", JSON.stringify({ username: "alice", password: `${CANARY}-stale` }));
  sm.destroy();
  // The execution role ECS assumes before GetSecretValue: trusted by ecs-tasks.amazonaws.com, may read any secret.
  const iam = new IAMClient({ endpoint: emulator.url, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  const doc = (Statement: unknown) => JSON.stringify({ Version: "2012-10-17", Statement });
  await iam.send(new CreateRoleCommand({ RoleName: "ecsTaskExecutionRole", AssumeRolePolicyDocument: doc([{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }]) }));
  await iam.send(new PutRolePolicyCommand({ RoleName: "ecsTaskExecutionRole", PolicyName: "read-secrets", PolicyDocument: doc([{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" }]) }));
  // A role that may read only another secret: its denial is explained from the role's policies, read over IAM.
  await iam.send(new CreateRoleCommand({ RoleName: "narrowExecutionRole", AssumeRolePolicyDocument: doc([{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }]) }));
  await iam.send(new PutRolePolicyCommand({ RoleName: "narrowExecutionRole", PolicyName: "read-wrong-only", PolicyDocument: doc([{ Sid: "OnlyWrong", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secrets["registry/wrong"] }]) }));
  iam.destroy();
});

after(async () => {
  await engine.removeImage(image).catch(() => undefined);
  await registry?.stop();
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("ecs-pull run", () => {
  test("happy path: RUNNING, exit 0, JSON document with task, trace and no diagnosis", async () => {
    await engine.removeImage(image).catch(() => undefined);
    const file = await writeTaskdef("ok", taskdef([{ credentialsParameter: secrets["registry/good"] }]));
    const r = await run(file, "--json");
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.result, "RUNNING");
    assert.equal(doc.task.lastStatus, "RUNNING");
    assert.deepEqual(doc.trace.map((s: { step: string }) => s.step), ["register", "place", "assume-role", "credentials", "parse", "manifest", "pull", "start"]);
    assert.equal(await engine.hasImage(image), true);
    assertNoCanary(r.stdout, r.stderr);
  });

  test("human output: a line per step with ✓ and the outcome", async () => {
    const file = await writeTaskdef("ok-human", taskdef([{ credentialsParameter: "registry/good" }]));
    const r = await run(file);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /✓ credentials/);
    assert.match(r.stdout, /✓ pull/);
    assert.match(r.stdout, /Task RUNNING/);
    assertNoCanary(r.stdout, r.stderr);
  });

  test("wrong registry password: STOPPED, exit 6, the manifest check's reason on the container", async () => {
    // No image on the instance: with ECS_IMAGE_PULL_BEHAVIOR=default a cached one would run anyway (next test).
    await engine.removeImage(image).catch(() => undefined);
    const file = await writeTaskdef("wrong", taskdef([{ credentialsParameter: "registry/wrong" }]));
    const r = await run(file, "--json");
    assert.equal(r.code, 6, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.task.stopCode, "TaskFailedToStart");
    const reason: string = doc.task.containers[0].reason;
    assert.match(reason, /^CannotPullImageManifestError: Error response from daemon: /);
    assert.match(reason, /unauthorized/);
    assert.equal(doc.task.stoppedReason, reason);
    assert.equal(doc.diagnosis.failureCode, "pull-bad-password");
    assertNoCanary(r.stdout, r.stderr);
  });

  test("wrong password, image already on the instance: default runs it (exit 0, reason kept); --image-pull-behavior always and $ECS_IMAGE_PULL_BEHAVIOR=once stop it (exit 6)", async () => {
    await engine.pullImage(image, { username: "alice", password: CANARY });
    const file = await writeTaskdef("wrong-cached", taskdef([{ credentialsParameter: "registry/wrong" }]));
    const anyway = await run(file, "--json");
    assert.equal(anyway.code, 0, anyway.stderr);
    const doc = JSON.parse(anyway.stdout);
    assert.equal(doc.result, "RUNNING");
    assert.match(doc.task.containers[0].reason, /^CannotPullImageManifestError: /);
    assert.equal(doc.launch.imagePullBehavior, "default");
    const always = await run(file, "--image-pull-behavior", "always", "--json");
    assert.equal(always.code, 6, always.stderr);
    const once = await runCli(["run", file, "--endpoint", emulator.url, "--fast", "--json"], { ECS_IMAGE_PULL_BEHAVIOR: "once" });
    assert.equal(once.code, 6, once.stderr);
    assert.equal(JSON.parse(once.stdout).launch.imagePullBehavior, "once");
    const bad = await run(file, "--image-pull-behavior", "sometimes");
    assert.equal(bad.code, 2);
    assertNoCanary(anyway.stdout, anyway.stderr, always.stdout, once.stdout);
    await engine.removeImage(image).catch(() => undefined);
  });

  test("no credentials on a registry that needs them: exit 6, no basic auth credentials", async () => {
    await engine.removeImage(image).catch(() => undefined);
    const file = await writeTaskdef("anon", taskdef([{}]));
    const r = await run(file, "--json");
    assert.equal(r.code, 6, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.match(doc.task.containers[0].reason, /no basic auth credentials/);
    assert.equal(doc.diagnosis.failureCode, "pull-no-credentials");
  });

  test("ECS_ENGINE_AUTH_* flags: a container without repositoryCredentials pulls with the instance's engine auth", async () => {
    await engine.removeImage(image).catch(() => undefined);
    const file = await writeTaskdef("engine-auth", taskdef([{}]));
    const data = JSON.stringify({ [registry.address]: { username: "alice", password: CANARY, email: "" } });
    const r = await run(file, "--engine-auth-type", "docker", "--engine-auth-data", data, "--json");
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assertNoCanary(r.stdout, r.stderr);
    await engine.removeImage(image).catch(() => undefined);
    const broken = await run(file, "--engine-auth-type", "docker", "--engine-auth-data", "{not json", "--json");
    assert.equal(broken.code, 6);
    const doc = JSON.parse(broken.stdout);
    assert.ok(doc.warnings.includes("Could not parse 'docker' type auth config"), JSON.stringify(doc.warnings));
    assert.equal(doc.diagnosis.failureCode, "pull-engine-auth-malformed");
  });

  test("missing image: exit 6, manifest unknown", async () => {
    const file = await writeTaskdef("missing", taskdef([{ image: registry.imageReference("team/app", "nope"), credentialsParameter: "registry/good" }]));
    const r = await run(file, "--json");
    assert.equal(r.code, 6, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.match(doc.task.containers[0].reason, /manifest unknown/);
    assert.equal(doc.diagnosis.failureCode, "pull-no-such-image");
    assertNoCanary(r.stdout, r.stderr);
  });

  test("registry down: exit 6, connection refused", async () => {
    const file = await writeTaskdef("down", taskdef([{ image: "127.0.0.1:1/team/app:1", credentialsParameter: "registry/good" }]));
    const r = await run(file, "--json");
    assert.equal(r.code, 6, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.match(doc.task.containers[0].reason, /connection refused/);
    assert.equal(doc.diagnosis.failureCode, "pull-registry-down");
  });

  test("two containers sharing a credentialsParameter: one GetSecretValue, counted at the emulator", async () => {
    const before = emulator.emulator.stats.count("GetSecretValue");
    const file = await writeTaskdef("shared", taskdef([{ name: "a", credentialsParameter: "registry/good" }, { name: "b", credentialsParameter: "registry/good" }]));
    const r = await run(file, "--json");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(emulator.emulator.stats.count("GetSecretValue") - before, 1);
  });

  test("a secret that does not exist: exit 5 with the SDK v2 text of the current agent", async () => {
    const file = await writeTaskdef("notfound", taskdef([{ credentialsParameter: "registry/typo" }]));
    const r = await run(file, "--json");
    assert.equal(r.code, 5, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.match(
      doc.task.stoppedReason,
      /^Asm fetching secret from the service for registry\/typo: operation error Secrets Manager: GetSecretValue, https response error StatusCode: 400, RequestID: [0-9a-f-]{36}, ResourceNotFoundException: Secrets Manager can't find the specified secret\.$/,
    );
  });

  test("a role that may not read the secret: exit 5, AccessDenied, the diagnosis names the policy statement (IAM read by the command)", async () => {
    const file = await writeTaskdef("narrow", { ...taskdef([{ credentialsParameter: "registry/good" }]), executionRoleArn: "arn:aws:iam::000000000000:role/narrowExecutionRole" });
    const r = await run(file, "--json");
    assert.equal(r.code, 5, r.stderr);
    assert.equal(r.stderr, "");
    const out = JSON.parse(r.stdout);
    assert.match(out.task.stoppedReason, /AccessDeniedException: User: arn:aws:sts::000000000000:assumed-role\/narrowExecutionRole\/[^ ]+ is not authorized to perform: secretsmanager:GetSecretValue/);
    assert.match(JSON.stringify(out.diagnosis), /read-wrong-only/);
    assertNoCanary(r.stdout, r.stderr);
  });

  test("a malformed task definition file: exit 3, a clear message, no stack trace", async () => {
    const file = await writeTaskdef("malformed", "{ not json");
    const r = await run(file);
    assert.equal(r.code, 3);
    assert.match(r.stdout, /Rejected at registration/);
    assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at .+:\d+:\d+/);
  });

  test("repositoryCredentials without executionRoleArn: exit 3 with ECS's ClientException text", async () => {
    const td = taskdef([{ credentialsParameter: "registry/good" }]) as Record<string, unknown>;
    delete td.executionRoleArn;
    const r = await run(await writeTaskdef("norole", td), "--json");
    assert.equal(r.code, 3);
    assert.equal(JSON.parse(r.stdout).registerError.message, "Private repository authentication requires that the task definition specify a value for executionRoleArn.");
  });

  test("an agent older than 1.19.0: not placed, exit 4, ATTRIBUTE", async () => {
    const r = await run(await writeTaskdef("old", taskdef([{ credentialsParameter: "registry/good" }])), "--agent-version", "1.18.0", "--json");
    assert.equal(r.code, 4);
    assert.equal(JSON.parse(r.stdout).placementFailure.failures[0].reason, "ATTRIBUTE");
  });

  test("usage errors exit 2: unknown flag, unreadable file, bad launch type, bad agent version", async () => {
    assert.equal((await runCli(["run", "x.json", "--nope"])).code, 2);
    const missing = await runCli(["run", join(dir, "absent.json")]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read task definition .*absent\.json: no such file/);
    assert.equal((await runCli(["run", join(dir, "ok.json"), "--launch-type", "LAMBDA"])).code, 2);
    const badVersion = await runCli(["run", join(dir, "ok.json"), "--agent-version", "banana"]);
    assert.equal(badVersion.code, 2);
    assert.doesNotMatch(badVersion.stderr, /\n\s+at /);
  });

  test("Secrets Manager endpoint unreachable: exit 1 (the tool's environment), clear message", async () => {
    const r = await runCli(["run", join(dir, "ok.json"), "--endpoint", "http://127.0.0.1:1", "--fast"]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /127\.0\.0\.1:1/);
  });
});
