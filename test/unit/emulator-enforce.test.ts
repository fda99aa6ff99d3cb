// The enforcement hook (emulator/authorize.ts) called through the service tables, without HTTP: the decision and
// its explanation travel on the error; admin callers pass untouched; the request context carries what AWS's does;
// resource policies are validated like AWS; KMS's key-policy rule; bad input stays a 4xx for every caller.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Principal } from "../../emulator/auth/principal.ts";
import { AccessDenied, requestContext } from "../../emulator/authorize.ts";
import { AwsError, EmulatorStore, type RequestContext } from "../../emulator/index.ts";
import { MalformedPolicyText, accessDeniedMessage } from "../../aws/iam/index.ts";
import { KmsText, SecretsManagerPolicyText } from "../../aws/texts.ts";
import { kmsService } from "../../emulator/services/kms/index.ts";
import { secretsManagerService } from "../../emulator/services/secretsmanager/index.ts";
import { iamState } from "../../emulator/state/iam.ts";

const ACCOUNT = "123456789012";
const REGION = "eu-west-1";
const sm = secretsManagerService.operations;
const kms = kmsService.operations;

function world() {
  const store = new EmulatorStore();
  const base = { account: ACCOUNT, region: REGION, requestId: "r", now: Date.UTC(2025, 5, 1, 12), store, sourceIp: "127.0.0.1", secureTransport: false };
  const admin: RequestContext = { ...base, principal: { arn: `arn:aws:iam::${ACCOUNT}:root`, account: ACCOUNT, type: "Root", admin: true, accessKeyId: "test" } };
  let n = 0;
  const session = (inline: Record<string, string>, tags: { Key: string; Value: string }[] = []): RequestContext => {
    const roleName = `role-${++n}`;
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/team/${roleName}`;
    iamState(store, ACCOUNT).roles.set(roleName, {
      roleName,
      roleId: `AROA${n}`,
      arn: roleArn,
      path: "/team/",
      createDate: 0,
      assumeRolePolicyDocument: "{}",
      maxSessionDuration: 3600,
      tags,
      inlinePolicies: new Map(Object.entries(inline)),
      attachedPolicies: [],
    });
    const principal: Principal = {
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${roleName}/task`,
      account: ACCOUNT,
      type: "AssumedRole",
      admin: false,
      accessKeyId: `ASIA${n}`,
      roleArn,
      roleName,
      sessionName: "task",
    };
    return { ...base, principal };
  };
  return { store, admin, session };
}

const policy = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
let tokens = 0;
const token = () => `token-${String(++tokens).padStart(32, "0")}`;

function thrown(fn: () => unknown): AwsError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof AwsError, `not an AwsError: ${String(error)}`);
    return error;
  }
  assert.fail("expected a throw");
}

describe("enforcement hook", () => {
  it("a denial carries the decision, its statement-level explanation and the hint for a missing -?????? suffix", () => {
    const w = world();
    const { ARN } = sm.CreateSecret!(w.admin, { Name: "creds", SecretString: "{}", ClientRequestToken: token() }) as { ARN: string };
    const me = w.session({ p: policy({ Sid: "Creds", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: ARN.slice(0, -7) }) });
    const error = thrown(() => sm.GetSecretValue!(me, { SecretId: "creds" }));
    assert.ok(error instanceof AccessDenied);
    assert.equal(error.text, accessDeniedMessage(me.principal!.arn, "secretsmanager:GetSecretValue", "creds", "noIdentityAllow"));
    assert.equal(error.decision.decision, "implicitDeny");
    assert.equal(error.target.resource, ARN, "an existing secret is matched by its full ARN");
    assert.match(error.detail, /Sid "Creds"/);
    assert.ok(error.decision.hints.some((h) => h.includes(`${ARN.slice(0, -7)}-??????`)));
  });

  it("admin keys and contexts without a principal pass untouched", () => {
    const w = world();
    sm.CreateSecret!(w.admin, { Name: "a", SecretString: "x", ClientRequestToken: token() });
    assert.equal((sm.GetSecretValue!(w.admin, { SecretId: "a" }) as { SecretString: string }).SecretString, "x");
    const { principal: _, ...noPrincipal } = w.admin;
    assert.equal((sm.GetSecretValue!(noPrincipal, { SecretId: "a" }) as { SecretString: string }).SecretString, "x");
  });

  it("the request context: principal ARN with the role's path, region, time, transport, source IP, tags", () => {
    const w = world();
    const me = w.session({});
    const context = requestContext(me, me.principal!, {
      action: "secretsmanager:GetSecretValue",
      resource: "arn",
      resourceAccount: ACCOUNT,
      resourceTags: [{ Key: "env", Value: "prod" }],
      tagPrefix: "secretsmanager",
    });
    assert.equal(context["aws:PrincipalArn"], me.principal!.roleArn);
    assert.equal(context["aws:RequestedRegion"], REGION);
    assert.equal(context["aws:CurrentTime"], "2025-06-01T12:00:00Z");
    assert.equal(context["aws:SecureTransport"], "false");
    assert.equal(context["aws:SourceIp"], "127.0.0.1");
    assert.equal(context["aws:ResourceTag/env"], "prod");
    assert.equal(context["secretsmanager:ResourceTag/env"], "prod");
  });

  it("aws:PrincipalTag comes from the role's tags", () => {
    const w = world();
    sm.CreateSecret!(w.admin, { Name: "t", SecretString: "x", ClientRequestToken: token() });
    const read = policy({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*", Condition: { StringEquals: { "aws:PrincipalTag/team": "ci" } } });
    assert.equal((sm.GetSecretValue!(w.session({ p: read }, [{ Key: "team", Value: "ci" }]), { SecretId: "t" }) as { SecretString: string }).SecretString, "x");
    assert.equal(thrown(() => sm.GetSecretValue!(w.session({ p: read }, [{ Key: "team", Value: "web" }]), { SecretId: "t" })).code, "AccessDeniedException");
  });

  it("bad input is a 4xx AWS error for an enforced caller too, never a crash", () => {
    const w = world();
    const me = w.session({});
    assert.equal(thrown(() => sm.GetSecretValue!(me, { SecretId: 7 })).code, "SerializationException");
    assert.equal(thrown(() => sm.GetSecretValue!(me, {})).code, "ValidationException");
    assert.equal(thrown(() => kms.Decrypt!(me, { CiphertextBlob: "%%%" })).code, "SerializationException");
    assert.equal(thrown(() => kms.DescribeKey!(me, { KeyId: "not-a-key" })).text, "Invalid keyId 'not-a-key'");
  });
});

describe("resource policies (Secrets Manager)", () => {
  it("Put / Get / Delete round trip", () => {
    const w = world();
    sm.CreateSecret!(w.admin, { Name: "rp", SecretString: "x", ClientRequestToken: token() });
    const doc = policy({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "secretsmanager:GetSecretValue", Resource: "*" });
    sm.PutResourcePolicy!(w.admin, { SecretId: "rp", ResourcePolicy: doc });
    assert.equal((sm.GetResourcePolicy!(w.admin, { SecretId: "rp" }) as { ResourcePolicy?: string }).ResourcePolicy, doc);
    sm.DeleteResourcePolicy!(w.admin, { SecretId: "rp" });
    assert.equal((sm.GetResourcePolicy!(w.admin, { SecretId: "rp" }) as { ResourcePolicy?: string }).ResourcePolicy, undefined);
  });

  it("a policy IAM's grammar refuses: MalformedPolicyDocumentException with IAM's text and the precise detail", () => {
    const w = world();
    sm.CreateSecret!(w.admin, { Name: "bad", SecretString: "x", ClientRequestToken: token() });
    const error = thrown(() => sm.PutResourcePolicy!(w.admin, { SecretId: "bad", ResourcePolicy: "{nope" }));
    assert.equal(error.code, "MalformedPolicyDocumentException");
    assert.equal(error.text, MalformedPolicyText.syntax);
    assert.equal(typeof (error as AwsError & { detail?: string }).detail, "string");
  });

  it("BlockPublicPolicy refuses a policy open to everyone", () => {
    const w = world();
    sm.CreateSecret!(w.admin, { Name: "pub", SecretString: "x", ClientRequestToken: token() });
    const open = policy({ Effect: "Allow", Principal: "*", Action: "secretsmanager:GetSecretValue", Resource: "*" });
    const error = thrown(() => sm.PutResourcePolicy!(w.admin, { SecretId: "pub", ResourcePolicy: open, BlockPublicPolicy: true }));
    assert.equal(error.code, "PublicPolicyException");
    assert.equal(error.text, SecretsManagerPolicyText.publicPolicy);
    sm.PutResourcePolicy!(w.admin, { SecretId: "pub", ResourcePolicy: open });
  });
});

describe("KMS enforcement", () => {
  it("CreateKey is an action on no key: its denial names no resource", () => {
    const w = world();
    const me = w.session({});
    const error = thrown(() => kms.CreateKey!(me, {}));
    assert.equal(
      error.text,
      `User: ${me.principal!.arn} is not authorized to perform: kms:CreateKey because no identity-based policy allows the kms:CreateKey action`,
    );
  });

  it("an identity policy alone never opens a key whose policy neither names the role nor delegates to the account", () => {
    const w = world();
    const me = w.session({ p: policy({ Effect: "Allow", Action: "kms:*", Resource: "*" }) });
    const onlyAdmin = policy({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/admin` }, Action: "kms:*", Resource: "*" });
    const { KeyMetadata } = kms.CreateKey!(w.admin, { Policy: onlyAdmin, BypassPolicyLockoutSafetyCheck: true }) as { KeyMetadata: { Arn: string } };
    const error = thrown(() => kms.DescribeKey!(me, { KeyId: KeyMetadata.Arn }));
    assert.equal(error.text, accessDeniedMessage(me.principal!.arn, "kms:DescribeKey", KeyMetadata.Arn, "noResourceAllow"));
    // With the default key policy (delegating to the account) the identity policy decides.
    const { KeyMetadata: open } = kms.CreateKey!(w.admin, {}) as { KeyMetadata: { Arn: string } };
    kms.DescribeKey!(me, { KeyId: open.Arn });
  });

  it("the lockout check applies to role callers too", () => {
    const w = world();
    const me = w.session({ p: policy({ Effect: "Allow", Action: "kms:*", Resource: "*" }) });
    const { KeyMetadata } = kms.CreateKey!(me, {}) as { KeyMetadata: { KeyId: string } };
    const notMe = policy({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/other` }, Action: "kms:*", Resource: "*" });
    const error = thrown(() => kms.PutKeyPolicy!(me, { KeyId: KeyMetadata.KeyId, Policy: notMe }));
    assert.equal(error.code, "MalformedPolicyDocumentException");
    assert.equal(error.text, KmsText.policyLockout);
  });
});
