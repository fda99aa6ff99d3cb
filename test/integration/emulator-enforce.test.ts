// IAM enforcement through the real AWS SDK v3: roles are assumed with the emulator's STS (SigV4-signed, temporary
// credentials), then Secrets Manager and KMS decide like AWS. One test per FAILURE-CATALOG `cred-*` IAM/KMS row,
// each denial compared byte for byte, plus the statement-level reason in the emulator's log.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CreateKeyCommand, DescribeKeyCommand, DisableKeyCommand, EncryptCommand, KMSClient, PutKeyPolicyCommand } from "@aws-sdk/client-kms";
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutResourcePolicyCommand,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { type EmulatorLogEntry, type StartedEmulator, startEmulator } from "../../emulator/index.ts";
import { accessDeniedMessage, kmsNotVisibleText } from "../../aws/iam/index.ts";
import { SecretsManagerText } from "../../aws/texts.ts";
import { iamState } from "../../emulator/state/iam.ts";
import { failure, type SdkError } from "../unit/sdk-failure.ts";

const A = "111111111111";
const B = "222222222222";
const REGION = "us-east-1";
const ADMIN: Record<string, { accessKeyId: string; secretAccessKey: string }> = {
  [A]: { accessKeyId: "AKIAADMINAAAAAAAAAAA", secretAccessKey: "admin-a-secret" },
  [B]: { accessKeyId: "AKIAADMINBBBBBBBBBBB", secretAccessKey: "admin-b-secret" },
};
const VALUE = JSON.stringify({ username: "ci", password: "pw" });
const ECS_MANAGED = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";

let emulator: StartedEmulator;
const logs: EmulatorLogEntry[] = [];
const clients: { destroy(): void }[] = [];

function client<T extends { destroy(): void }>(c: T): T {
  clients.push(c);
  return c;
}

const adminSm = (account: string) => client(new SecretsManagerClient({ endpoint: emulator.url, region: REGION, credentials: ADMIN[account]! }));
const adminKms = (account: string) => client(new KMSClient({ endpoint: emulator.url, region: REGION, credentials: ADMIN[account]! }));

before(async () => {
  emulator = await startEmulator({
    accounts: [
      { account: A, ...ADMIN[A]! },
      { account: B, ...ADMIN[B]! },
    ],
    log: (entry) => logs.push(entry),
  });
});

after(async () => {
  for (const c of clients) c.destroy();
  await emulator.close();
});

type Statement = Record<string, unknown>;
const policy = (...Statement: Statement[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const allow = (Action: string | string[], Resource: string | string[], extra: Statement = {}) => ({ Effect: "Allow", Action, Resource, ...extra });
const deny = (Action: string | string[], Resource: string | string[], extra: Statement = {}) => ({ Effect: "Deny", Action, Resource, ...extra });

let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}`;

interface RoleSpec {
  inline?: Record<string, string>;
  /** Managed policies: AWS managed ARNs as given, documents become customer managed policies. */
  attached?: string[];
  boundary?: string;
  tags?: Record<string, string>;
}

function managedPolicy(account: string, document: string): string {
  if (document.startsWith("arn:")) return document;
  const name = unique("policy");
  const arn = `arn:aws:iam::${account}:policy/${name}`;
  const now = Date.now();
  iamState(emulator.emulator.store, account).policies.set(arn, {
    policyName: name,
    policyId: `ANPA${String(counter).padStart(17, "0")}`,
    arn,
    path: "/",
    createDate: now,
    updateDate: now,
    defaultVersionId: "v1",
    versions: [{ versionId: "v1", document, isDefaultVersion: true, createDate: now }],
    tags: [],
    awsManaged: false,
  });
  return arn;
}

/** A role in `account` that the account's admin may assume, with the given policies (set up in IAM's state). */
function role(account: string, spec: RoleSpec): string {
  const roleName = unique("execution-role");
  const arn = `arn:aws:iam::${account}:role/${roleName}`;
  iamState(emulator.emulator.store, account).roles.set(roleName.toLowerCase(), {
    roleName,
    roleId: `AROA${String(counter).padStart(17, "0")}`,
    arn,
    path: "/",
    createDate: Date.now(),
    assumeRolePolicyDocument: policy({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "sts:AssumeRole" }),
    maxSessionDuration: 3600,
    tags: Object.entries(spec.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
    inlinePolicies: new Map(Object.entries(spec.inline ?? {})),
    attachedPolicies: (spec.attached ?? []).map((d) => managedPolicy(account, d)),
    ...(spec.boundary !== undefined && { permissionsBoundary: managedPolicy(account, spec.boundary) }),
  });
  return arn;
}

interface Session {
  arn: string;
  sm: SecretsManagerClient;
  kms: KMSClient;
}

/** Assumes `roleArn` with the emulator's STS, as the agent does with the execution role. */
async function session(roleArn: string): Promise<Session> {
  const account = roleArn.split(":")[4]!;
  const sts = client(new STSClient({ endpoint: emulator.url, region: REGION, credentials: ADMIN[account]! }));
  const { Credentials: c, AssumedRoleUser } = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "ecs-task" }));
  const credentials = { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! };
  return {
    arn: AssumedRoleUser!.Arn!,
    sm: client(new SecretsManagerClient({ endpoint: emulator.url, region: REGION, credentials })),
    kms: client(new KMSClient({ endpoint: emulator.url, region: REGION, credentials })),
  };
}

async function secret(account: string, extra: { KmsKeyId?: string; Tags?: { Key: string; Value: string }[]; ResourcePolicy?: string } = {}) {
  const sm = adminSm(account);
  const { ResourcePolicy, ...create } = extra;
  const { ARN, Name } = await sm.send(new CreateSecretCommand({ Name: unique("registry/creds"), SecretString: VALUE, ...create }));
  if (ResourcePolicy !== undefined) await sm.send(new PutResourcePolicyCommand({ SecretId: ARN, ResourcePolicy }));
  return { arn: ARN!, name: Name! };
}

async function customerKey(account: string, keyPolicy?: string): Promise<string> {
  const kms = adminKms(account);
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: "registry credentials" }));
  if (keyPolicy !== undefined) await kms.send(new PutKeyPolicyCommand({ KeyId: KeyMetadata!.KeyId, PolicyName: "default", Policy: keyPolicy }));
  return KeyMetadata!.Arn!;
}

async function denied(promise: Promise<unknown>, message: string): Promise<SdkError> {
  const error = await failure(promise);
  assert.equal(error.name, "AccessDeniedException");
  assert.equal(error.$metadata?.httpStatusCode, 400);
  assert.equal(error.message, message);
  return error;
}

const getValue = (s: Session, SecretId: string) => s.sm.send(new GetSecretValueCommand({ SecretId }));
const GET = "secretsmanager:GetSecretValue";

describe("enforcement: Secrets Manager GetSecretValue as an assumed execution role", () => {
  it("allowed: an inline policy on the secret's ARN", async () => {
    const s = await secret(A);
    const me = await session(role(A, { inline: { read: policy(allow(GET, s.arn)) } }));
    assert.equal((await getValue(me, s.name)).SecretString, VALUE);
    assert.equal((await getValue(me, s.arn)).SecretString, VALUE);
  });

  it("cred-no-permission: only AmazonECSTaskExecutionRolePolicy → no identity-based policy allows", async () => {
    const s = await secret(A);
    const me = await session(role(A, { attached: [ECS_MANAGED] }));
    await denied(
      getValue(me, s.name),
      `User: ${me.arn} is not authorized to perform: secretsmanager:GetSecretValue on resource: ${s.name} because no identity-based policy allows the secretsmanager:GetSecretValue action`,
    );
    // The resource is named as the caller passed it.
    await denied(getValue(me, s.arn), accessDeniedMessage(me.arn, GET, s.arn, "noIdentityAllow"));
  });

  it("cred-explicit-deny: a Deny in an inline policy beats the Allow", async () => {
    const s = await secret(A);
    const me = await session(role(A, { inline: { all: policy(allow("secretsmanager:*", "*")), guard: policy(deny(GET, s.arn)) } }));
    await denied(
      getValue(me, s.arn),
      `User: ${me.arn} is not authorized to perform: secretsmanager:GetSecretValue on resource: ${s.arn} with an explicit deny in an identity-based policy`,
    );
  });

  it("cred-explicit-deny: a Deny in an attached managed policy", async () => {
    const s = await secret(A);
    const me = await session(role(A, { inline: { all: policy(allow(GET, "*")) }, attached: [policy(deny("secretsmanager:Get*", "*"))] }));
    await denied(getValue(me, s.name), accessDeniedMessage(me.arn, GET, s.name, "identityExplicitDeny"));
  });

  it("cred-explicit-deny: a Deny in the secret's resource policy", async () => {
    const roleArn = role(A, { inline: { read: policy(allow(GET, "*")) } });
    const s = await secret(A, { ResourcePolicy: policy(deny(GET, "*", { Principal: { AWS: roleArn } })) });
    const me = await session(roleArn);
    await denied(
      getValue(me, s.name),
      `User: ${me.arn} is not authorized to perform: secretsmanager:GetSecretValue on resource: ${s.name} with an explicit deny in a resource-based policy`,
    );
  });

  it("cred-missing-suffix: a policy naming the ARN without -?????? denies, and the log says why", async () => {
    const s = await secret(A);
    const withoutSuffix = s.arn.slice(0, -7);
    const me = await session(role(A, { inline: { read: policy(allow(GET, withoutSuffix)) } }));
    const error = await denied(getValue(me, s.arn), accessDeniedMessage(me.arn, GET, s.arn, "noIdentityAllow"));
    const entry = logs.find((e) => e.requestId === error.$metadata?.requestId);
    assert.ok(entry?.detail?.includes(`${withoutSuffix}-??????`), entry?.detail);
    const fixed = await session(role(A, { inline: { read: policy(allow(GET, `${withoutSuffix}-??????`)) } }));
    assert.equal((await getValue(fixed, s.arn)).SecretString, VALUE);
  });

  it("cred-condition: aws:ResourceTag/env must match", async () => {
    const prod = await secret(A, { Tags: [{ Key: "env", Value: "prod" }] });
    const dev = await secret(A, { Tags: [{ Key: "env", Value: "dev" }] });
    const me = await session(role(A, { inline: { read: policy(allow(GET, "*", { Condition: { StringEquals: { "aws:ResourceTag/env": "prod" } } })) } }));
    assert.equal((await getValue(me, prod.name)).SecretString, VALUE);
    await denied(getValue(me, dev.name), accessDeniedMessage(me.arn, GET, dev.name, "noIdentityAllow"));
    const viaService = await session(role(A, { inline: { read: policy(allow(GET, "*", { Condition: { StringEquals: { "secretsmanager:ResourceTag/env": "dev" } } })) } }));
    assert.equal((await getValue(viaService, dev.name)).SecretString, VALUE);
  });

  it("cred-boundary: a permissions boundary that does not allow the call", async () => {
    const s = await secret(A);
    const me = await session(role(A, { inline: { read: policy(allow(GET, "*")) }, boundary: policy(allow("s3:*", "*")) }));
    await denied(
      getValue(me, s.name),
      `User: ${me.arn} is not authorized to perform: secretsmanager:GetSecretValue on resource: ${s.name} because no permissions boundary allows the secretsmanager:GetSecretValue action`,
    );
  });

  it("permission is checked before existence", async () => {
    const nobody = await session(role(A, {}));
    await denied(getValue(nobody, "does/not/exist"), accessDeniedMessage(nobody.arn, GET, "does/not/exist", "noIdentityAllow"));
    const reader = await session(role(A, { inline: { read: policy(allow(GET, "*")) } }));
    const missing = await failure(getValue(reader, "does/not/exist"));
    assert.equal(missing.name, "ResourceNotFoundException");
    assert.equal(missing.message, SecretsManagerText.secretNotFound);
  });

  it("ListSecrets denied: no resource in the text", async () => {
    const me = await session(role(A, {}));
    await denied(
      me.sm.send(new ListSecretsCommand({})),
      `User: ${me.arn} is not authorized to perform: secretsmanager:ListSecrets because no identity-based policy allows the secretsmanager:ListSecrets action`,
    );
  });
});

describe("enforcement: customer managed KMS keys", () => {
  it("cred-kms: no kms:Decrypt on the secret's key → Access to KMS is not allowed; with it (via Secrets Manager) allowed", async () => {
    const key = await customerKey(A);
    const s = await secret(A, { KmsKeyId: key });
    const without = await session(role(A, { inline: { read: policy(allow(GET, s.arn)) } }));
    const error = await denied(getValue(without, s.name), "Access to KMS is not allowed");
    assert.equal(error.message, SecretsManagerText.kmsAccessDenied);
    const entry = logs.find((e) => e.requestId === error.$metadata?.requestId);
    assert.match(entry?.detail ?? "", /kms:Decrypt/);
    const decryptViaSm = allow("kms:Decrypt", key, { Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com` } } });
    const withKms = await session(role(A, { inline: { read: policy(allow(GET, s.arn), decryptViaSm) } }));
    assert.equal((await getValue(withKms, s.name)).SecretString, VALUE);
    // The same permission does not let the role call KMS directly (kms:ViaService is absent then).
    await denied(
      withKms.kms.send(new EncryptCommand({ KeyId: key, Plaintext: new Uint8Array([1]) })),
      `User: ${withKms.arn} is not authorized to perform: kms:Encrypt on resource: ${key} because no identity-based policy allows the kms:Encrypt action`,
    );
  });

  it("a key policy that names the role lets it decrypt without any identity-based KMS permission", async () => {
    const roleArn = role(A, { inline: { read: policy(allow(GET, "*")) } });
    const key = await customerKey(
      A,
      policy(
        { Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: "kms:*", Resource: "*" },
        { Sid: "Execution role", Effect: "Allow", Principal: { AWS: roleArn }, Action: "kms:Decrypt", Resource: "*" },
      ),
    );
    const s = await secret(A, { KmsKeyId: key });
    assert.equal((await getValue(await session(roleArn), s.name)).SecretString, VALUE);
  });

  it("cred-kms-disabled: the secret's key is disabled → DecryptionFailure", async () => {
    const key = await customerKey(A);
    const s = await secret(A, { KmsKeyId: key });
    const me = await session(role(A, { inline: { read: policy(allow(GET, s.arn), allow("kms:Decrypt", key)) } }));
    await adminKms(A).send(new DisableKeyCommand({ KeyId: key }));
    const error = await failure(getValue(me, s.name));
    assert.equal(error.name, "DecryptionFailure");
    assert.ok(error.message.startsWith(`Secrets Manager can't decrypt the secret value: ${key} is disabled. (Service: AWSKMS; Status Code: 400; Error Code: DisabledException; Request ID: `), error.message);
    assert.ok(error.message.endsWith("; Proxy: null)"));
  });
});

describe("enforcement: cross-account", () => {
  /** A secret in B under B's customer key, shared with A's role by the key policy and the resource policy. */
  async function shared(readerRoleArn: string, withResourcePolicy = true) {
    const key = await customerKey(
      B,
      policy(
        { Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: "kms:*", Resource: "*" },
        { Sid: "Account A", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: ["kms:Decrypt", "kms:DescribeKey"], Resource: "*" },
      ),
    );
    const s = await secret(B, {
      KmsKeyId: key,
      ...(withResourcePolicy && { ResourcePolicy: policy(allow(GET, "*", { Principal: { AWS: readerRoleArn } })) }),
    });
    return { key, ...s };
  }

  const readerPolicy = policy(allow(GET, "*"), allow("kms:Decrypt", `arn:aws:kms:${REGION}:${B}:key/*`));

  it("cred-cross-account-name: by name the secret is looked for in the caller's own account", async () => {
    const roleArn = role(A, { inline: { read: readerPolicy } });
    const s = await shared(roleArn);
    const me = await session(roleArn);
    const byName = await failure(getValue(me, s.name));
    assert.equal(byName.name, "ResourceNotFoundException");
    assert.equal(byName.message, SecretsManagerText.secretNotFound);
    // A partial ARN does not reach another account's secret: nothing there lets the caller in.
    const partial = s.arn.slice(0, -7);
    await denied(getValue(me, partial), accessDeniedMessage(me.arn, GET, partial, "noResourceAllow"));
    assert.equal((await getValue(me, s.arn)).SecretString, VALUE);
  });

  it("by full ARN without a resource policy: no resource-based policy allows", async () => {
    const roleArn = role(A, { inline: { read: readerPolicy } });
    const s = await shared(roleArn, false);
    const me = await session(roleArn);
    await denied(
      getValue(me, s.arn),
      `User: ${me.arn} is not authorized to perform: secretsmanager:GetSecretValue on resource: ${s.arn} because no resource-based policy allows the secretsmanager:GetSecretValue action`,
    );
  });

  it("by full ARN with the resource policy but no identity-based allow", async () => {
    const roleArn = role(A, {});
    const s = await shared(roleArn);
    const me = await session(roleArn);
    await denied(getValue(me, s.arn), accessDeniedMessage(me.arn, GET, s.arn, "noIdentityAllow"));
  });

  it("cred-cross-account-default-key: a secret under aws/secretsmanager cannot be read from another account", async () => {
    const roleArn = role(A, { inline: { read: readerPolicy } });
    const s = await secret(B, { ResourcePolicy: policy(allow(GET, "*", { Principal: { AWS: roleArn } })) });
    const error = await failure(getValue(await session(roleArn), s.arn));
    assert.equal(error.name, "InvalidRequestException");
    assert.equal(error.message, "You can't access a secret from a different AWS account if you encrypt the secret with the default KMS service key.");
    assert.equal(error.message, SecretsManagerText.crossAccountDefaultKey);
  });

  it("an account's admin key (its root) needs the other account's resource policy: denied without, allowed with", async () => {
    const root = `arn:aws:iam::${A}:root`;
    const sm = adminSm(A);
    const key = await customerKey(
      B,
      policy(
        { Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: "kms:*", Resource: "*" },
        { Sid: "Account A", Effect: "Allow", Principal: { AWS: root }, Action: "kms:Decrypt", Resource: "*" },
      ),
    );
    const closed = await secret(B, { KmsKeyId: key });
    await denied(sm.send(new DescribeSecretCommand({ SecretId: closed.arn })), accessDeniedMessage(root, "secretsmanager:DescribeSecret", closed.arn, "noResourceAllow"));
    await denied(
      sm.send(new GetSecretValueCommand({ SecretId: closed.arn })),
      `User: ${root} is not authorized to perform: ${GET} on resource: ${closed.arn} because no resource-based policy allows the ${GET} action`,
    );
    const open = await secret(B, { KmsKeyId: key, ResourcePolicy: policy(allow([GET, "secretsmanager:DescribeSecret"], "*", { Principal: { AWS: root } })) });
    assert.equal((await sm.send(new DescribeSecretCommand({ SecretId: open.arn }))).ARN, open.arn);
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: open.arn }))).SecretString, VALUE);
    // Its own account's secrets stay open to it without any policy.
    const own = await secret(A);
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: own.arn }))).SecretString, VALUE);
  });

  it("an admin key across accounts: the key policy must let its root decrypt; the default key is refused", async () => {
    const root = `arn:aws:iam::${A}:root`;
    const sm = adminSm(A);
    const readable = policy(allow(GET, "*", { Principal: { AWS: root } }));
    const bOnly = await customerKey(B, policy({ Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: "kms:*", Resource: "*" }));
    const s = await secret(B, { KmsKeyId: bOnly, ResourcePolicy: readable });
    await denied(sm.send(new GetSecretValueCommand({ SecretId: s.arn })), SecretsManagerText.kmsAccessDenied);
    const defaultKey = await secret(B, { ResourcePolicy: readable });
    const error = await failure(sm.send(new GetSecretValueCommand({ SecretId: defaultKey.arn })));
    assert.equal(error.name, "InvalidRequestException");
    assert.equal(error.message, SecretsManagerText.crossAccountDefaultKey);
  });

  it("KMS: another account's key the caller may not use is described in KMS's own words", async () => {
    const key = await customerKey(B);
    const me = await session(role(A, { inline: { all: policy(allow("kms:*", "*")) } }));
    await denied(me.kms.send(new DescribeKeyCommand({ KeyId: key })), kmsNotVisibleText(me.arn, "kms:DescribeKey"));
    assert.equal(
      kmsNotVisibleText(me.arn, "kms:DescribeKey"),
      `User: ${me.arn} is not authorized to perform: kms:DescribeKey on this resource because the resource does not exist in this Region, no resource-based policies allow access, or a resource-based policy explicitly denies access`,
    );
  });
});
