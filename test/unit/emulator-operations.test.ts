// Secrets Manager handlers called directly (no HTTP): staging-label moves, deprecated versions, SecretId lookup
// edge cases; plus the call counters and the listening server's lifecycle.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AwsError, CallStats, EmulatorStore, type RequestContext, SecretsManager, startEmulator } from "../../emulator/index.ts";
import * as Kms from "../../emulator/services/kms/index.ts";
import { LIMITS } from "../../emulator/services/secretsmanager/rules.ts";

const { CreateSecret, DescribeSecret, GetSecretValue, PutSecretValue } = SecretsManager;

function context(store = new EmulatorStore(), over: Partial<RequestContext> = {}): RequestContext {
  return { account: "123456789012", region: "us-east-1", requestId: "r", now: Date.UTC(2025, 0, 1), store, ...over };
}

let tokenCounter = 0;
const token = () => `tok-${String(++tokenCounter).padStart(32, "0")}`;

describe("emulator operations", () => {
  it("AWSCURRENT moves and drags AWSPREVIOUS along; other labels stay where they are", () => {
    const ctx = context();
    const v1 = CreateSecret(ctx, { Name: "s", SecretString: "1", ClientRequestToken: token() }).VersionId!;
    const pending = PutSecretValue(ctx, { SecretId: "s", SecretString: "p", ClientRequestToken: token(), VersionStages: ["AWSPENDING", "CUSTOM"] }).VersionId;
    const v2 = PutSecretValue(ctx, { SecretId: "s", SecretString: "2", ClientRequestToken: token() }).VersionId;
    const v3 = PutSecretValue(ctx, { SecretId: "s", SecretString: "3", ClientRequestToken: token() }).VersionId;
    assert.deepEqual(DescribeSecret(ctx, { SecretId: "s" }).VersionIdsToStages, {
      [pending]: ["AWSPENDING", "CUSTOM"],
      [v2]: ["AWSPREVIOUS"],
      [v3]: ["AWSCURRENT"],
    });
    assert.equal(GetSecretValue(ctx, { SecretId: "s", VersionId: v1 }).VersionStages.length, 0, "v1 is deprecated but readable");
    // Moving a custom label onto the current version.
    PutSecretValue(ctx, { SecretId: "s", SecretString: "4", ClientRequestToken: token(), VersionStages: ["CUSTOM"] });
    assert.deepEqual(DescribeSecret(ctx, { SecretId: "s" }).VersionIdsToStages?.[pending], ["AWSPENDING"]);
  });

  it("the first value of a secret created empty becomes AWSCURRENT whatever VersionStages says", () => {
    const ctx = context();
    CreateSecret(ctx, { Name: "e" });
    const put = PutSecretValue(ctx, { SecretId: "e", SecretString: "x", ClientRequestToken: token(), VersionStages: ["AWSPENDING"] });
    assert.deepEqual(put.VersionStages, ["AWSPENDING", "AWSCURRENT"]);
  });

  it(`keeps at most ${LIMITS.deprecatedVersions} deprecated versions, dropping the oldest`, () => {
    const ctx = context();
    const first = CreateSecret(ctx, { Name: "many", SecretString: "0", ClientRequestToken: token() }).VersionId!;
    const ids = [first];
    for (let i = 1; i <= LIMITS.deprecatedVersions + 3; i++) {
      ids.push(PutSecretValue(ctx, { SecretId: "many", SecretString: String(i), ClientRequestToken: token() }).VersionId);
    }
    const record = ctx.store.secretsManager(ctx.account, ctx.region).getByName("many")!;
    assert.equal(record.versions.size, LIMITS.deprecatedVersions + 2);
    assert.ok(!record.versions.has(first));
    assert.throws(() => GetSecretValue(ctx, { SecretId: "many", VersionId: first }), (e: AwsError) => e.code === "ResourceNotFoundException");
  });

  it("a name that itself ends in -XXXXXX: full ARN and name find it; its partial ARN is read as a complete ARN and finds nothing", () => {
    const ctx = context();
    const short = CreateSecret(ctx, { Name: "db" });
    const long = CreateSecret(ctx, { Name: "db-abcdef" });
    assert.equal(DescribeSecret(ctx, { SecretId: "db-abcdef" }).ARN, long.ARN);
    assert.equal(DescribeSecret(ctx, { SecretId: short.ARN }).ARN, short.ARN);
    assert.equal(DescribeSecret(ctx, { SecretId: long.ARN }).ARN, long.ARN);
    // AWS takes "-abcdef" for the random suffix (User Guide, "Find secrets from a partial ARN").
    assert.throws(() => DescribeSecret(ctx, { SecretId: long.ARN.slice(0, -7) }), (e: AwsError) => e.code === "ResourceNotFoundException");
    assert.equal(DescribeSecret(ctx, { SecretId: short.ARN.slice(0, -7) }).ARN, short.ARN);
  });

  it("a full ARN of another account is looked up in that account (IAM decides access later)", () => {
    const store = new EmulatorStore();
    const owner = context(store, { account: "111111111111" });
    // Across accounts only a customer managed key will do (the default key is refused; see emulator-enforce tests).
    const key = Kms.CreateKey(owner, {}).KeyMetadata.Arn;
    const created = CreateSecret(owner, { Name: "shared", SecretString: "x", KmsKeyId: key, ClientRequestToken: token() });
    const other = context(store, { account: "222222222222" });
    assert.equal(GetSecretValue(other, { SecretId: created.ARN }).SecretString, "x");
    assert.throws(() => GetSecretValue(other, { SecretId: "shared" }), (e: AwsError) => e.code === "ResourceNotFoundException");
  });

  it("handlers throw AwsError, never anything else, for bad input", () => {
    const ctx = context();
    assert.throws(() => CreateSecret(ctx, { Name: 7 }), (e: unknown) => e instanceof AwsError && e.code === "SerializationException");
  });
});

describe("emulator call stats", () => {
  it("keeps exact counters while the list of calls stays bounded", () => {
    const stats = new CallStats(10);
    for (let i = 0; i < 25; i++) stats.record({ service: "secretsmanager", operation: "GetSecretValue", secretId: "s", region: "us-east-1", account: "a", requestId: String(i) });
    assert.equal(stats.count("GetSecretValue", { secretId: "s" }), 25);
    assert.ok(stats.calls.length <= 10);
    assert.equal(stats.calls.at(-1)!.requestId, "24");
  });
});

describe("startEmulator", () => {
  it("listens on a free loopback port and closes, also through await using", async () => {
    let url: string;
    {
      await using started = await startEmulator({ port: 0 });
      assert.equal(started.host, "127.0.0.1");
      assert.ok(started.port > 0);
      url = started.url;
      const res = await fetch(`${url}/_ecs-pull/health`);
      assert.deepEqual(await res.json(), { status: "ok" });
    }
    await assert.rejects(fetch(`${url}/_ecs-pull/health`));
  });
});
