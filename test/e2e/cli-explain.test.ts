// `ecs-pull explain` end to end: the real command against the emulator over HTTP, no Docker (nothing is pulled).
// Exit codes as run's, the IAM decision by statement in human and JSON output, and no secret value anywhere.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { startEmulator } from "../../emulator/server.ts";
import { runCli } from "../support/cli.ts";

const CANARY = "canary-Pw-91c0ffee";
const admin = { accessKeyId: "test", secretAccessKey: "test" };
const doc = (Statement: unknown) => JSON.stringify({ Version: "2012-10-17", Statement });
let emulator: Awaited<ReturnType<typeof startEmulator>>;
let dir: string;
let arn = "";

async function role(name: string, trustService: string, resource: string): Promise<string> {
  const iam = new IAMClient({ endpoint: emulator.url, region: "us-east-1", credentials: admin });
  const out = await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: doc([{ Effect: "Allow", Principal: { Service: trustService }, Action: "sts:AssumeRole" }]) }));
  await iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: "read", PolicyDocument: doc([{ Sid: "ReadRegistry", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: resource }]) }));
  iam.destroy();
  return out.Role!.Arn!;
}

async function taskdef(name: string, executionRoleArn: string, credentialsParameter = arn): Promise<string> {
  const path = join(dir, `${name}.json`);
  await writeFile(path, JSON.stringify({ family: name, executionRoleArn, containerDefinitions: [{ name: "app", image: "127.0.0.1:1/team/app:1", repositoryCredentials: { credentialsParameter } }] }));
  return path;
}

const explain = (file: string, ...flags: string[]) => runCli(["explain", file, "--endpoint", emulator.url, ...flags]);

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "ecs-pull-explain-"));
  emulator = await startEmulator({ port: 0 });
  const sm = new SecretsManagerClient({ endpoint: emulator.url, region: "us-east-1", credentials: admin });
  arn = (await sm.send(new CreateSecretCommand({ Name: "registry/creds", SecretString: JSON.stringify({ username: "u", password: CANARY }) }))).ARN!;
  sm.destroy();
});

after(async () => {
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("ecs-pull explain", () => {
  test("everything up to the pull passes: exit 0, the allowing statement, nothing pulled", async () => {
    const file = await taskdef("ok", await role("exec-ok", "ecs-tasks.amazonaws.com", `${arn.slice(0, -7)}-??????`));
    const r = await explain(file, "--json");
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.run.result, "RUNNING");
    assert.deepEqual(out.run.trace.map((s: { step: string }) => s.step), ["register", "place", "assume-role", "credentials", "parse", "start"]);
    assert.match(out.secrets[0].explanation.text, /^Allowed: .* by identity-based policy "read" \(inline\), statement 0 \(Sid "ReadRegistry"\)/);
    assert.ok(!r.stdout.includes(CANARY) && !r.stderr.includes(CANARY));
  });

  test("missing suffix: exit 5, the statement to change and the -?????? hint (human)", async () => {
    const file = await taskdef("suffix", await role("exec-suffix", "ecs-tasks.amazonaws.com", arn.slice(0, -7)));
    const r = await explain(file);
    assert.equal(r.code, 5, r.stderr);
    assert.match(r.stdout, /Diagnosis \(cred-missing-suffix, step credentials\)/);
    assert.match(r.stdout, /Why \(IAM policy evaluation\):/);
    assert.ok(r.stdout.includes(`"${arn.slice(0, -7)}-??????"`), r.stdout);
    assert.ok(!r.stdout.includes(CANARY));
  });

  test("bare name, secret in another region: exit 5, cred-wrong-region, the fix names the full ARN (as run and the catalogue)", async () => {
    const sm = new SecretsManagerClient({ endpoint: emulator.url, region: "eu-west-1", credentials: admin });
    const west = (await sm.send(new CreateSecretCommand({ Name: "registry/west", SecretString: JSON.stringify({ username: "u", password: CANARY }) }))).ARN!;
    sm.destroy();
    const file = await taskdef("west", await role("exec-west", "ecs-tasks.amazonaws.com", "*"), "registry/west");
    const r = await explain(file, "--json");
    assert.equal(r.code, 5, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.match(out.run.task.stoppedReason, /ResourceNotFoundException: Secrets Manager can't find the specified secret\.$/);
    assert.equal(out.run.diagnosis.failureCode, "cred-wrong-region");
    assert.ok(out.run.diagnosis.fix.startsWith(`Set credentialsParameter to the full ARN ${west} `), out.run.diagnosis.fix);
    assert.ok(!r.stdout.includes(CANARY) && !r.stderr.includes(CANARY));
  });

  test("untrusted role: exit 4, RunTask's ClientException", async () => {
    const file = await taskdef("untrusted", await role("exec-ec2", "ec2.amazonaws.com", "*"));
    const r = await explain(file);
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stdout, /Not placed {2}ClientException: ECS was unable to assume the role 'arn:aws:iam::000000000000:role\/exec-ec2' that was provided for this task\./);
  });

  test("bad --iam-check value: usage error, exit 2", async () => {
    const r = await runCli(["explain", "x.json", "--iam-check", "maybe"]);
    assert.equal(r.code, 2);
  });
});
