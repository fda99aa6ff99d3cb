// Lines a new user found confusing, each fixed: "inferred" is explained once (with docs/fidelity.md) instead of
// `inferred: … (inferred)`; a standalone run names no service that does not exist; the suffix hint is not printed a
// second time as the Fix; `explain --help` gives explain's own meaning of exit 0 and no pull-stage code.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { type StartedEmulator, startEmulator } from "../../emulator/index.ts";
import { INFERRED_EXPLANATION } from "../../cli/render/human.ts";
import { EXIT } from "../../cli/exit-codes.ts";
import { runCli } from "../support/cli.ts";

const ROLE = "arn:aws:iam::000000000000:role/ecsTaskExecutionRole";
let dir: string;
let emulator: StartedEmulator;
let taskdef: string;
let secretArn: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "ecs-pull-lines-"));
  emulator = await startEmulator({ port: 0 });
  const config = { endpoint: emulator.url, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } };
  const sm = new SecretsManagerClient(config);
  secretArn = (await sm.send(new CreateSecretCommand({ Name: "registry/creds", SecretString: JSON.stringify({ username: "alice", password: "pw" }) }))).ARN!;
  const iam = new IAMClient(config);
  const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }] };
  await iam.send(new CreateRoleCommand({ RoleName: "ecsTaskExecutionRole", AssumeRolePolicyDocument: JSON.stringify(trust) }));
  // The mistake of cred-missing-suffix: the Resource is the secret's ARN without its -XXXXXX suffix.
  const withoutSuffix = secretArn.slice(0, -7);
  const policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: withoutSuffix }] };
  await iam.send(new PutRolePolicyCommand({ RoleName: "ecsTaskExecutionRole", PolicyName: "creds", PolicyDocument: JSON.stringify(policy) }));
  sm.destroy();
  iam.destroy();
  taskdef = join(dir, "taskdef.json");
  await writeFile(
    taskdef,
    JSON.stringify({
      family: "web",
      executionRoleArn: ROLE,
      requiresCompatibilities: ["EC2", "FARGATE"],
      networkMode: "awsvpc",
      cpu: "256",
      memory: "512",
      containerDefinitions: [{ name: "app", image: "127.0.0.1:5000/team/app:v1", essential: true, repositoryCredentials: { credentialsParameter: secretArn } }],
    }),
  );
});
after(async () => {
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("confusing lines, fixed", { timeout: 120_000 }, () => {
  test("inferred: said once, plainly, with docs/fidelity.md; no `inferred: … (inferred)`", async () => {
    const r = await runCli(["run", taskdef, "--launch-type", "FARGATE", "--platform-version", "1.1.0"]);
    assert.equal(r.code, EXIT.NOT_PLACED, r.stdout + r.stderr);
    assert.equal(r.stdout.split(INFERRED_EXPLANATION).length - 1, 1, r.stdout);
    assert.match(INFERRED_EXPLANATION, /docs\/fidelity\.md/);
    assert.ok(existsSync(new URL("../../docs/fidelity.md", import.meta.url)), "docs/fidelity.md is missing");
    assert.match(r.stdout, /^ {2}- RunTask's PlatformUnknownException text for this platform version is inferred/m);
    assert.doesNotMatch(r.stdout, /^inferred: /m);
    assert.doesNotMatch(r.stdout, /\(inferred\)\.?\n.*\(inferred\)\.?$/m);
  });

  test("a standalone run on an old agent names no service", async () => {
    const r = await runCli(["run", taskdef, "--agent-version", "1.18.0", "--endpoint", emulator.url]);
    assert.equal(r.code, EXIT.NOT_PLACED, r.stdout + r.stderr);
    assert.match(r.stdout, /RunTask failures: \[\{"arn":"arn:aws:ecs:us-east-1:000000000000:container-instance\/default\/[0-9a-f]{32}","reason":"ATTRIBUTE"\}\]/);
    assert.doesNotMatch(r.stdout, /my-service|service event/);
    const json = JSON.parse((await runCli(["run", taskdef, "--agent-version", "1.18.0", "--endpoint", emulator.url, "--json"])).stdout);
    assert.equal(json.placementFailure.serviceEvent, undefined);
  });

  test("cred-missing-suffix: the hint is the Fix, printed once", async () => {
    const r = await runCli(["run", taskdef, "--endpoint", emulator.url, "--fast"]);
    assert.equal(r.code, EXIT.CREDENTIALS, r.stdout + r.stderr);
    const fix = /^ {2}Fix: {3}(.*)$/m.exec(r.stdout)?.[1];
    assert.ok(fix, r.stdout);
    assert.match(fix, /without the 6-character suffix/);
    assert.equal(r.stdout.split(fix).length - 1, 1, `the fix is repeated:\n${r.stdout}`);
    assert.doesNotMatch(r.stdout, /Hint: /);
    assert.match(r.stdout, /Why \(IAM policy evaluation\):\n {4}Implicitly denied: /);
  });

  test("explain --help: 0 means everything up to the pull would pass; no pull-stage code", async () => {
    const help = (await runCli(["explain", "--help"])).stdout;
    assert.match(help, /^ {2}0 {2}everything up to the pull would pass/m);
    assert.doesNotMatch(help, /RUNNING|every image pulled|^ {2}6 {2}/m);
    assert.doesNotMatch(help, /Exit codes are those of run/);
  });
});
