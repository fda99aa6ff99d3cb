// `ecs-pull scenario export` as a user runs it: a world built by hand against a started emulator through the real
// SDK (a secret whose value holds a canary password, an execution role whose policy names the secret without its
// -?????? suffix, a task definition), a task run there that fails; `scenario export --endpoint` writes a scenario
// file; `scenario run FILE` rebuilds the world from scratch and gets the same outcome (exit 0, passed). A family
// with no stopped task exports as a pending scenario. The canary is in no exported file and no output.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { DescribeTasksCommand, ECSClient, RegisterTaskDefinitionCommand, RunTaskCommand } from "@aws-sdk/client-ecs";
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { parse } from "yaml";
import { fastRetryPolicies } from "../../agent-sim/index.ts";
import { startEmulator, type StartedEmulator } from "../../emulator/index.ts";
import { RegistryFixture, type StartedRegistry } from "../../registry-fixture/index.ts";
import { runCli, type CliResult } from "../support/cli.ts";

const ACCOUNT = "345678901234";
const REGION = "eu-central-1";
const CANARY = "canary-Export-pw-2b8d";
const admin = { accessKeyId: "test", secretAccessKey: "test" };
const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }] };

describe("ecs-pull scenario export → scenario run: the hand-built world reproduces", { timeout: 300_000 }, () => {
  let emulator: StartedEmulator;
  let registry: StartedRegistry;
  let ecs: ECSClient, sm: SecretsManagerClient, iam: IAMClient;
  const dir = mkdtempSync(join(tmpdir(), "ecs-pull-export-"));
  const outputs: string[] = [];
  const env = { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" };
  const cli = async (args: string[]): Promise<CliResult> => {
    const r = await runCli(args, env);
    outputs.push(r.stdout, r.stderr);
    return r;
  };

  before(async () => {
    registry = await new RegistryFixture().withBcryptCost(4).withUser("alice", CANARY).start();
    const image = (await registry.pushImage({ repository: "team/web", tag: "v2", layers: 1, layerSize: 2048, seed: "export" })).reference;
    emulator = await startEmulator({ port: 0, defaultAccount: ACCOUNT, defaultRegion: REGION, ecs: { pullRetry: fastRetryPolicies.pullRetry, manifestRetry: fastRetryPolicies.manifestRetry } });
    const config = { endpoint: emulator.url, region: REGION, credentials: admin };
    ecs = new ECSClient(config);
    sm = new SecretsManagerClient(config);
    iam = new IAMClient({ ...config, region: "us-east-1" });
    const secretArn = (await sm.send(new CreateSecretCommand({ Name: "web/registry", SecretString: JSON.stringify({ username: "alice", password: CANARY }) }))).ARN!;
    await iam.send(new CreateRoleCommand({ RoleName: "webExecutionRole", AssumeRolePolicyDocument: JSON.stringify(trust) }));
    // The classic mistake: the secret's ARN without its random -?????? suffix.
    const policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secretArn.slice(0, -7) }] };
    await iam.send(new PutRolePolicyCommand({ RoleName: "webExecutionRole", PolicyName: "read-registry", PolicyDocument: JSON.stringify(policy) }));
    for (const family of ["web", "never-run"]) {
      await ecs.send(new RegisterTaskDefinitionCommand({
        family,
        executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/webExecutionRole`,
        containerDefinitions: [{ name: "web", image, memory: 128, essential: true, repositoryCredentials: { credentialsParameter: secretArn } }],
      }));
    }
  });

  after(async () => {
    await emulator?.emulator.ecs.idle();
    for (const c of [ecs, sm, iam]) c?.destroy();
    await emulator?.close();
    await registry?.stop();
  });

  it("a failed task's world exports; scenario run FILE reproduces its stoppedReason (exit 0)", async () => {
    const arn = (await ecs.send(new RunTaskCommand({ taskDefinition: "web", launchType: "EC2" }))).tasks![0]!.taskArn!;
    await emulator.emulator.ecs.idle();
    const task = (await ecs.send(new DescribeTasksCommand({ tasks: [arn] }))).tasks![0]!;
    assert.equal(task.lastStatus, "STOPPED");
    assert.match(task.stoppedReason ?? "", /AccessDeniedException/);

    const file = join(dir, "web.yaml");
    const exported = await cli(["scenario", "export", "--endpoint", emulator.url, "--region", REGION, "--task-definition", "web", "-o", file]);
    assert.equal(exported.code, 0, exported.stdout + exported.stderr);
    assert.match(exported.stdout, /wrote .*web\.yaml/);
    const text = readFileSync(file, "utf8");
    outputs.push(text);
    assert.match(text, /^# Exported from http:\/\/127\.0\.0\.1:\d+/m);
    const scenario = parse(text);
    assert.equal(scenario.world.accounts.main.id, ACCOUNT);
    assert.equal(scenario.runs[0].launch.region, REGION);
    assert.match(scenario.runs[0].expect.stoppedReason, /^Asm fetching secret from the service for \{secretArn:web\/registry\}: .*AccessDeniedException/);
    assert.equal(scenario.pending, undefined);

    const run = await cli(["scenario", "run", file, "--fast", "--json"]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const report = JSON.parse(run.stdout);
    assert.equal(report.summary.passed, 1);
    assert.equal(report.scenarios[0].runs[0].actual.stoppedReason.includes("AccessDeniedException"), true, JSON.stringify(report.scenarios[0].runs[0].actual));
  });

  it("a family with no stopped task exports as a pending scenario, which scenario run skips", async () => {
    const file = join(dir, "never-run.yaml");
    const exported = await cli(["scenario", "export", "--endpoint", emulator.url, "--region", REGION, "--task-definition", "never-run", "-o", file]);
    assert.equal(exported.code, 0, exported.stderr);
    const text = readFileSync(file, "utf8");
    outputs.push(text);
    assert.match(parse(text).pending, /has not run/);
    const run = await cli(["scenario", "run", file, "--fast"]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /pending/);
  });

  it("bad input: no such task definition, --json error shape (exit 2); an endpoint that does not answer (exit 1)", async () => {
    const missing = await cli(["scenario", "export", "--endpoint", emulator.url, "--region", REGION, "--task-definition", "no-such-family", "--json"]);
    assert.equal(missing.code, 2, missing.stdout + missing.stderr);
    const error = JSON.parse(missing.stdout).error;
    assert.equal(error.code, "USAGE");
    assert.equal(error.exitCode, 2);
    assert.match(error.message, /DescribeTaskDefinition no-such-family: AWS refused: ClientException/);
    const down = await cli(["scenario", "export", "--endpoint", "http://127.0.0.1:9", "--region", REGION, "--task-definition", "web", "--json"]);
    assert.equal(down.code, 1, down.stdout + down.stderr);
    assert.equal(JSON.parse(down.stdout).error.code, "ENVIRONMENT");
  });

  it("the canary is in no exported file and no output", () => {
    for (const o of outputs) assert.ok(!o.includes(CANARY), "the canary leaked");
  });
});
