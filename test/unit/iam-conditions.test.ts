// Condition operators as the IAM User Guide documents them: missing keys, IfExists, Null, set operators,
// negated operators (NOR over values), case rules, numbers, dates, IP ranges, ARNs and policy variables.
import { test } from "node:test";
import assert from "node:assert/strict";
import { compileCondition } from "../../aws/iam/conditions.ts";
import { evaluate } from "../../aws/iam/index.ts";

type Ctx = Record<string, string | string[]>;

/** Evaluates one condition (operator, key, policy values) against a request context. */
function holds(operator: string, key: string, values: string | string[], context: Ctx = {}, version2012 = true): boolean {
  const lower = new Map(Object.entries(context).map(([k, v]) => [k.toLowerCase(), v]));
  const condition = compileCondition({ operator, key, values: Array.isArray(values) ? values : [values] }, version2012);
  return condition.test(lower, new Set());
}

test("StringEquals is case-sensitive; several policy values are ORed", () => {
  assert.equal(holds("StringEquals", "aws:ResourceTag/team", ["a", "b"], { "aws:ResourceTag/team": "b" }), true);
  assert.equal(holds("StringEquals", "aws:ResourceTag/team", "a", { "aws:ResourceTag/team": "A" }), false);
});

test("condition keys are case-insensitive", () => {
  assert.equal(holds("StringEquals", "AWS:RESOURCETAG/Team", "a", { "aws:resourcetag/team": "a" }), true);
});

test("StringNotEquals with several values is a NOR", () => {
  assert.equal(holds("StringNotEquals", "aws:RequestedRegion", ["us-east-1", "eu-west-1"], { "aws:RequestedRegion": "eu-west-1" }), false);
  assert.equal(holds("StringNotEquals", "aws:RequestedRegion", ["us-east-1", "eu-west-1"], { "aws:RequestedRegion": "ap-south-1" }), true);
});

test("StringEqualsIgnoreCase / StringNotEqualsIgnoreCase ignore case", () => {
  assert.equal(holds("StringEqualsIgnoreCase", "aws:x", "Hello", { "aws:x": "hELLO" }), true);
  assert.equal(holds("StringNotEqualsIgnoreCase", "aws:x", "Hello", { "aws:x": "hELLO" }), false);
});

test("StringLike / StringNotLike use * and ?", () => {
  assert.equal(holds("StringLike", "aws:x", "team-*", { "aws:x": "team-payments" }), true);
  assert.equal(holds("StringLike", "aws:x", "team-?", { "aws:x": "team-ab" }), false);
  assert.equal(holds("StringNotLike", "aws:x", "team-*", { "aws:x": "team-payments" }), false);
});

test("a missing key makes a positive operator false", () => {
  assert.equal(holds("StringEquals", "aws:x", "a"), false);
  assert.equal(holds("NumericLessThan", "aws:x", "3"), false);
});

test("a missing key makes a negated operator true", () => {
  assert.equal(holds("StringNotEquals", "aws:x", "a"), true);
  assert.equal(holds("ArnNotLike", "aws:SourceArn", "arn:aws:ecs:*:*:*"), true);
});

test("IfExists with a missing key is true; with a present key it compares", () => {
  assert.equal(holds("StringEqualsIfExists", "aws:x", "a"), true);
  assert.equal(holds("StringEqualsIfExists", "aws:x", "a", { "aws:x": "b" }), false);
  assert.equal(holds("StringEqualsIfExists", "aws:x", "a", { "aws:x": "a" }), true);
});

test("IfExists in a Deny also denies a request without the key", () => {
  const document = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Action: "*", Resource: "*" },
      { Effect: "Deny", Action: "*", Resource: "*", Condition: { StringNotEqualsIfExists: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } } },
    ],
  });
  const principal = { arn: "arn:aws:iam::111122223333:user/u", account: "111122223333", type: "User" as const };
  const base = { principal, action: "kms:Decrypt", resource: "arn:aws:kms:us-east-1:111122223333:key/k", resourceAccount: "111122223333" };
  const policies = { identity: [{ id: "p", type: "inline" as const, document }] };
  assert.equal(evaluate({ ...base, context: {} }, policies).decision, "explicitDeny");
  assert.equal(evaluate({ ...base, context: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } }, policies).decision, "explicitDeny");
  assert.equal(evaluate({ ...base, context: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } }, policies).decision, "allowed");
  const missing = evaluate({ ...base, context: {} }, policies).missingContextValues;
  assert.deepEqual(missing, ["kms:ViaService"]);
});

test("Null: true means the key is absent, false means present", () => {
  assert.equal(holds("Null", "aws:TokenIssueTime", "true"), true);
  assert.equal(holds("Null", "aws:TokenIssueTime", "true", { "aws:TokenIssueTime": "2024-01-01T00:00:00Z" }), false);
  assert.equal(holds("Null", "aws:TokenIssueTime", "false", { "aws:TokenIssueTime": "2024-01-01T00:00:00Z" }), true);
  assert.equal(holds("Null", "aws:TokenIssueTime", "false"), false);
});

test("ForAllValues: every request value must be in the policy set; a missing key is true", () => {
  const tags = ["team", "env"];
  assert.equal(holds("ForAllValues:StringEquals", "aws:TagKeys", tags, { "aws:TagKeys": ["team"] }), true);
  assert.equal(holds("ForAllValues:StringEquals", "aws:TagKeys", tags, { "aws:TagKeys": ["team", "owner"] }), false);
  assert.equal(holds("ForAllValues:StringEquals", "aws:TagKeys", tags), true);
  assert.equal(holds("ForAllValues:StringEquals", "aws:TagKeys", tags, { "aws:TagKeys": [] }), true);
});

test("ForAnyValue: at least one request value must be in the policy set; a missing key is false", () => {
  const tags = ["team", "env"];
  assert.equal(holds("ForAnyValue:StringEquals", "aws:TagKeys", tags, { "aws:TagKeys": ["owner", "env"] }), true);
  assert.equal(holds("ForAnyValue:StringEquals", "aws:TagKeys", tags, { "aws:TagKeys": ["owner"] }), false);
  assert.equal(holds("ForAnyValue:StringEquals", "aws:TagKeys", tags), false);
});

test("ForAllValues / ForAnyValue with a negated operator", () => {
  assert.equal(holds("ForAllValues:StringNotLike", "aws:TagKeys", "sec*", { "aws:TagKeys": ["team", "env"] }), true);
  assert.equal(holds("ForAllValues:StringNotLike", "aws:TagKeys", "sec*", { "aws:TagKeys": ["team", "secret"] }), false);
  assert.equal(holds("ForAnyValue:StringNotEquals", "aws:TagKeys", "team", { "aws:TagKeys": ["team", "env"] }), true);
  assert.equal(holds("ForAnyValue:StringNotEquals", "aws:TagKeys", "team", { "aws:TagKeys": ["team"] }), false);
});

test("Bool compares true/false", () => {
  assert.equal(holds("Bool", "aws:SecureTransport", "true", { "aws:SecureTransport": "true" }), true);
  assert.equal(holds("Bool", "aws:SecureTransport", "false", { "aws:SecureTransport": "true" }), false);
  assert.equal(holds("BoolIfExists", "aws:MultiFactorAuthPresent", "false"), true);
});

test("Numeric operators compare numbers, not strings", () => {
  assert.equal(holds("NumericLessThan", "aws:MultiFactorAuthAge", "3600", { "aws:MultiFactorAuthAge": "900" }), true);
  assert.equal(holds("NumericGreaterThanEquals", "s3:max-keys", "10", { "s3:max-keys": "9" }), false);
  assert.equal(holds("NumericEquals", "s3:max-keys", "10", { "s3:max-keys": "10.0" }), true);
  assert.equal(holds("NumericNotEquals", "s3:max-keys", "10", { "s3:max-keys": "11" }), true);
  assert.equal(holds("NumericLessThanEquals", "s3:max-keys", "10", { "s3:max-keys": "ten" }), false);
});

test("Date operators accept ISO 8601 and epoch seconds", () => {
  const now = { "aws:CurrentTime": "2025-06-01T12:00:00Z" };
  assert.equal(holds("DateLessThan", "aws:CurrentTime", "2026-01-01T00:00:00Z", now), true);
  assert.equal(holds("DateGreaterThan", "aws:CurrentTime", "2026-01-01", now), false);
  assert.equal(holds("DateGreaterThanEquals", "aws:CurrentTime", String(Date.parse("2025-06-01T12:00:00Z") / 1000), now), true);
  assert.equal(holds("DateEquals", "aws:CurrentTime", "2025-06-01T12:00:00.000Z", now), true);
  assert.equal(holds("DateNotEquals", "aws:CurrentTime", "2025-06-01T12:00:00Z", now), false);
});

test("IpAddress / NotIpAddress with IPv4 CIDR", () => {
  assert.equal(holds("IpAddress", "aws:SourceIp", "203.0.113.0/24", { "aws:SourceIp": "203.0.113.77" }), true);
  assert.equal(holds("IpAddress", "aws:SourceIp", ["10.0.0.0/8", "203.0.113.0/24"], { "aws:SourceIp": "198.51.100.1" }), false);
  assert.equal(holds("NotIpAddress", "aws:SourceIp", "203.0.113.0/24", { "aws:SourceIp": "198.51.100.1" }), true);
  assert.equal(holds("IpAddress", "aws:SourceIp", "127.0.0.1", { "aws:SourceIp": "127.0.0.1" }), true);
});

test("IpAddress / NotIpAddress with IPv6 CIDR", () => {
  assert.equal(holds("IpAddress", "aws:SourceIp", "2001:db8::/32", { "aws:SourceIp": "2001:db8:1234::1" }), true);
  assert.equal(holds("IpAddress", "aws:SourceIp", "2001:db8::/32", { "aws:SourceIp": "2001:db9::1" }), false);
  assert.equal(holds("IpAddress", "aws:SourceIp", "::1/128", { "aws:SourceIp": "::1" }), true);
  assert.equal(holds("IpAddress", "aws:SourceIp", "203.0.113.0/24", { "aws:SourceIp": "::ffff:203.0.113.5" }), true);
  assert.equal(holds("NotIpAddress", "aws:SourceIp", "2001:db8::/32", { "aws:SourceIp": "203.0.113.5" }), true);
});

test("ArnLike matches segment by segment; ArnEquals also takes wildcards; ARNs are case-sensitive", () => {
  const source = { "aws:SourceArn": "arn:aws:ecs:us-east-1:111122223333:task/cluster/abc" };
  assert.equal(holds("ArnLike", "aws:SourceArn", "arn:aws:ecs:*:111122223333:*", source), true);
  assert.equal(holds("ArnEquals", "aws:SourceArn", "arn:aws:ecs:us-east-1:111122223333:task/*", source), true);
  assert.equal(holds("ArnLike", "aws:SourceArn", "arn:aws:*:111122223333:*:*", source), false);
  assert.equal(holds("ArnLike", "aws:SourceArn", "arn:aws:ECS:*:111122223333:*", source), false);
  assert.equal(holds("ArnNotLike", "aws:SourceArn", "arn:aws:ecs:*:444455556666:*", source), true);
});

test("policy variables in condition values only when Version is 2012-10-17", () => {
  const ctx = { "aws:ResourceTag/owner": "alice", "aws:username": "alice" };
  assert.equal(holds("StringEquals", "aws:ResourceTag/owner", "${aws:username}", ctx, true), true);
  assert.equal(holds("StringEquals", "aws:ResourceTag/owner", "${aws:username}", ctx, false), false);
  assert.equal(holds("StringEquals", "aws:ResourceTag/owner", "${aws:username}", { ...ctx, "aws:ResourceTag/owner": "${aws:username}" }, false), true);
});

test("a multi-valued key without a set operator: positive matches any value, negated needs all", () => {
  assert.equal(holds("StringEquals", "aws:TagKeys", "team", { "aws:TagKeys": ["env", "team"] }), true);
  assert.equal(holds("StringNotEquals", "aws:TagKeys", "team", { "aws:TagKeys": ["env", "team"] }), false);
});
