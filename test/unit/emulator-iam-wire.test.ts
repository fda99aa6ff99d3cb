// IAM on the Query/XML wire: the exact bytes of an answer and of an error, every IAM row of AWS-ERRORS.md (code,
// HTTP status, text), the precise `detail` in the emulator log, and SimulateCustomPolicy's results.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import request from "supertest";
import { createEmulator, type EmulatorLogEntry } from "../../emulator/index.ts";
import {
  MalformedPolicyText,
  managedPolicySizeText,
  prohibitedFieldText,
  resourceNotArnText,
  roleInlinePolicySizeText,
} from "../../aws/iam/index.ts";
import {
  IamText,
  invalidActionText,
  noSuchRolePolicyText,
  noSuchRoleText,
  policyNotAttachableText,
  policyNotFoundText,
  roleExistsText,
} from "../../aws/texts.ts";

const IAM_NS = "https://iam.amazonaws.com/doc/2010-05-08/";
const ACCOUNT = "000000000000";

function setup() {
  const logs: EmulatorLogEntry[] = [];
  const emulator = createEmulator({ signatureCheck: false, clock: { now: () => Date.UTC(2025, 0, 1) }, log: (e) => logs.push(e) });
  const call = (action: string, params: Record<string, string> = {}) =>
    request(emulator.app)
      .post("/")
      .set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
      .set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=00")
      .send(new URLSearchParams({ Action: action, Version: "2010-05-08", ...params }).toString());
  return { emulator, call, logs };
}

function unescapeXml(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

async function expectIamError(res: request.Response, status: number, code: string, message: string) {
  assert.equal(res.status, status, res.text);
  assert.equal(res.headers["content-type"], "text/xml");
  assert.equal(/<Code>([^<]*)<\/Code>/.exec(res.text)?.[1], code, res.text);
  assert.equal(unescapeXml(/<Message>([^<]*)<\/Message>/.exec(res.text)?.[1] ?? ""), message);
  assert.match(res.text, /<Type>Sender<\/Type>/);
}

const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }] });
const policy = (statement: Record<string, unknown>, extra: Record<string, unknown> = {}) => JSON.stringify({ Version: "2012-10-17", ...extra, Statement: [statement] });
const allowGet = { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" };

describe("IAM wire shapes", () => {
  it("an answer: <XResponse><XResult>…</XResult><ResponseMetadata>, 2-space indent, final newline, documents URL-encoded", async () => {
    const { call } = setup();
    const res = await call("CreateRole", { RoleName: "r", AssumeRolePolicyDocument: trust, Description: "a & b" });
    assert.equal(res.status, 200);
    const roleId = /<RoleId>([^<]+)<\/RoleId>/.exec(res.text)![1];
    const requestId = res.headers["x-amzn-requestid"];
    assert.equal(
      res.text,
      `<CreateRoleResponse xmlns="${IAM_NS}">\n  <CreateRoleResult>\n    <Role>\n      <Path>/</Path>\n      <RoleName>r</RoleName>\n      <RoleId>${roleId}</RoleId>\n` +
        `      <Arn>arn:aws:iam::${ACCOUNT}:role/r</Arn>\n      <CreateDate>2025-01-01T00:00:00Z</CreateDate>\n` +
        `      <AssumeRolePolicyDocument>${encodeURIComponent(trust)}</AssumeRolePolicyDocument>\n      <Description>a &amp; b</Description>\n` +
        `      <MaxSessionDuration>3600</MaxSessionDuration>\n    </Role>\n  </CreateRoleResult>\n  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</CreateRoleResponse>\n`,
    );
  });

  it("an answer without a result has only ResponseMetadata; lists use <member>", async () => {
    const { call } = setup();
    await call("CreateRole", { RoleName: "r", AssumeRolePolicyDocument: trust });
    const put = await call("PutRolePolicy", { RoleName: "r", PolicyName: "p", PolicyDocument: policy(allowGet) });
    assert.equal(put.text, `<PutRolePolicyResponse xmlns="${IAM_NS}">\n  <ResponseMetadata>\n    <RequestId>${put.headers["x-amzn-requestid"]}</RequestId>\n  </ResponseMetadata>\n</PutRolePolicyResponse>\n`);
    const list = await call("ListRolePolicies", { RoleName: "r" });
    assert.match(list.text, / {2}<ListRolePoliciesResult>\n {4}<PolicyNames>\n {6}<member>p<\/member>\n {4}<\/PolicyNames>\n {4}<IsTruncated>false<\/IsTruncated>\n/);
  });

  it("an error: <ErrorResponse> with Type, Code, Message and RequestId, byte for byte", async () => {
    const { call } = setup();
    const res = await call("GetRole", { RoleName: "ghost" });
    assert.equal(res.status, 404);
    assert.equal(
      res.text,
      `<ErrorResponse xmlns="${IAM_NS}">\n  <Error>\n    <Type>Sender</Type>\n    <Code>NoSuchEntity</Code>\n    <Message>${noSuchRoleText("ghost")}</Message>\n  </Error>\n  <RequestId>${res.headers["x-amzn-requestid"]}</RequestId>\n</ErrorResponse>\n`,
    );
  });

  it("an unknown Action → InvalidAction naming the API version; missing members → ValidationError", async () => {
    const { call } = setup();
    await expectIamError(await call("CreateUserNow"), 400, "InvalidAction", invalidActionText("CreateUserNow", "2010-05-08"));
    await expectIamError(await call("GetRole"), 400, "ValidationError", "1 validation error detected: Value null at 'roleName' failed to satisfy constraint: Member must not be null");
    await expectIamError(await call("GetRole", { RoleName: "a b" }), 400, "ValidationError", "1 validation error detected: Value 'a b' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
  });
});

describe("IAM error rows of AWS-ERRORS.md", () => {
  const malformed = [
    ["bad JSON", "{", MalformedPolicyText.syntax],
    ["invalid Effect value", policy({ ...allowGet, Effect: "Maybe" }), MalformedPolicyText.syntax],
    ["unknown key", policy({ ...allowGet, Colour: "red" }), MalformedPolicyText.syntax],
    ["missing Statement", JSON.stringify({ Version: "2012-10-17" }), MalformedPolicyText.syntax],
    ["Effect with the wrong case", policy({ ...allowGet, Effect: "allow" }), MalformedPolicyText.legacyParsing],
    ["no Action", policy({ Effect: "Allow", Resource: "*" }), MalformedPolicyText.noActions],
    ["no Resource", policy({ Effect: "Allow", Action: "s3:GetObject" }), MalformedPolicyText.noResources],
    ["Resource not an ARN", policy({ ...allowGet, Resource: "bucket" }), resourceNotArnText("bucket")],
    ["action without vendor", policy({ ...allowGet, Action: "GetSecretValue" }), MalformedPolicyText.vendor],
    ["duplicate Sid", JSON.stringify({ Version: "2012-10-17", Statement: [{ ...allowGet, Sid: "a" }, { ...allowGet, Sid: "a" }] }), MalformedPolicyText.duplicateSid],
  ] as const;

  for (const [what, document, text] of malformed) {
    it(`PutRolePolicy, ${what} → MalformedPolicyDocument 400`, async () => {
      const { call } = setup();
      await call("CreateRole", { RoleName: "r", AssumeRolePolicyDocument: trust });
      await expectIamError(await call("PutRolePolicy", { RoleName: "r", PolicyName: "p", PolicyDocument: document }), 400, "MalformedPolicyDocument", text);
    });
  }

  it("CreatePolicy without Version or with 2008-10-17 → version text", async () => {
    const { call } = setup();
    const noVersion = JSON.stringify({ Statement: [allowGet] });
    await expectIamError(await call("CreatePolicy", { PolicyName: "p", PolicyDocument: noVersion }), 400, "MalformedPolicyDocument", MalformedPolicyText.version);
    const old = JSON.stringify({ Version: "2008-10-17", Statement: [allowGet] });
    await expectIamError(await call("CreatePolicy", { PolicyName: "p", PolicyDocument: old }), 400, "MalformedPolicyDocument", MalformedPolicyText.version);
  });

  it("trust policies: bad JSON, non-STS action, a Resource", async () => {
    const { call } = setup();
    const create = (document: string) => call("CreateRole", { RoleName: "r", AssumeRolePolicyDocument: document });
    await expectIamError(await create("{"), 400, "MalformedPolicyDocument", MalformedPolicyText.trustInvalidJson);
    const s3 = policy({ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "s3:GetObject" });
    await expectIamError(await create(s3), 400, "MalformedPolicyDocument", MalformedPolicyText.trustStsOnly);
    const withResource = policy({ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole", Resource: "*" });
    await expectIamError(await create(withResource), 400, "MalformedPolicyDocument", prohibitedFieldText("Resource"));
    await call("CreateRole", { RoleName: "ok", AssumeRolePolicyDocument: trust });
    await expectIamError(await call("UpdateAssumeRolePolicy", { RoleName: "ok", PolicyDocument: s3 }), 400, "MalformedPolicyDocument", MalformedPolicyText.trustStsOnly);
  });

  it("the log carries the precise detail AWS's terse text leaves out", async () => {
    const { call, logs } = setup();
    await call("CreateRole", { RoleName: "r", AssumeRolePolicyDocument: trust });
    await call("PutRolePolicy", { RoleName: "r", PolicyName: "p", PolicyDocument: policy({ ...allowGet, Colour: "red" }) });
    const entry = logs.at(-1)!;
    assert.equal(entry.errorCode, "MalformedPolicyDocument");
    assert.equal(entry.operation, "PutRolePolicy");
    assert.match(entry.detail ?? "", /Colour/);
  });

  it("inline policies over 10,240 characters per role, managed over 6,144 → LimitExceeded 409", async () => {
    const { call } = setup();
    await call("CreateRole", { RoleName: "big", AssumeRolePolicyDocument: trust });
    const many = (n: number) => policy({ Effect: "Allow", Action: Array.from({ length: n }, (_, i) => `secretsmanager:Get${String(i).padStart(20, "0")}`), Resource: "*" });
    assert.equal((await call("PutRolePolicy", { RoleName: "big", PolicyName: "a", PolicyDocument: many(150) })).status, 200);
    await expectIamError(await call("PutRolePolicy", { RoleName: "big", PolicyName: "b", PolicyDocument: many(150) }), 409, "LimitExceeded", roleInlinePolicySizeText("big"));
    // Replacing a policy counts its new text only.
    assert.equal((await call("PutRolePolicy", { RoleName: "big", PolicyName: "a", PolicyDocument: many(200) })).status, 200);
    await expectIamError(await call("CreatePolicy", { PolicyName: "m", PolicyDocument: many(160) }), 409, "LimitExceeded", managedPolicySizeText);
  });

  it("missing role, missing inline policy, existing role", async () => {
    const { call } = setup();
    await expectIamError(await call("DeleteRole", { RoleName: "ghost" }), 404, "NoSuchEntity", noSuchRoleText("ghost"));
    await call("CreateRole", { RoleName: "Role1", AssumeRolePolicyDocument: trust });
    await expectIamError(await call("GetRolePolicy", { RoleName: "Role1", PolicyName: "nope" }), 404, "NoSuchEntity", noSuchRolePolicyText("nope"));
    await expectIamError(await call("DeleteRolePolicy", { RoleName: "Role1", PolicyName: "nope" }), 404, "NoSuchEntity", noSuchRolePolicyText("nope"));
    // Role names are unique regardless of case.
    await expectIamError(await call("CreateRole", { RoleName: "role1", AssumeRolePolicyDocument: trust }), 409, "EntityAlreadyExists", roleExistsText("role1"));
  });

  it("attach a missing managed policy; get a missing one", async () => {
    const { call } = setup();
    await call("CreateRole", { RoleName: "r", AssumeRolePolicyDocument: trust });
    const arn = `arn:aws:iam::${ACCOUNT}:policy/missing`;
    await expectIamError(await call("AttachRolePolicy", { RoleName: "r", PolicyArn: arn }), 404, "NoSuchEntity", policyNotAttachableText(arn));
    await expectIamError(await call("GetPolicy", { PolicyArn: arn }), 404, "NoSuchEntity", policyNotFoundText(arn));
  });

  it("delete a role with attached, then with inline policies → DeleteConflict 409", async () => {
    const { call } = setup();
    await call("CreateRole", { RoleName: "r", AssumeRolePolicyDocument: trust });
    const managed = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";
    await call("AttachRolePolicy", { RoleName: "r", PolicyArn: managed });
    await call("PutRolePolicy", { RoleName: "r", PolicyName: "p", PolicyDocument: policy(allowGet) });
    await expectIamError(await call("DeleteRole", { RoleName: "r" }), 409, "DeleteConflict", IamText.deleteConflictAttached);
    await call("DetachRolePolicy", { RoleName: "r", PolicyArn: managed });
    await expectIamError(await call("DeleteRole", { RoleName: "r" }), 409, "DeleteConflict", IamText.deleteConflictInline);
    await call("DeleteRolePolicy", { RoleName: "r", PolicyName: "p" });
    assert.equal((await call("DeleteRole", { RoleName: "r" })).status, 200);
  });
});

describe("SimulateCustomPolicy", () => {
  const list = (prefix: string, values: string[]) => Object.fromEntries(values.map((v, i) => [`${prefix}.member.${i + 1}`, v]));

  it("allowed / explicitDeny / implicitDeny with the matched statement and its position", async () => {
    const { call } = setup();
    const document = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Sid: "Read", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" },
        { Sid: "NoDelete", Effect: "Deny", Action: "secretsmanager:DeleteSecret", Resource: "*" },
      ],
    });
    const res = await call("SimulateCustomPolicy", { ...list("PolicyInputList", [document]), ...list("ActionNames", ["secretsmanager:GetSecretValue", "secretsmanager:DeleteSecret", "kms:Decrypt"]) });
    assert.equal(res.status, 200, res.text);
    const decisions = [...res.text.matchAll(/<EvalDecision>([^<]+)<\/EvalDecision>/g)].map((m) => m[1]);
    assert.deepEqual(decisions, ["allowed", "explicitDeny", "implicitDeny"]);
    assert.match(res.text, /<MatchedStatements>\n\s+<member>\n\s+<SourcePolicyId>PolicyInputList\.1<\/SourcePolicyId>\n\s+<SourcePolicyType>none<\/SourcePolicyType>\n\s+<StartPosition>\n\s+<Line>1<\/Line>\n\s+<Column>\d+<\/Column>/);
    assert.match(res.text, /<EvalResourceName>\*<\/EvalResourceName>/);
  });

  it("conditions read ContextEntries; keys the request lacks are MissingContextValues", async () => {
    const { call } = setup();
    const document = policy({ ...allowGet, Condition: { StringEquals: { "aws:ResourceTag/env": "prod" } } });
    const base = { ...list("PolicyInputList", [document]), ...list("ActionNames", ["secretsmanager:GetSecretValue"]) };
    const missing = await call("SimulateCustomPolicy", base);
    assert.match(missing.text, /<EvalDecision>implicitDeny<\/EvalDecision>/);
    assert.match(missing.text, /<MissingContextValues>\n\s+<member>aws:ResourceTag\/env<\/member>/);
    const given = await call("SimulateCustomPolicy", {
      ...base,
      "ContextEntries.member.1.ContextKeyName": "aws:ResourceTag/env",
      "ContextEntries.member.1.ContextKeyValues.member.1": "prod",
      "ContextEntries.member.1.ContextKeyType": "string",
    });
    assert.match(given.text, /<EvalDecision>allowed<\/EvalDecision>/);
    assert.match(given.text, /<MissingContextValues\/>/);
  });

  it("a malformed input policy is MalformedPolicyDocument; no PolicyInputList is a ValidationError", async () => {
    const { call } = setup();
    await expectIamError(await call("SimulateCustomPolicy", { ...list("PolicyInputList", ["{"]), ...list("ActionNames", ["s3:GetObject"]) }), 400, "MalformedPolicyDocument", MalformedPolicyText.syntax);
    await expectIamError(await call("SimulateCustomPolicy", list("ActionNames", ["s3:GetObject"])), 400, "ValidationError", "1 validation error detected: Value null at 'policyInputList' failed to satisfy constraint: Member must not be null");
  });
});
