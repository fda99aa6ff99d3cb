// The emulator's Secrets Manager driven by the real clients: @aws-sdk/client-secrets-manager (signed requests,
// its own serialisation, error classes) and, when installed, the AWS CLI v2.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  SecretsManagerClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
} from "@aws-sdk/client-secrets-manager";
import { type StartedEmulator, startEmulator } from "../../emulator/index.ts";
import { SecretsManagerText, secretAlreadyExistsText, stagingLabelNotFoundText } from "../../aws/texts.ts";
import { failure } from "../unit/sdk-failure.ts";

const AWS_CLI = "/usr/bin/aws";

let emulator: StartedEmulator;
let sm: SecretsManagerClient;

before(async () => {
  emulator = await startEmulator({ port: 0 });
  sm = new SecretsManagerClient({ endpoint: emulator.url, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
});

after(async () => {
  sm.destroy();
  await emulator.close();
});

describe("emulator with the AWS SDK v3", () => {
  it("creates a secret and reads it back by name, full ARN and partial ARN", async () => {
    const value = JSON.stringify({ username: "ci", password: "s3cret" });
    const created = await sm.send(new CreateSecretCommand({ Name: "sdk/registry", SecretString: value }));
    assert.match(created.ARN!, /^arn:aws:secretsmanager:us-east-1:000000000000:secret:sdk\/registry-[A-Za-z0-9]{6}$/);
    assert.match(created.VersionId!, /^[0-9a-f-]{36}$/, "the SDK fills in ClientRequestToken, which becomes the VersionId");
    const partialArn = created.ARN!.slice(0, -7);
    for (const secretId of ["sdk/registry", created.ARN!, partialArn]) {
      const got = await sm.send(new GetSecretValueCommand({ SecretId: secretId }));
      assert.equal(got.SecretString, value);
      assert.equal(got.ARN, created.ARN);
      assert.deepEqual(got.VersionStages, ["AWSCURRENT"]);
      assert.ok(got.CreatedDate instanceof Date);
      assert.equal(got.$metadata.httpStatusCode, 200);
      assert.match(got.$metadata.requestId!, /^[0-9a-f-]{36}$/);
    }
    // A partial ARN with a wrong suffix, or an ARN of another region, names nothing.
    const wrong = await failure(sm.send(new GetSecretValueCommand({ SecretId: `${partialArn}-zzzzzz` })));
    assert.equal(wrong.name, "ResourceNotFoundException");
    const otherRegion = await failure(sm.send(new GetSecretValueCommand({ SecretId: created.ARN!.replace("us-east-1", "eu-west-1") })));
    assert.equal(otherRegion.name, "ResourceNotFoundException");
  });

  it("versions and staging labels: AWSCURRENT moves, the old current becomes AWSPREVIOUS, explicit stages", async () => {
    const first = await sm.send(new CreateSecretCommand({ Name: "sdk/versions", SecretString: "v1" }));
    const second = await sm.send(new PutSecretValueCommand({ SecretId: "sdk/versions", SecretString: "v2" }));
    assert.deepEqual(second.VersionStages, ["AWSCURRENT"]);
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: "sdk/versions" }))).SecretString, "v2");
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: "sdk/versions", VersionStage: "AWSPREVIOUS" }))).SecretString, "v1");
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: "sdk/versions", VersionId: first.VersionId }))).SecretString, "v1");

    const pending = await sm.send(new PutSecretValueCommand({ SecretId: "sdk/versions", SecretString: "v3", VersionStages: ["AWSPENDING"] }));
    assert.deepEqual(pending.VersionStages, ["AWSPENDING"]);
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: "sdk/versions" }))).SecretString, "v2", "AWSCURRENT did not move");

    const third = await sm.send(new UpdateSecretCommand({ SecretId: "sdk/versions", SecretString: "v4" }));
    const described = await sm.send(new DescribeSecretCommand({ SecretId: "sdk/versions" }));
    assert.deepEqual(described.VersionIdsToStages, {
      [second.VersionId!]: ["AWSPREVIOUS"],
      [pending.VersionId!]: ["AWSPENDING"],
      [third.VersionId!]: ["AWSCURRENT"],
    }, "v1 lost its last label and is no longer listed");
    // A deprecated version can still be read by its id.
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: "sdk/versions", VersionId: first.VersionId }))).SecretString, "v1");

    const mismatch = await failure(sm.send(new GetSecretValueCommand({ SecretId: "sdk/versions", VersionId: first.VersionId, VersionStage: "AWSCURRENT" })));
    assert.equal(mismatch.name, "InvalidRequestException");
    assert.equal(mismatch.message, SecretsManagerText.versionStageMismatch);
  });

  it("ClientRequestToken makes a repeated call idempotent; another value under the same token fails", async () => {
    const token = "11111111-2222-4333-8444-555555555555";
    await sm.send(new CreateSecretCommand({ Name: "sdk/idem", SecretString: "a" }));
    const put = await sm.send(new PutSecretValueCommand({ SecretId: "sdk/idem", SecretString: "b", ClientRequestToken: token }));
    const again = await sm.send(new PutSecretValueCommand({ SecretId: "sdk/idem", SecretString: "b", ClientRequestToken: token }));
    assert.equal(again.VersionId, put.VersionId);
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: "sdk/idem", VersionStage: "AWSPREVIOUS" }))).SecretString, "a", "the repeat did not rotate labels");
    const conflict = await failure(sm.send(new PutSecretValueCommand({ SecretId: "sdk/idem", SecretString: "c", ClientRequestToken: token })));
    assert.equal(conflict.name, "ResourceExistsException");
    assert.equal(conflict.$metadata?.httpStatusCode, 400);
  });

  it("binary secrets round-trip byte for byte", async () => {
    const bytes = Uint8Array.from([0, 1, 2, 127, 128, 254, 255]);
    await sm.send(new CreateSecretCommand({ Name: "sdk/binary", SecretBinary: bytes }));
    const got = await sm.send(new GetSecretValueCommand({ SecretId: "sdk/binary" }));
    assert.equal(got.SecretString, undefined);
    assert.deepEqual(Uint8Array.from(got.SecretBinary!), bytes);
  });

  it("ListSecrets pages 25 secrets with MaxResults 10 and filters by name and tag", async () => {
    for (let i = 0; i < 25; i++) {
      await sm.send(new CreateSecretCommand({ Name: `page/s${String(i).padStart(2, "0")}`, Tags: [{ Key: "batch", Value: i % 2 === 0 ? "even" : "odd" }] }));
    }
    const names: string[] = [];
    const pageSizes: number[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sm.send(new ListSecretsCommand({ MaxResults: 10, NextToken: nextToken, Filters: [{ Key: "name", Values: ["page/"] }] }));
      pageSizes.push(page.SecretList!.length);
      names.push(...page.SecretList!.map((s) => s.Name!));
      nextToken = page.NextToken;
    } while (nextToken !== undefined);
    assert.deepEqual(pageSizes, [10, 10, 5]);
    assert.deepEqual(names, Array.from({ length: 25 }, (_, i) => `page/s${String(i).padStart(2, "0")}`));

    const odd = await sm.send(new ListSecretsCommand({ Filters: [{ Key: "tag-value", Values: ["odd"] }, { Key: "name", Values: ["page/"] }] }));
    assert.equal(odd.SecretList!.length, 12);
    const notPage = await sm.send(new ListSecretsCommand({ Filters: [{ Key: "name", Values: ["!page/"] }] }));
    assert.ok(notPage.SecretList!.every((s) => !s.Name!.startsWith("page/")));
    assert.ok(notPage.SecretList!.length > 0);
    const all = await sm.send(new ListSecretsCommand({ Filters: [{ Key: "all", Values: ["S07"] }] }));
    assert.deepEqual(all.SecretList!.map((s) => s.Name), ["page/s07"]);

    const badToken = await failure(sm.send(new ListSecretsCommand({ NextToken: "not-a-token" })));
    assert.equal(badToken.name, "InvalidNextTokenException");
  });

  it("delete with a recovery window, restore; force delete frees the name", async () => {
    const created = await sm.send(new CreateSecretCommand({ Name: "sdk/deleted", SecretString: "x" }));
    const deleted = await sm.send(new DeleteSecretCommand({ SecretId: "sdk/deleted", RecoveryWindowInDays: 7 }));
    const days = (deleted.DeletionDate!.getTime() - Date.now()) / 86_400_000;
    assert.ok(days > 6.9 && days <= 7, `DeletionDate ${days} days ahead`);

    const refused = await failure(sm.send(new GetSecretValueCommand({ SecretId: "sdk/deleted" })));
    assert.equal(refused.name, "InvalidRequestException");
    assert.equal(refused.message, SecretsManagerText.markedForDeletion);
    const listed = await sm.send(new ListSecretsCommand({ Filters: [{ Key: "name", Values: ["sdk/deleted"] }] }));
    assert.equal(listed.SecretList!.length, 0);
    const planned = await sm.send(new ListSecretsCommand({ IncludePlannedDeletion: true, Filters: [{ Key: "name", Values: ["sdk/deleted"] }] }));
    assert.ok(planned.SecretList![0]!.DeletedDate instanceof Date);
    const recreate = await failure(sm.send(new CreateSecretCommand({ Name: "sdk/deleted", SecretString: "y" })));
    assert.equal(recreate.name, "InvalidRequestException");
    assert.equal(recreate.message, SecretsManagerText.nameScheduledForDeletion);

    await sm.send(new RestoreSecretCommand({ SecretId: "sdk/deleted" }));
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: "sdk/deleted" }))).SecretString, "x");
    assert.equal((await sm.send(new DescribeSecretCommand({ SecretId: "sdk/deleted" }))).DeletedDate, undefined);

    const both = await failure(sm.send(new DeleteSecretCommand({ SecretId: "sdk/deleted", RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true })));
    assert.equal(both.name, "InvalidParameterException");

    await sm.send(new DeleteSecretCommand({ SecretId: "sdk/deleted", ForceDeleteWithoutRecovery: true }));
    const gone = await failure(sm.send(new DescribeSecretCommand({ SecretId: created.ARN })));
    assert.equal(gone.name, "ResourceNotFoundException");
    const again = await sm.send(new CreateSecretCommand({ Name: "sdk/deleted", SecretString: "z" }));
    assert.notEqual(again.ARN, created.ARN, "a re-created secret gets a new ARN suffix");
  });

  it("tags: add, replace, remove", async () => {
    await sm.send(new CreateSecretCommand({ Name: "sdk/tags", Tags: [{ Key: "team", Value: "ci" }] }));
    await sm.send(new TagResourceCommand({ SecretId: "sdk/tags", Tags: [{ Key: "team", Value: "platform" }, { Key: "env", Value: "test" }] }));
    assert.deepEqual((await sm.send(new DescribeSecretCommand({ SecretId: "sdk/tags" }))).Tags, [{ Key: "team", Value: "platform" }, { Key: "env", Value: "test" }]);
    await sm.send(new UntagResourceCommand({ SecretId: "sdk/tags", TagKeys: ["team"] }));
    assert.deepEqual((await sm.send(new DescribeSecretCommand({ SecretId: "sdk/tags" }))).Tags, [{ Key: "env", Value: "test" }]);
  });

  it("SDK error names and messages are AWS's", async () => {
    const missing = await failure(sm.send(new GetSecretValueCommand({ SecretId: "sdk/none" })));
    assert.equal(missing.name, "ResourceNotFoundException");
    assert.equal(missing.message, SecretsManagerText.secretNotFound);
    assert.equal(missing.$metadata?.httpStatusCode, 400);

    await sm.send(new CreateSecretCommand({ Name: "sdk/novalue" }));
    const noValue = await failure(sm.send(new GetSecretValueCommand({ SecretId: "sdk/novalue" })));
    assert.equal(noValue.name, "ResourceNotFoundException");
    assert.equal(noValue.message, stagingLabelNotFoundText("AWSCURRENT"));

    const exists = await failure(sm.send(new CreateSecretCommand({ Name: "sdk/novalue" })));
    assert.equal(exists.name, "ResourceExistsException");
    assert.equal(exists.message, secretAlreadyExistsText("sdk/novalue"));

    const badName = await failure(sm.send(new CreateSecretCommand({ Name: "bad name" })));
    assert.equal(badName.name, "ValidationException");
  });

  it("counts exactly one GetSecretValue per call, per SecretId", async () => {
    await sm.send(new CreateSecretCommand({ Name: "sdk/counted", SecretString: "x" }));
    const before = emulator.emulator.stats.count("GetSecretValue", { secretId: "sdk/counted" });
    await sm.send(new GetSecretValueCommand({ SecretId: "sdk/counted" }));
    assert.equal(emulator.emulator.stats.count("GetSecretValue", { secretId: "sdk/counted" }), before + 1);
  });

  it("signing for another region reaches that region's secrets only", async () => {
    const eu = new SecretsManagerClient({ endpoint: emulator.url, region: "eu-west-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    try {
      const created = await eu.send(new CreateSecretCommand({ Name: "sdk/regional", SecretString: "eu" }));
      assert.match(created.ARN!, /:eu-west-1:/);
      const fromUs = await failure(sm.send(new GetSecretValueCommand({ SecretId: "sdk/regional" })));
      assert.equal(fromUs.name, "ResourceNotFoundException");
      assert.equal(emulator.emulator.stats.count("CreateSecret", { secretId: "sdk/regional", region: "eu-west-1" }), 1);
    } finally {
      eu.destroy();
    }
  });
});

describe("emulator with the AWS CLI v2", () => {
  const skip = existsSync(AWS_CLI) ? false : `${AWS_CLI} is not installed (the environment bootstrap installs Debian's awscli)`;

  it("create-secret, get-secret-value and an error through the CLI", { skip, timeout: 60_000 }, async () => {
    const run = promisify(execFile);
    const env = { ...process.env, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_DEFAULT_REGION: "us-east-1", AWS_PAGER: "", AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" };
    const aws = (...args: string[]) => run(AWS_CLI, ["--endpoint-url", emulator.url, "--output", "json", "secretsmanager", ...args], { env, timeout: 30_000 });
    const created = JSON.parse((await aws("create-secret", "--name", "cli/registry", "--secret-string", '{"username":"u","password":"p"}')).stdout);
    assert.equal(created.Name, "cli/registry");
    const got = JSON.parse((await aws("get-secret-value", "--secret-id", "cli/registry")).stdout);
    assert.equal(got.SecretString, '{"username":"u","password":"p"}');
    const error = await aws("get-secret-value", "--secret-id", "cli/none").then(
      () => assert.fail("expected the CLI to fail"),
      (e: { stderr: string; code: number }) => e,
    );
    assert.notEqual(error.code, 0);
    assert.match(error.stderr, /ResourceNotFoundException/);
    assert.ok(error.stderr.includes(SecretsManagerText.secretNotFound));
  });
});
