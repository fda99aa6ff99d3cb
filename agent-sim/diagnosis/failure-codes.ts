// Every diagnosis code the agent gives, in one list: `FailureCode` is the type the compiler checks each
// `failureCode` against. A code is a scenario id of the catalogue (scenarios/catalogue/<code>.yaml, whose
// expectation names it) unless it is one of WITHOUT_SCENARIO: codes the diagnosis knows that no world of the
// catalogue can make yet. test/unit/failure-codes.test.ts checks the catalogue against this list both ways.
export const WITHOUT_SCENARIO = [
  "cred-bad-schema",
  "cred-caller-credentials",
  "cred-cross-account-policy",
  "cred-empty-response",
  "cred-empty-value",
  "cred-invalid-request",
  "cred-no-role-credentials",
  "cred-service-error",
  "pull-failed",
  "pull-registry-error",
] as const;

export const FAILURE_CODES = [
  "cred-binary",
  "cred-boundary",
  "cred-condition",
  "cred-cross-account-default-key",
  "cred-cross-account-name",
  "cred-deleted",
  "cred-explicit-deny",
  "cred-kms",
  "cred-kms-disabled",
  "cred-kms-pending-deletion",
  "cred-missing-suffix",
  "cred-no-password",
  "cred-no-permission",
  "cred-no-username",
  "cred-not-found",
  "cred-pending-stage",
  "cred-plaintext",
  "cred-replica-region",
  "cred-rotated-not-propagated",
  "cred-stage-moved",
  "cred-task-role",
  "cred-throttled",
  "cred-unreachable",
  "cred-wrong-region",
  "gate-agent-old",
  "gate-fargate-incompatible",
  "gate-fargate-old",
  "gate-untrusted-role",
  "pull-bad-password",
  "pull-blob-broken",
  "pull-denied-repo",
  "pull-engine-auth-malformed",
  "pull-engine-auth-token-rejected",
  "pull-no-credentials",
  "pull-no-such-image",
  "pull-rate-limited",
  "pull-registry-down",
  "pull-slow",
  "reg-ecr-image",
  "reg-invalid",
  "reg-no-exec-role",
  ...WITHOUT_SCENARIO,
] as const;

export type FailureCode = (typeof FAILURE_CODES)[number];

export function isFailureCode(text: string): text is FailureCode {
  return (FAILURE_CODES as readonly string[]).includes(text);
}

/**
 * Codes the diagnosis reaches by refining another one with evidence beyond the stopped reason: after a registry
 * refused a password (pull-bad-password), the secret's versions and rotation (metadata) name a likelier cause. Their
 * texts are the base code's texts, so a reader of the text alone (ecs-pull diagnose, capture) ranks the base first.
 */
export const REFINES: Readonly<Partial<Record<FailureCode, FailureCode>>> = {
  "cred-pending-stage": "pull-bad-password",
  "cred-stage-moved": "pull-bad-password",
  "cred-rotated-not-propagated": "pull-bad-password",
};
