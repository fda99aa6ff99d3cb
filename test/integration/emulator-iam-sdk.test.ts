// IAM, STS and Secrets Manager driven by the real SDK v3 clients against the emulator with signature checking on:
// admin keys, then temporary credentials from AssumeRole; wire errors as the SDK sees them.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListPoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  SimulatePrincipalPolicyCommand,
} from "@aws-sdk/client-iam";
import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { type StartedEmulator, startEmulator } from "../../emulator/index.ts";
import { AuthText, noSuchRoleText, roleExistsText } from "../../aws/texts.ts";
import { MalformedPolicyText, accessDeniedMessage } from "../../aws/iam/index.ts";
import { failure } from "../unit/sdk-failure.ts";

const ACCOUNT = "000000000000";
const admin = { accessKeyId: "test", secretAccessKey: "test" };
const region = "us-east-1";

let emulator: StartedEmulator;
let iam: IAMClient;
let sts: STSClient;
let sm: SecretsManagerClient;
const clients: { destroy(): void }[] = [];

function client<T extends { destroy(): void }>(c: T): T {
  clients.push(c);
  return c;
}

const trustAccount = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "sts:AssumeRole" }] });
const readSecrets = (resource: string) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: resource }] });

before(async () => {
  emulator = await startEmulator({ port: 0 });
  iam = client(new IAMClient({ endpoint: emulator.url, region, credentials: admin }));
  sts = client(new STSClient({ endpoint: emulator.url, region, credentials: admin }));
  sm = client(new SecretsManagerClient({ endpoint: emulator.url, region, credentials: admin }));
});

after(async () => {
  for (const c of clients) c.destroy();
  await emulator.close();
});

describe("IAM and STS with the SDK v3 clients", () => {
  it("create a role, put a policy, assume it, and act with the session's credentials", async () => {
    const created = await iam.send(new CreateRoleCommand({ RoleName: "reader", AssumeRolePolicyDocument: trustAccount, Tags: [{ Key: "team", Value: "a" }] }));
    assert.equal(created.Role?.Arn, `arn:aws:iam::${ACCOUNT}:role/reader`);
    assert.match(created.Role?.RoleId ?? "", /^AROA[A-Z2-7]{17}$/);
    assert.equal(decodeURIComponent(created.Role?.AssumeRolePolicyDocument ?? ""), trustAccount);
    const secret = await sm.send(new CreateSecretCommand({ Name: "registry", SecretString: '{"username":"u","password":"p"}' }));
    await iam.send(new PutRolePolicyCommand({ RoleName: "reader", PolicyName: "read", PolicyDocument: readSecrets(secret.ARN!) }));

    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: created.Role!.Arn!, RoleSessionName: "s1" }));
    assert.equal(assumed.AssumedRoleUser?.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/reader/s1`);
    assert.equal(assumed.AssumedRoleUser?.AssumedRoleId, `${created.Role!.RoleId}:s1`);
    assert.match(assumed.Credentials?.AccessKeyId ?? "", /^ASIA[A-Z2-7]{16}$/);
    const lifetime = assumed.Credentials!.Expiration!.getTime() - Date.now();
    assert.ok(lifetime > 3590_000 && lifetime <= 3600_000, String(lifetime));

    const credentials = { accessKeyId: assumed.Credentials!.AccessKeyId!, secretAccessKey: assumed.Credentials!.SecretAccessKey!, sessionToken: assumed.Credentials!.SessionToken! };
    const asRole = client(new STSClient({ endpoint: emulator.url, region, credentials }));
    const who = await asRole.send(new GetCallerIdentityCommand({}));
    assert.deepEqual([who.Arn, who.Account, who.UserId], [assumed.AssumedRoleUser!.Arn, ACCOUNT, assumed.AssumedRoleUser!.AssumedRoleId]);

    const smAsRole = client(new SecretsManagerClient({ endpoint: emulator.url, region, credentials }));
    const value = await smAsRole.send(new GetSecretValueCommand({ SecretId: secret.ARN! }));
    assert.equal(value.SecretString, '{"username":"u","password":"p"}');

    // The session may not write IAM: its policies only allow reading the secret.
    const iamAsRole = client(new IAMClient({ endpoint: emulator.url, region, credentials }));
    const denied = await failure(iamAsRole.send(new CreateRoleCommand({ RoleName: "x", AssumeRolePolicyDocument: trustAccount })));
    assert.equal(denied.name, "AccessDenied");
    assert.equal(denied.$metadata.httpStatusCode, 403);
    assert.equal(denied.message, accessDeniedMessage(assumed.AssumedRoleUser!.Arn!, "iam:CreateRole", `arn:aws:iam::${ACCOUNT}:role/x`, "noIdentityAllow"));

    // A wrong session token is an unknown token.
    const forged = client(new STSClient({ endpoint: emulator.url, region, credentials: { ...credentials, sessionToken: "forged" } }));
    const bad = await failure(forged.send(new GetCallerIdentityCommand({})));
    assert.deepEqual([bad.name, bad.message, bad.$metadata.httpStatusCode], ["InvalidClientTokenId", AuthText.invalidToken, 403]);
  });

  it("a session policy narrows the session: AssumeRole's Policy allowing only another secret → AccessDenied; allowing it → 200", async () => {
    const role = await iam.send(new CreateRoleCommand({ RoleName: "narrowed", AssumeRolePolicyDocument: trustAccount }));
    const wanted = await sm.send(new CreateSecretCommand({ Name: "session-wanted", SecretString: "canary-session-value" }));
    const other = await sm.send(new CreateSecretCommand({ Name: "session-other", SecretString: "x" }));
    await iam.send(new PutRolePolicyCommand({ RoleName: "narrowed", PolicyName: "read-all", PolicyDocument: readSecrets("*") }));
    const session = async (name: string, policy: string) => {
      const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: role.Role!.Arn!, RoleSessionName: name, Policy: policy }));
      const c = assumed.Credentials!;
      const credentials = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
      return { arn: assumed.AssumedRoleUser!.Arn!, sm: client(new SecretsManagerClient({ endpoint: emulator.url, region, credentials })) };
    };

    const onlyOther = await session("only-other", readSecrets(other.ARN!));
    const denied = await failure(onlyOther.sm.send(new GetSecretValueCommand({ SecretId: "session-wanted" })));
    assert.deepEqual([denied.name, denied.$metadata.httpStatusCode], ["AccessDeniedException", 400]);
    assert.equal(denied.message, accessDeniedMessage(onlyOther.arn, "secretsmanager:GetSecretValue", "session-wanted", "noSessionAllow"));
    assert.ok(!JSON.stringify(denied).includes("canary-session-value"));
    // The session policy still lets the session read what both allow.
    assert.equal((await onlyOther.sm.send(new GetSecretValueCommand({ SecretId: other.ARN! }))).SecretString, "x");

    const allowing = await session("allowing", readSecrets(wanted.ARN!));
    const value = await allowing.sm.send(new GetSecretValueCommand({ SecretId: "session-wanted" }));
    assert.equal(value.$metadata.httpStatusCode, 200);
    assert.equal(value.SecretString, "canary-session-value");

    // A managed session policy (PolicyArns) narrows the same way.
    const managed = await iam.send(new CreatePolicyCommand({ PolicyName: "session-only-other", PolicyDocument: readSecrets(other.ARN!) }));
    const assumedManaged = await sts.send(new AssumeRoleCommand({ RoleArn: role.Role!.Arn!, RoleSessionName: "managed", PolicyArns: [{ arn: managed.Policy!.Arn! }] }));
    const mc = assumedManaged.Credentials!;
    const smManaged = client(new SecretsManagerClient({ endpoint: emulator.url, region, credentials: { accessKeyId: mc.AccessKeyId!, secretAccessKey: mc.SecretAccessKey!, sessionToken: mc.SessionToken! } }));
    const managedDenied = await failure(smManaged.send(new GetSecretValueCommand({ SecretId: "session-wanted" })));
    assert.equal(managedDenied.message, accessDeniedMessage(assumedManaged.AssumedRoleUser!.Arn!, "secretsmanager:GetSecretValue", "session-wanted", "noSessionAllow"));
    assert.equal((await smManaged.send(new GetSecretValueCommand({ SecretId: "session-other" }))).SecretString, "x");

    // An explicit deny in the session policy: AWS's session-policy clause.
    const denyDoc = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "secretsmanager:*", Resource: "*" }, { Effect: "Deny", Action: "secretsmanager:GetSecretValue", Resource: wanted.ARN! }] });
    const denying = await session("denying", denyDoc);
    const explicit = await failure(denying.sm.send(new GetSecretValueCommand({ SecretId: wanted.ARN! })));
    assert.equal(explicit.message, accessDeniedMessage(denying.arn, "secretsmanager:GetSecretValue", wanted.ARN!, "sessionExplicitDeny"));
  });

  it("a trust policy that does not name the caller refuses AssumeRole with AccessDenied 403", async () => {
    const trustEcs = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }] });
    const role = await iam.send(new CreateRoleCommand({ RoleName: "ecsTaskExecutionRole", AssumeRolePolicyDocument: trustEcs }));
    const error = await failure(sts.send(new AssumeRoleCommand({ RoleArn: role.Role!.Arn!, RoleSessionName: "sx" })));
    assert.deepEqual([error.name, error.$metadata.httpStatusCode], ["AccessDenied", 403]);
    assert.equal(error.message, `User: arn:aws:iam::${ACCOUNT}:root is not authorized to perform: sts:AssumeRole on resource: ${role.Role!.Arn}`);
    const missing = await failure(sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/nope`, RoleSessionName: "sx" })));
    assert.equal(missing.name, "AccessDenied");
  });

  it("IAM errors: existing role, missing role, malformed policy", async () => {
    await iam.send(new CreateRoleCommand({ RoleName: "dup", AssumeRolePolicyDocument: trustAccount }));
    const dup = await failure(iam.send(new CreateRoleCommand({ RoleName: "DUP", AssumeRolePolicyDocument: trustAccount })));
    assert.deepEqual([dup.name, dup.message, dup.$metadata.httpStatusCode], ["EntityAlreadyExistsException", roleExistsText("DUP"), 409]);
    const missing = await failure(iam.send(new GetRoleCommand({ RoleName: "ghost" })));
    assert.deepEqual([missing.name, missing.message, missing.$metadata.httpStatusCode], ["NoSuchEntityException", noSuchRoleText("ghost"), 404]);
    const malformed = await failure(iam.send(new PutRolePolicyCommand({ RoleName: "dup", PolicyName: "p", PolicyDocument: "{" })));
    assert.deepEqual([malformed.name, malformed.message], ["MalformedPolicyDocumentException", MalformedPolicyText.syntax]);
    await iam.send(new DeleteRoleCommand({ RoleName: "dup" }));
  });

  it("managed policies: create, get, version, attach, list; AWS managed policies are visible", async () => {
    await iam.send(new CreateRoleCommand({ RoleName: "exec", AssumeRolePolicyDocument: trustAccount, Path: "/service/" }));
    const policy = await iam.send(new CreatePolicyCommand({ PolicyName: "read-all", PolicyDocument: readSecrets("*") }));
    const arn = policy.Policy!.Arn!;
    assert.equal(arn, `arn:aws:iam::${ACCOUNT}:policy/read-all`);
    await iam.send(new AttachRolePolicyCommand({ RoleName: "exec", PolicyArn: arn }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: "exec", PolicyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy" }));
    const got = await iam.send(new GetPolicyCommand({ PolicyArn: arn }));
    assert.equal(got.Policy?.AttachmentCount, 1);
    const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: "v1" }));
    assert.equal(decodeURIComponent(version.PolicyVersion!.Document!), readSecrets("*"));
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: "exec" }));
    assert.deepEqual(attached.AttachedPolicies?.map((p) => p.PolicyName), ["read-all", "AmazonECSTaskExecutionRolePolicy"]);
    const aws = await iam.send(new ListPoliciesCommand({ Scope: "AWS" }));
    assert.ok(aws.Policies?.some((p) => p.PolicyName === "AmazonECSTaskExecutionRolePolicy"));
    const roles = await iam.send(new ListRolesCommand({ PathPrefix: "/service/" }));
    assert.deepEqual(roles.Roles?.map((r) => r.RoleName), ["exec"]);
    await iam.send(new PutRolePolicyCommand({ RoleName: "exec", PolicyName: "inline", PolicyDocument: readSecrets("*") }));
    assert.deepEqual((await iam.send(new ListRolePoliciesCommand({ RoleName: "exec" }))).PolicyNames, ["inline"]);
    const inline = await iam.send(new GetRolePolicyCommand({ RoleName: "exec", PolicyName: "inline" }));
    assert.equal(decodeURIComponent(inline.PolicyDocument!), readSecrets("*"));
  });

  it("SimulatePrincipalPolicy answers with the evaluator's decision and the matched statement", async () => {
    await iam.send(new CreateRoleCommand({ RoleName: "sim", AssumeRolePolicyDocument: trustAccount }));
    await iam.send(new PutRolePolicyCommand({ RoleName: "sim", PolicyName: "read", PolicyDocument: readSecrets("arn:aws:secretsmanager:*:*:secret:app-*") }));
    const boundary = await iam.send(new CreatePolicyCommand({ PolicyName: "boundary-sm", PolicyDocument: readSecrets("*") }));
    await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: "sim", PermissionsBoundary: boundary.Policy!.Arn! }));
    const out = await iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: `arn:aws:iam::${ACCOUNT}:role/sim`,
        ActionNames: ["secretsmanager:GetSecretValue", "kms:Decrypt"],
        ResourceArns: [`arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:app-AbCdEf`],
      }),
    );
    const [get, decrypt] = out.EvaluationResults!;
    assert.equal(get?.EvalDecision, "allowed");
    assert.equal(get?.MatchedStatements?.[0]?.SourcePolicyId, "read");
    assert.equal(get?.MatchedStatements?.[0]?.SourcePolicyType, "role");
    assert.equal(get?.MatchedStatements?.[0]?.StartPosition?.Line, 1);
    assert.equal(get?.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary, true);
    assert.equal(decrypt?.EvalDecision, "implicitDeny");
  });
});
