// Policy evaluation logic: explicit deny, default deny, NotAction/NotResource, wildcards, case rules,
// boundaries, resource-policy principals, cross-account, trust policies, policy variables, the suffix hint and
// AWS's access-denied text.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  AmazonECSTaskExecutionRolePolicy,
  accessDeniedMessage,
  evaluate,
  type AuthorizationRequest,
  type PolicySet,
  type RequestPrincipal,
} from "../../aws/iam/index.ts";

const ACCT = "111122223333";
const OTHER = "444455556666";
const SECRET = `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:registry-creds-AbC123`;
const SECRET_NO_SUFFIX = `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:registry-creds`;
const GET = "secretsmanager:GetSecretValue";
const ROLE_ARN = `arn:aws:iam::${ACCT}:role/exec`;
const SESSION: RequestPrincipal = { arn: `arn:aws:sts::${ACCT}:assumed-role/exec/task-1`, account: ACCT, type: "AssumedRole" };

function doc(...statements: unknown[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

function request(over: Partial<AuthorizationRequest> = {}): AuthorizationRequest {
  return { principal: SESSION, action: GET, resource: SECRET, resourceAccount: ACCT, context: {}, ...over };
}

function identity(...statements: unknown[]): PolicySet {
  return { identity: [{ id: "exec-inline", type: "inline", name: "exec-inline", document: doc(...statements) }] };
}

const allowGet = { Sid: "ReadCreds", Effect: "Allow", Action: GET, Resource: `${SECRET_NO_SUFFIX}-??????` };

test("default deny: no policies → implicitDeny, no identity-based policy allows", () => {
  const d = evaluate(request(), { identity: [] });
  assert.equal(d.decision, "implicitDeny");
  assert.equal(d.reasonClause, "noIdentityAllow");
  assert.equal(d.deciding, undefined);
  assert.match(d.explanation, /The principal has no identity-based policies\./);
});

test("an identity allow with the -?????? wildcard allows and names the deciding statement", () => {
  const d = evaluate(request(), identity(allowGet));
  assert.equal(d.decision, "allowed");
  assert.equal(d.deciding?.policyId, "exec-inline");
  assert.equal(d.deciding?.sid, "ReadCreds");
  assert.equal(d.deciding?.policyType, "identity");
  assert.equal(d.deciding?.policyKind, "inline");
  assert.equal(d.deciding?.index, 0);
  assert.deepEqual(d.deciding?.positions?.start, { line: 1, column: 38 });
  assert.equal(d.reasonClause, undefined);
});

test("explicit deny beats allow", () => {
  const d = evaluate(request(), identity(allowGet, { Sid: "NoSecrets", Effect: "Deny", Action: "secretsmanager:*", Resource: "*" }));
  assert.equal(d.decision, "explicitDeny");
  assert.equal(d.reasonClause, "identityExplicitDeny");
  assert.equal(d.deciding?.sid, "NoSecrets");
  assert.equal(d.matched.length, 2);
});

test("explicit deny in a resource policy beats an identity allow", () => {
  const d = evaluate(request(), {
    ...identity(allowGet),
    resource: { id: "secret-policy", document: doc({ Effect: "Deny", Principal: "*", Action: GET, Resource: "*" }) },
  });
  assert.equal(d.decision, "explicitDeny");
  assert.equal(d.reasonClause, "resourceExplicitDeny");
});

test("NotAction: everything but the listed actions", () => {
  const policies = identity({ Effect: "Allow", NotAction: "secretsmanager:DeleteSecret", Resource: "*" });
  assert.equal(evaluate(request(), policies).decision, "allowed");
  assert.equal(evaluate(request({ action: "secretsmanager:DeleteSecret" }), policies).decision, "implicitDeny");
});

test("NotResource: every resource but the listed ones", () => {
  const policies = identity({ Effect: "Allow", Action: GET, NotResource: `${SECRET_NO_SUFFIX}-*` });
  assert.equal(evaluate(request(), policies).decision, "implicitDeny");
  assert.equal(evaluate(request({ resource: SECRET.replace("registry-creds", "other") }), policies).decision, "allowed");
});

test("Deny with NotResource denies everything outside the list", () => {
  const policies = identity(allowGet, { Effect: "Deny", Action: "*", NotResource: "arn:aws:s3:::*" });
  assert.equal(evaluate(request(), policies).decision, "explicitDeny");
});

test("wildcards: * spans, ? is exactly one character", () => {
  assert.equal(evaluate(request(), identity({ ...allowGet, Resource: `arn:aws:secretsmanager:*:${ACCT}:secret:registry-*` })).decision, "allowed");
  assert.equal(evaluate(request(), identity({ ...allowGet, Resource: `${SECRET_NO_SUFFIX}-?????` })).decision, "implicitDeny");
  assert.equal(evaluate(request(), identity({ ...allowGet, Action: "secretsmanager:Get*" })).decision, "allowed");
  assert.equal(evaluate(request(), identity({ ...allowGet, Action: "*" })).decision, "allowed");
  assert.equal(evaluate(request(), identity({ ...allowGet, Action: "secretsmanager:?etSecretValue" })).decision, "allowed");
});

test("action names are case-insensitive", () => {
  assert.equal(evaluate(request({ action: "SecretsManager:getsecretvalue" }), identity({ ...allowGet, Action: "SECRETSMANAGER:GetSecretVALUE" })).decision, "allowed");
});

test("resource ARNs are case-sensitive", () => {
  assert.equal(evaluate(request(), identity({ ...allowGet, Resource: SECRET.replace("registry-creds", "REGISTRY-CREDS") })).decision, "implicitDeny");
  assert.equal(evaluate(request(), identity({ ...allowGet, Resource: SECRET.replace("AbC123", "abc123") })).decision, "implicitDeny");
});

test("the managed AmazonECSTaskExecutionRolePolicy allows ECR pulls but no Secrets Manager", () => {
  const policies: PolicySet = {
    identity: [{ id: AmazonECSTaskExecutionRolePolicy.arn, type: "managed", arn: AmazonECSTaskExecutionRolePolicy.arn, document: AmazonECSTaskExecutionRolePolicy.document }],
  };
  assert.equal(AmazonECSTaskExecutionRolePolicy.arn, "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy");
  assert.equal(evaluate(request({ action: "ecr:BatchGetImage", resource: `arn:aws:ecr:us-east-1:${ACCT}:repository/app` }), policies).decision, "allowed");
  const d = evaluate(request(), policies);
  assert.equal(d.decision, "implicitDeny");
  assert.equal(d.reasonClause, "noIdentityAllow");
  assert.match(d.explanation, /action secretsmanager:GetSecretValue is not in Action \["ecr:GetAuthorizationToken"/);
});

test("permissions boundary: identity allow outside the boundary → no permissions boundary allows", () => {
  const d = evaluate(request(), {
    ...identity(allowGet),
    boundary: { id: "boundary", document: doc({ Effect: "Allow", Action: "ecr:*", Resource: "*" }) },
  });
  assert.equal(d.decision, "implicitDeny");
  assert.equal(d.reasonClause, "noBoundaryAllow");
  assert.match(d.explanation, /permissions boundary "boundary", statement 0 at line 1, column 38: action secretsmanager:GetSecretValue is not in Action/);
});

test("permissions boundary: allow inside both → allowed", () => {
  const d = evaluate(request(), { ...identity(allowGet), boundary: { id: "b", document: doc({ Effect: "Allow", Action: "secretsmanager:*", Resource: "*" }) } });
  assert.equal(d.decision, "allowed");
});

test("permissions boundary: a boundary alone grants nothing", () => {
  const d = evaluate(request(), { identity: [], boundary: { id: "b", document: doc({ Effect: "Allow", Action: "*", Resource: "*" }) } });
  assert.equal(d.decision, "implicitDeny");
  assert.equal(d.reasonClause, "noIdentityAllow");
});

test("permissions boundary: an explicit deny in it → explicit deny in a permissions boundary", () => {
  const d = evaluate(request(), {
    ...identity(allowGet),
    boundary: { id: "b", document: doc({ Effect: "Allow", Action: "*", Resource: "*" }, { Effect: "Deny", Action: GET, Resource: "*" }) },
  });
  assert.equal(d.decision, "explicitDeny");
  assert.equal(d.reasonClause, "boundaryExplicitDeny");
});

test("same account: a resource policy naming the role allows without any identity policy", () => {
  const d = evaluate(request(), { identity: [], resource: { id: "secret-policy", document: doc({ Effect: "Allow", Principal: { AWS: ROLE_ARN }, Action: GET, Resource: "*" }) } });
  assert.equal(d.decision, "allowed");
  assert.equal(d.deciding?.policyType, "resource");
});

test("same account: a resource policy naming the role does not bypass the boundary, naming the session does", () => {
  const boundary = { id: "b", document: doc({ Effect: "Allow", Action: "ecr:*", Resource: "*" }) };
  const byRole = evaluate(request(), { identity: [], boundary, resource: { id: "r", document: doc({ Effect: "Allow", Principal: { AWS: ROLE_ARN }, Action: GET }) } });
  assert.equal(byRole.decision, "implicitDeny");
  assert.equal(byRole.reasonClause, "noBoundaryAllow");
  const bySession = evaluate(request(), { identity: [], boundary, resource: { id: "r", document: doc({ Effect: "Allow", Principal: { AWS: SESSION.arn }, Action: GET }) } });
  assert.equal(bySession.decision, "allowed");
});

test("same account: a resource policy naming only the account delegates to identity-based policies", () => {
  const resource = { id: "r", document: doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCT}:root` }, Action: GET, Resource: "*" }) };
  assert.equal(evaluate(request(), { identity: [], resource }).decision, "implicitDeny");
  assert.equal(evaluate(request(), { ...identity(allowGet), resource }).decision, "allowed");
});

test("resource-policy principal: a role ARN with a path matches its sessions", () => {
  const resource = { id: "r", document: doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCT}:role/service/exec` }, Action: GET }) };
  assert.equal(evaluate(request(), { identity: [], resource }).decision, "allowed");
  const other = { ...SESSION, arn: `arn:aws:sts::${ACCT}:assumed-role/other/task-1` };
  assert.equal(evaluate(request({ principal: other }), { identity: [], resource }).decision, "implicitDeny");
});

test("resource-policy principal: \"*\" and {\"AWS\": \"*\"} match any caller", () => {
  for (const principal of ["*", { AWS: "*" }]) {
    const resource = { id: "r", document: doc({ Effect: "Allow", Principal: principal, Action: GET, Resource: "*" }) };
    assert.equal(evaluate(request(), { identity: [], resource }).decision, "allowed");
  }
});

test("resource-policy NotPrincipal with Deny denies everyone else", () => {
  const resource = { id: "r", document: doc({ Effect: "Deny", NotPrincipal: { AWS: ROLE_ARN }, Action: GET, Resource: "*" }) };
  const other: RequestPrincipal = { arn: `arn:aws:iam::${ACCT}:user/alice`, account: ACCT, type: "User" };
  assert.equal(evaluate(request({ principal: other }), { identity: [{ id: "p", type: "inline", document: doc(allowGet) }], resource }).decision, "explicitDeny");
  assert.equal(evaluate(request(), { ...identity(allowGet), resource }).decision, "allowed");
});

test("cross-account: identity allow without a resource-policy allow → no resource-based policy allows", () => {
  const caller: RequestPrincipal = { arn: `arn:aws:sts::${OTHER}:assumed-role/exec/task-1`, account: OTHER, type: "AssumedRole" };
  const d = evaluate(request({ principal: caller }), identity({ ...allowGet, Resource: "*" }));
  assert.equal(d.decision, "implicitDeny");
  assert.equal(d.reasonClause, "noResourceAllow");
  assert.match(d.explanation, /a cross-account request needs an allow in the resource-based policy/);
});

test("cross-account: a resource-policy allow without an identity allow → no identity-based policy allows", () => {
  const caller: RequestPrincipal = { arn: `arn:aws:sts::${OTHER}:assumed-role/exec/task-1`, account: OTHER, type: "AssumedRole" };
  const resource = { id: "r", document: doc({ Effect: "Allow", Principal: { AWS: OTHER }, Action: GET, Resource: "*" }) };
  const d = evaluate(request({ principal: caller }), { identity: [], resource });
  assert.equal(d.decision, "implicitDeny");
  assert.equal(d.reasonClause, "noIdentityAllow");
});

test("cross-account: both sides allow (resource policy naming the other account) → allowed", () => {
  const caller: RequestPrincipal = { arn: `arn:aws:sts::${OTHER}:assumed-role/exec/task-1`, account: OTHER, type: "AssumedRole" };
  const resource = { id: "r", document: doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: GET, Resource: "*" }) };
  assert.equal(evaluate(request({ principal: caller }), { ...identity({ ...allowGet, Resource: "*" }), resource }).decision, "allowed");
});

test("the account's root user is allowed without identity policies but not past an explicit deny", () => {
  const root: RequestPrincipal = { arn: `arn:aws:iam::${ACCT}:root`, account: ACCT, type: "Root" };
  assert.equal(evaluate(request({ principal: root }), { identity: [] }).decision, "allowed");
  const resource = { id: "r", document: doc({ Effect: "Deny", Principal: "*", Action: "*", Resource: "*" }) };
  assert.equal(evaluate(request({ principal: root }), { identity: [], resource }).decision, "explicitDeny");
});

const ECS_TASKS: RequestPrincipal = { arn: "ecs-tasks.amazonaws.com", account: "", type: "Service" };
const trustRequest = (principal: RequestPrincipal = ECS_TASKS): AuthorizationRequest => ({
  principal, action: "sts:AssumeRole", resource: ROLE_ARN, resourceAccount: ACCT, context: {},
});

test("trust policy with the ecs-tasks.amazonaws.com Service principal allows ECS to assume the role", () => {
  const trust = { id: "trust", kind: "trust" as const, document: doc({ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }) };
  assert.equal(evaluate(trustRequest(), { identity: [], resource: trust }).decision, "allowed");
});

test("trust policy naming another service → ECS cannot assume the role", () => {
  const trust = { id: "trust", kind: "trust" as const, document: doc({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }) };
  const d = evaluate(trustRequest(), { identity: [], resource: trust });
  assert.equal(d.decision, "implicitDeny");
  assert.match(d.explanation, /Principal does not cover ecs-tasks\.amazonaws\.com/);
});

test("trust policy with aws:SourceAccount condition checks the request context", () => {
  const trust = {
    id: "trust", kind: "trust" as const,
    document: doc({ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": ACCT } } }),
  };
  assert.equal(evaluate({ ...trustRequest(), context: { "aws:SourceAccount": ACCT } }, { identity: [], resource: trust }).decision, "allowed");
  assert.equal(evaluate({ ...trustRequest(), context: { "aws:SourceAccount": OTHER } }, { identity: [], resource: trust }).decision, "implicitDeny");
});

test("policy variables are substituted in Version 2012-10-17", () => {
  const user: RequestPrincipal = { arn: `arn:aws:iam::${ACCT}:user/alice`, account: ACCT, type: "User", tags: { team: "payments" } };
  const byName = identity({ Effect: "Allow", Action: GET, Resource: `arn:aws:secretsmanager:*:${ACCT}:secret:\${aws:username}-*` });
  const alice = `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:alice-AbC123`;
  assert.equal(evaluate(request({ principal: user, resource: alice }), byName).decision, "allowed");
  assert.equal(evaluate(request({ principal: user, resource: SECRET }), byName).decision, "implicitDeny");
  const byTag = identity({ Effect: "Allow", Action: GET, Resource: "*", Condition: { StringEquals: { "aws:ResourceTag/team": "${aws:PrincipalTag/team}" } } });
  assert.equal(evaluate(request({ principal: user, context: { "aws:ResourceTag/team": "payments" } }), byTag).decision, "allowed");
  assert.equal(evaluate(request({ principal: user, context: { "aws:ResourceTag/team": "search" } }), byTag).decision, "implicitDeny");
});

test("policy variables are literal text in Version 2008-10-17", () => {
  const user: RequestPrincipal = { arn: `arn:aws:iam::${ACCT}:user/alice`, account: ACCT, type: "User" };
  const document = JSON.stringify({ Version: "2008-10-17", Statement: [{ Effect: "Allow", Action: GET, Resource: `arn:aws:secretsmanager:*:${ACCT}:secret:\${aws:username}-*` }] });
  const policies: PolicySet = { identity: [{ id: "old", type: "inline", document }] };
  assert.equal(evaluate(request({ principal: user, resource: `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:alice-AbC123` }), policies).decision, "implicitDeny");
  assert.equal(evaluate(request({ principal: user, resource: `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:\${aws:username}-AbC123` }), policies).decision, "allowed");
});

test("policy variables: ${*} ${?} ${$} are literal characters, substituted values never act as wildcards", () => {
  const policies = identity({ Effect: "Allow", Action: GET, Resource: `arn:aws:secretsmanager:*:${ACCT}:secret:a\${*}b\${?}\${$}-*` });
  assert.equal(evaluate(request({ resource: `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:a*b?$-AbC123` }), policies).decision, "allowed");
  assert.equal(evaluate(request({ resource: `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:axxbx$-AbC123` }), policies).decision, "implicitDeny");
  const user: RequestPrincipal = { arn: `arn:aws:iam::${ACCT}:user/alice`, account: ACCT, type: "User" };
  const byName = identity({ Effect: "Allow", Action: GET, Resource: `arn:aws:secretsmanager:*:${ACCT}:secret:\${aws:username}` });
  assert.equal(evaluate(request({ principal: user, context: { "aws:username": "*" } }), byName).decision, "implicitDeny");
});

test("policy variables: a missing key without default does not match and is reported missing; a default applies", () => {
  const noDefault = identity({ Effect: "Allow", Action: GET, Resource: `arn:aws:secretsmanager:*:${ACCT}:secret:\${aws:PrincipalTag/team}-*` });
  const d = evaluate(request({ resource: `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:shared-AbC123` }), noDefault);
  assert.equal(d.decision, "implicitDeny");
  assert.deepEqual(d.missingContextValues, ["aws:PrincipalTag/team"]);
  const withDefault = identity({ Effect: "Allow", Action: GET, Resource: `arn:aws:secretsmanager:*:${ACCT}:secret:\${aws:PrincipalTag/team, 'shared'}-*` });
  assert.equal(evaluate(request({ resource: `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:shared-AbC123` }), withDefault).decision, "allowed");
});

test("suffix hint: a Resource written as the secret ARN without -?????? is pointed out", () => {
  const d = evaluate(request(), identity({ ...allowGet, Resource: SECRET_NO_SUFFIX }));
  assert.equal(d.decision, "implicitDeny");
  assert.equal(d.hints.length, 1);
  assert.match(d.hints[0] ?? "", /without the 6-character suffix "-AbC123"/);
  assert.ok((d.hints[0] ?? "").includes(`write "${SECRET_NO_SUFFIX}-??????"`));
  assert.match(d.explanation, /\nHint: identity-based policy "exec-inline" \(inline\), statement 0 \(Sid "ReadCreds"\)/);
});

test("suffix hint: absent when the resource differs otherwise", () => {
  const d = evaluate(request(), identity({ ...allowGet, Resource: SECRET.replace("registry", "other") }));
  assert.deepEqual(d.hints, []);
});

test("explanation of an implicit deny names the failing condition, its key and the request's value", () => {
  const d = evaluate(
    request({ context: { "aws:ResourceTag/team": "search" } }),
    identity({ ...allowGet, Condition: { StringEquals: { "aws:ResourceTag/team": ["payments", "ops"] } } }),
  );
  assert.match(d.explanation, /condition StringEquals \{"aws:ResourceTag\/team": \["payments", "ops"\]\} is false: the request has "search"/);
});

test("accessDeniedMessage renders AWS's text for each clause, no final period", () => {
  const who = SESSION.arn;
  const head = `User: ${who} is not authorized to perform: ${GET} on resource: registry-creds`;
  assert.equal(accessDeniedMessage(who, GET, "registry-creds", "noIdentityAllow"), `${head} because no identity-based policy allows the ${GET} action`);
  assert.equal(accessDeniedMessage(who, GET, "registry-creds", "identityExplicitDeny"), `${head} with an explicit deny in an identity-based policy`);
  assert.equal(accessDeniedMessage(who, GET, "registry-creds", "resourceExplicitDeny"), `${head} with an explicit deny in a resource-based policy`);
  assert.equal(accessDeniedMessage(who, GET, "registry-creds", "noResourceAllow"), `${head} because no resource-based policy allows the ${GET} action`);
  assert.equal(accessDeniedMessage(who, GET, "registry-creds", "noBoundaryAllow"), `${head} because no permissions boundary allows the ${GET} action`);
  assert.equal(accessDeniedMessage(who, GET, "registry-creds", "boundaryExplicitDeny"), `${head} with an explicit deny in a permissions boundary`);
  assert.equal(accessDeniedMessage("arn:aws:iam::1:user/u", "sts:AssumeRole", ROLE_ARN), `User: arn:aws:iam::1:user/u is not authorized to perform: sts:AssumeRole on resource: ${ROLE_ARN}`);
});

test("a malformed stored policy throws MalformedPolicyDocument from evaluate", () => {
  assert.throws(() => evaluate(request(), { identity: [{ id: "bad", type: "inline", document: "{" }] }), { name: "MalformedPolicyDocument" });
});

test("explanation of an allow and of an explicit deny names the deciding statement", () => {
  assert.match(evaluate(request(), identity(allowGet)).explanation, /^Allowed: .* by identity-based policy "exec-inline" \(inline\), statement 0 \(Sid "ReadCreds"\) at line 1, column 38\.$/);
  const deny = evaluate(request(), identity(allowGet, { Sid: "Stop", Effect: "Deny", Action: "*", Resource: "*" }));
  assert.match(deny.explanation, /^Explicitly denied: .* statement 1 \(Sid "Stop"\) .*; an explicit deny overrides every allow\.$/);
});

test("trace lists every statement with the first part that did not apply, and serialises to JSON", () => {
  const d = evaluate(request(), identity(allowGet, { Effect: "Allow", Action: "ecr:*", Resource: "*" }));
  assert.deepEqual(d.trace.map((t) => t.outcome.result), ["matched", "action"]);
  assert.equal(d.trace[1]?.source.action?.[0], "ecr:*");
  const json = JSON.parse(JSON.stringify(d)) as { decision: string; trace: unknown[]; explanation: string };
  assert.equal(json.decision, "allowed");
  assert.equal(json.trace.length, 2);
  assert.equal(typeof json.explanation, "string");
});

test("missingContextValues lists condition keys the request did not carry", () => {
  const d = evaluate(request(), identity({ ...allowGet, Condition: { StringEquals: { "aws:ResourceTag/team": "a" }, Bool: { "aws:SecureTransport": "true" } } }));
  assert.equal(d.decision, "implicitDeny");
  assert.deepEqual(d.missingContextValues, ["aws:ResourceTag/team"]);
});
