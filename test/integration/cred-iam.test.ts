// Every IAM/KMS/existence `cred-*` row of FAILURE-CATALOG.md (plus ok-cmk, ok-wildcard, ok-cross-region,
// ok-cross-account and gate-untrusted-role) through the whole pipeline: runTask with the production ports
// (createLocalPorts: the execution role assumed with the emulator's AssumeRoleAsService, GetSecretValue signed with
// the role's session) against a real emulator over HTTP, worlds built with the real @aws-sdk clients and the real
// AWS CLI. Each stoppedReason is compared byte for byte (current EC2 agent, SDK v2 text; request ids masked).
// The same rows run twice: the emulator enforcing IAM (`--iam-check server`), and the emulator with enforcement
// off while the agent decides locally (`--iam-check client`): the texts must be the same.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { after, before, describe, test } from "node:test";
import { AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, IAMClient, PutRolePermissionsBoundaryCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { CreateKeyCommand, DisableKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { CreateSecretCommand, DeleteSecretCommand, PutResourcePolicyCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { runTask, resolveLaunchContext } from "../../agent-sim/index.ts";
import type { TaskRunResult } from "../../agent-sim/index.ts";
import { createLocalPorts } from "../../agent-sim/assemble.ts";
import type { IamCheckMode } from "../../agent-sim/assemble.ts";
import { startEmulator } from "../../emulator/server.ts";
import type { StartedEmulator } from "../../emulator/server.ts";

const run = promisify(execFile);
const A = "000000000000";
const B = "222222222222";
const ADMIN_A = { accessKeyId: "test", secretAccessKey: "test" };
const ADMIN_B = { accessKeyId: "AKIAADMINBBBBBBBBBBB", secretAccessKey: "admin-b-secret" };
const REGION = "us-east-1";
const OTHER_REGION = "us-west-2";
const TASK_ID = "0123456789abcdef0123456789abcdef";
const CANARY = "canary-Pw-5e1d0b7a";
const VALUE = JSON.stringify({ username: "ci", password: CANARY });
const ECS_MANAGED = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";
const engine = { inspectDistribution: async () => undefined, pullImage: async () => undefined, hasImage: async () => false, createContainer: async () => undefined, tagImage: async () => undefined };

type Statement = Record<string, unknown>;
const doc = (...Statement: Statement[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const allow = (Action: string | string[], Resource: string | string[], extra: Statement = {}) => ({ Effect: "Allow", Action, Resource, ...extra });
const deny = (Action: string | string[], Resource: string | string[], extra: Statement = {}) => ({ Effect: "Deny", Action, Resource, ...extra });
const TRUST_ECS = doc({ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" });

/** The current agent's (SDK v2) reason for a failed GetSecretValue; request ids are masked in both. */
const reason = (id: string, apiError: string) =>
  `Asm fetching secret from the service for ${id}: operation error Secrets Manager: GetSecretValue, https response error StatusCode: 400, RequestID: <id>, ${apiError}`;
const mask = (s: string | undefined) => (s ?? "").replace(/RequestID: [^,]+,/, "RequestID: <id>,").replace(/Request ID: [0-9a-f-]{36};/, "Request ID: <uuid>;");
const sessionOf = (role: string) => `arn:aws:sts::${A}:assumed-role/${role}/${TASK_ID}`;
const noIdentityAllow = (role: string, id: string) =>
  `api error AccessDeniedException: User: ${sessionOf(role)} is not authorized to perform: secretsmanager:GetSecretValue on resource: ${id} because no identity-based policy allows the secretsmanager:GetSecretValue action`;

for (const mode of ["server", "client"] as const satisfies readonly IamCheckMode[]) {
  describe(`cred-* rows through runTask, --iam-check ${mode}`, () => {
    let emulator: StartedEmulator;
    const clients: { destroy(): void }[] = [];
    const c = <T extends { destroy(): void }>(x: T) => (clients.push(x), x);
    let n = 0;
    const unique = (p: string) => `${p}-${mode}-${++n}`;
    const iam = () => c(new IAMClient({ endpoint: emulator.url, region: REGION, credentials: ADMIN_A }));
    const sm = (credentials = ADMIN_A, region = REGION) => c(new SecretsManagerClient({ endpoint: emulator.url, region, credentials }));
    const kms = (credentials = ADMIN_A) => c(new KMSClient({ endpoint: emulator.url, region: REGION, credentials }));

    before(async () => {
      emulator = await startEmulator({ accounts: [{ account: A, ...ADMIN_A }, { account: B, ...ADMIN_B }], enforceIam: mode === "server" });
    });
    after(async () => {
      for (const x of clients) x.destroy();
      await emulator.close();
    });

    async function role(spec: { inline?: string[]; attached?: string[]; boundary?: string; trust?: string } = {}): Promise<{ name: string; arn: string }> {
      const name = unique("exec");
      const client = iam();
      const arn = (await client.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: spec.trust ?? TRUST_ECS }))).Role!.Arn!;
      for (const [i, PolicyDocument] of (spec.inline ?? []).entries()) await client.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: `inline-${i}`, PolicyDocument }));
      for (const p of spec.attached ?? []) {
        const PolicyArn = p.startsWith("arn:") ? p : (await client.send(new CreatePolicyCommand({ PolicyName: unique("managed"), PolicyDocument: p }))).Policy!.Arn!;
        await client.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn }));
      }
      if (spec.boundary) {
        const PermissionsBoundary = (await client.send(new CreatePolicyCommand({ PolicyName: unique("boundary"), PolicyDocument: spec.boundary }))).Policy!.Arn!;
        await client.send(new PutRolePermissionsBoundaryCommand({ RoleName: name, PermissionsBoundary }));
      }
      return { name, arn };
    }

    async function secret(opts: { region?: string; admin?: typeof ADMIN_A; KmsKeyId?: string; tags?: Record<string, string>; resourcePolicy?: string } = {}) {
      const client = sm(opts.admin ?? ADMIN_A, opts.region ?? REGION);
      const Tags = opts.tags ? Object.entries(opts.tags).map(([Key, Value]) => ({ Key, Value })) : undefined;
      const out = await client.send(new CreateSecretCommand({ Name: unique("registry/creds"), SecretString: VALUE, ...(opts.KmsKeyId && { KmsKeyId: opts.KmsKeyId }), ...(Tags && { Tags }) }));
      if (opts.resourcePolicy) await client.send(new PutResourcePolicyCommand({ SecretId: out.ARN!, ResourcePolicy: opts.resourcePolicy }));
      return { arn: out.ARN!, name: out.Name! };
    }

    async function launch(executionRoleArn: string, credentialsParameter: string, extra: Record<string, unknown> = {}): Promise<TaskRunResult> {
      const ports = createLocalPorts({ endpoint: emulator.url, credentials: ADMIN_A, agentVersion: "1.95.0", iamCheck: mode });
      try {
        const result = await runTask({
          taskDefinition: { family: "web", executionRoleArn, ...extra, containerDefinitions: [{ name: "app", image: "127.0.0.1:5000/team/app:1", repositoryCredentials: { credentialsParameter } }] },
          launch: resolveLaunchContext({ launchType: "EC2", agentVersion: "1.95.0", region: REGION, account: A }),
          ports: { ...ports, engine },
          options: { ids: { taskId: TASK_ID } },
        });
        assert.ok(!JSON.stringify(result).includes(CANARY), "the secret's value leaked into the result");
        return result;
      } finally {
        ports.close();
      }
    }

    function assertStopped(r: TaskRunResult, expected: string, failureCode: string): void {
      assert.equal(r.result, "STOPPED", JSON.stringify(r.diagnosis));
      assert.equal(r.exitCode, 5);
      assert.equal(mask(r.task?.stoppedReason), expected);
      assert.equal(r.diagnosis?.failureCode, failureCode, r.diagnosis?.cause);
    }

    const readPolicy = (arn: string) => doc(allow("secretsmanager:GetSecretValue", arn));

    test("cred-no-permission: only AmazonECSTaskExecutionRolePolicy attached", async () => {
      const s = await secret();
      const r0 = await role({ attached: [ECS_MANAGED] });
      const r = await launch(r0.arn, s.arn);
      assert.equal(
        mask(r.task?.stoppedReason),
        `Asm fetching secret from the service for ${s.arn}: operation error Secrets Manager: GetSecretValue, https response error StatusCode: 400, RequestID: <id>, api error AccessDeniedException: User: arn:aws:sts::000000000000:assumed-role/${r0.name}/${TASK_ID} is not authorized to perform: secretsmanager:GetSecretValue on resource: ${s.arn} because no identity-based policy allows the secretsmanager:GetSecretValue action`,
      );
      assert.equal(r.diagnosis?.failureCode, "cred-no-permission");
      assert.match(r.diagnosis?.explanation?.text ?? "", /identity-based policy "AmazonECSTaskExecutionRolePolicy" \(managed\), statement 0 at line \d+, column \d+: action secretsmanager:GetSecretValue is not in Action/);
      assert.deepEqual(r.trace.map((t) => t.step), ["register", "place", "assume-role", "credentials"]);
    });

    test("cred-task-role: the permission is on the task role", async () => {
      const s = await secret();
      const exec = await role({ attached: [ECS_MANAGED] });
      const taskRole = await role({ inline: [readPolicy(s.arn)] });
      const r = await launch(exec.arn, s.arn, { taskRoleArn: taskRole.arn });
      assertStopped(r, reason(s.arn, noIdentityAllow(exec.name, s.arn)), "cred-task-role");
      assert.match(r.diagnosis!.fix, /Move the statement .*policy "inline-0", statement 0.* to a policy of the execution role/);
    });

    test("cred-missing-suffix: Resource is the ARN without -XXXXXX (role made with the real AWS CLI)", async () => {
      const s = await secret();
      const name = unique("cli-exec");
      const env = { ...process.env, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_DEFAULT_REGION: REGION, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" };
      const aws = (...args: string[]) => run("/usr/bin/aws", [...args, "--endpoint-url", emulator.url, "--output", "json"], { env });
      const created = JSON.parse((await aws("iam", "create-role", "--role-name", name, "--assume-role-policy-document", TRUST_ECS)).stdout);
      const bare = s.arn.slice(0, -7);
      await aws("iam", "put-role-policy", "--role-name", name, "--policy-name", "read-registry-secret", "--policy-document", readPolicy(bare));
      const r = await launch(created.Role.Arn, s.arn);
      assertStopped(r, reason(s.arn, noIdentityAllow(name, s.arn)), "cred-missing-suffix");
      assert.ok(r.diagnosis!.fix.includes(`"${bare}-??????"`), r.diagnosis!.fix);
      assert.ok(r.diagnosis!.fix.includes('identity-based policy "read-registry-secret" (inline), statement 0'), r.diagnosis!.fix);
    });

    const explicitDeny = (name: string, id: string, where: "identity" | "resource") =>
      `api error AccessDeniedException: User: ${sessionOf(name)} is not authorized to perform: secretsmanager:GetSecretValue on resource: ${id} with an explicit deny in ${where === "identity" ? "an identity-based" : "a resource-based"} policy`;

    test("cred-explicit-deny: inline Deny", async () => {
      const s = await secret();
      const r0 = await role({ inline: [doc(allow("secretsmanager:GetSecretValue", "*"), { Sid: "NoSecrets", ...deny("secretsmanager:*", s.arn) })] });
      const r = await launch(r0.arn, s.arn);
      assertStopped(r, reason(s.arn, explicitDeny(r0.name, s.arn, "identity")), "cred-explicit-deny");
      assert.match(r.diagnosis!.fix, /Narrow or remove the Deny in identity-based policy "inline-0" \(inline\), statement 1 \(Sid "NoSecrets"\)/);
    });

    test("cred-explicit-deny: attached managed policy with a Deny", async () => {
      const s = await secret();
      const r0 = await role({ inline: [readPolicy(s.arn)], attached: [doc(deny("secretsmanager:GetSecretValue", "*"))] });
      const r = await launch(r0.arn, s.arn);
      assertStopped(r, reason(s.arn, explicitDeny(r0.name, s.arn, "identity")), "cred-explicit-deny");
      assert.match(r.diagnosis!.fix, /\(managed\), statement 0/);
    });

    test("cred-explicit-deny: the secret's resource policy denies the role", async () => {
      const r0 = await role({ inline: [doc(allow("secretsmanager:GetSecretValue", "*"))] });
      const s = await secret({ resourcePolicy: doc(deny("secretsmanager:GetSecretValue", "*", { Principal: { AWS: r0.arn } })) });
      const r = await launch(r0.arn, s.arn);
      assertStopped(r, reason(s.arn, explicitDeny(r0.name, s.arn, "resource")), "cred-explicit-deny");
      assert.match(r.diagnosis!.fix, /resource-based policy "resource policy of /);
    });

    test("cred-condition: aws:ResourceTag/env", async () => {
      const s = await secret({ tags: { env: "dev" } });
      const r0 = await role({ inline: [doc(allow("secretsmanager:GetSecretValue", "*", { Condition: { StringEquals: { "aws:ResourceTag/env": "prod" } } }))] });
      const r = await launch(r0.arn, s.arn);
      assertStopped(r, reason(s.arn, noIdentityAllow(r0.name, s.arn)), "cred-condition");
      assert.match(r.diagnosis!.fix, /aws:ResourceTag\/env.*the request has "dev"/);
    });

    test("cred-condition: aws:RequestedRegion", async () => {
      const s = await secret();
      const r0 = await role({ inline: [doc(allow("secretsmanager:GetSecretValue", "*", { Condition: { StringEquals: { "aws:RequestedRegion": "eu-west-1" } } }))] });
      const r = await launch(r0.arn, s.arn);
      assertStopped(r, reason(s.arn, noIdentityAllow(r0.name, s.arn)), "cred-condition");
      assert.match(r.diagnosis!.fix, /aws:RequestedRegion.*the request has "us-east-1"/);
    });

    test("cred-boundary: the permissions boundary does not allow GetSecretValue", async () => {
      const s = await secret();
      const r0 = await role({ inline: [readPolicy(s.arn)], boundary: doc(allow("s3:GetObject", "*")) });
      const r = await launch(r0.arn, s.arn);
      assertStopped(
        r,
        reason(s.arn, `api error AccessDeniedException: User: ${sessionOf(r0.name)} is not authorized to perform: secretsmanager:GetSecretValue on resource: ${s.arn} because no permissions boundary allows the secretsmanager:GetSecretValue action`),
        "cred-boundary",
      );
    });

    test("cred-kms: customer managed key, the role lacks kms:Decrypt", async () => {
      const key = (await kms().send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
      const s = await secret({ KmsKeyId: key });
      const r0 = await role({ inline: [readPolicy(s.arn)] });
      const r = await launch(r0.arn, s.arn);
      assertStopped(r, reason(s.arn, "api error AccessDeniedException: Access to KMS is not allowed"), "cred-kms");
      assert.equal(r.diagnosis?.explanation?.checks[1]?.action, "kms:Decrypt");
    });

    test("ok-cmk: customer managed key and kms:Decrypt → RUNNING", async () => {
      const key = (await kms().send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
      const s = await secret({ KmsKeyId: key });
      const r0 = await role({ inline: [doc(allow("secretsmanager:GetSecretValue", s.arn), allow("kms:Decrypt", key))] });
      const r = await launch(r0.arn, s.arn);
      assert.equal(r.result, "RUNNING", r.task?.stoppedReason);
    });

    test("cred-kms-disabled: the key is disabled → DecryptionFailure", async () => {
      const client = kms();
      const key = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
      const s = await secret({ KmsKeyId: key });
      await client.send(new DisableKeyCommand({ KeyId: key }));
      const r0 = await role({ inline: [doc(allow("secretsmanager:GetSecretValue", s.arn), allow("kms:Decrypt", key))] });
      const r = await launch(r0.arn, s.arn);
      assertStopped(
        r,
        reason(s.arn, `DecryptionFailure: Secrets Manager can't decrypt the secret value: ${key} is disabled. (Service: AWSKMS; Status Code: 400; Error Code: DisabledException; Request ID: <uuid>; Proxy: null)`),
        "cred-kms-disabled",
      );
    });

    const notFound = "ResourceNotFoundException: Secrets Manager can't find the specified secret.";
    const readAll = doc(allow("secretsmanager:GetSecretValue", "*"));

    test("cred-not-found: a typo in the name", async () => {
      const s = await secret();
      const r0 = await role({ inline: [readAll] });
      const typo = `${s.name}x`;
      const r = await launch(r0.arn, typo);
      assertStopped(r, reason(typo, notFound), "cred-not-found");
      assert.match(r.diagnosis?.explanation?.text ?? "", /^Allowed: /);
    });

    test("cred-wrong-region: a bare name, the secret lives in another region", async () => {
      const s = await secret({ region: OTHER_REGION });
      const r0 = await role({ inline: [readAll] });
      const r = await launch(r0.arn, s.name);
      assertStopped(r, reason(s.name, notFound), "cred-wrong-region");
      assert.ok(r.diagnosis?.fix.startsWith(`Set credentialsParameter to the full ARN ${s.arn} `), r.diagnosis?.fix);
    });

    test("ok-cross-region: the secret's full ARN in another region → RUNNING", async () => {
      const s = await secret({ region: OTHER_REGION });
      const r0 = await role({ inline: [readPolicy(s.arn)] });
      const r = await launch(r0.arn, s.arn);
      assert.equal(r.result, "RUNNING", r.task?.stoppedReason);
    });

    // Nothing names the other account's ARN (the role reads "*"), and ListSecrets does not cross accounts: honest
    // cred-not-found. The catalogue's row, whose role names the ARN, gets cred-cross-account-name.
    test("cred-cross-account-name: another account's secret by name, its ARN named nowhere → cred-not-found", async () => {
      const s = await secret({ admin: ADMIN_B });
      const r0 = await role({ inline: [readAll] });
      const r = await launch(r0.arn, s.name);
      assertStopped(r, reason(s.name, notFound), "cred-not-found");
    });

    test("cred-cross-account-default-key: another account's secret under aws/secretsmanager", async () => {
      const r0 = await role({ inline: [readAll] });
      const s = await secret({ admin: ADMIN_B, resourcePolicy: doc(allow("secretsmanager:GetSecretValue", "*", { Principal: { AWS: r0.arn } })) });
      const r = await launch(r0.arn, s.arn);
      assertStopped(
        r,
        reason(s.arn, "InvalidRequestException: You can't access a secret from a different AWS account if you encrypt the secret with the default KMS service key."),
        "cred-cross-account-default-key",
      );
    });

    test("ok-cross-account: resource policy on the secret, a customer managed key whose policy trusts the role → RUNNING", async () => {
      const r0 = await role({ inline: [doc(allow("secretsmanager:GetSecretValue", `arn:aws:secretsmanager:${REGION}:${B}:secret:*`), allow("kms:Decrypt", "*"))] });
      const keyPolicy = doc(
        { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: "kms:*", Resource: "*" },
        { Effect: "Allow", Principal: { AWS: r0.arn }, Action: "kms:Decrypt", Resource: "*" },
      );
      const key = (await kms(ADMIN_B).send(new CreateKeyCommand({ Policy: keyPolicy }))).KeyMetadata!.Arn!;
      const s = await secret({ admin: ADMIN_B, KmsKeyId: key, resourcePolicy: doc(allow("secretsmanager:GetSecretValue", "*", { Principal: { AWS: r0.arn } })) });
      const r = await launch(r0.arn, s.arn);
      assert.equal(r.result, "RUNNING", r.task?.stoppedReason);
    });

    test("cred-deleted: the secret is scheduled for deletion", async () => {
      const s = await secret();
      await sm().send(new DeleteSecretCommand({ SecretId: s.arn, RecoveryWindowInDays: 7 }));
      const r0 = await role({ inline: [readPolicy(s.arn)] });
      const r = await launch(r0.arn, s.arn);
      assertStopped(r, reason(s.arn, "InvalidRequestException: You can't perform this operation on the secret because it was marked for deletion."), "cred-deleted");
    });

    test("ok-wildcard: Resource <name>-?????? → RUNNING", async () => {
      const s = await secret();
      const r0 = await role({ inline: [readPolicy(`${s.arn.slice(0, -7)}-??????`)] });
      const r = await launch(r0.arn, s.arn);
      assert.equal(r.result, "RUNNING", r.task?.stoppedReason);
      assert.deepEqual(r.trace.map((t) => t.step), ["register", "place", "assume-role", "credentials", "parse", "manifest", "pull", "start"]);
    });

    test("gate-untrusted-role: the trust policy does not allow ecs-tasks.amazonaws.com; a missing role likewise", async () => {
      const s = await secret();
      const r0 = await role({ inline: [readPolicy(s.arn)], trust: doc({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }) });
      for (const arn of [r0.arn, `arn:aws:iam::${A}:role/no-such-role`]) {
        const r = await launch(arn, s.arn);
        assert.equal(r.result, "NOT_PLACED");
        assert.equal(r.exitCode, 4);
        assert.equal(r.task, undefined);
        assert.deepEqual(r.placementFailure, {
          kind: "exception",
          code: "ClientException",
          message: `ECS was unable to assume the role '${arn}' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.`,
          failureCode: "gate-untrusted-role",
        });
        assert.equal(r.diagnosis?.failureCode, "gate-untrusted-role");
      }
    });
  });
}
