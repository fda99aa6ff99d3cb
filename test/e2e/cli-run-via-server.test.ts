// `ecs-pull run --via-server` end to end: the real command against a listening emulator, the real registry and the
// real Docker engine, each launch run once locally (`run --endpoint`) and once inside the emulator (`--via-server`):
// the same exit code, the same JSON document and the same human lines once ids, times and durations are
// normalized; the usage and environment errors of the mode; a canary password in no output and not in the log.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { EnvironmentError } from "../../agent-sim/ports.ts";
import { connectDocker, createDockerEngine } from "../../agent-sim/adapters/engine/index.ts";
import { startEmulator } from "../../emulator/server.ts";
import { requestLogLine } from "../../cli/render/request-log.ts";
import { RegistryFixture } from "../../registry-fixture/index.ts";
import type { StartedRegistry } from "../../registry-fixture/index.ts";
import { runCli } from "../support/cli.ts";
import { roleSessionKeys } from "../support/role-session.ts";
import type { CliResult } from "../support/cli.ts";

const CANARY = "canary-Pw-via-server-5d21";
const ACCOUNT = "000000000000";
const ROLE = `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`;
const NO_READ_ROLE = `arn:aws:iam::${ACCOUNT}:role/noReadRole`;
const ADMIN = { accessKeyId: "test", secretAccessKey: "test" };

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let registry: StartedRegistry;
let dir: string;
let image: string;
const serverLog: string[] = [];
const engine = createDockerEngine(await connectDocker());

async function writeTaskdef(name: string, containers: Record<string, unknown>[], executionRoleArn = ROLE): Promise<string> {
  const path = join(dir, `${name}.json`);
  await writeFile(path, JSON.stringify({ family: "web", executionRoleArn, containerDefinitions: containers }));
  return path;
}
const container = (credentialsParameter?: string) => ({
  name: "app",
  image,
  essential: true,
  ...(credentialsParameter !== undefined && { repositoryCredentials: { credentialsParameter } }),
});

/** The same launch, local and through the server, each from an engine without the image. */
async function both(file: string, ...flags: string[]): Promise<{ local: CliResult; via: CliResult }> {
  await engine.removeImage(image).catch(() => undefined);
  const local = await runCli(["run", file, "--endpoint", emulator.url, "--fast", ...flags]);
  await engine.removeImage(image).catch(() => undefined);
  const via = await runCli(["run", file, "--endpoint", emulator.url, "--fast", "--via-server", ...flags]);
  return { local, via };
}

/** Ids, times, durations and the backoff's jitter out of a run's output (JSON document or human lines). */
function normalize(text: string): string {
  return text
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, "<time>")
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<uuid>")
    .replace(/\b[0-9a-f]{32}\b/g, "<id>")
    .replace(/"durationMs": \d+(\.\d+)?/g, '"durationMs": 0')
    .replace(/("backoff": \{\s*"waits": \d+,\s*"ms": )\d+/g, "$10")
    .replace(/ {2}\d+(\.\d+)? (ms|s)$/gm, "  <duration>")
    .replace(/ {2}over ~\d+(\.\d+)? (ms|s) of agent time/gm, "  over ~<duration> of agent time");
}

function assertNoCanary(...texts: string[]): void {
  for (const t of texts) assert.ok(!t.includes(CANARY), "the registry password leaked");
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "ecs-pull-via-server-"));
  emulator = await startEmulator({ port: 0, log: (entry) => serverLog.push(requestLogLine(entry)) });
  registry = await new RegistryFixture().withUser("alice", CANARY).start();
  await registry.pushImage({ repository: "team/via", tag: "1", layers: 2, layerSize: 64 * 1024, seed: "via-server" });
  image = registry.imageReference("team/via", "1");
  const clients = { endpoint: emulator.url, region: "us-east-1", credentials: ADMIN };
  const sm = new SecretsManagerClient(clients);
  await sm.send(new CreateSecretCommand({ Name: "registry/good", SecretString: JSON.stringify({ username: "alice", password: CANARY }) }));
  await sm.send(new CreateSecretCommand({ Name: "registry/wrong", SecretString: JSON.stringify({ username: "alice", password: `${CANARY}-stale` }) }));
  sm.destroy();
  const iam = new IAMClient(clients);
  const doc = (Statement: unknown) => JSON.stringify({ Version: "2012-10-17", Statement });
  const trust = doc([{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }]);
  await iam.send(new CreateRoleCommand({ RoleName: "ecsTaskExecutionRole", AssumeRolePolicyDocument: trust }));
  await iam.send(new PutRolePolicyCommand({ RoleName: "ecsTaskExecutionRole", PolicyName: "read", PolicyDocument: doc([{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" }]) }));
  await iam.send(new CreateRoleCommand({ RoleName: "noReadRole", AssumeRolePolicyDocument: trust }));
  iam.destroy();
});

after(async () => {
  await engine.removeImage(image).catch(() => undefined);
  await registry?.stop();
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("ecs-pull run --via-server: the same outcome as a local run", () => {
  test("happy path, --json: exit 0, the same document; the password in no output and not in the server's log", async () => {
    const file = await writeTaskdef("ok", [container("registry/good")]);
    const { local, via } = await both(file, "--json");
    assert.equal(local.code, 0, local.stderr);
    assert.equal(via.code, 0, via.stderr);
    assert.equal(JSON.parse(via.stdout).result, "RUNNING");
    assert.equal(normalize(via.stdout), normalize(local.stdout));
    assert.equal(await engine.hasImage(image), true);
    assertNoCanary(local.stdout, local.stderr, via.stdout, via.stderr, serverLog.join("\n"));
    assert.ok(serverLog.some((line) => line.includes("ecs-pull-internal.RunAgentTask")));
  });

  test("happy path, human: the header, a line per step and the outcome, the same lines", async () => {
    const file = await writeTaskdef("ok-human", [container("registry/good")]);
    const { local, via } = await both(file);
    assert.equal(via.code, 0, via.stderr);
    assert.match(via.stdout, /^ecs-pull run .*ok-human\.json — EC2, agent /);
    assert.match(via.stdout, /✓ pull/);
    assert.equal(normalize(via.stdout), normalize(local.stdout));
    assert.equal(via.stderr, "");
  });

  test("a role without secretsmanager:GetSecretValue: exit 5, the same stoppedReason and diagnosis (IAM explained by the server)", async () => {
    const file = await writeTaskdef("denied", [container("registry/good")], NO_READ_ROLE);
    const { local, via } = await both(file, "--json");
    assert.equal(local.code, 5, local.stderr);
    assert.equal(via.code, 5, via.stderr);
    const [l, v] = [JSON.parse(normalize(local.stdout)), JSON.parse(normalize(via.stdout))];
    assert.match(v.task.stoppedReason, /AccessDeniedException/);
    assert.equal(v.task.stoppedReason, l.task.stoppedReason);
    assert.deepEqual(v.diagnosis, l.diagnosis);
    assert.ok(v.diagnosis.explanation, "no IAM explanation");
    assert.deepEqual(v, l);
  });

  test("a wrong registry password: exit 6, the same document", async () => {
    const file = await writeTaskdef("wrong", [container("registry/wrong")]);
    const { local, via } = await both(file, "--json");
    assert.equal(local.code, 6, local.stderr);
    assert.equal(via.code, 6, via.stderr);
    assert.equal(JSON.parse(via.stdout).diagnosis.failureCode, "pull-bad-password");
    assert.equal(normalize(via.stdout), normalize(local.stdout));
    assertNoCanary(via.stdout, via.stderr, serverLog.join("\n"));
  });

  test("the instance's engine auth (--engine-auth-data) goes to the server and comes back redacted", async () => {
    const file = await writeTaskdef("engine-auth", [container()]);
    const data = JSON.stringify({ [registry.address]: { username: "alice", password: CANARY, email: "" } });
    const { local, via } = await both(file, "--engine-auth-type", "docker", "--engine-auth-data", data, "--json");
    assert.equal(via.code, 0, via.stdout + via.stderr);
    assert.equal(normalize(via.stdout), normalize(local.stdout));
    assertNoCanary(via.stdout, via.stderr, serverLog.join("\n"));
  });

  test("a launch flag the server's agent-sim refuses: exit 2 with local run's message", async () => {
    const file = await writeTaskdef("launch", [container("registry/good")]);
    const { local, via } = await both(file, "--launch-type", "FARGATE", "--platform-version", "one");
    assert.equal(local.code, 2);
    assert.equal(via.code, 2);
    assert.equal(via.stderr, local.stderr);
    assert.match(via.stderr, /^ecs-pull: platformVersion /);
  });
});

describe("ecs-pull run --via-server: usage and environment errors", () => {
  test("no endpoint, --assume-role sts|off, --iam-check client: exit 2, each said", async () => {
    const file = await writeTaskdef("usage", [container("registry/good")]);
    const none = await runCli(["run", file, "--via-server"]);
    assert.equal(none.code, 2);
    assert.equal(none.stderr, "ecs-pull: --via-server needs --endpoint (or AWS_ENDPOINT_URL) pointing at `ecs-pull serve`\n");
    for (const how of ["sts", "off"]) {
      const r = await runCli(["run", file, "--via-server", "--endpoint", emulator.url, "--assume-role", how]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, new RegExp(`^ecs-pull: --assume-role ${how} cannot be used with --via-server: the server assumes the execution role as ECS does`));
    }
    const client = await runCli(["run", file, "--via-server", "--endpoint", emulator.url, "--iam-check", "client"]);
    assert.equal(client.code, 2);
    assert.match(client.stderr, /^ecs-pull: --iam-check client cannot be used with --via-server/);
    const profile = await runCli(["run", file, "--via-server", "--endpoint", emulator.url], { AWS_PROFILE: "dev" });
    assert.equal(profile.code, 2);
    assert.match(profile.stderr, /--via-server signs with the key in AWS_ACCESS_KEY_ID\/AWS_SECRET_ACCESS_KEY/);
    const viaEnv = await runCli(["run", join(dir, "absent.json"), "--via-server"], { AWS_ENDPOINT_URL: emulator.url });
    assert.equal(viaEnv.code, 2);
    assert.match(viaEnv.stderr, /cannot read task definition .*absent\.json: no such file/);
  });

  test("an endpoint that is down: exit 1 naming it", async () => {
    const file = await writeTaskdef("down", [container("registry/good")]);
    const r = await runCli(["run", file, "--via-server", "--endpoint", "http://127.0.0.1:1"]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, "ecs-pull: the emulator at http://127.0.0.1:1 is unreachable (ECONNREFUSED); start it with `ecs-pull serve` or check --endpoint\n");
  });

  test("an endpoint that is not an ecs-pull emulator: exit 1 saying so", async () => {
    const other = createServer((_req, res) => res.writeHead(404, { "content-type": "text/plain" }).end("Not Found")).listen(0, "127.0.0.1");
    await new Promise((resolve) => other.once("listening", resolve));
    try {
      const endpoint = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
      const r = await runCli(["run", await writeTaskdef("other", [container("registry/good")]), "--via-server", "--endpoint", endpoint]);
      assert.equal(r.code, 1);
      assert.equal(r.stderr, `ecs-pull: the endpoint ${endpoint} is not an ecs-pull emulator (it answered HTTP 404 Not Found); --via-server needs \`ecs-pull serve\` there\n`);
    } finally {
      other.close();
    }
  });

  test("a bad key, and a role session's key (not an admin key): exit 1 with the emulator's AWS message", async () => {
    const file = await writeTaskdef("keys", [container("registry/good")]);
    const bad = await runCli(["run", file, "--via-server", "--endpoint", emulator.url], { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "wrong" });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^ecs-pull: the ecs-pull emulator at .* refused the run: InvalidSignatureException: The request signature we calculated does not match/);
    const session = await roleSessionKeys(emulator.url, ROLE, "ci");
    const env = { AWS_ACCESS_KEY_ID: session.accessKeyId, AWS_SECRET_ACCESS_KEY: session.secretAccessKey, AWS_SESSION_TOKEN: session.sessionToken };
    const refused = await runCli(["run", file, "--via-server", "--endpoint", emulator.url], env);
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /^ecs-pull: the ecs-pull emulator at .* refused the run: AccessDeniedException: User: arn:aws:sts::000000000000:assumed-role\/ecsTaskExecutionRole\/ci is not authorized to perform: EcsPullInternal:RunAgentTask/,
    );
  });

  test("the server's machine failing (its Docker engine): exit 1 with the EnvironmentError's message", async () => {
    const message = "No Docker engine answered at unix:///nowhere.sock: run `npm run env:up` or set DOCKER_HOST";
    const fail = async () => {
      throw new EnvironmentError(message);
    };
    await using broken = await startEmulator({ port: 0, ecs: { engine: { inspectDistribution: fail, pullImage: fail, hasImage: fail, createContainer: fail, tagImage: fail } } });
    const r = await runCli(["run", await writeTaskdef("no-engine", [{ name: "app", image, essential: true }]), "--via-server", "--endpoint", broken.url]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `ecs-pull: ${message}\n`);
  });
});
