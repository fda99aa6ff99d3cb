// The KMS that secrets lean on, driven by the real @aws-sdk/client-kms (and the AWS CLI v2): ListAliases with the
// AWS managed aliases, CreateAlias's validation texts, key tags, multi-Region keys (a value encrypted in one region
// decrypts in the replica's), and a replicated secret under a multi-Region key's replica.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  KMSClient,
  ListAliasesCommand,
  ListResourceTagsCommand,
  ReplicateKeyCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from "@aws-sdk/client-kms";
import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { type StartedEmulator, startEmulator } from "../../emulator/index.ts";
import { KmsText, ValidationConstraint, validationErrorText } from "../../aws/texts.ts";
import { AWS_MANAGED_ALIASES } from "../../emulator/services/kms/alias-operations.ts";
import { ALIAS_NAME_PATTERN_TEXT, KmsAliasText, MultiRegionText } from "../../emulator/services/kms/texts.ts";
import { failure } from "../unit/sdk-failure.ts";

const AWS_CLI = "/usr/bin/aws";
const credentials = { accessKeyId: "test", secretAccessKey: "test" };
let emulator: StartedEmulator;
let east: KMSClient;
let west: KMSClient;

before(async () => {
  emulator = await startEmulator({ port: 0 });
  east = new KMSClient({ endpoint: emulator.url, region: "us-east-1", credentials });
  west = new KMSClient({ endpoint: emulator.url, region: "us-west-2", credentials });
});

after(async () => {
  east.destroy();
  west.destroy();
  await emulator.close();
});

describe("KMS aliases, tags and multi-Region keys with the AWS SDK v3", () => {
  it("ListAliases lists the AWS managed aliases, with a target once their key exists", async () => {
    const before = await west.send(new ListAliasesCommand({}));
    assert.deepEqual(before.Aliases!.map((a) => a.AliasName), [...AWS_MANAGED_ALIASES]);
    const sm = before.Aliases!.find((a) => a.AliasName === "alias/aws/secretsmanager")!;
    assert.equal(sm.AliasArn, "arn:aws:kms:us-west-2:000000000000:alias/aws/secretsmanager");
    assert.equal(sm.TargetKeyId, undefined, "not made yet");
    const key = await west.send(new DescribeKeyCommand({ KeyId: "alias/aws/secretsmanager" }));
    const after = await west.send(new ListAliasesCommand({}));
    assert.equal(after.Aliases!.find((a) => a.AliasName === "alias/aws/secretsmanager")!.TargetKeyId, key.KeyMetadata!.KeyId);
    const own = await west.send(new CreateKeyCommand({}));
    await west.send(new CreateAliasCommand({ AliasName: "alias/team-app", TargetKeyId: own.KeyMetadata!.KeyId }));
    const byKey = await west.send(new ListAliasesCommand({ KeyId: own.KeyMetadata!.KeyId }));
    assert.deepEqual(byKey.Aliases!.map((a) => a.AliasName), ["alias/team-app"]);
    const paged = await west.send(new ListAliasesCommand({ Limit: 2 }));
    assert.equal(paged.Truncated, true);
    assert.equal(paged.Aliases!.length, 2);
  });

  it("CreateAlias refuses bad names and alias targets with KMS's texts", async () => {
    const key = await east.send(new CreateKeyCommand({}));
    const cases: [string, string, string, string][] = [
      ["alias/bad!", key.KeyMetadata!.KeyId!, "ValidationException", validationErrorText("aliasName", ValidationConstraint.pattern(ALIAS_NAME_PATTERN_TEXT), "alias/bad!")],
      ["alias/a:b", key.KeyMetadata!.KeyId!, "ValidationException", KmsAliasText.invalidCharacters("alias/a:b")],
      ["team-app", key.KeyMetadata!.KeyId!, "ValidationException", KmsText.aliasPrefix],
      ["alias/aws/mine", key.KeyMetadata!.KeyId!, "NotAuthorizedException", KmsText.reservedAlias],
      ["alias/other", "alias/aws/secretsmanager", "ValidationException", KmsAliasText.mustReferToKey],
    ];
    for (const [AliasName, TargetKeyId, code, text] of cases) {
      const error = await failure(east.send(new CreateAliasCommand({ AliasName, TargetKeyId })));
      assert.equal(error.name, code, AliasName);
      assert.equal(error.message, text);
      assert.equal(error.$metadata.httpStatusCode, 400);
    }
  });

  it("TagResource, UntagResource, ListResourceTags", async () => {
    const key = await east.send(new CreateKeyCommand({ Tags: [{ TagKey: "team", TagValue: "ci" }] }));
    const KeyId = key.KeyMetadata!.KeyId!;
    await east.send(new TagResourceCommand({ KeyId, Tags: [{ TagKey: "env", TagValue: "prod" }, { TagKey: "team", TagValue: "payments" }] }));
    assert.deepEqual((await east.send(new ListResourceTagsCommand({ KeyId }))).Tags, [{ TagKey: "team", TagValue: "payments" }, { TagKey: "env", TagValue: "prod" }]);
    await east.send(new UntagResourceCommand({ KeyId: key.KeyMetadata!.Arn!, TagKeys: ["team", "unknown"] }));
    const listed = await east.send(new ListResourceTagsCommand({ KeyId }));
    assert.deepEqual(listed.Tags, [{ TagKey: "env", TagValue: "prod" }]);
    assert.equal(listed.Truncated, false);
    const tooLong = await failure(east.send(new TagResourceCommand({ KeyId, Tags: [{ TagKey: "k".repeat(129), TagValue: "v" }] })));
    assert.equal(tooLong.name, "ValidationException");
    const managed = await east.send(new DescribeKeyCommand({ KeyId: "alias/aws/secretsmanager" }));
    const refused = await failure(east.send(new TagResourceCommand({ KeyId: managed.KeyMetadata!.KeyId, Tags: [{ TagKey: "a", TagValue: "b" }] })));
    assert.equal(refused.name, "UnsupportedOperationException");
  });

  it("a multi-Region key and its replica share id and material; a replicated secret uses the replica", async () => {
    const primary = await east.send(new CreateKeyCommand({ MultiRegion: true, Description: "registry creds" }));
    const KeyId = primary.KeyMetadata!.KeyId!;
    assert.match(KeyId, /^mrk-[0-9a-f]{32}$/);
    assert.equal(primary.KeyMetadata!.MultiRegion, true);
    assert.deepEqual(primary.KeyMetadata!.MultiRegionConfiguration, { MultiRegionKeyType: "PRIMARY", PrimaryKey: { Arn: primary.KeyMetadata!.Arn, Region: "us-east-1" }, ReplicaKeys: [] });
    const replicated = await east.send(new ReplicateKeyCommand({ KeyId, ReplicaRegion: "us-west-2" }));
    const replicaArn = primary.KeyMetadata!.Arn!.replace(":us-east-1:", ":us-west-2:");
    assert.equal(replicated.ReplicaKeyMetadata!.Arn, replicaArn);
    assert.equal(replicated.ReplicaKeyMetadata!.MultiRegionConfiguration!.MultiRegionKeyType, "REPLICA");
    assert.ok(replicated.ReplicaPolicy!.includes("kms:*"));
    const described = await east.send(new DescribeKeyCommand({ KeyId }));
    assert.deepEqual(described.KeyMetadata!.MultiRegionConfiguration!.ReplicaKeys, [{ Arn: replicaArn, Region: "us-west-2" }]);

    const sealed = await east.send(new EncryptCommand({ KeyId, Plaintext: Buffer.from("hello") }));
    const opened = await west.send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob }));
    assert.equal(Buffer.from(opened.Plaintext!).toString(), "hello");
    assert.equal(opened.KeyId, replicaArn);

    const again = await failure(east.send(new ReplicateKeyCommand({ KeyId, ReplicaRegion: "us-west-2" })));
    assert.equal(again.name, "AlreadyExistsException");
    assert.equal(again.message, MultiRegionText.replicaExists(replicaArn));
    const same = await failure(east.send(new ReplicateKeyCommand({ KeyId, ReplicaRegion: "us-east-1" })));
    assert.equal(same.message, MultiRegionText.sameRegion);
    const single = await east.send(new CreateKeyCommand({}));
    const notMrk = await failure(east.send(new ReplicateKeyCommand({ KeyId: single.KeyMetadata!.KeyId, ReplicaRegion: "us-west-2" })));
    assert.equal(notMrk.name, "UnsupportedOperationException");
    assert.equal(notMrk.message, MultiRegionText.notMultiRegionPrimary(single.KeyMetadata!.Arn!));

    const sm = new SecretsManagerClient({ endpoint: emulator.url, region: "us-east-1", credentials });
    const smWest = new SecretsManagerClient({ endpoint: emulator.url, region: "us-west-2", credentials });
    try {
      await sm.send(new CreateSecretCommand({ Name: "mrk/creds", SecretString: "v", KmsKeyId: KeyId, AddReplicaRegions: [{ Region: "us-west-2", KmsKeyId: replicaArn }] }));
      assert.equal((await smWest.send(new GetSecretValueCommand({ SecretId: "mrk/creds" }))).SecretString, "v");
    } finally {
      sm.destroy();
      smWest.destroy();
    }
  });
});

describe("KMS with the AWS CLI v2", () => {
  const skip = existsSync(AWS_CLI) ? false : `${AWS_CLI} is not installed`;

  it("list-aliases, tag-resource, list-resource-tags, replicate-key, create-alias with a bad name", { skip, timeout: 120_000 }, async () => {
    const run = promisify(execFile);
    const env = { ...process.env, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_DEFAULT_REGION: "eu-west-1", AWS_PAGER: "", AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" };
    const aws = async (...args: string[]) => JSON.parse((await run(AWS_CLI, ["--endpoint-url", emulator.url, "--output", "json", "kms", ...args], { env, timeout: 30_000 })).stdout || "{}") as Record<string, unknown>;
    const aliases = (await aws("list-aliases")).Aliases as { AliasName: string }[];
    assert.ok(aliases.some((a) => a.AliasName === "alias/aws/secretsmanager"));
    const key = (await aws("create-key", "--multi-region")).KeyMetadata as { KeyId: string };
    await aws("tag-resource", "--key-id", key.KeyId, "--tags", "TagKey=team,TagValue=ci");
    assert.deepEqual((await aws("list-resource-tags", "--key-id", key.KeyId)).Tags, [{ TagKey: "team", TagValue: "ci" }]);
    const replica = await aws("replicate-key", "--key-id", key.KeyId, "--replica-region", "eu-central-1");
    assert.equal((replica.ReplicaKeyMetadata as { KeyId: string }).KeyId, key.KeyId);
    const bad = await run(AWS_CLI, ["--endpoint-url", emulator.url, "kms", "create-alias", "--alias-name", "alias/bad!", "--target-key-id", key.KeyId], { env, timeout: 30_000 }).then(
      () => assert.fail("expected the CLI to fail"),
      (e: { stderr: string }) => e.stderr,
    );
    assert.match(bad, /ValidationException/);
  });
});
