// The emulator's KMS driven by the real @aws-sdk/client-kms (signed with the admin key): keys, aliases, key
// policies, real AES-GCM Encrypt/Decrypt, key states, the AWS managed `aws/secretsmanager` key, and every KMS row
// of AWS-ERRORS.md byte for byte. Raw-wire checks (InvalidCiphertextException has no message at all) use supertest.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  GetKeyPolicyCommand,
  KMSClient,
  ListAliasesCommand,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
} from "@aws-sdk/client-kms";
import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import fc from "fast-check";
import request from "supertest";
import { createEmulator, type StartedEmulator, startEmulator } from "../../emulator/index.ts";
import {
  KmsText,
  kmsAliasExistsText,
  kmsAliasNotFoundText,
  kmsDisabledText,
  kmsInvalidKeyIdText,
  kmsKeyNotFoundText,
  kmsPendingDeletionText,
} from "../../aws/texts.ts";
import { failure } from "./sdk-failure.ts";

const ACCOUNT = "000000000000";
const REGION = "us-east-1";
const credentials = { accessKeyId: "test", secretAccessKey: "test" };

let emulator: StartedEmulator;
let kms: KMSClient;
let sm: SecretsManagerClient;

before(async () => {
  emulator = await startEmulator({ port: 0 });
  kms = new KMSClient({ endpoint: emulator.url, region: REGION, credentials });
  sm = new SecretsManagerClient({ endpoint: emulator.url, region: REGION, credentials });
});

after(async () => {
  kms.destroy();
  sm.destroy();
  await emulator.close();
});

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

describe("KMS keys and aliases", () => {
  it("CreateKey gives a customer managed, enabled symmetric key whose default policy delegates to the account root", async () => {
    const { KeyMetadata: meta } = await kms.send(new CreateKeyCommand({ Description: "registry creds" }));
    assert.match(meta!.KeyId!, /^[0-9a-f-]{36}$/);
    assert.equal(meta!.Arn, `arn:aws:kms:${REGION}:${ACCOUNT}:key/${meta!.KeyId}`);
    assert.equal(meta!.KeyManager, "CUSTOMER");
    assert.equal(meta!.KeyState, "Enabled");
    assert.equal(meta!.Enabled, true);
    assert.equal(meta!.KeyUsage, "ENCRYPT_DECRYPT");
    assert.equal(meta!.Description, "registry creds");
    assert.ok(meta!.CreationDate instanceof Date);
    const { Policy, PolicyName } = await kms.send(new GetKeyPolicyCommand({ KeyId: meta!.KeyId }));
    assert.equal(PolicyName, "default");
    assert.deepEqual(JSON.parse(Policy!).Statement, [
      { Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" },
    ]);
  });

  it("DescribeKey finds a key by id, key ARN, alias name and alias ARN", async () => {
    const { KeyMetadata: meta } = await kms.send(new CreateKeyCommand({}));
    await kms.send(new CreateAliasCommand({ AliasName: "alias/describe-me", TargetKeyId: meta!.KeyId }));
    for (const keyId of [meta!.KeyId!, meta!.Arn!, "alias/describe-me", `arn:aws:kms:${REGION}:${ACCOUNT}:alias/describe-me`]) {
      assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.Arn, meta!.Arn, keyId);
    }
    const { Aliases } = await kms.send(new ListAliasesCommand({ KeyId: meta!.KeyId }));
    assert.deepEqual(
      Aliases!.map((a) => [a.AliasName, a.AliasArn, a.TargetKeyId]),
      [["alias/describe-me", `arn:aws:kms:${REGION}:${ACCOUNT}:alias/describe-me`, meta!.KeyId]],
    );
    const again = await failure(kms.send(new CreateAliasCommand({ AliasName: "alias/describe-me", TargetKeyId: meta!.KeyId })));
    assert.equal(again.name, "AlreadyExistsException");
    assert.equal(again.message, kmsAliasExistsText(`arn:aws:kms:${REGION}:${ACCOUNT}:alias/describe-me`));
  });

  it("alias/aws/secretsmanager is an AWS managed key, made once per account and Region on first use", async () => {
    const first = (await kms.send(new DescribeKeyCommand({ KeyId: "alias/aws/secretsmanager" }))).KeyMetadata!;
    const second = (await kms.send(new DescribeKeyCommand({ KeyId: "alias/aws/secretsmanager" }))).KeyMetadata!;
    assert.equal(first.KeyManager, "AWS");
    assert.equal(first.Arn, second.Arn);
    const west = new KMSClient({ endpoint: emulator.url, region: "us-west-2", credentials });
    try {
      const other = (await west.send(new DescribeKeyCommand({ KeyId: "alias/aws/secretsmanager" }))).KeyMetadata!;
      assert.notEqual(other.Arn, first.Arn);
      assert.match(other.Arn!, /^arn:aws:kms:us-west-2:/);
    } finally {
      west.destroy();
    }
    const refused = await failure(kms.send(new DisableKeyCommand({ KeyId: first.KeyId })));
    assert.equal(refused.name, "UnsupportedOperationException");
  });
});

describe("KMS Encrypt and Decrypt", () => {
  it("round-trips through real AES-GCM; Decrypt finds the key from the blob; the context must match", async () => {
    const { KeyMetadata: meta } = await kms.send(new CreateKeyCommand({}));
    const context = { purpose: "test" };
    const enc = await kms.send(new EncryptCommand({ KeyId: meta!.KeyId, Plaintext: bytes("hunter2"), EncryptionContext: context }));
    assert.equal(enc.KeyId, meta!.Arn);
    assert.ok(!Buffer.from(enc.CiphertextBlob!).includes(Buffer.from("hunter2")), "ciphertext does not carry the plaintext");
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: context }));
    assert.equal(text(dec.Plaintext), "hunter2");
    assert.equal(dec.KeyId, meta!.Arn);
    const noContext = await failure(kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob })));
    assert.equal(noContext.name, "InvalidCiphertextException");
  });

  it("a KeyId that is not the blob's key is IncorrectKeyException", async () => {
    const a = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const b = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const enc = await kms.send(new EncryptCommand({ KeyId: a.Arn, Plaintext: bytes("x") }));
    const wrong = await failure(kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, KeyId: b.KeyId })));
    assert.equal(wrong.name, "IncorrectKeyException");
    assert.equal(wrong.message, KmsText.incorrectKey);
  });

  it("InvalidCiphertextException is exactly {\"__type\":\"InvalidCiphertextException\"} on the wire", async () => {
    const { app } = createEmulator({ signatureCheck: false });
    for (const blob of [Buffer.from("not a kms blob").toString("base64"), Buffer.alloc(120, 1).toString("base64")]) {
      const res = await request(app)
        .post("/")
        .set("X-Amz-Target", "TrentService.Decrypt")
        .set("Content-Type", "application/x-amz-json-1.1")
        .send(JSON.stringify({ CiphertextBlob: blob }));
      assert.equal(res.status, 400);
      assert.equal(res.text, '{"__type":"InvalidCiphertextException"}');
    }
  });
});

describe("KMS errors (AWS-ERRORS.md, byte for byte)", () => {
  it("unknown key id: the id expanded to the full ARN", async () => {
    const id = randomUUID();
    const err = await failure(kms.send(new DescribeKeyCommand({ KeyId: id })));
    assert.equal(err.name, "NotFoundException");
    assert.equal(err.$metadata?.httpStatusCode, 400);
    assert.equal(err.message, kmsKeyNotFoundText(`arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}`));
    assert.equal(err.message, `Key 'arn:aws:kms:us-east-1:000000000000:key/${id}' does not exist`);
  });

  it("a key id that is not a UUID", async () => {
    const err = await failure(kms.send(new EncryptCommand({ KeyId: "my-key", Plaintext: bytes("x") })));
    assert.equal(err.name, "NotFoundException");
    assert.equal(err.message, "Invalid keyId 'my-key'");
    assert.equal(err.message, kmsInvalidKeyIdText("my-key"));
  });

  it("an alias that names no key", async () => {
    const err = await failure(kms.send(new DescribeKeyCommand({ KeyId: "alias/nope" })));
    assert.equal(err.name, "NotFoundException");
    assert.equal(err.message, kmsAliasNotFoundText(`arn:aws:kms:${REGION}:${ACCOUNT}:alias/nope`));
  });

  it("disabled key: DisabledException; enabled again it works", async () => {
    const { KeyMetadata: meta } = await kms.send(new CreateKeyCommand({}));
    await kms.send(new DisableKeyCommand({ KeyId: meta!.KeyId }));
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: meta!.KeyId }))).KeyMetadata!.KeyState, "Disabled");
    const err = await failure(kms.send(new EncryptCommand({ KeyId: meta!.KeyId, Plaintext: bytes("x") })));
    assert.equal(err.name, "DisabledException");
    assert.equal(err.message, `${meta!.Arn} is disabled.`);
    assert.equal(err.message, kmsDisabledText(meta!.Arn!));
    await kms.send(new EnableKeyCommand({ KeyId: meta!.KeyId }));
    await kms.send(new EncryptCommand({ KeyId: meta!.KeyId, Plaintext: bytes("x") }));
  });

  it("pending deletion: KMSInvalidStateException; cancelled, the key is Disabled", async () => {
    const { KeyMetadata: meta } = await kms.send(new CreateKeyCommand({}));
    const scheduled = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: meta!.KeyId, PendingWindowInDays: 7 }));
    assert.equal(scheduled.KeyState, "PendingDeletion");
    assert.equal(scheduled.PendingWindowInDays, 7);
    const err = await failure(kms.send(new EncryptCommand({ KeyId: meta!.Arn, Plaintext: bytes("x") })));
    assert.equal(err.name, "KMSInvalidStateException");
    assert.equal(err.message, `${meta!.Arn} is pending deletion.`);
    assert.equal(err.message, kmsPendingDeletionText(meta!.Arn!));
    await kms.send(new CancelKeyDeletionCommand({ KeyId: meta!.KeyId }));
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: meta!.KeyId }))).KeyMetadata!.KeyState, "Disabled");
  });

  it("a key policy that would lock the caller out is refused unless the check is bypassed", async () => {
    const { KeyMetadata: meta } = await kms.send(new CreateKeyCommand({}));
    const onlySomeRole = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/someone` }, Action: "kms:Decrypt", Resource: "*" }],
    });
    const err = await failure(kms.send(new PutKeyPolicyCommand({ KeyId: meta!.KeyId, PolicyName: "default", Policy: onlySomeRole })));
    assert.equal(err.name, "MalformedPolicyDocumentException");
    assert.equal(err.message, KmsText.policyLockout);
    await kms.send(new PutKeyPolicyCommand({ KeyId: meta!.KeyId, PolicyName: "default", Policy: onlySomeRole, BypassPolicyLockoutSafetyCheck: true }));
    assert.equal((await kms.send(new GetKeyPolicyCommand({ KeyId: meta!.KeyId }))).Policy, onlySomeRole);
    const garbage = await failure(kms.send(new CreateKeyCommand({ Policy: "{not json" })));
    assert.equal(garbage.name, "MalformedPolicyDocumentException");
  });
});

describe("Secrets Manager under KMS keys", () => {
  const value = JSON.stringify({ username: "u", password: "p" });

  it("DescribeSecret shows KmsKeyId for a customer managed key only", async () => {
    const { KeyMetadata: meta } = await kms.send(new CreateKeyCommand({}));
    await sm.send(new CreateSecretCommand({ Name: "kms/customer", SecretString: value, KmsKeyId: meta!.Arn }));
    await sm.send(new CreateSecretCommand({ Name: "kms/default", SecretString: value }));
    await sm.send(new CreateSecretCommand({ Name: "kms/explicit-default", SecretString: value, KmsKeyId: "alias/aws/secretsmanager" }));
    assert.equal((await sm.send(new DescribeSecretCommand({ SecretId: "kms/customer" }))).KmsKeyId, meta!.Arn);
    assert.equal((await sm.send(new DescribeSecretCommand({ SecretId: "kms/default" }))).KmsKeyId, undefined);
    assert.equal((await sm.send(new DescribeSecretCommand({ SecretId: "kms/explicit-default" }))).KmsKeyId, undefined);
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: "kms/customer" }))).SecretString, value);
  });

  it("a disabled or pending-deletion key: DecryptionFailure with the key ARN and a KMS request id", async () => {
    const { KeyMetadata: meta } = await kms.send(new CreateKeyCommand({}));
    await sm.send(new CreateSecretCommand({ Name: "kms/disabled", SecretString: value, KmsKeyId: meta!.KeyId }));
    await kms.send(new DisableKeyCommand({ KeyId: meta!.KeyId }));
    const disabled = await failure(sm.send(new GetSecretValueCommand({ SecretId: "kms/disabled" })));
    assert.equal(disabled.name, "DecryptionFailure");
    const uuid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    const escaped = meta!.Arn!.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    assert.match(
      disabled.message,
      new RegExp(`^Secrets Manager can't decrypt the secret value: ${escaped} is disabled\\. \\(Service: AWSKMS; Status Code: 400; Error Code: DisabledException; Request ID: ${uuid}; Proxy: null\\)$`),
    );
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: meta!.KeyId }));
    const pending = await failure(sm.send(new GetSecretValueCommand({ SecretId: "kms/disabled" })));
    assert.equal(pending.name, "DecryptionFailure");
    assert.match(
      pending.message,
      new RegExp(`^Secrets Manager can't decrypt the secret value: ${escaped} is pending deletion\\. \\(Service: AWSKMS; Status Code: 400; Error Code: KMSInvalidStateException; Request ID: ${uuid}; Proxy: null\\)$`),
    );
  });

  it("a KmsKeyId that names no key: EncryptionFailure wrapping KMS's NotFoundException", async () => {
    const id = randomUUID();
    const err = await failure(sm.send(new CreateSecretCommand({ Name: "kms/missing-key", SecretString: value, KmsKeyId: id })));
    assert.equal(err.name, "EncryptionFailure");
    assert.ok(err.message.startsWith(`Secrets Manager can't encrypt the secret value: Key 'arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}' does not exist (Service: AWSKMS; Status Code: 400; Error Code: NotFoundException; Request ID: `));
  });
});

describe("KMS and the new Secrets Manager operations on bad input", () => {
  it("random JSON bodies never produce a 500 or a stack trace", async () => {
    const { app } = createEmulator({ signatureCheck: false });
    const call = (target: string, input: unknown) =>
      request(app).post("/").set("X-Amz-Target", target).set("Content-Type", "application/x-amz-json-1.1").send(JSON.stringify(input));
    const created = await call("TrentService.CreateKey", {});
    const keyId = (JSON.parse(created.text) as { KeyMetadata: { KeyId: string; Arn: string } }).KeyMetadata;
    await call("secretsmanager.CreateSecret", { Name: "fuzz", SecretString: "x", ClientRequestToken: "f".repeat(32) });
    const kmsOps = ["CreateKey", "DescribeKey", "ListKeys", "CreateAlias", "ListAliases", "GetKeyPolicy", "PutKeyPolicy", "Encrypt", "Decrypt", "EnableKey", "DisableKey", "ScheduleKeyDeletion", "CancelKeyDeletion"];
    const smOps = ["PutResourcePolicy", "GetResourcePolicy", "DeleteResourcePolicy"];
    const operations = [...kmsOps.map((o) => `TrentService.${o}`), ...smOps.map((o) => `secretsmanager.${o}`)];
    const key = fc.oneof(fc.constantFrom(keyId.KeyId, keyId.Arn, "alias/aws/secretsmanager", "alias/x", "fuzz"), fc.string());
    const member = fc.oneof(key, fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.oneof(fc.string(), fc.object())), fc.object(), fc.base64String());
    const body = fc.record(
      {
        KeyId: member, TargetKeyId: member, AliasName: member, Plaintext: member, CiphertextBlob: member, EncryptionContext: member,
        Policy: member, PolicyName: member, Description: member, KeyUsage: member, PendingWindowInDays: member, Limit: member,
        Marker: member, Tags: member, BypassPolicyLockoutSafetyCheck: member, SecretId: member, ResourcePolicy: member, BlockPublicPolicy: member,
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...operations), body, async (op, input) => {
        const res = await call(op, input);
        assert.ok(res.status === 200 || res.status === 400, `${op} → ${res.status} ${res.text}`);
        if (res.status === 400) {
          const keys = Object.keys(JSON.parse(res.text) as object);
          assert.ok(keys.length === 1 ? keys[0] === "__type" : keys[0] === "__type" && (keys[1] === "message" || keys[1] === "Message"), res.text);
        }
        assert.ok(!/\n\s+at /.test(res.text));
      }),
      { numRuns: 200 },
    );
  });
});
