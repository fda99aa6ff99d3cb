// Rotation, version stages and the account option, driven by the real @aws-sdk/client-secrets-manager and the real
// AWS CLI v2 against the emulator: RotateSecret with command, URL and built-in rotation functions (registered at
// start only), CancelRotateSecret, DescribeSecret's rotation members, ListSecretVersionIds, UpdateSecretVersionStage,
// and AWS's 4xx for bad input. A canary secret value must never reach the emulator's log.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import {
  CancelRotateSecretCommand,
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  RotateSecretCommand,
  type RotateSecretCommandInput,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from "@aws-sdk/client-secrets-manager";
import { rotationFunctionsOf, parseAccount } from "../../cli/commands/serve.ts";
import { UsageError } from "../../cli/exit-codes.ts";
import { type EmulatorLogEntry, type StartedEmulator, startEmulator } from "../../emulator/index.ts";
import { validationErrorText, ValidationConstraint } from "../../aws/texts.ts";
import { registryRotationFunction } from "../../emulator/services/secretsmanager/registry-rotation.ts";
import { commandFunction, type RotationFunction, urlFunction } from "../../emulator/services/secretsmanager/rotation-functions.ts";
import { RotationText, VersionStageText, rotationFunctionNotFoundText } from "../../emulator/services/secretsmanager/texts.ts";
import { failure } from "../unit/sdk-failure.ts";

const AWS_CLI = "/usr/bin/aws";
const ACCOUNT = "123456789012";
const fn = (name: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;
const CANARY = "canary-Zq81-never-logged";

let emulator: StartedEmulator;
let sm: SecretsManagerClient;
let dir: string;
let hook: Server;
let hookUrl: string;
const hookEvents: { Step: string; SecretId: string; ClientRequestToken: string }[] = [];
let hookFailStep: string | undefined;
const registryPasswords = new Map<string, string>();
const log: EmulatorLogEntry[] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "ecs-pull-rotation-"));
  hook = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      const event = JSON.parse(body) as (typeof hookEvents)[number];
      hookEvents.push(event);
      res.statusCode = event.Step === hookFailStep ? 500 : 200;
      res.end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, "127.0.0.1", r));
  hookUrl = `http://127.0.0.1:${(hook.address() as { port: number }).port}/rotate`;
  const functions = new Map<string, RotationFunction>([
    [fn("record"), commandFunction(`cat >> ${join(dir, "events.jsonl")}; printf '\\n' >> ${join(dir, "events.jsonl")}; printf '%s %s\\n' "$ECS_PULL_ROTATION_STEP" "$AWS_ENDPOINT_URL" >> ${join(dir, "env.txt")}`)],
    [fn("fails"), commandFunction("exit 3")],
    [fn("hook"), urlFunction(hookUrl)],
    [fn("registry"), registryRotationFunction({ setPassword: async (u, p) => void registryPasswords.set(u, p) })],
    [fn("registry-stale"), registryRotationFunction()],
  ]);
  emulator = await startEmulator({ port: 0, defaultAccount: ACCOUNT, rotationFunctions: functions, log: (e) => log.push(e) });
  sm = new SecretsManagerClient({ endpoint: emulator.url, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
});

after(async () => {
  sm.destroy();
  await emulator.close();
  await new Promise<void>((r) => hook.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

const creds = (password: string) => JSON.stringify({ username: "alice", password });

describe("serve --account and the defaultAccount option", () => {
  it("ARNs carry the configured account", async () => {
    const created = await sm.send(new CreateSecretCommand({ Name: "acct/one", SecretString: "x" }));
    assert.match(created.ARN!, new RegExp(`^arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:acct/one-[A-Za-z0-9]{6}$`));
  });

  it("--account and --rotation-function refuse malformed values with a UsageError", () => {
    assert.equal(parseAccount("000011112222"), "000011112222");
    for (const bad of ["12345", "abcdefghijkl", "1234567890123", ""]) assert.throws(() => parseAccount(bad), UsageError);
    assert.throws(() => rotationFunctionsOf(["not-an-arn=./x.sh"]), UsageError);
    assert.throws(() => rotationFunctionsOf([`${fn("a")}=`]), UsageError);
    assert.throws(() => rotationFunctionsOf([`${fn("a")}=builtin:nope`]), /no built-in function "builtin:nope"/);
    assert.throws(() => rotationFunctionsOf([`${fn("a")}=x`, `${fn("a")}=y`]), /registered twice/);
    const parsed = rotationFunctionsOf([`${fn("a")}=./rotate.sh`, `${fn("b")}=http://127.0.0.1:9/x`, `${fn("c")}=builtin:registry-not-propagated`]);
    assert.deepEqual([...parsed.values()].map((f) => f.description), ["command ./rotate.sh", "URL http://127.0.0.1:9/x", "built-in registry rotation (the registry is not updated)"]);
  });
});

describe("version stages", () => {
  it("ListSecretVersionIds pages, hides deprecated versions unless asked, and UpdateSecretVersionStage rolls AWSCURRENT back", async () => {
    const v1 = await sm.send(new CreateSecretCommand({ Name: "stages/app", SecretString: creds("one") }));
    const v2 = await sm.send(new PutSecretValueCommand({ SecretId: "stages/app", SecretString: creds("two") }));
    const v3 = await sm.send(new PutSecretValueCommand({ SecretId: "stages/app", SecretString: creds("three") }));
    const all = await sm.send(new ListSecretVersionIdsCommand({ SecretId: "stages/app" }));
    assert.deepEqual(all.Versions!.map((v) => [v.VersionId, v.VersionStages]), [[v2.VersionId, ["AWSPREVIOUS"]], [v3.VersionId, ["AWSCURRENT"]]]);
    assert.equal(all.ARN, v1.ARN);
    const withDeprecated = await sm.send(new ListSecretVersionIdsCommand({ SecretId: "stages/app", IncludeDeprecated: true, MaxResults: 2 }));
    assert.deepEqual(withDeprecated.Versions!.map((v) => v.VersionId), [v1.VersionId, v2.VersionId]);
    assert.equal(withDeprecated.Versions![0]!.VersionStages, undefined, "a deprecated version has no VersionStages");
    assert.ok(withDeprecated.Versions![0]!.CreatedDate instanceof Date);
    const page2 = await sm.send(new ListSecretVersionIdsCommand({ SecretId: "stages/app", IncludeDeprecated: true, MaxResults: 2, NextToken: withDeprecated.NextToken! }));
    assert.deepEqual(page2.Versions!.map((v) => v.VersionId), [v3.VersionId]);
    assert.equal(page2.NextToken, undefined);
    const badToken = await failure(sm.send(new ListSecretVersionIdsCommand({ SecretId: "stages/app", NextToken: "bogus" })));
    assert.equal(badToken.name, "InvalidNextTokenException");

    // Roll back: AWSCURRENT to v2, and AWSPREVIOUS follows to v3 (the version AWSCURRENT left).
    const moveWithoutRemove = await failure(sm.send(new UpdateSecretVersionStageCommand({ SecretId: "stages/app", VersionStage: "AWSCURRENT", MoveToVersionId: v2.VersionId })));
    assert.equal(moveWithoutRemove.name, "InvalidParameterException");
    assert.equal(moveWithoutRemove.message, VersionStageText.removeFromRequired("AWSCURRENT", v3.VersionId!));
    await sm.send(new UpdateSecretVersionStageCommand({ SecretId: "stages/app", VersionStage: "AWSCURRENT", MoveToVersionId: v2.VersionId, RemoveFromVersionId: v3.VersionId }));
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: "stages/app" }))).SecretString, creds("two"));
    const described = await sm.send(new DescribeSecretCommand({ SecretId: "stages/app" }));
    assert.deepEqual(described.VersionIdsToStages, { [v2.VersionId!]: ["AWSCURRENT"], [v3.VersionId!]: ["AWSPREVIOUS"] });

    // A custom label: put on, moved, removed.
    await sm.send(new UpdateSecretVersionStageCommand({ SecretId: "stages/app", VersionStage: "blue", MoveToVersionId: v1.VersionId }));
    const notThere = await failure(sm.send(new UpdateSecretVersionStageCommand({ SecretId: "stages/app", VersionStage: "blue", RemoveFromVersionId: v2.VersionId })));
    assert.equal(notThere.message, VersionStageText.stageNotOnVersion("blue", v2.VersionId!));
    await sm.send(new UpdateSecretVersionStageCommand({ SecretId: "stages/app", VersionStage: "blue", RemoveFromVersionId: v1.VersionId }));
    const noVersion = await failure(sm.send(new UpdateSecretVersionStageCommand({ SecretId: "stages/app", VersionStage: "blue", MoveToVersionId: "0".repeat(32) })));
    assert.equal(noVersion.message, VersionStageText.notAValidVersion("0".repeat(32)));
    const dropCurrent = await failure(sm.send(new UpdateSecretVersionStageCommand({ SecretId: "stages/app", VersionStage: "AWSCURRENT", RemoveFromVersionId: v2.VersionId })));
    assert.equal(dropCurrent.message, VersionStageText.currentMustStay);
    const shortId = await failure(sm.send(new UpdateSecretVersionStageCommand({ SecretId: "stages/app", VersionStage: "blue", MoveToVersionId: "short" })));
    assert.equal(shortId.name, "ValidationException");
    assert.equal(shortId.$metadata.httpStatusCode, 400);
  });
});

describe("rotation", () => {
  it("the built-in registry function rotates the password, tells the registry, and DescribeSecret shows the rotation", async () => {
    await sm.send(new CreateSecretCommand({ Name: "rot/registry", SecretString: creds(CANARY) }));
    const rotated = await sm.send(new RotateSecretCommand({ SecretId: "rot/registry", RotationLambdaARN: fn("registry"), RotationRules: { AutomaticallyAfterDays: 30 } }));
    assert.match(rotated.VersionId!, /^[0-9a-f-]{36}$/);
    const current = await sm.send(new GetSecretValueCommand({ SecretId: "rot/registry" }));
    assert.equal(current.VersionId, rotated.VersionId);
    assert.deepEqual([...current.VersionStages!].sort(), ["AWSCURRENT", "AWSPENDING"], "AWSPENDING stays on the new AWSCURRENT (a finished rotation)");
    const value = JSON.parse(current.SecretString!) as { username: string; password: string };
    assert.equal(value.username, "alice");
    assert.match(value.password, /^[A-Za-z0-9]{32}$/);
    assert.equal(registryPasswords.get("alice"), value.password, "setSecret gave the registry the new password");
    const previous = await sm.send(new GetSecretValueCommand({ SecretId: "rot/registry", VersionStage: "AWSPREVIOUS" }));
    assert.equal(previous.SecretString, creds(CANARY));
    const d = await sm.send(new DescribeSecretCommand({ SecretId: "rot/registry" }));
    assert.equal(d.RotationEnabled, true);
    assert.equal(d.RotationLambdaARN, fn("registry"));
    assert.deepEqual(d.RotationRules, { AutomaticallyAfterDays: 30 });
    assert.ok(d.LastRotatedDate instanceof Date);
    assert.equal(d.NextRotationDate!.getTime() - d.LastRotatedDate!.getTime(), 30 * 86_400_000);

    // Rotating again (same function, stored rules) works: AWSPENDING sat on AWSCURRENT's version.
    const again = await sm.send(new RotateSecretCommand({ SecretId: "rot/registry" }));
    assert.notEqual(again.VersionId, rotated.VersionId);
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: "rot/registry" }))).VersionId, again.VersionId);

    const cancelled = await sm.send(new CancelRotateSecretCommand({ SecretId: "rot/registry" }));
    assert.equal(cancelled.VersionId, undefined, "no rotation was left unfinished");
    const after = await sm.send(new DescribeSecretCommand({ SecretId: "rot/registry" }));
    assert.equal(after.RotationEnabled, false);
    assert.equal(after.NextRotationDate, undefined);
    assert.equal(after.RotationLambdaARN, fn("registry"));
  });

  it("the stale built-in function changes the secret but not the registry", async () => {
    registryPasswords.clear();
    await sm.send(new CreateSecretCommand({ Name: "rot/stale", SecretString: creds("old-password") }));
    await sm.send(new RotateSecretCommand({ SecretId: "rot/stale", RotationLambdaARN: fn("registry-stale"), RotationRules: { ScheduleExpression: "rate(10 days)", Duration: "3h" } }));
    const value = JSON.parse((await sm.send(new GetSecretValueCommand({ SecretId: "rot/stale" }))).SecretString!) as { password: string };
    assert.notEqual(value.password, "old-password");
    assert.equal(registryPasswords.size, 0);
    const d = await sm.send(new DescribeSecretCommand({ SecretId: "rot/stale" }));
    assert.deepEqual(d.RotationRules, { ScheduleExpression: "rate(10 days)", Duration: "3h" });
    assert.equal(d.NextRotationDate!.getTime() - d.LastRotatedDate!.getTime(), 10 * 86_400_000);
  });

  it("a command function gets the four steps with the event on stdin and the endpoint in its environment", async () => {
    const created = await sm.send(new CreateSecretCommand({ Name: "rot/command", SecretString: "v" }));
    const token = "a".repeat(40);
    const out = await sm.send(new RotateSecretCommand({ SecretId: "rot/command", RotationLambdaARN: fn("record"), ClientRequestToken: token }));
    assert.equal(out.VersionId, token);
    const events = readFileSync(join(dir, "events.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, string>);
    assert.deepEqual(events, ["createSecret", "setSecret", "testSecret", "finishSecret"].map((Step) => ({ Step, SecretId: created.ARN, ClientRequestToken: token })));
    const env = readFileSync(join(dir, "env.txt"), "utf8").trim().split("\n");
    assert.deepEqual(env, ["createSecret", "setSecret", "testSecret", "finishSecret"].map((s) => `${s} ${emulator.url}`));
    // The function did nothing: AWSPENDING is left on an empty version, and a new rotation is refused.
    const pending = await failure(sm.send(new GetSecretValueCommand({ SecretId: "rot/command", VersionStage: "AWSPENDING" })));
    assert.equal(pending.name, "ResourceNotFoundException");
    const d = await sm.send(new DescribeSecretCommand({ SecretId: "rot/command" }));
    assert.deepEqual(d.VersionIdsToStages![token], ["AWSPENDING"]);
    assert.equal(d.RotationEnabled, false, "no RotationRules: automatic rotation stays off");
    assert.equal(d.LastRotatedDate, undefined);
    const busy = await failure(sm.send(new RotateSecretCommand({ SecretId: "rot/command" })));
    assert.equal(busy.name, "InvalidRequestException");
    assert.equal(busy.message, RotationText.previousRotationInProgress);
    const cancelled = await sm.send(new CancelRotateSecretCommand({ SecretId: "rot/command" }));
    assert.equal(cancelled.VersionId, token);
    // Clearing AWSPENDING (the documented fix) lets a rotation start again.
    await sm.send(new UpdateSecretVersionStageCommand({ SecretId: "rot/command", VersionStage: "AWSPENDING", RemoveFromVersionId: token }));
    await sm.send(new RotateSecretCommand({ SecretId: "rot/command", RotationLambdaARN: fn("fails") }));
  });

  it("a URL function is POSTed each step; a failing step stops the rotation with AWSPENDING left", async () => {
    hookEvents.length = 0;
    hookFailStep = "setSecret";
    await sm.send(new CreateSecretCommand({ Name: "rot/hook", SecretString: "v" }));
    const out = await sm.send(new RotateSecretCommand({ SecretId: "rot/hook", RotationLambdaARN: fn("hook"), RotationRules: { AutomaticallyAfterDays: 1 } }));
    assert.deepEqual(hookEvents.map((e) => e.Step), ["createSecret", "setSecret"]);
    const d = await sm.send(new DescribeSecretCommand({ SecretId: "rot/hook" }));
    assert.deepEqual(d.VersionIdsToStages![out.VersionId!], ["AWSPENDING"]);
    assert.equal(d.RotationEnabled, true);

    // RotateImmediately=false: only testSecret, and the test version is removed again.
    hookEvents.length = 0;
    hookFailStep = undefined;
    await sm.send(new CreateSecretCommand({ Name: "rot/later", SecretString: "v" }));
    const later = await sm.send(new RotateSecretCommand({ SecretId: "rot/later", RotationLambdaARN: fn("hook"), RotationRules: { AutomaticallyAfterDays: 7 }, RotateImmediately: false }));
    assert.deepEqual(hookEvents.map((e) => e.Step), ["testSecret"]);
    const dl = await sm.send(new DescribeSecretCommand({ SecretId: "rot/later" }));
    assert.equal(dl.VersionIdsToStages![later.VersionId!], undefined);
    assert.equal(dl.LastRotatedDate, undefined);
    assert.ok(dl.NextRotationDate instanceof Date);
  });

  it("bad input gets AWS's 4xx: days out of 1–1000, a token of the wrong length, no or unknown function", async () => {
    await sm.send(new CreateSecretCommand({ Name: "rot/bad", SecretString: "v" }));
    const cases: [RotateSecretCommandInput, string, string][] = [
      [{ SecretId: "rot/bad", RotationLambdaARN: fn("registry"), RotationRules: { AutomaticallyAfterDays: 0 } }, "ValidationException", validationErrorText("rotationRules.automaticallyAfterDays", ValidationConstraint.minValue(1), "0")],
      [{ SecretId: "rot/bad", RotationLambdaARN: fn("registry"), RotationRules: { AutomaticallyAfterDays: 1001 } }, "ValidationException", validationErrorText("rotationRules.automaticallyAfterDays", ValidationConstraint.maxValue(1000), "1001")],
      [{ SecretId: "rot/bad", RotationLambdaARN: fn("registry"), ClientRequestToken: "x".repeat(31) }, "ValidationException", validationErrorText("clientRequestToken", ValidationConstraint.minLength(32), "x".repeat(31))],
      [{ SecretId: "rot/bad", RotationLambdaARN: fn("registry"), ClientRequestToken: "x".repeat(65) }, "ValidationException", validationErrorText("clientRequestToken", ValidationConstraint.maxLength(64), "x".repeat(65))],
      [{ SecretId: "rot/bad", RotationLambdaARN: fn("registry"), RotationRules: { AutomaticallyAfterDays: 3, ScheduleExpression: "rate(3 days)" } }, "InvalidParameterException", RotationText.rulesBothSchedules],
      [{ SecretId: "rot/bad", RotationLambdaARN: fn("registry"), RotationRules: { ScheduleExpression: "every day" } }, "InvalidParameterException", RotationText.scheduleExpressionInvalid],
      [{ SecretId: "rot/bad", RotationLambdaARN: fn("registry"), RotationRules: { ScheduleExpression: "rate(1 day)", Duration: "99h" } }, "InvalidParameterException", RotationText.durationRange],
      [{ SecretId: "rot/bad" }, "InvalidRequestException", RotationText.noRotationFunction],
      [{ SecretId: "rot/bad", RotationLambdaARN: fn("nowhere") }, "ResourceNotFoundException", rotationFunctionNotFoundText(fn("nowhere"))],
    ];
    for (const [input, code, text] of cases) {
      const error = await failure(sm.send(new RotateSecretCommand(input)));
      assert.equal(error.name, code, JSON.stringify(input));
      assert.equal(error.message, text);
      assert.equal(error.$metadata.httpStatusCode, 400);
    }
    assert.equal((await sm.send(new DescribeSecretCommand({ SecretId: "rot/bad" }))).RotationEnabled, undefined, "refused calls configure nothing");
  });

  it("no secret value or drawn password reaches the emulator's log", () => {
    const text = JSON.stringify(log);
    assert.ok(!text.includes(CANARY));
    for (const p of registryPasswords.values()) assert.ok(!text.includes(p));
  });
});

describe("rotation and stages with the AWS CLI v2", () => {
  const skip = existsSync(AWS_CLI) ? false : `${AWS_CLI} is not installed`;

  it("rotate-secret, list-secret-version-ids, update-secret-version-stage, cancel-rotate-secret, get-random-password", { skip, timeout: 120_000 }, async () => {
    const run = promisify(execFile);
    const env = { ...process.env, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_DEFAULT_REGION: "us-east-1", AWS_PAGER: "", AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" };
    const aws = async (...args: string[]) => JSON.parse((await run(AWS_CLI, ["--endpoint-url", emulator.url, "--output", "json", "secretsmanager", ...args], { env, timeout: 30_000 })).stdout || "{}") as Record<string, unknown>;
    await sm.send(new CreateSecretCommand({ Name: "cli/rot", SecretString: creds("cli-old") }));
    const rotated = await aws("rotate-secret", "--secret-id", "cli/rot", "--rotation-lambda-arn", fn("registry-stale"), "--rotation-rules", '{"AutomaticallyAfterDays":5}');
    const listed = await aws("list-secret-version-ids", "--secret-id", "cli/rot");
    const versions = listed.Versions as { VersionId: string; VersionStages: string[] }[];
    assert.deepEqual(versions.find((v) => v.VersionId === rotated.VersionId)?.VersionStages.sort(), ["AWSCURRENT", "AWSPENDING"]);
    const old = versions.find((v) => v.VersionStages.includes("AWSPREVIOUS"))!;
    await aws("update-secret-version-stage", "--secret-id", "cli/rot", "--version-stage", "AWSCURRENT", "--move-to-version-id", old.VersionId, "--remove-from-version-id", rotated.VersionId as string);
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: "cli/rot" }))).SecretString, creds("cli-old"));
    await aws("cancel-rotate-secret", "--secret-id", "cli/rot");
    assert.equal((await aws("describe-secret", "--secret-id", "cli/rot")).RotationEnabled, false);
    const pw = await aws("get-random-password", "--password-length", "20", "--exclude-punctuation");
    assert.match(pw.RandomPassword as string, /^[A-Za-z0-9]{20}$/);
    const bad = await run(AWS_CLI, ["--endpoint-url", emulator.url, "secretsmanager", "rotate-secret", "--secret-id", "cli/rot", "--rotation-rules", '{"AutomaticallyAfterDays":1001}'], { env, timeout: 30_000 }).then(
      () => assert.fail("expected the CLI to fail"),
      (e: { stderr: string }) => e.stderr,
    );
    assert.match(bad, /ValidationException/);
  });
});
