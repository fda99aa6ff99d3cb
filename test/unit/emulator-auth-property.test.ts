// Property: whatever arrives — random bodies, content types, targets, Actions, Authorization and date headers —
// the emulator answers with an AWS-shaped 4xx or a 200, never a 5xx, with signature checking on and off.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import request from "supertest";
import { createEmulator } from "../../emulator/index.ts";
import { iamOperations } from "../../emulator/services/iam/index.ts";

const actions = [...Object.keys(iamOperations), "AssumeRole", "GetCallerIdentity", "Nope", ""];
const paramNames = ["RoleName", "RoleArn", "RoleSessionName", "DurationSeconds", "PolicyDocument", "AssumeRolePolicyDocument", "PolicyArn", "PolicyName",
  "ActionNames.member.1", "PolicyInputList.member.1", "Tags.member.1.Key", "Tags.member.1.Value", "ContextEntries.member.1.ContextKeyValues.member.1",
  "MaxItems", "Marker", "Path", "PermissionsBoundary", "ResourceArns.member.2", "__proto__", "a.member.0", "x.member.99999"];

const paramValue = fc.oneof(
  fc.string(),
  fc.constantFrom("arn:aws:iam::000000000000:role/r", "3600", "-1", "99999999999999999999", '{"Version":"2012-10-17","Statement":[]}', "r", "{", "s1"),
);
const formBody = fc
  .record({ action: fc.constantFrom(...actions), params: fc.dictionary(fc.constantFrom(...paramNames), paramValue, { maxKeys: 6 }) })
  .map(({ action, params }) => new URLSearchParams({ Action: action, Version: "2010-05-08", ...params }).toString());
const body = fc.oneof(formBody, fc.string(), fc.json(), fc.constant(""));
const header = (values: string[]) => fc.option(fc.oneof(fc.constantFrom(...values), fc.string()), { nil: undefined });

const headers = fc.record({
  "content-type": header(["application/x-www-form-urlencoded", "application/x-amz-json-1.1", "text/plain"]),
  "x-amz-target": header(["secretsmanager.GetSecretValue", "EcsPullInternal.AssumeRoleAsService", "TrentService.Decrypt", "x.y"]),
  authorization: header([
    "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc",
    "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-security-token;x-amz-content-sha256, Signature=00",
    "AWS4-HMAC-SHA256 Credential=/, SignedHeaders=, Signature=",
    "AWS4-HMAC-SHA256",
  ]),
  "x-amz-date": header(["20250101T000000Z", "99999999T999999Z", "20251301T250000Z"]),
  "x-amz-security-token": header(["token"]),
  "x-amz-content-sha256": header(["UNSIGNED-PAYLOAD", "00"]),
});

for (const signatureCheck of [true, false]) {
  describe(`random requests, signatureCheck ${signatureCheck}`, () => {
    it("never answer 5xx", async () => {
      const emulator = createEmulator({ signatureCheck });
      await fc.assert(
        fc.asyncProperty(body, headers, async (text, h) => {
          const req = request(emulator.app).post("/");
          for (const [name, value] of Object.entries(h)) if (value !== undefined && !/[\r\n\0]/.test(value) && /^[\x20-\x7e]*$/.test(value)) req.set(name, value);
          const res = await req.send(text);
          assert.ok(res.status < 500, `${res.status} ${res.text}`);
          assert.ok(res.status === 200 || res.text.includes("__type") || res.text.includes("<ErrorResponse"), res.text);
        }),
        { numRuns: 150 },
      );
    });
  });
}
