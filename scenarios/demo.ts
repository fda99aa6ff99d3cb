// The demo world: an emulator and a registry on free ports, one registry user, one image, four secrets, and four
// tasks — one that works and three that fail the way users see them fail. Everything started is stopped again.
import { randomBytes } from "node:crypto";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { createAgentPorts, lazyDockerEngine, resolveLaunchContext, runTask } from "../agent-sim/index.ts";
import type { AgentEvent, FailureCode, TaskRunResult } from "../agent-sim/index.ts";
import { DEFAULT_ACCOUNT, DEFAULT_REGION } from "../aws/defaults.ts";
import { startEmulator } from "../emulator/server.ts";
import { RegistryFixture } from "../registry-fixture/index.ts";

export interface DemoCase {
  id: string;
  title: string;
  /** What ECS ends with, as the demo expects it. */
  expect: { result: TaskRunResult["result"]; exitCode: number; failureCode?: FailureCode };
}

export interface DemoOutcome extends DemoCase {
  run: TaskRunResult;
  asExpected: boolean;
}

export interface DemoOptions {
  /** The registry user's password (default: random). Tests pass a canary to prove it never leaks. */
  registryPassword?: string;
  /** Wait out the agent's backoff in real time (default: simulated agent time; same attempts and outcomes). */
  realTime?: boolean;
  /** Alias of realTime (the old name). */
  realDelays?: boolean;
  onCaseStart?(c: DemoCase): void;
  onEvent?(c: DemoCase, event: AgentEvent): void;
  onCaseEnd?(outcome: DemoOutcome): void;
}

const ACCOUNT = DEFAULT_ACCOUNT;
const REGION = DEFAULT_REGION;
const USER = "demo-user";
const EXECUTION_ROLE = `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`;

export const DEMO_CASES: DemoCase[] = [
  { id: "ok-basic", title: "Secret by full ARN, right password: the image is pulled", expect: { result: "RUNNING", exitCode: 0 } },
  { id: "pull-bad-password", title: "The secret holds a stale registry password", expect: { result: "STOPPED", exitCode: 6, failureCode: "pull-bad-password" } },
  { id: "cred-plaintext", title: "The secret is plain text, not JSON", expect: { result: "STOPPED", exitCode: 5, failureCode: "cred-plaintext" } },
  { id: "cred-not-found", title: "A typo in the secret's name", expect: { result: "STOPPED", exitCode: 5, failureCode: "cred-not-found" } },
];

export async function runDemo(options: DemoOptions = {}): Promise<DemoOutcome[]> {
  const password = options.registryPassword ?? randomBytes(12).toString("base64url");
  const docker = await lazyDockerEngine().get();
  await using emulator = await startEmulator({ port: 0 });
  await using registry = await new RegistryFixture().withUser(USER, password).start();
  const image = registry.imageReference("demo/app", "1");
  await registry.pushImage({ repository: "demo/app", tag: "1", layers: 2, layerSize: 256 * 1024, seed: "demo" });

  const admin = { accessKeyId: "test", secretAccessKey: "test" };
  const sm = new SecretsManagerClient({ endpoint: emulator.url, region: REGION, credentials: admin });
  const create = async (Name: string, SecretString: string) => (await sm.send(new CreateSecretCommand({ Name, SecretString }))).ARN!;
  const good = await create("demo/registry-creds", JSON.stringify({ username: USER, password }));
  const stale = await create("demo/registry-creds-stale", JSON.stringify({ username: USER, password: `${password}-old` }));
  const plain = await create("demo/registry-creds-plain", `${USER}:${password}`);
  sm.destroy();
  await createExecutionRole(emulator.url, admin);

  const parameterFor: Record<string, string> = {
    "ok-basic": good,
    "pull-bad-password": stale,
    "cred-plaintext": plain,
    "cred-not-found": "demo/registry-cred",
  };
  const ports = createAgentPorts({ endpoint: emulator.url, credentials: admin, assumeRole: "emulator", engine: docker });
  const outcomes: DemoOutcome[] = [];
  try {
    for (const c of DEMO_CASES) {
      options.onCaseStart?.(c);
      await docker.removeImage(image).catch(() => undefined);
      const run = await runTask({
        taskDefinition: demoTaskDefinition(c.id, image, parameterFor[c.id]!),
        launch: resolveLaunchContext({ launchType: "EC2", region: REGION, account: ACCOUNT }),
        ports,
        options: { ...((options.realTime || options.realDelays) && { realTime: true }), onEvent: (e) => options.onEvent?.(c, e) },
      });
      const asExpected =
        run.result === c.expect.result && run.exitCode === c.expect.exitCode && run.diagnosis?.failureCode === c.expect.failureCode;
      const outcome = { ...c, run, asExpected };
      outcomes.push(outcome);
      options.onCaseEnd?.(outcome);
    }
  } finally {
    ports.close();
    await docker.removeImage(image).catch(() => undefined);
  }
  return outcomes;
}

/** The execution role ECS assumes: trusted by ecs-tasks.amazonaws.com, may read the demo's secrets. */
async function createExecutionRole(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string }): Promise<void> {
  const iam = new IAMClient({ endpoint, region: REGION, credentials });
  const RoleName = EXECUTION_ROLE.slice(EXECUTION_ROLE.lastIndexOf("/") + 1);
  const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }] };
  const read = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:demo/*` }] };
  try {
    await iam.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: JSON.stringify(trust) }));
    await iam.send(new PutRolePolicyCommand({ RoleName, PolicyName: "read-demo-registry-secrets", PolicyDocument: JSON.stringify(read) }));
  } finally {
    iam.destroy();
  }
}

function demoTaskDefinition(id: string, image: string, credentialsParameter: string) {
  return {
    family: `demo-${id}`,
    executionRoleArn: EXECUTION_ROLE,
    containerDefinitions: [{ name: "app", image, essential: true, repositoryCredentials: { credentialsParameter } }],
  };
}
