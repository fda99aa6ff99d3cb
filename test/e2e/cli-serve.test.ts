// `ecs-pull serve` end to end: it listens, answers a real SDK call, applies --ecs-instance, refuses bad values.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createServer } from "node:net";
import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { runCli, startServe } from "../support/cli.ts";

const AWS_CLI = process.env.ECS_PULL_AWS_CLI ?? "/usr/bin/aws";

const serve = (args: string[]) => startServe(args);

test("serve: a real SDK client creates and reads a secret; SIGTERM stops it", async () => {
  const server = await serve([]);
  try {
    const sm = new SecretsManagerClient({ endpoint: server.url, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    await sm.send(new CreateSecretCommand({ Name: "serve/check", SecretString: "{}" }));
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: "serve/check" }))).SecretString, "{}");
    sm.destroy();
  } finally {
    await server.stop();
  }
});

test("serve --ecs-instance: the cluster's instance runs the given agent (the real AWS CLI asks)", async () => {
  const server = await serve(["--ecs-instance", "default:1.18.0", "--no-ui"]);
  try {
    const env = { ...process.env, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_DEFAULT_REGION: "us-east-1", AWS_CONFIG_FILE: "/dev/null" };
    const aws = (...args: string[]) => JSON.parse(execFileSync(AWS_CLI, ["--endpoint-url", server.url, "--output", "json", ...args], { env, encoding: "utf8" }));
    const arns: string[] = aws("ecs", "list-container-instances", "--cluster", "default").containerInstanceArns;
    assert.equal(arns.length, 1);
    const described = aws("ecs", "describe-container-instances", "--cluster", "default", "--container-instances", arns[0]!);
    const instance = described.containerInstances[0];
    assert.equal(instance.versionInfo.agentVersion, "1.18.0");
    const names = instance.attributes.map((a: { name: string }) => a.name);
    assert.ok(!names.includes("ecs.capability.private-registry-authentication.secretsmanager"));
  } finally {
    await server.stop();
  }
});

test("serve --log errors: a refused policy is logged with the precise reason AWS's text leaves out", async () => {
  const server = await serve(["--no-ui"]);
  try {
    const env = { ...process.env, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_DEFAULT_REGION: "us-east-1", AWS_CONFIG_FILE: "/dev/null" };
    const aws = (...args: string[]) => execFileSync(AWS_CLI, ["--endpoint-url", server.url, ...args], { env, encoding: "utf8", stdio: "pipe" });
    const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }] });
    aws("iam", "create-role", "--role-name", "logged", "--assume-role-policy-document", trust);
    const bad = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "allow", Action: "secretsmanager:GetSecretValue", Resource: "*" }] });
    assert.throws(() => aws("iam", "put-role-policy", "--role-name", "logged", "--policy-name", "p", "--policy-document", bad), /The policy failed legacy parsing/);
    await new Promise((r) => setTimeout(r, 200));
    assert.match(server.output(), /iam\.PutRolePolicy .*→ 400 MalformedPolicyDocument/);
    assert.match(server.output(), /Effect/);
    assert.doesNotMatch(server.output(), /iam\.CreateRole/, "successful calls are not logged at --log errors");
  } finally {
    await server.stop();
  }
});

test("serve: bad --ecs-instance, bad --port and a port in use are usage errors (exit 2)", async () => {
  assert.equal((await runCli(["serve", "--ecs-instance", "default:banana"])).code, 2);
  assert.equal((await runCli(["serve", "--port", "70000"])).code, 2);
  assert.equal((await runCli(["serve", "--log", "loud"])).code, 2);
  const busy = createServer();
  await new Promise<void>((r) => busy.listen(0, "127.0.0.1", r));
  const port = (busy.address() as { port: number }).port;
  const r = await runCli(["serve", "--port", String(port)]);
  busy.close();
  assert.equal(r.code, 2);
  assert.match(r.stderr, /already in use/);
});
