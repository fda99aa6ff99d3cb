// Replication driven by the real @aws-sdk/client-secrets-manager (one client per region) and the real AWS CLI v2:
// CreateSecret with AddReplicaRegions, ReplicateSecretToRegions, RemoveRegionsFromReplication,
// StopReplicationToReplica, DescribeSecret's PrimaryRegion/ReplicationStatus, the primary-region filter, replicas
// readable by name in their region, writes to a replica refused, a primary with replicas not deletable.
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
  RemoveRegionsFromReplicationCommand,
  ReplicateSecretToRegionsCommand,
  SecretsManagerClient,
  StopReplicationToReplicaCommand,
  TagResourceCommand,
  UpdateSecretVersionStageCommand,
} from "@aws-sdk/client-secrets-manager";
import { CreateKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { type StartedEmulator, startEmulator } from "../../emulator/index.ts";
import { ValidationConstraint, validationErrorText } from "../../aws/texts.ts";
import { ReplicationText, deleteWithReplicasText, replicaNameExistsText } from "../../emulator/services/secretsmanager/texts.ts";
import { failure } from "../unit/sdk-failure.ts";

const AWS_CLI = "/usr/bin/aws";
let emulator: StartedEmulator;
const clients: { destroy(): void }[] = [];
let east: SecretsManagerClient;
let west: SecretsManagerClient;
let eu: SecretsManagerClient;

const client = (region: string) => {
  const c = new SecretsManagerClient({ endpoint: emulator.url, region, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  clients.push(c);
  return c;
};

before(async () => {
  emulator = await startEmulator({ port: 0 });
  east = client("us-east-1");
  west = client("us-west-2");
  eu = client("eu-west-1");
});

after(async () => {
  for (const c of clients) c.destroy();
  await emulator.close();
});

describe("replication with the AWS SDK v3", () => {
  it("a replica is readable by name in its region, follows the primary, and refuses writes", async () => {
    const created = await east.send(new CreateSecretCommand({ Name: "rep/creds", SecretString: "v1", AddReplicaRegions: [{ Region: "us-west-2" }] }));
    const replicaArn = created.ARN!.replace(":us-east-1:", ":us-west-2:");
    const got = await west.send(new GetSecretValueCommand({ SecretId: "rep/creds" }));
    assert.equal(got.SecretString, "v1");
    assert.equal(got.ARN, replicaArn, "same name and suffix, the replica's region");
    const described = await east.send(new DescribeSecretCommand({ SecretId: "rep/creds" }));
    assert.equal(described.PrimaryRegion, "us-east-1");
    assert.deepEqual(described.ReplicationStatus, [{ Region: "us-west-2", Status: "InSync" }]);
    const replica = await west.send(new DescribeSecretCommand({ SecretId: replicaArn }));
    assert.equal(replica.PrimaryRegion, "us-east-1");
    assert.equal(replica.ReplicationStatus, undefined);

    await east.send(new PutSecretValueCommand({ SecretId: "rep/creds", SecretString: "v2" }));
    await east.send(new TagResourceCommand({ SecretId: "rep/creds", Tags: [{ Key: "team", Value: "ci" }] }));
    assert.equal((await west.send(new GetSecretValueCommand({ SecretId: "rep/creds" }))).SecretString, "v2");
    assert.deepEqual((await west.send(new DescribeSecretCommand({ SecretId: "rep/creds" }))).Tags, [{ Key: "team", Value: "ci" }]);

    for (const write of [
      west.send(new PutSecretValueCommand({ SecretId: "rep/creds", SecretString: "v3" })),
      west.send(new TagResourceCommand({ SecretId: "rep/creds", Tags: [{ Key: "a", Value: "b" }] })),
      west.send(new DeleteSecretCommand({ SecretId: "rep/creds" })),
      west.send(new UpdateSecretVersionStageCommand({ SecretId: "rep/creds", VersionStage: "x", MoveToVersionId: got.VersionId })),
    ]) {
      const error = await failure(write);
      assert.equal(error.name, "InvalidParameterException");
      assert.equal(error.message, ReplicationText.notPermittedOnReplica);
    }

    const del = await failure(east.send(new DeleteSecretCommand({ SecretId: "rep/creds" })));
    assert.equal(del.name, "InvalidParameterException");
    assert.equal(del.message, deleteWithReplicasText("rep/creds", ["us-west-2"]));
  });

  it("the primary-region filter, ReplicateSecretToRegions with a region's own key, a name clash, removal and promotion", async () => {
    const kmsEu = new KMSClient({ endpoint: emulator.url, region: "eu-west-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    clients.push(kmsEu);
    const key = await kmsEu.send(new CreateKeyCommand({}));
    await east.send(new CreateSecretCommand({ Name: "rep/two", SecretString: "x" }));
    await west.send(new CreateSecretCommand({ Name: "rep/two", SecretString: "already here" }));
    const out = await east.send(new ReplicateSecretToRegionsCommand({ SecretId: "rep/two", AddReplicaRegions: [{ Region: "eu-west-1", KmsKeyId: key.KeyMetadata!.Arn }, { Region: "us-west-2" }] }));
    assert.deepEqual(out.ReplicationStatus, [
      { Region: "eu-west-1", KmsKeyId: key.KeyMetadata!.Arn, Status: "InSync" },
      { Region: "us-west-2", Status: "Failed", StatusMessage: replicaNameExistsText("rep/two", "us-west-2") },
    ]);
    assert.equal((await eu.send(new GetSecretValueCommand({ SecretId: "rep/two" }))).SecretString, "x");
    assert.equal((await west.send(new GetSecretValueCommand({ SecretId: "rep/two" }))).SecretString, "already here");
    const forced = await east.send(new ReplicateSecretToRegionsCommand({ SecretId: "rep/two", AddReplicaRegions: [{ Region: "us-west-2" }], ForceOverwriteReplicaSecret: true }));
    assert.deepEqual(forced.ReplicationStatus!.map((s) => [s.Region, s.Status]), [["eu-west-1", "InSync"], ["us-west-2", "InSync"]]);
    assert.equal((await west.send(new GetSecretValueCommand({ SecretId: "rep/two" }))).SecretString, "x");

    const byPrimary = await west.send(new ListSecretsCommand({ Filters: [{ Key: "primary-region", Values: ["us-east-1"] }] }));
    assert.deepEqual(byPrimary.SecretList!.map((s) => [s.Name, s.PrimaryRegion]).sort(), [["rep/creds", "us-east-1"], ["rep/two", "us-east-1"]]);

    // Removing a region deletes its replica: a bare name there finds nothing any more.
    const removed = await east.send(new RemoveRegionsFromReplicationCommand({ SecretId: "rep/two", RemoveReplicaRegions: ["us-west-2"] }));
    assert.deepEqual(removed.ReplicationStatus!.map((s) => s.Region), ["eu-west-1"]);
    assert.equal((await failure(west.send(new GetSecretValueCommand({ SecretId: "rep/two" })))).name, "ResourceNotFoundException");
    const notThere = await failure(east.send(new RemoveRegionsFromReplicationCommand({ SecretId: "rep/two", RemoveReplicaRegions: ["ap-south-1"] })));
    assert.equal(notThere.message, ReplicationText.noReplicaInRegion("ap-south-1"));

    // StopReplicationToReplica, in the replica's region: a standalone secret there, and the primary may be deleted.
    const notReplica = await failure(east.send(new StopReplicationToReplicaCommand({ SecretId: "rep/two" })));
    assert.equal(notReplica.message, ReplicationText.notAReplica);
    await eu.send(new StopReplicationToReplicaCommand({ SecretId: "rep/two" }));
    await eu.send(new PutSecretValueCommand({ SecretId: "rep/two", SecretString: "own" }));
    assert.equal((await eu.send(new DescribeSecretCommand({ SecretId: "rep/two" }))).PrimaryRegion, undefined);
    assert.equal((await east.send(new DescribeSecretCommand({ SecretId: "rep/two" }))).ReplicationStatus, undefined);
    await east.send(new DeleteSecretCommand({ SecretId: "rep/two", ForceDeleteWithoutRecovery: true }));
    assert.equal((await eu.send(new GetSecretValueCommand({ SecretId: "rep/two" }))).SecretString, "own");
  });

  it("a replica region equal to the primary's, twice the same, or malformed gets AWS's 4xx", async () => {
    const same = await failure(east.send(new CreateSecretCommand({ Name: "rep/bad", SecretString: "x", AddReplicaRegions: [{ Region: "us-east-1" }] })));
    assert.equal(same.name, "InvalidParameterException");
    assert.equal(same.message, ReplicationText.invalidReplicaRegion);
    assert.equal(same.$metadata.httpStatusCode, 400);
    await east.send(new CreateSecretCommand({ Name: "rep/bad", SecretString: "x" }));
    const twice = await failure(east.send(new ReplicateSecretToRegionsCommand({ SecretId: "rep/bad", AddReplicaRegions: [{ Region: "eu-west-1" }, { Region: "eu-west-1" }] })));
    assert.equal(twice.message, ReplicationText.invalidReplicaRegion);
    const malformed = await failure(east.send(new ReplicateSecretToRegionsCommand({ SecretId: "rep/bad", AddReplicaRegions: [{ Region: "Mars" }] })));
    assert.equal(malformed.name, "ValidationException");
    assert.equal(malformed.message, validationErrorText("addReplicaRegions.1.member.region", ValidationConstraint.pattern("^([a-z]+-)+\\d+$"), "Mars"));
    const none = await failure(east.send(new ReplicateSecretToRegionsCommand({ SecretId: "rep/bad", AddReplicaRegions: [] })));
    assert.equal(none.name, "ValidationException");
    assert.equal((await east.send(new DescribeSecretCommand({ SecretId: "rep/bad" }))).ReplicationStatus, undefined, "nothing was replicated");
  });
});

describe("replication with the AWS CLI v2", () => {
  const skip = existsSync(AWS_CLI) ? false : `${AWS_CLI} is not installed`;

  it("replicate-secret-to-regions, remove-regions-from-replication, stop-replication-to-replica", { skip, timeout: 120_000 }, async () => {
    const run = promisify(execFile);
    const env = { ...process.env, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_DEFAULT_REGION: "us-east-1", AWS_PAGER: "", AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" };
    const aws = async (region: string, ...args: string[]) =>
      JSON.parse((await run(AWS_CLI, ["--endpoint-url", emulator.url, "--region", region, "--output", "json", "secretsmanager", ...args], { env, timeout: 30_000 })).stdout || "{}") as Record<string, unknown>;
    await east.send(new CreateSecretCommand({ Name: "cli/rep", SecretString: "x" }));
    const out = await aws("us-east-1", "replicate-secret-to-regions", "--secret-id", "cli/rep", "--add-replica-regions", "Region=us-west-2", "Region=eu-west-1");
    assert.deepEqual((out.ReplicationStatus as { Region: string }[]).map((s) => s.Region), ["us-west-2", "eu-west-1"]);
    await aws("us-east-1", "remove-regions-from-replication", "--secret-id", "cli/rep", "--remove-replica-regions", "eu-west-1");
    await aws("us-west-2", "stop-replication-to-replica", "--secret-id", "cli/rep");
    assert.equal((await aws("us-west-2", "describe-secret", "--secret-id", "cli/rep")).PrimaryRegion, undefined);
    const same = await run(AWS_CLI, ["--endpoint-url", emulator.url, "--region", "us-east-1", "secretsmanager", "replicate-secret-to-regions", "--secret-id", "cli/rep", "--add-replica-regions", "Region=us-east-1"], { env, timeout: 30_000 }).then(
      () => assert.fail("expected the CLI to fail"),
      (e: { stderr: string }) => e.stderr,
    );
    assert.match(same, /InvalidParameterException/);
    assert.ok(same.includes(ReplicationText.invalidReplicaRegion));
  });
});
