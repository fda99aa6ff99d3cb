// EcsPullInternal.RunAgentTask on the wire, signed like `ecs-pull run --via-server` signs it (agent-sim's
// signedJsonPost), against a listening emulator whose Docker engine is a fake: the run goes through the emulator's own
// Secrets Manager and AssumeRoleAsService with the caller's key; input shapes, admin-only access, the launch
// context's and the environment's errors in the emulator's own codes, and concurrent runs on one engine.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { EnvironmentError } from "../../agent-sim/ports.ts";
import type { ImageEngine } from "../../agent-sim/ports.ts";
import { InternalErrorCode, internalTarget } from "../../agent-sim/adapters/internal-api.ts";
import { awsErrorOf, signedJsonPost } from "../../agent-sim/adapters/signed-json-post.ts";
import type { AwsCredentials } from "../../agent-sim/steps/execution-role.ts";
import { startEmulator } from "../../emulator/server.ts";
import type { StartedEmulator } from "../../emulator/server.ts";
import { accessDeniedMessage } from "../../aws/iam/index.ts";
import { roleSessionKeys } from "../support/role-session.ts";
import { FakeEngine } from "./agent-fakes.ts";

const ACCOUNT = "000000000000";
const ROLE = `arn:aws:iam::${ACCOUNT}:role/exec`;
const PASSWORD = "canary-Pw-run-agent-task";
const IMAGE = "127.0.0.1:5000/team/app:1";
const ADMIN = { accessKeyId: "test", secretAccessKey: "test" };

const engine = new FakeEngine();
let broken: ImageEngine | undefined;
const switchable: ImageEngine = {
  inspectDistribution: (image, auth) => (broken ?? engine).inspectDistribution(image, auth),
  pullImage: (image, auth, onProgress) => (broken ?? engine).pullImage(image, auth, onProgress),
  hasImage: (image) => (broken ?? engine).hasImage(image),
  createContainer: (image) => (broken ?? engine).createContainer(image),
  tagImage: (source, target) => (broken ?? engine).tagImage(source, target),
};
let server: StartedEmulator;
const log: string[] = [];

const taskdef = (containers: Record<string, unknown>[], extra: Record<string, unknown> = { executionRoleArn: ROLE }) =>
  JSON.stringify({ family: "web", ...extra, containerDefinitions: containers });
const privateContainer = (name: string, secret = "registry/creds") => ({ name, image: IMAGE, essential: true, repositoryCredentials: { credentialsParameter: secret } });

function runAgentTask(body: unknown, credentials: AwsCredentials = ADMIN) {
  return signedJsonPost({ endpoint: server.url, region: "us-east-1", service: "ecs", credentials, target: internalTarget("RunAgentTask"), body });
}

before(async () => {
  server = await startEmulator({ ecs: { engine: switchable }, log: (entry) => log.push(JSON.stringify(entry)) });
  const clients = { endpoint: server.url, region: "us-east-1", credentials: ADMIN };
  const sm = new SecretsManagerClient(clients);
  await sm.send(new CreateSecretCommand({ Name: "registry/creds", SecretString: JSON.stringify({ username: "alice", password: PASSWORD }) }));
  sm.destroy();
  const iam = new IAMClient(clients);
  const doc = (Statement: unknown) => JSON.stringify({ Version: "2012-10-17", Statement });
  await iam.send(new CreateRoleCommand({ RoleName: "exec", AssumeRolePolicyDocument: doc([{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }]) }));
  await iam.send(new PutRolePolicyCommand({ RoleName: "exec", PolicyName: "read", PolicyDocument: doc([{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" }]) }));
  iam.destroy();
});

after(() => server?.close());

describe("EcsPullInternal.RunAgentTask", () => {
  it("runs the launch inside the emulator: its own STS and Secrets Manager, the shared engine; the result as run --json prints it", async () => {
    const before = engine.calls.length;
    const answer = await runAgentTask({ TaskDefinition: taskdef([privateContainer("app")]), Launch: { launchType: "EC2" }, Options: { Fast: true } });
    assert.equal(answer.status, 200, answer.text);
    const result = answer.json!.Result as { result: string; exitCode: number; trace: { step: string }[]; launch: { agentVersion: string } };
    assert.equal(result.result, "RUNNING");
    assert.equal(result.exitCode, 0);
    assert.deepEqual(result.trace.map((s) => s.step), ["register", "place", "assume-role", "credentials", "parse", "manifest", "pull", "start"]);
    const calls = engine.calls.slice(before);
    assert.deepEqual(calls.map((c) => c.op), ["inspect", "pull"]);
    assert.deepEqual(calls[0]!.auth, { username: "alice", password: PASSWORD });
    assert.ok(!answer.text.includes(PASSWORD), "the registry password is in the answer");
    assert.ok(!log.join("\n").includes(PASSWORD), "the registry password is in the request log");
    assert.ok(log.some((l) => l.includes('"operation":"RunAgentTask"')));
  });

  it("concurrent runs share the emulator and its engine", async () => {
    const runs = await Promise.all(
      ["a", "b", "c", "d"].map((name) => runAgentTask({ TaskDefinition: taskdef([privateContainer(name)]), Launch: { launchType: "EC2" }, Options: { Fast: true } })),
    );
    for (const r of runs) assert.equal((r.json!.Result as { exitCode: number }).exitCode, 0, r.text);
  });

  it("FARGATE: a definition that names no requiresCompatibilities is not placed (exit 4, gate-fargate-incompatible, no engine call); one that asks for FARGATE runs", async () => {
    const before = engine.calls.length;
    const bare = await runAgentTask({ TaskDefinition: taskdef([privateContainer("app")]), Launch: { launchType: "FARGATE", platformVersion: "1.3.0" }, Options: { Fast: true } });
    assert.equal(bare.status, 200, bare.text);
    const refused = bare.json!.Result as { result: string; exitCode: number; placementFailure: { code: string; message: string; failureCode: string } };
    assert.deepEqual([refused.result, refused.exitCode], ["NOT_PLACED", 4]);
    assert.deepEqual(refused.placementFailure.code, "InvalidParameterException");
    assert.deepEqual(refused.placementFailure.message, "Task definition does not support launch_type FARGATE.");
    assert.deepEqual(refused.placementFailure.failureCode, "gate-fargate-incompatible");
    assert.equal(engine.calls.length, before);
    const compatible = { executionRoleArn: ROLE, requiresCompatibilities: ["EC2", "FARGATE"], networkMode: "awsvpc", cpu: "256", memory: "512" };
    // 1.3.0: the ECS agent on Docker, so the run pulls through this test's engine.
    const ran = await runAgentTask({ TaskDefinition: taskdef([privateContainer("app")], compatible), Launch: { launchType: "FARGATE", platformVersion: "1.3.0" }, Options: { Fast: true } });
    assert.equal((ran.json!.Result as { exitCode: number }).exitCode, 0, ran.text);
  });

  it("an outcome the agent reports (a missing secret) is a result, not an error: exit code 5 in the document", async () => {
    const answer = await runAgentTask({ TaskDefinition: taskdef([privateContainer("app", "registry/typo")]), Launch: { launchType: "EC2", agentVersion: "1.83.0" }, Options: { Fast: true } });
    assert.equal(answer.status, 200, answer.text);
    const result = answer.json!.Result as { exitCode: number; diagnosis: { failureCode: string } };
    assert.equal(result.exitCode, 5);
    assert.equal(result.diagnosis.failureCode, "cred-not-found");
  });

  it("a launch context that does not resolve: EcsPullLaunchContextError with agent-sim's text", async () => {
    const answer = await runAgentTask({ TaskDefinition: taskdef([]), Launch: { launchType: "LAMBDA" } });
    assert.equal(answer.status, 400);
    assert.deepEqual(answer.json, { __type: InternalErrorCode.launchContext, message: 'launchType must be one of EC2, FARGATE, EXTERNAL, got "LAMBDA"' });
  });

  it("the emulator's machine failing (the engine): EcsPullEnvironmentError with the EnvironmentError's text, no 500", async () => {
    broken = {
      inspectDistribution: async () => {
        throw new EnvironmentError("No Docker engine answered at unix:///nowhere: run `npm run env:up` or set DOCKER_HOST");
      },
      pullImage: async () => undefined,
      hasImage: async () => false,
      createContainer: async () => undefined,
      tagImage: async () => undefined,
    };
    try {
      const answer = await runAgentTask({ TaskDefinition: taskdef([{ name: "app", image: IMAGE, essential: true }], {}), Launch: { launchType: "EC2" } });
      assert.equal(answer.status, 400);
      assert.deepEqual(answer.json, { __type: InternalErrorCode.environment, message: "No Docker engine answered at unix:///nowhere: run `npm run env:up` or set DOCKER_HOST" });
    } finally {
      broken = undefined;
    }
  });

  it("admin keys only: a role session is refused like AssumeRoleAsService refuses it", async () => {
    const session = await roleSessionKeys(server.url, ROLE, "s1");
    const answer = await runAgentTask({ TaskDefinition: taskdef([]), Launch: { launchType: "EC2" } }, session);
    assert.equal(answer.status, 400);
    assert.deepEqual(answer.json, {
      __type: "AccessDeniedException",
      message: accessDeniedMessage(`arn:aws:sts::${ACCOUNT}:assumed-role/exec/s1`, "EcsPullInternal:RunAgentTask", `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/default`),
    });
  });

  it("a bad key: the authentication layer's answer", async () => {
    const answer = await runAgentTask({ TaskDefinition: taskdef([]), Launch: { launchType: "EC2" } }, { accessKeyId: "test", secretAccessKey: "wrong" });
    assert.equal(awsErrorOf(answer).code, "InvalidSignatureException");
  });

  it("input shapes: AWS's SerializationException and ValidationException texts, never the engine auth data", async () => {
    const v = (value: string, member: string, constraint: string) => `1 validation error detected: ${value} at '${member}' failed to satisfy constraint: ${constraint}`;
    const cases: [unknown, string, string][] = [
      [{ Launch: { launchType: "EC2" } }, "ValidationException", v("Value null", "taskDefinition", "Member must not be null")],
      [{ TaskDefinition: 7, Launch: { launchType: "EC2" } }, "SerializationException", "Expected a string for 'TaskDefinition'."],
      [{ TaskDefinition: "{}" }, "ValidationException", v("Value null", "launch", "Member must not be null")],
      [{ TaskDefinition: "{}", Launch: [] }, "SerializationException", "Expected an object for 'Launch'."],
      [{ TaskDefinition: "{}", Launch: {} }, "ValidationException", v("Value null", "launch.launchType", "Member must not be null")],
      [{ TaskDefinition: "{}", Launch: { launchType: "EC2", engineAuth: { type: "docker", data: 5 } } }, "SerializationException", "Expected a string for 'data'."],
      [{ TaskDefinition: "{}", Launch: { launchType: "EC2" }, Options: { IamCheck: "client" } }, "ValidationException", v("Value 'client'", "options.iamCheck", "Member must satisfy enum value set: [server, off]")],
      [{ TaskDefinition: "{}", Launch: { launchType: "EC2" }, Options: { PullTimeoutMs: 0 } }, "ValidationException", v("Value '0'", "options.pullTimeoutMs", "Member must have value greater than or equal to 1")],
      [{ TaskDefinition: "{}", Launch: { launchType: "EC2" }, Options: { Fast: "yes" } }, "SerializationException", "Expected a boolean for 'Fast'."],
    ];
    for (const [body, code, message] of cases) {
      const answer = await runAgentTask(body);
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.deepEqual(answer.json, { __type: code, message }, JSON.stringify(body));
    }
  });
});
