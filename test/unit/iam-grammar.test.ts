// Policy grammar: each MalformedPolicyDocument text byte-exact (AWS-ERRORS.md), the precise `detail`, size quotas,
// statement positions, and a property test that no input throws anything but MalformedPolicyDocument.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  evaluate,
  LimitExceeded,
  MalformedPolicyDocument,
  MalformedPolicyText,
  checkManagedPolicySize,
  checkRoleInlinePolicySize,
  managedPolicySizeText,
  parsePolicy,
  policySize,
  resourceNotArnText,
  prohibitedFieldText,
  roleInlinePolicySizeText,
  statementPositions,
  validatePolicy,
  type ParseOptions,
} from "../../aws/iam/index.ts";

const IDENTITY: ParseOptions = { kind: "identity" };
const ok = { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" };

function doc(...statements: unknown[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

function rejects(text: string, options: ParseOptions, message: string, detail?: RegExp | string): void {
  const result = validatePolicy(text, options);
  assert.equal(result.ok, false, `expected ${message}`);
  if (result.ok) return;
  assert.ok(result.error instanceof MalformedPolicyDocument);
  assert.equal(result.error.name, "MalformedPolicyDocument");
  assert.equal(result.error.code, "MalformedPolicyDocument");
  assert.equal(result.error.httpStatus, 400);
  assert.equal(result.error.message, message);
  if (typeof detail === "string") assert.equal(result.error.detail, detail);
  else if (detail !== undefined) assert.match(result.error.detail, detail);
}

test("AWS texts are pinned byte for byte to AWS-ERRORS.md", () => {
  assert.equal(MalformedPolicyText.syntax, "Syntax errors in policy.");
  assert.equal(MalformedPolicyText.legacyParsing, "The policy failed legacy parsing");
  assert.equal(MalformedPolicyText.version, "Policy document must be version 2012-10-17 or greater.");
  assert.equal(MalformedPolicyText.noActions, "Policy statement must contain actions.");
  assert.equal(MalformedPolicyText.noResources, "Policy statement must contain resources.");
  assert.equal(resourceNotArnText("bucket"), 'Resource bucket must be in ARN format or "*".');
  assert.equal(MalformedPolicyText.vendor, "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
  assert.equal(MalformedPolicyText.duplicateSid, "Statement IDs (SID) in a single policy must be unique.");
  assert.equal(MalformedPolicyText.trustInvalidJson, "This policy contains invalid Json");
  assert.equal(MalformedPolicyText.trustStsOnly, "AssumeRole policy may only specify STS AssumeRole actions.");
  assert.equal(prohibitedFieldText("Resource"), "Has prohibited field Resource");
  assert.equal(roleInlinePolicySizeText("exec"), "Maximum policy size of 10240 bytes exceeded for role exec");
  assert.equal(managedPolicySizeText, "Cannot exceed quota for PolicySize: 6144");
});

test("a valid identity policy parses into normalised statements", () => {
  const policy = parsePolicy(doc({ Sid: "A", ...ok, Condition: { Bool: { "aws:SecureTransport": true } } }), IDENTITY);
  assert.equal(policy.version, "2012-10-17");
  assert.deepEqual(policy.statements[0], {
    index: 0, sid: "A", effect: "Allow", action: ["secretsmanager:GetSecretValue"], resource: ["*"],
    condition: [{ operator: "Bool", key: "aws:SecureTransport", values: ["true"] }],
  });
});

test("a single statement object (not a list) is accepted", () => {
  const policy = parsePolicy(JSON.stringify({ Version: "2012-10-17", Statement: ok }), IDENTITY);
  assert.equal(policy.statements.length, 1);
});

test("bad JSON → Syntax errors in policy.", () => {
  rejects("{\"Version\": ", IDENTITY, MalformedPolicyText.syntax, /not valid JSON/);
});

test("a document that is not an object → Syntax errors in policy.", () => {
  rejects("[]", IDENTITY, MalformedPolicyText.syntax, "the document is a list: a policy must be a JSON object");
});

test("an unknown top-level key → Syntax errors in policy.", () => {
  rejects(JSON.stringify({ Version: "2012-10-17", Statement: [ok], Extra: 1 }), IDENTITY, MalformedPolicyText.syntax, /unknown top-level field "Extra"/);
});

test("an unknown statement key → Syntax errors in policy.", () => {
  rejects(doc({ ...ok, Actions: "s3:*" }), IDENTITY, MalformedPolicyText.syntax, /Statement\[0\] has unknown field "Actions"/);
});

test("missing Statement → Syntax errors in policy.", () => {
  rejects(JSON.stringify({ Version: "2012-10-17" }), IDENTITY, MalformedPolicyText.syntax, "Statement is missing");
});

test("missing Effect → Syntax errors in policy.", () => {
  rejects(doc({ Action: "s3:GetObject", Resource: "*" }), IDENTITY, MalformedPolicyText.syntax, /Statement\[0\]\.Effect is missing/);
});

test("an invalid Effect value → Syntax errors in policy.", () => {
  rejects(doc({ ...ok, Effect: "Permit" }), IDENTITY, MalformedPolicyText.syntax, 'Statement[0].Effect is "Permit": Effect must be exactly "Allow" or "Deny"');
});

test("Effect with the wrong case → The policy failed legacy parsing", () => {
  rejects(doc(ok, { ...ok, Effect: "allow" }), IDENTITY, MalformedPolicyText.legacyParsing, 'Statement[1].Effect is "allow": Effect must be exactly "Allow" or "Deny"');
});

test("CreatePolicy without Version → must be version 2012-10-17", () => {
  rejects(JSON.stringify({ Statement: [ok] }), { kind: "identity", requireCurrentVersion: true }, MalformedPolicyText.version, /Version is missing/);
});

test("CreatePolicy with Version 2008-10-17 → must be version 2012-10-17", () => {
  rejects(JSON.stringify({ Version: "2008-10-17", Statement: [ok] }), { kind: "identity", requireCurrentVersion: true }, MalformedPolicyText.version);
});

test("an inline policy without Version is read as 2008-10-17", () => {
  assert.equal(parsePolicy(JSON.stringify({ Statement: [ok] }), IDENTITY).version, "2008-10-17");
});

test("an unknown Version value → Syntax errors in policy.", () => {
  rejects(JSON.stringify({ Version: "2012-10-18", Statement: [ok] }), IDENTITY, MalformedPolicyText.syntax, /Version is "2012-10-18"/);
});

test("no Action → Policy statement must contain actions.", () => {
  rejects(doc({ Effect: "Allow", Resource: "*" }), IDENTITY, MalformedPolicyText.noActions, "Statement[0] has neither Action nor NotAction");
});

test("no Resource → Policy statement must contain resources.", () => {
  rejects(doc({ Effect: "Allow", Action: "s3:*" }), IDENTITY, MalformedPolicyText.noResources, "Statement[0] has neither Resource nor NotResource");
});

test("a Resource that is not an ARN → Resource <value> must be in ARN format", () => {
  rejects(doc({ ...ok, Resource: ["*", "my-secret"] }), IDENTITY, resourceNotArnText("my-secret"), /Statement\[0\]\.Resource "my-secret" is not an ARN/);
});

test("an action without vendor → Actions/Conditions must be prefaced by a vendor", () => {
  rejects(doc({ ...ok, Action: "GetSecretValue" }), IDENTITY, MalformedPolicyText.vendor, /Statement\[0\]\.Action "GetSecretValue" has no vendor prefix/);
});

test("a condition key without vendor → Actions/Conditions must be prefaced by a vendor", () => {
  rejects(doc({ ...ok, Condition: { StringEquals: { SourceIp: "x" } } }), IDENTITY, MalformedPolicyText.vendor, /key "SourceIp" has no vendor prefix/);
});

test("an unknown condition operator → Syntax errors in policy.", () => {
  rejects(doc({ ...ok, Condition: { StringEqualz: { "aws:x": "y" } } }), IDENTITY, MalformedPolicyText.syntax, /unknown condition operator "StringEqualz"/);
});

test("a duplicate Sid → Statement IDs (SID) in a single policy must be unique.", () => {
  rejects(doc({ Sid: "A", ...ok }, { Sid: "A", ...ok }), IDENTITY, MalformedPolicyText.duplicateSid, 'Statement[1].Sid "A" is already used by Statement[0]');
});

test("both Action and NotAction → Syntax errors in policy.", () => {
  rejects(doc({ ...ok, NotAction: "s3:*" }), IDENTITY, MalformedPolicyText.syntax, /both Action and NotAction/);
});

test("an Action that is a number → Syntax errors in policy.", () => {
  rejects(doc({ ...ok, Action: [1] }), IDENTITY, MalformedPolicyText.syntax, /contains a number \(1\)/);
});

test("trust policy: bad JSON → This policy contains invalid Json", () => {
  rejects("{nope", { kind: "trust" }, MalformedPolicyText.trustInvalidJson, /not valid JSON/);
});

test("trust policy: a non-STS action → AssumeRole policy may only specify STS AssumeRole actions.", () => {
  const trust = doc({ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "secretsmanager:GetSecretValue" });
  rejects(trust, { kind: "trust" }, MalformedPolicyText.trustStsOnly, /is not an STS AssumeRole action/);
});

test("trust policy: a Resource → Has prohibited field Resource", () => {
  const trust = doc({ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole", Resource: "*" });
  rejects(trust, { kind: "trust" }, prohibitedFieldText("Resource"), /cannot name resources/);
});

test("trust policy: sts:AssumeRole and sts:TagSession for a Service principal are accepted", () => {
  const trust = doc({ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] });
  assert.equal(validatePolicy(trust, { kind: "trust" }).ok, true);
});

test("trust policy without Principal → Missing required field Principal", () => {
  rejects(doc({ Effect: "Allow", Action: "sts:AssumeRole" }), { kind: "trust" }, MalformedPolicyText.missingPrincipal);
});

test("identity policy with Principal → should not specify a principal", () => {
  rejects(doc({ ...ok, Principal: "*" }), IDENTITY, MalformedPolicyText.identityHasPrincipal);
});

test("resource policy may omit Resource (it means the resource it is attached to)", () => {
  const policy = parsePolicy(doc({ Effect: "Allow", Principal: { AWS: "111122223333" }, Action: "secretsmanager:*" }), { kind: "resource" });
  assert.equal(policy.statements[0]?.resource, undefined);
});

test("policySize ignores white space outside strings", () => {
  assert.equal(policySize('{ "a" : "b c" }'), '{"a":"b c"}'.length);
});

test("a managed policy over 6,144 characters → LimitExceeded", () => {
  const big = doc({ ...ok, Resource: Array.from({ length: 300 }, (_, i) => `arn:aws:s3:::bucket-${i}`) });
  assert.throws(() => checkManagedPolicySize(big), (e: unknown) => e instanceof LimitExceeded && e.message === managedPolicySizeText && e.httpStatus === 409);
  assert.doesNotThrow(() => checkManagedPolicySize(doc(ok)));
});

test("inline policies of a role over 10,240 characters together → LimitExceeded naming the role", () => {
  const half = doc({ ...ok, Resource: Array.from({ length: 220 }, (_, i) => `arn:aws:s3:::bucket-${i}`) });
  assert.doesNotThrow(() => checkRoleInlinePolicySize("exec", [half]));
  assert.throws(() => checkRoleInlinePolicySize("exec", [half, half]), (e: unknown) => e instanceof LimitExceeded && e.message === roleInlinePolicySizeText("exec"));
});

test("statement positions give line and column of each statement", () => {
  const text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},\n    {"Effect": "Deny",\n     "Action": "s3:*", "Resource": "*"}\n  ]\n}';
  const positions = statementPositions(text);
  assert.deepEqual(positions.map((p) => p.start), [{ line: 4, column: 5 }, { line: 5, column: 5 }]);
  assert.deepEqual(positions[1]?.end, { line: 6, column: 40 });
});

// Values that look like policies often enough to reach deep validation paths.
const policyish = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constantFrom("Allow", "Deny", "allow", "*", "s3:GetObject", "arn:aws:s3:::b", "2012-10-17", "2008-10-17", "sts:AssumeRole", "${aws:username}"),
    fc.string(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(
      fc.constantFrom("Version", "Statement", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition", "Sid", "AWS", "Service", "StringLike", "Null", "aws:x", "x"),
      tie("value"),
      { maxKeys: 4 },
    ),
  ),
})).value;

test("property: random JSON never throws anything but MalformedPolicyDocument", () => {
  fc.assert(
    fc.property(fc.oneof(fc.json(), policyish.map((v) => JSON.stringify(v)), fc.string()), fc.constantFrom<ParseOptions["kind"]>("identity", "resource", "trust"), (text, kind) => {
      try {
        parsePolicy(text, { kind });
      } catch (error) {
        assert.ok(error instanceof MalformedPolicyDocument, `threw ${String(error)}`);
        assert.ok(error.message.length > 0 && error.detail.length > 0);
      }
    }),
    { numRuns: 3000 },
  );
});

// Policies that are mostly valid, so that evaluation paths (wildcards, variables, every operator) get exercised.
const someOf = <T>(...values: T[]) => fc.oneof(fc.constantFrom(...values), fc.array(fc.constantFrom(...values), { minLength: 1, maxLength: 3 }));
const operator = fc.tuple(fc.constantFrom("", "ForAllValues:", "ForAnyValue:"), fc.constantFrom("StringEquals", "StringNotLike", "ArnLike", "NumericLessThan", "DateGreaterThan", "Bool", "IpAddress", "NotIpAddress", "BinaryEquals"), fc.constantFrom("", "IfExists"))
  .map(([set, base, ifExists]) => `${set}${base}${ifExists}`);
const conditionValue = fc.oneof(fc.constantFrom("1", "true", "2024-01-01T00:00:00Z", "10.0.0.0/8", "::1/128", "arn:aws:s3:::*", "${aws:x}", "${aws:x, 'd'}", "${*}", "*", "x?y"), fc.string(), fc.integer(), fc.boolean());
const validish = fc.record(
  {
    Version: fc.constantFrom("2012-10-17", "2008-10-17"),
    Statement: fc.array(
      fc.record(
        {
          Effect: fc.constantFrom("Allow", "Deny"),
          Principal: fc.oneof(fc.constant("*"), fc.record({ AWS: someOf("*", "111122223333", "arn:aws:iam::111122223333:role/exec") }), fc.record({ Service: fc.constant("ecs-tasks.amazonaws.com") })),
          Action: someOf("*", "s3:Get*", "sts:AssumeRole", "s3:?etObject", "kms:Decrypt"),
          Resource: someOf("*", "arn:aws:s3:::b", "arn:aws:s3:::${aws:x}", "arn:aws:s3:::*${*}?"),
          Condition: fc.dictionary(operator, fc.dictionary(fc.constantFrom("aws:x", "AWS:X", "aws:y"), fc.oneof(conditionValue, fc.array(conditionValue, { maxLength: 3 })), { minKeys: 1, maxKeys: 2 }), { maxKeys: 2 }),
        },
        { requiredKeys: ["Effect", "Action"] },
      ),
      { minLength: 1, maxLength: 4 },
    ),
  },
  { requiredKeys: ["Statement"] },
);

test("property: a policy the grammar accepts never makes evaluate throw", () => {
  const principal = { arn: "arn:aws:sts::111122223333:assumed-role/exec/t", account: "111122223333", type: "AssumedRole" as const };
  let accepted = 0;
  fc.assert(
    fc.property(validish.map((v) => JSON.stringify(v)), fc.constantFrom<ParseOptions["kind"]>("identity", "resource", "trust"), fc.constantFrom<string | string[]>("1", "10.1.1.1", "true", ["a", "b"], "arn:aws:s3:::b"), (text, kind, x) => {
      if (!validatePolicy(text, { kind }).ok) return;
      accepted++;
      const request = { principal, action: "s3:GetObject", resource: "arn:aws:s3:::b", resourceAccount: "111122223333", context: { "aws:x": x } };
      const policies = kind === "identity" ? { identity: [{ id: "p", type: "inline" as const, document: text }] } : { identity: [], resource: { id: "r", kind, document: text } };
      const decision = evaluate(request, policies);
      assert.ok(typeof decision.explanation === "string");
    }),
    { numRuns: 3000 },
  );
  assert.ok(accepted > 300, `only ${accepted} generated policies were valid`);
});
