// STS on the wire: GetCallerIdentity's exact XML, AssumeRole's input rules (session name, duration range, the
// role's MaxSessionDuration, role chaining), trust decisions (account, explicit deny, role sessions with and without
// their own permission), IAM enforcement for role sessions, and the emulator-only AssumeRoleAsService.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import request from "supertest";
import { accessKeys } from "../../emulator/auth/access-keys.ts";
import { EmulatorStore, createEmulator } from "../../emulator/index.ts";
import { decodeSnapshot, encodeSnapshot } from "../../emulator/state/persistence.ts";
import { accessDeniedMessage } from "../../aws/iam/index.ts";
import { StsText } from "../../aws/texts.ts";

const STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";
const ACCOUNT = "000000000000";
const NOW = Date.UTC(2025, 0, 1);

function setup() {
  const emulator = createEmulator({ signatureCheck: false, clock: { now: () => NOW } });
  /** Unchecked signatures still name the access key: the request acts as that key's principal. */
  const call = (service: "sts" | "iam", action: string, params: Record<string, string> = {}, accessKeyId = "test") =>
    request(emulator.app)
      .post("/")
      .set("Content-Type", "application/x-www-form-urlencoded")
      .set("Authorization", `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20250101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=00`)
      .send(new URLSearchParams({ Action: action, Version: service === "sts" ? "2011-06-15" : "2010-05-08", ...params }).toString());
  const sts = (action: string, params: Record<string, string> = {}, key?: string) => call("sts", action, params, key);
  const iam = (action: string, params: Record<string, string> = {}, key?: string) => call("iam", action, params, key);
  return { emulator, sts, iam };
}

const tag = (text: string, name: string) => /<([A-Za-z]+)>/.test(text) ? new RegExp(`<${name}>([^<]*)</${name}>`).exec(text)?.[1] : undefined;
const trustFor = (principal: Record<string, string>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: principal, Action: "sts:AssumeRole", ...extra }] });
const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;

describe("STS GetCallerIdentity", () => {
  it("answers the admin key as the account root, byte for byte", async () => {
    const { sts } = setup();
    const res = await sts("GetCallerIdentity");
    assert.equal(res.status, 200);
    assert.equal(
      res.text,
      `<GetCallerIdentityResponse xmlns="${STS_NS}">\n  <GetCallerIdentityResult>\n    <UserId>${ACCOUNT}</UserId>\n    <Account>${ACCOUNT}</Account>\n` +
        `    <Arn>arn:aws:iam::${ACCOUNT}:root</Arn>\n  </GetCallerIdentityResult>\n  <ResponseMetadata>\n    <RequestId>${res.headers["x-amzn-requestid"]}</RequestId>\n  </ResponseMetadata>\n</GetCallerIdentityResponse>\n`,
    );
  });
});

describe("STS AssumeRole", () => {
  it("input rules: session name pattern and length, duration range", async () => {
    const { sts, iam } = setup();
    await iam("CreateRole", { RoleName: "r", AssumeRolePolicyDocument: trustFor({ AWS: ACCOUNT }) });
    const v = (value: string, member: string, constraint: string) => `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`;
    const bad = async (params: Record<string, string>, text: string) => {
      const res = await sts("AssumeRole", { RoleArn: roleArn("r"), RoleSessionName: "ok", ...params });
      assert.equal(res.status, 400, res.text);
      assert.equal(tag(res.text, "Code"), "ValidationError");
      assert.equal(tag(res.text, "Message"), text);
    };
    await bad({ RoleSessionName: "a b" }, v("a b", "roleSessionName", "Member must satisfy regular expression pattern: [\\w+=,.@-]*"));
    await bad({ RoleSessionName: "a" }, v("a", "roleSessionName", "Member must have length greater than or equal to 2"));
    await bad({ DurationSeconds: "899" }, v("899", "durationSeconds", "Member must have value greater than or equal to 900"));
    await bad({ DurationSeconds: "43201" }, v("43201", "durationSeconds", "Member must have value less than or equal to 43200"));
    await bad({ DurationSeconds: "7200" }, StsText.durationOverMaxSession);
  });

  it("DurationSeconds defaults to 3600 and may reach the role's MaxSessionDuration", async () => {
    const { sts, iam } = setup();
    await iam("CreateRole", { RoleName: "long", MaxSessionDuration: "43200", AssumeRolePolicyDocument: trustFor({ AWS: `arn:aws:iam::${ACCOUNT}:root` }) });
    const standard = await sts("AssumeRole", { RoleArn: roleArn("long"), RoleSessionName: "a" + "b" });
    assert.equal(tag(standard.text, "Expiration"), "2025-01-01T01:00:00Z");
    const long = await sts("AssumeRole", { RoleArn: roleArn("long"), RoleSessionName: "ab", DurationSeconds: "43200" });
    assert.equal(tag(long.text, "Expiration"), "2025-01-01T12:00:00Z");
  });

  it("explicit deny in the trust policy wins; a trust policy for a service refuses the admin", async () => {
    const { sts, iam } = setup();
    const allowAndDeny = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { AWS: ACCOUNT }, Action: "sts:AssumeRole" },
        { Effect: "Deny", Principal: { AWS: "*" }, Action: "sts:AssumeRole" },
      ],
    });
    await iam("CreateRole", { RoleName: "denied", AssumeRolePolicyDocument: allowAndDeny });
    await iam("CreateRole", { RoleName: "svc", AssumeRolePolicyDocument: trustFor({ Service: "ecs-tasks.amazonaws.com" }) });
    for (const name of ["denied", "svc", "missing"]) {
      const res = await sts("AssumeRole", { RoleArn: roleArn(name), RoleSessionName: "s1" });
      assert.equal(res.status, 403);
      assert.equal(tag(res.text, "Code"), "AccessDenied");
      assert.equal(tag(res.text, "Message"), accessDeniedMessage(`arn:aws:iam::${ACCOUNT}:root`, "sts:AssumeRole", roleArn(name)));
    }
  });

  it("a role session: trusted by account needs its own sts:AssumeRole allow; chaining caps the duration at an hour", async () => {
    const { sts, iam } = setup();
    await iam("CreateRole", { RoleName: "first", AssumeRolePolicyDocument: trustFor({ AWS: ACCOUNT }) });
    await iam("CreateRole", { RoleName: "second", MaxSessionDuration: "7200", AssumeRolePolicyDocument: trustFor({ AWS: ACCOUNT }) });
    const first = await sts("AssumeRole", { RoleArn: roleArn("first"), RoleSessionName: "one" });
    const key = tag(first.text, "AccessKeyId")!;
    const sessionArn = `arn:aws:sts::${ACCOUNT}:assumed-role/first/one`;
    const refused = await sts("AssumeRole", { RoleArn: roleArn("second"), RoleSessionName: "two" }, key);
    assert.equal(refused.status, 403);
    assert.equal(tag(refused.text, "Message"), accessDeniedMessage(sessionArn, "sts:AssumeRole", roleArn("second")));
    await iam("PutRolePolicy", { RoleName: "first", PolicyName: "chain", PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] }) });
    const chained = await sts("AssumeRole", { RoleArn: roleArn("second"), RoleSessionName: "two" }, key);
    assert.equal(chained.status, 200, chained.text);
    const tooLong = await sts("AssumeRole", { RoleArn: roleArn("second"), RoleSessionName: "two", DurationSeconds: "7200" }, key);
    assert.equal(tag(tooLong.text, "Message"), StsText.durationOverChainLimit);
    // Whoever the session is, GetCallerIdentity needs no permission.
    const who = await sts("GetCallerIdentity", {}, key);
    assert.equal(tag(who.text, "Arn"), sessionArn);
  });

  it("role sessions may call IAM only as their policies allow", async () => {
    const { sts, iam } = setup();
    await iam("CreateRole", { RoleName: "ops", AssumeRolePolicyDocument: trustFor({ AWS: ACCOUNT }) });
    await iam("PutRolePolicy", { RoleName: "ops", PolicyName: "read", PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "iam:Get*", Resource: "*" }] }) });
    const key = tag((await sts("AssumeRole", { RoleArn: roleArn("ops"), RoleSessionName: "ops" })).text, "AccessKeyId")!;
    assert.equal((await iam("GetRole", { RoleName: "ops" }, key)).status, 200);
    const denied = await iam("DeleteRole", { RoleName: "ops" }, key);
    assert.equal(denied.status, 403);
    assert.equal(tag(denied.text, "Message"), accessDeniedMessage(`arn:aws:sts::${ACCOUNT}:assumed-role/ops/ops`, "iam:DeleteRole", roleArn("ops"), "noIdentityAllow"));
  });
});

describe("STS AssumeRole session policies", () => {
  const allowAll = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "iam:*", Resource: "*" }] });
  const onlyGetRole = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "iam:GetRole", Resource: "*" }] });

  it("the session policy narrows the session, and is kept as plain data across a snapshot (serve --state)", async () => {
    const { emulator, sts, iam } = setup();
    await iam("CreateRole", { RoleName: "ops", AssumeRolePolicyDocument: trustFor({ AWS: ACCOUNT }) });
    await iam("PutRolePolicy", { RoleName: "ops", PolicyName: "all", PolicyDocument: allowAll });
    const key = tag((await sts("AssumeRole", { RoleArn: roleArn("ops"), RoleSessionName: "narrow", Policy: onlyGetRole })).text, "AccessKeyId")!;
    assert.equal((await iam("GetRole", { RoleName: "ops" }, key)).status, 200);
    const who = `arn:aws:sts::${ACCOUNT}:assumed-role/ops/narrow`;
    const denied = await iam("DeleteRole", { RoleName: "ops" }, key);
    assert.equal(denied.status, 403);
    assert.equal(tag(denied.text, "Message"), accessDeniedMessage(who, "iam:DeleteRole", roleArn("ops"), "noSessionAllow"));

    const restoredStore = new EmulatorStore(decodeSnapshot(encodeSnapshot(emulator.store.exportPartitions(), NOW), "state"));
    assert.equal(accessKeys(restoredStore).get(key)?.principal.sessionPolicy, onlyGetRole);
    const restarted = createEmulator({ signatureCheck: false, clock: { now: () => NOW }, store: restoredStore });
    const again = await request(restarted.app)
      .post("/")
      .set("Content-Type", "application/x-www-form-urlencoded")
      .set("Authorization", `AWS4-HMAC-SHA256 Credential=${key}/20250101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=00`)
      .send(new URLSearchParams({ Action: "DeleteRole", Version: "2010-05-08", RoleName: "ops" }).toString());
    assert.equal(tag(again.text, "Message"), accessDeniedMessage(who, "iam:DeleteRole", roleArn("ops"), "noSessionAllow"));
  });

  it("PolicyArns: managed session policies narrow the session; at most 10, each ARN 20–2048 characters", async () => {
    const { sts, iam } = setup();
    await iam("CreateRole", { RoleName: "ops", AssumeRolePolicyDocument: trustFor({ AWS: ACCOUNT }) });
    await iam("PutRolePolicy", { RoleName: "ops", PolicyName: "all", PolicyDocument: allowAll });
    const policyArn = tag((await iam("CreatePolicy", { PolicyName: "get-only", PolicyDocument: onlyGetRole })).text, "Arn")!;
    const key = tag((await sts("AssumeRole", { RoleArn: roleArn("ops"), RoleSessionName: "managed", "PolicyArns.member.1.arn": policyArn })).text, "AccessKeyId")!;
    assert.equal((await iam("GetRole", { RoleName: "ops" }, key)).status, 200);
    assert.equal((await iam("DeleteRole", { RoleName: "ops" }, key)).status, 403);

    const eleven: Record<string, string> = {};
    for (let i = 1; i <= 11; i++) eleven[`PolicyArns.member.${i}.arn`] = policyArn;
    const tooMany = await sts("AssumeRole", { RoleArn: roleArn("ops"), RoleSessionName: "many", ...eleven });
    assert.equal(tooMany.status, 400);
    assert.equal(tag(tooMany.text, "Code"), "ValidationError");
    assert.match(tag(tooMany.text, "Message") ?? "", /policyArns/);
    const short = await sts("AssumeRole", { RoleArn: roleArn("ops"), RoleSessionName: "short", "PolicyArns.member.1.arn": "arn:x" });
    assert.equal(short.status, 400);
    assert.match(tag(short.text, "Message") ?? "", /'policyArns\.1\.member\.arn' failed to satisfy constraint: Member must have length greater than or equal to 20/);
  });
});

describe("EcsPullInternal.AssumeRoleAsService", () => {
  const internal = (app: ReturnType<typeof setup>["emulator"]["app"], body: Record<string, unknown>, key = "test") =>
    request(app)
      .post("/")
      .set("Content-Type", "application/x-amz-json-1.1")
      .set("X-Amz-Target", "EcsPullInternal.AssumeRoleAsService")
      .set("Authorization", `AWS4-HMAC-SHA256 Credential=${key}/20250101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00`)
      .send(JSON.stringify(body));

  it("assumes a role that trusts ecs-tasks.amazonaws.com; refuses one that does not", async () => {
    const { emulator, iam } = setup();
    await iam("CreateRole", { RoleName: "exec", AssumeRolePolicyDocument: trustFor({ Service: "ecs-tasks.amazonaws.com" }) });
    await iam("CreateRole", { RoleName: "human", AssumeRolePolicyDocument: trustFor({ AWS: ACCOUNT }) });
    const ok = await internal(emulator.app, { RoleArn: roleArn("exec"), RoleSessionName: "task-1" });
    assert.equal(ok.status, 200, ok.text);
    const body = JSON.parse(ok.text);
    assert.equal(body.AssumedRoleUser.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/exec/task-1`);
    assert.equal(body.Credentials.Expiration, NOW / 1000 + 3600);
    const record = accessKeys(emulator.store).get(body.Credentials.AccessKeyId);
    assert.equal(record?.principal.roleName, "exec");
    const refused = await internal(emulator.app, { RoleArn: roleArn("human") });
    assert.equal(refused.status, 400);
    assert.deepEqual(JSON.parse(refused.text), { __type: "AccessDeniedException", message: accessDeniedMessage("ecs-tasks.amazonaws.com", "sts:AssumeRole", roleArn("human")) });
    // Only admin keys may call it.
    const asSession = await internal(emulator.app, { RoleArn: roleArn("exec") }, body.Credentials.AccessKeyId);
    assert.equal(JSON.parse(asSession.text).__type, "AccessDeniedException");
  });
});
