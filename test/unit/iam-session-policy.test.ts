// Session policies (AssumeRole's `Policy`) as the IAM User Guide's "Session policies" describes them: a role
// session's permissions are the intersection of the role's identity-based policies and the session policies; an
// explicit deny in either denies; a resource-based policy naming the role is limited by the session policy, one
// naming the session's own ARN is not. AWS's clauses for a session policy, byte for byte.
import { test } from "node:test";
import assert from "node:assert/strict";
import { accessDeniedMessage, evaluate, type AuthorizationRequest, type PolicySet, type RequestPrincipal } from "../../aws/iam/index.ts";

const ACCT = "111122223333";
const OTHER = "444455556666";
const GET = "secretsmanager:GetSecretValue";
const SECRET = `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:registry-creds-AbC123`;
const OTHER_SECRET = `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:other-creds-XyZ789`;
const ROLE_ARN = `arn:aws:iam::${ACCT}:role/exec`;
const SESSION_ARN = `arn:aws:sts::${ACCT}:assumed-role/exec/task-1`;
const SESSION: RequestPrincipal = { arn: SESSION_ARN, account: ACCT, type: "AssumedRole" };

const doc = (...statements: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const request = (over: Partial<AuthorizationRequest> = {}): AuthorizationRequest => ({ principal: SESSION, action: GET, resource: SECRET, resourceAccount: ACCT, context: {}, ...over });
const allowOn = (resource: string, sid = "Read") => ({ Sid: sid, Effect: "Allow", Action: GET, Resource: resource });

function policies(role: unknown[], session?: unknown[], resource?: unknown[]): PolicySet {
  const set: PolicySet = { identity: role.length === 0 ? [] : [{ id: "exec-inline", type: "inline", name: "exec-inline", document: doc(...role) }] };
  if (session !== undefined) set.session = [{ id: "AssumeRole Policy", document: doc(...session) }];
  if (resource !== undefined) set.resource = { id: "secret policy", kind: "resource", document: doc(...resource) };
  return set;
}

test("role and session policy both allow → allowed, decided by the role's statement", () => {
  const d = evaluate(request(), policies([allowOn("*")], [allowOn(SECRET)]));
  assert.equal(d.decision, "allowed");
  assert.equal(d.deciding?.policyType, "identity");
});

test("the session policy allows only another secret → implicit deny, AWS's session-policy clause", () => {
  const d = evaluate(request(), policies([allowOn("*")], [allowOn(OTHER_SECRET)]));
  assert.equal(d.decision, "implicitDeny");
  assert.equal(d.reasonClause, "noSessionAllow");
  assert.equal(
    accessDeniedMessage(SESSION_ARN, GET, "registry-creds", d.reasonClause),
    `User: ${SESSION_ARN} is not authorized to perform: ${GET} on resource: registry-creds because no session policy allows the ${GET} action`,
  );
  assert.match(d.explanation, /^Implicitly denied: .*, because no session policy allows the secretsmanager:GetSecretValue action\.$/m);
  assert.match(d.explanation, /- session policy "AssumeRole Policy", statement 0 \(Sid "Read"\).*: resource .* is not matched by Resource/);
});

test("the session policy cannot grant more than the role", () => {
  const d = evaluate(request(), policies([allowOn(OTHER_SECRET)], [allowOn("*")]));
  assert.equal(d.decision, "implicitDeny");
  assert.equal(d.reasonClause, "noIdentityAllow");
});

test("an explicit deny in the session policy denies, and the explanation names the session policy", () => {
  const d = evaluate(request(), policies([allowOn("*")], [allowOn("*"), { Sid: "NoCreds", Effect: "Deny", Action: GET, Resource: SECRET }]));
  assert.equal(d.decision, "explicitDeny");
  assert.equal(d.reasonClause, "sessionExplicitDeny");
  assert.equal(d.deciding?.policyType, "session");
  assert.equal(accessDeniedMessage(SESSION_ARN, GET, SECRET, d.reasonClause), `User: ${SESSION_ARN} is not authorized to perform: ${GET} on resource: ${SECRET} with an explicit deny in a session policy`);
  assert.match(d.explanation, /^Explicitly denied: .* by session policy "AssumeRole Policy", statement 1 \(Sid "NoCreds"\)/);
});

test("an explicit deny in the role's policy still denies when the session policy allows", () => {
  const d = evaluate(request(), policies([allowOn("*"), { Effect: "Deny", Action: GET, Resource: "*" }], [allowOn("*")]));
  assert.equal(d.reasonClause, "identityExplicitDeny");
});

test("a resource policy naming the session's ARN allows beyond the session policy", () => {
  const d = evaluate(request(), policies([], [allowOn(OTHER_SECRET)], [{ Effect: "Allow", Principal: { AWS: SESSION_ARN }, Action: GET, Resource: "*" }]));
  assert.equal(d.decision, "allowed");
  assert.equal(d.deciding?.policyType, "resource");
});

test("a resource policy naming the role's ARN is limited by the session policy", () => {
  const resource = [{ Effect: "Allow", Principal: { AWS: ROLE_ARN }, Action: GET, Resource: "*" }];
  const limited = evaluate(request(), policies([], [allowOn(OTHER_SECRET)], resource));
  assert.equal(limited.decision, "implicitDeny");
  assert.equal(limited.reasonClause, "noSessionAllow");
  const within = evaluate(request(), policies([], [allowOn(SECRET)], resource));
  assert.equal(within.decision, "allowed");
});

test("cross-account: the session policy must allow too", () => {
  const resource = [{ Effect: "Allow", Principal: { AWS: ROLE_ARN }, Action: GET, Resource: "*" }];
  const foreign = `arn:aws:secretsmanager:us-east-1:${OTHER}:secret:shared-AbC123`;
  const d = evaluate(request({ resource: foreign, resourceAccount: OTHER }), policies([allowOn("*")], [allowOn(SECRET)], resource));
  assert.equal(d.reasonClause, "noSessionAllow");
});

test("session policies apply to role sessions only; a session whose session policies are all gone is allowed nothing", () => {
  const root: RequestPrincipal = { arn: `arn:aws:iam::${ACCT}:root`, account: ACCT, type: "Root" };
  assert.equal(evaluate(request({ principal: root }), policies([], [allowOn(OTHER_SECRET)])).decision, "allowed");
  assert.equal(evaluate(request(), policies([allowOn("*")])).decision, "allowed");
  const none = evaluate(request(), { ...policies([allowOn("*")]), session: [] });
  assert.equal(none.reasonClause, "noSessionAllow");
});
