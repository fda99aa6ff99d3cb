// diagnosis: the FAILURE-CATALOG id for each typed failure (codes first; AWS clauses and Docker texts where needed).
import assert from "node:assert/strict";
import { test } from "node:test";
import type { CredentialsFailure } from "../../agent-sim/steps/asm-auth.ts";
import { diagnoseCredentials, diagnosePull, diagnoseStaleCredentials } from "../../agent-sim/diagnosis/diagnosis.ts";
import { resolveLaunchContext } from "../../agent-sim/profile/launch-context.ts";
import type { SecretsManagerFailure } from "../../agent-sim/ports.ts";
import type { PullOutcome } from "../../agent-sim/steps/pull.ts";
import { parseSecretValue } from "../../agent-sim/steps/secret-parse.ts";
import { agentSdkSettings } from "../../agent-sim/adapters/secrets-manager-sdk.ts";

const launch = resolveLaunchContext();
const call = (f: Partial<SecretsManagerFailure> & { code: string }): CredentialsFailure => ({
  stage: "call", secretId: "s", region: "us-east-1", containers: ["a"], failure: { message: "", attempts: 1, kind: "service", httpStatusCode: 400, ...f },
});
const parse = (value: Parameters<typeof parseSecretValue>[0]): CredentialsFailure => {
  const p = parseSecretValue(value);
  assert.ok(!p.ok);
  return { stage: "parse", secretId: "s", region: "us-east-1", containers: ["a"], parse: p };
};
const code = (f: CredentialsFailure) => diagnoseCredentials(f, launch).failureCode;

test("credentials codes", () => {
  assert.equal(code(call({ code: "ResourceNotFoundException" })), "cred-not-found");
  assert.equal(code(call({ code: "AccessDeniedException", message: "User: x is not authorized to perform: secretsmanager:GetSecretValue on resource: s because no identity-based policy allows the secretsmanager:GetSecretValue action" })), "cred-no-permission");
  assert.equal(code(call({ code: "AccessDeniedException", message: "User: x is not authorized to perform: secretsmanager:GetSecretValue on resource: s with an explicit deny in a resource-based policy" })), "cred-explicit-deny");
  assert.equal(code(call({ code: "AccessDeniedException", message: "User: x ... because no permissions boundary allows the secretsmanager:GetSecretValue action" })), "cred-boundary");
  assert.equal(code(call({ code: "AccessDeniedException", message: "Access to KMS is not allowed" })), "cred-kms");
  assert.equal(code(call({ code: "InvalidRequestException", message: "You can't perform this operation on the secret because it was marked for deletion." })), "cred-deleted");
  assert.equal(code(call({ code: "InvalidRequestException", message: "You can't access a secret from a different AWS account if you encrypt the secret with the default KMS service key." })), "cred-cross-account-default-key");
  assert.equal(code(call({ code: "DecryptionFailure" })), "cred-kms-disabled");
  assert.equal(code(call({ code: "ThrottlingException", attempts: 3 })), "cred-throttled");
  assert.equal(code(call({ code: "TimeoutError", kind: "network", attempts: 3 })), "cred-unreachable");
  assert.equal(code(parse({ SecretString: "plain" })), "cred-plaintext");
  assert.equal(code(parse({ SecretBinary: new Uint8Array([1]) })), "cred-binary");
  assert.equal(code(parse({ SecretString: '{"password":"p"}' })), "cred-no-username");
  assert.equal(code(parse({ SecretString: '{"username":"u"}' })), "cred-no-password");
});

test("a session policy that denies is named as the reason", () => {
  const head = "User: arn:aws:sts::000000000000:assumed-role/exec/s is not authorized to perform: secretsmanager:GetSecretValue on resource: s ";
  const implicit = diagnoseCredentials(call({ code: "AccessDeniedException", message: `${head}because no session policy allows the secretsmanager:GetSecretValue action` }), launch);
  assert.equal(implicit.failureCode, "cred-no-permission");
  assert.match(implicit.cause, /session policy/);
  assert.match(implicit.fix ?? "", /session policy passed to AssumeRole/);
  const explicit = diagnoseCredentials(call({ code: "AccessDeniedException", message: `${head}with an explicit deny in a session policy` }), launch);
  assert.equal(explicit.failureCode, "cred-explicit-deny");
  assert.match(explicit.cause, /session policy/);
});

const pullFail = (dockerError: string): Extract<PullOutcome, { ok: false }> => ({
  ok: false, container: "a", stage: "pull", errorName: "CannotPullContainerError", dockerError, reason: "", attempts: { manifest: 1, pull: 5 },
});
const pullCode = (text: string, withAuth = true) => diagnosePull(pullFail(text), withAuth, "r/a").failureCode;

test("pull codes from the Docker texts", () => {
  assert.equal(pullCode("Error response from daemon: Head \"https://r/v2/a/manifests/latest\": unauthorized: incorrect username or password"), "pull-bad-password");
  assert.equal(pullCode("Error response from daemon: unauthorized: authentication required", false), "pull-no-credentials");
  assert.equal(pullCode("Error response from daemon: Get \"https://r/v2/\": no basic auth credentials"), "pull-no-credentials");
  assert.equal(pullCode("Error response from daemon: manifest for r/a:9 not found: manifest unknown: manifest unknown"), "pull-no-such-image");
  assert.equal(pullCode("Error response from daemon: Get \"http://127.0.0.1:5999/v2/\": dial tcp 127.0.0.1:5999: connect: connection refused"), "pull-registry-down");
  assert.equal(pullCode("Error response from daemon: toomanyrequests: You have reached your pull rate limit."), "pull-rate-limited");
});

test("per-attempt timeout only from agent 1.20.2", () => {
  assert.deepEqual(agentSdkSettings("1.19.0"), { maxAttempts: 3, requestTimeoutMs: 0 });
  assert.deepEqual(agentSdkSettings("1.20.2"), { maxAttempts: 3, requestTimeoutMs: 5000 });
});

test("a key pending deletion is its own row", () => {
  const message = "Secrets Manager can't decrypt the secret value: arn:aws:kms:us-east-1:000000000000:key/k is pending deletion. (Service: AWSKMS; Status Code: 400; Error Code: KMSInvalidStateException; Request ID: r; Proxy: null)";
  assert.equal(code(call({ code: "DecryptionFailure", message })), "cred-kms-pending-deletion");
  assert.equal(code(call({ code: "DecryptionFailure", message: "Secrets Manager can't decrypt the secret value: arn:aws:kms:us-east-1:000000000000:key/k is disabled. (…)" })), "cred-kms-disabled");
});

test("a refused password: the secret's history names the row (pending first, then a moved label, then a rotation)", () => {
  const base = { step: "pull" as const, failureCode: "pull-bad-password" as const, cause: "c", fix: "f" };
  const v = (versionId: string, stages: string[], createdDate: number) => ({ versionId, stages, createdDate });
  const history = (versions: ReturnType<typeof v>[], lastRotatedDate?: number) => ({ arn: "arn:x", versions, ...(lastRotatedDate !== undefined && { lastRotatedDate }) });
  assert.equal(diagnoseStaleCredentials(base, "s", history([v("a", ["AWSCURRENT"], 1), v("b", ["AWSPENDING"], 2)])).failureCode, "cred-pending-stage");
  assert.equal(diagnoseStaleCredentials(base, "s", history([v("a", ["AWSCURRENT"], 1), v("b", ["AWSPREVIOUS"], 2)])).failureCode, "cred-stage-moved");
  assert.equal(diagnoseStaleCredentials(base, "s", history([v("a", ["AWSPREVIOUS"], 1), v("b", ["AWSCURRENT", "AWSPENDING"], 2)], 2)).failureCode, "cred-rotated-not-propagated");
  // A value put by hand after the rotation, or no history: the diagnosis stays pull-bad-password.
  assert.equal(diagnoseStaleCredentials(base, "s", history([v("a", ["AWSPREVIOUS"], 1), v("b", ["AWSCURRENT"], 5)], 2)).failureCode, "pull-bad-password");
  assert.equal(diagnoseStaleCredentials(base, "s", undefined).failureCode, "pull-bad-password");
  assert.equal(diagnoseStaleCredentials({ ...base, failureCode: "pull-no-such-image" as const }, "s", history([v("a", ["AWSCURRENT"], 1), v("b", ["AWSPENDING"], 2)])).failureCode, "pull-no-such-image");
});
