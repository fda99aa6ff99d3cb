// Which link broke and how to fix it, derived from the typed failure: a FAILURE-CATALOG id, the cause in plain
// words and a one- or two-sentence fix. Matching is on codes; text is read only where the code cannot tell cases
// apart (AWS's access-denied clauses and KMS text, Docker's daemon texts). Choices no source settles say inferred.
import type { CredentialsFailure } from "../steps/asm-auth.ts";
import type { EngineAuthMatch, ParsedEngineAuth } from "../steps/engine-auth.ts";
import type { PlacementFailure } from "../steps/gates.ts";
import type { LaunchContext } from "../profile/launch-context.ts";
import type { PullOutcome } from "../steps/pull.ts";
import type { RegisterError } from "../steps/task-definition.ts";
import { CONTAINERD, DOCKER, ENGINE_AUTH, PRIVATE_REGISTRY_ATTRIBUTE, PULL } from "../texts/agent.ts";
import type { TraceStepName } from "../steps/trace.ts";
import type { DecisionReport } from "./iam-check.ts";
import type { SecretHistory, SecretSighting } from "../adapters/iam-reader.ts";
import type { StatementRef } from "../../aws/iam/index.ts";
// The two text modules only (no imports of their own), not the evaluator: AWS's words, matched where codes cannot tell.
import { type AccessDeniedClause, accessDeniedClauseText } from "../../aws/iam/texts.ts";
import { SecretsManagerText, kmsPendingDeletionText } from "../../aws/texts.ts";
import { AGENT_GATES, FARGATE_PLATFORMS } from "../profile/versions.ts";
import type { FailureCode } from "./failure-codes.ts";

export interface Diagnosis {
  step: TraceStepName;
  failureCode: FailureCode;
  cause: string;
  fix: string;
  inferred?: true;
  /** For IAM/KMS denials: the policy evaluation behind it (agent-sim/diagnosis/explain.ts). Never a secret value. */
  explanation?: Explanation;
}

/** The statement-level reason of an IAM/KMS decision, structured and as text. */
export interface Explanation {
  checks: DecisionReport[];
  text: string;
  /** What could not be read with the caller's credentials (the explanation may then be partial). */
  unreadable: string[];
  /**
   * For an implicit deny: the Allow statement that came nearest (policy id, type, kind, Sid, index, positions), the
   * one the fix names; what a page highlights.
   */
  near?: StatementRef;
}

const THROTTLING = new Set(["ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded", "Throttling"]);
const BAD_CALLER_CREDENTIALS = new Set([
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "ExpiredTokenException",
  "MissingAuthenticationTokenException",
  "IncompleteSignature",
]);

/** The only call the agent makes to Secrets Manager: the action its access-denied texts name. */
const GET_SECRET_VALUE = "secretsmanager:GetSecretValue";
/** The fix when the registration error names no field: the file as a whole is not a task definition. */
export const REGISTER_FIX_DOCUMENT =
  'Make the file one JSON object, the register-task-definition input (e.g. {"family": "app", "containerDefinitions": [{"name": "app", "image": "…"}]}) or the describe-task-definition output, and run again.';
const EXPLICIT_DENY_CLAUSES: readonly AccessDeniedClause[] = ["identityExplicitDeny", "resourceExplicitDeny", "boundaryExplicitDeny"];

/** Whether an access-denied text ends with (one of) AWS's clauses for GetSecretValue. */
const hasClause = (message: string, ...clauses: readonly AccessDeniedClause[]) =>
  clauses.some((clause) => message.includes(accessDeniedClauseText(clause, GET_SECRET_VALUE)));

export function diagnoseRegister(error: RegisterError): Diagnosis {
  switch (error.failureCode) {
    case "reg-no-exec-role":
      return {
        step: "register",
        failureCode: "reg-no-exec-role",
        cause: "The task definition uses repositoryCredentials but has no executionRoleArn; ECS needs the execution role to read the secret.",
        fix: "Add executionRoleArn (a role trusted by ecs-tasks.amazonaws.com that may call secretsmanager:GetSecretValue on the secret).",
      };
    case "reg-ecr-image":
      return {
        step: "register",
        failureCode: "reg-ecr-image",
        cause: "repositoryCredentials cannot be used with an Amazon ECR image; ECS authenticates to ECR with the execution role.",
        fix: "Remove repositoryCredentials from this container and give the execution role ECR pull permissions instead.",
      };
    default:
      return {
        step: "register",
        failureCode: "reg-invalid",
        cause: `RegisterTaskDefinition would refuse the task definition${error.path ? ` at ${error.path}` : ""}: ${error.message}`,
        fix: error.path ? `Correct ${error.path} and run again.` : REGISTER_FIX_DOCUMENT,
        ...(error.inferred ? { inferred: true as const } : {}),
      };
  }
}

export function diagnosePlacement(failure: PlacementFailure, launch: LaunchContext): Diagnosis {
  if (failure.kind === "failures") {
    return {
      step: "place",
      failureCode: "gate-agent-old",
      cause: `The container instance runs ECS agent ${launch.agentVersion}, which does not advertise ${PRIVATE_REGISTRY_ATTRIBUTE} (needs ${AGENT_GATES.privateRegistryAuth} or later).`,
      fix: `Update the ECS agent on the instance to ${AGENT_GATES.privateRegistryAuth} or later (or use a current ECS-optimized AMI).`,
    };
  }
  if (failure.failureCode === "gate-fargate-incompatible") {
    return {
      step: "place",
      failureCode: "gate-fargate-incompatible",
      cause: "The task definition's requiresCompatibilities does not include FARGATE (a definition that names none is EC2's), so ECS did not validate it for Fargate and RunTask refuses the FARGATE launch type.",
      fix: 'Add "FARGATE" to requiresCompatibilities (with networkMode awsvpc and task-level cpu and memory), register a new revision and run that one; or run the task with launch type EC2.',
    };
  }
  return {
    step: "place",
    failureCode: "gate-fargate-old",
    cause: `Fargate platform version ${launch.platformVersion} is not available for this task; private registry authentication needs ${FARGATE_PLATFORMS.minimum} or later, and ${FARGATE_PLATFORMS.known.join(", ")} are the versions that exist.`,
    fix: "Run the task with platformVersion LATEST (1.4.0).",
    inferred: true,
  };
}

/** RunTask's ClientException: ECS could not assume the execution role. */
export function diagnoseUntrustedRole(roleArn: string): Diagnosis {
  return {
    step: "assume-role",
    failureCode: "gate-untrusted-role",
    cause: `ECS could not assume the execution role ${roleArn}: its trust policy does not allow ecs-tasks.amazonaws.com to call sts:AssumeRole, or the role does not exist.`,
    fix: 'Add to the role\'s trust policy: {"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"} (and check the role ARN).',
  };
}

/** The agent got no execution-role credentials for the task. */
export function diagnoseNoRoleCredentials(roleArn: string): Diagnosis {
  return {
    step: "assume-role",
    failureCode: "cred-no-role-credentials",
    cause: `The agent received no credentials for the execution role ${roleArn}.`,
    fix: "Check that executionRoleArn names the role you mean and that STS issues credentials for it; then run the task again.",
    inferred: true,
  };
}

export function diagnoseCredentials(failure: CredentialsFailure, launch: LaunchContext): Diagnosis {
  const id = failure.secretId;
  if (failure.stage === "parse") {
    const p = failure.parse;
    switch (p.code) {
      case "empty-response":
        return { step: "parse", failureCode: "cred-empty-response", cause: `Secrets Manager returned no answer body for ${id}.`, fix: "Retry; if it persists, check the Secrets Manager endpoint in use." };
      case "empty-secrets-value":
        return p.hint === "binary-only"
          ? { step: "parse", failureCode: "cred-binary", cause: `The secret ${id} holds only SecretBinary; ECS reads SecretString.`, fix: 'Store the credentials as a SecretString: {"username":"…","password":"…"}.' }
          : { step: "parse", failureCode: "cred-empty-value", cause: `The secret ${id} has an empty SecretString.`, fix: 'Put {"username":"…","password":"…"} in the secret\'s value.' };
      case "invalid-schema":
        return p.hint === "not-json"
          ? { step: "parse", failureCode: "cred-plaintext", cause: `The value of ${id} is not JSON (plain text?).`, fix: 'Store the credentials as JSON: {"username":"…","password":"…"}.' }
          : { step: "parse", failureCode: "cred-bad-schema", cause: `The value of ${id} is JSON but not an object of string username and password.`, fix: 'Store exactly {"username":"…","password":"…"} with string values.' };
      case "empty-username":
        return { step: "parse", failureCode: "cred-no-username", cause: `The value of ${id} has no non-empty "username" key.`, fix: 'Add "username" (any letter case) with the registry user name.' };
      case "empty-password":
        return { step: "parse", failureCode: "cred-no-password", cause: `The value of ${id} has no non-empty "password" key.`, fix: 'Add "password" (any letter case) with the registry password or token.' };
    }
  }

  const f = failure.failure;
  const bareName = !id.startsWith("arn:");
  if (f.kind === "network") {
    return {
      step: "credentials",
      failureCode: "cred-unreachable",
      cause: `Secrets Manager in ${failure.region} could not be reached (${f.code}) after ${f.attempts} attempt(s).`,
      fix: launch.launchType === "FARGATE"
        ? "Give the task a route to Secrets Manager: a public IP or NAT gateway, or a VPC endpoint for secretsmanager."
        : "Give the instance a route to Secrets Manager (NAT gateway or a VPC endpoint for secretsmanager) and check proxies.",
    };
  }
  if (f.code === "AccessDeniedException" || f.code === "AccessDenied") {
    if (f.message.startsWith(SecretsManagerText.kmsAccessDenied)) {
      return { step: "credentials", failureCode: "cred-kms", cause: `The execution role may read ${id} but not decrypt it with its customer managed KMS key.`, fix: "Allow kms:Decrypt on the secret's KMS key to the execution role (in its IAM policy and, if needed, the key policy)." };
    }
    // A session policy (AssumeRole's Policy) narrows the role's permissions: name it when it is what denies.
    if (hasClause(f.message, "sessionExplicitDeny")) {
      return { step: "credentials", failureCode: "cred-explicit-deny", cause: `A Deny statement in the session policy of the execution role's session blocks secretsmanager:GetSecretValue on ${id}.`, fix: "Narrow or remove the Deny in the session policy passed to AssumeRole (its Policy parameter)." };
    }
    if (hasClause(f.message, "noSessionAllow")) {
      return { step: "credentials", failureCode: "cred-no-permission", cause: `The session policy of the execution role's session does not allow secretsmanager:GetSecretValue on ${id}; a session gets only what both its role's policies and its session policy allow.`, fix: "Allow secretsmanager:GetSecretValue on the secret in the session policy passed to AssumeRole (its Policy parameter), or pass none." };
    }
    if (hasClause(f.message, ...EXPLICIT_DENY_CLAUSES)) {
      return { step: "credentials", failureCode: "cred-explicit-deny", cause: `A Deny statement blocks secretsmanager:GetSecretValue on ${id} for the execution role.`, fix: "Find the Deny (role policies, permissions boundary, or the secret's resource policy) and narrow or remove it." };
    }
    if (hasClause(f.message, "noBoundaryAllow")) {
      return { step: "credentials", failureCode: "cred-boundary", cause: "The execution role's permissions boundary does not allow secretsmanager:GetSecretValue.", fix: "Add secretsmanager:GetSecretValue on the secret to the permissions boundary." };
    }
    if (hasClause(f.message, "noResourceAllow")) {
      return { step: "credentials", failureCode: "cred-cross-account-policy", cause: `The secret ${id} is in another account and its resource policy does not allow the execution role.`, fix: "Add a resource policy to the secret allowing the execution role secretsmanager:GetSecretValue." };
    }
    return {
      step: "credentials",
      failureCode: "cred-no-permission",
      cause: `The task execution role is not allowed secretsmanager:GetSecretValue on ${id}.`,
      fix: "Allow secretsmanager:GetSecretValue on the secret's full ARN (with its -XXXXXX suffix, or -??????) in a policy of the execution role, not the task role.",
    };
  }
  if (f.code === "ResourceNotFoundException") {
    return {
      step: "credentials",
      failureCode: "cred-not-found",
      cause: bareName
        ? `No secret named ${id} exists in ${failure.region} (a bare name is looked up only in the task's region and account).`
        : `No secret ${id} exists (check the name, the 6-character suffix, region and account of the ARN).`,
      fix: bareName
        ? "Correct the name, or use the secret's full ARN when it lives in another region or account."
        : "Copy the secret's ARN from Secrets Manager into credentialsParameter.",
    };
  }
  if (f.code === "InvalidRequestException") {
    if (f.message.includes(SecretsManagerText.markedForDeletion)) {
      return { step: "credentials", failureCode: "cred-deleted", cause: `The secret ${id} is scheduled for deletion.`, fix: "Restore it (aws secretsmanager restore-secret) or point credentialsParameter at a live secret." };
    }
    if (f.message.includes(SecretsManagerText.crossAccountDefaultKey)) {
      return { step: "credentials", failureCode: "cred-cross-account-default-key", cause: `The secret ${id} is in another account and encrypted with aws/secretsmanager, which cannot be shared.`, fix: "Re-encrypt the secret with a customer managed KMS key whose key policy allows the execution role kms:Decrypt." };
    }
    return { step: "credentials", failureCode: "cred-invalid-request", cause: `Secrets Manager refused the request for ${id} (${f.code}).`, fix: "Read the message in the stopped reason and correct the secret." };
  }
  if (f.code === "DecryptionFailure") {
    // KMS's own text inside Secrets Manager's: "<key ARN> is pending deletion." (aws-texts.ts kmsPendingDeletionText).
    if (f.message.includes(kmsPendingDeletionText(""))) {
      return { step: "credentials", failureCode: "cred-kms-pending-deletion", cause: `Secrets Manager cannot decrypt ${id}: its KMS key is scheduled for deletion (and is deleted for good when the waiting period ends, taking the secret's values with it).`, fix: "Cancel the key's deletion (aws kms cancel-key-deletion), then enable it (aws kms enable-key); or re-encrypt the secret with another key while the old one still exists." };
    }
    return { step: "credentials", failureCode: "cred-kms-disabled", cause: `Secrets Manager cannot decrypt ${id}: its KMS key is disabled or pending deletion.`, fix: "Enable the KMS key (or cancel its deletion)." };
  }
  if (THROTTLING.has(f.code)) {
    return { step: "credentials", failureCode: "cred-throttled", cause: `Secrets Manager throttled GetSecretValue for ${id} on all ${f.attempts} attempts.`, fix: "Launch fewer tasks at once or ask for a higher Secrets Manager quota; the SDK retries 3 times only." };
  }
  if (BAD_CALLER_CREDENTIALS.has(f.code)) {
    return { step: "credentials", failureCode: "cred-caller-credentials", cause: `Secrets Manager rejected the caller's AWS credentials (${f.code}).`, fix: "Check the credentials the execution role was assumed with (and the clock, for signature errors).", inferred: true };
  }
  return { step: "credentials", failureCode: "cred-service-error", cause: `Secrets Manager answered ${f.code} for ${id}.`, fix: "Read the stopped reason; retry if the error is on the service side.", inferred: true };
}

/**
 * A bare name not found in the task's region and account, but a secret of that name that the caller can see
 * elsewhere (ListSecrets in another region, DescribeSecret on another account's ARN): cred-wrong-region or
 * cred-cross-account-name, and the fix names the full ARN. Without a sighting the diagnosis stays as it was.
 */
export function diagnoseSecretElsewhere(base: Diagnosis, failure: CredentialsFailure, account: string, sightings: readonly SecretSighting[]): Diagnosis {
  const id = failure.secretId;
  if (failure.stage !== "call" || failure.failure.code !== "ResourceNotFoundException" || id.startsWith("arn:")) return base;
  const elsewhere = sightings.filter((s) => s.name === id && (s.account !== account || s.region !== failure.region));
  // Same account, another region first: that secret is the likelier one meant.
  const ordered = [...elsewhere.filter((s) => s.account === account), ...elsewhere.filter((s) => s.account !== account)];
  const found = ordered[0];
  if (found === undefined) return base;
  const others = ordered.slice(1).map((s) => s.arn);
  const also = others.length ? ` Also named ${id}: ${others.join(", ")}.` : "";
  if (found.account === account && found.primaryRegion !== undefined) {
    // Name the primary (where replication is managed) when it was seen; else the replica that was.
    const primary = elsewhere.find((s) => s.account === account && s.region === found.primaryRegion) ?? found;
    const replicas = elsewhere.filter((s) => s.account === account && s !== primary && s.primaryRegion === found.primaryRegion).map((s) => s.region);
    return {
      ...base,
      step: "credentials",
      failureCode: "cred-replica-region",
      cause: `No secret named ${id} exists in ${failure.region}, where a bare name is looked up. ${primary.arn} is replicated from ${found.primaryRegion}${replicas.length ? ` to ${replicas.join(", ")}` : ""}, but not to ${failure.region}: that replica was never made or was removed.`,
      fix: `Replicate the secret to ${failure.region} (in ${found.primaryRegion}: aws secretsmanager replicate-secret-to-regions --secret-id ${primary.arn} --add-replica-regions Region=${failure.region}), or set credentialsParameter to the full ARN ${primary.arn}.`,
    };
  }
  if (found.account === account) {
    return {
      ...base,
      step: "credentials",
      failureCode: "cred-wrong-region",
      cause: `No secret named ${id} exists in ${failure.region}, where a bare name is looked up; the caller can see one in ${found.region}: ${found.arn}.${also}`,
      fix: `Set credentialsParameter to the full ARN ${found.arn} (an ARN carries its region), with secretsmanager:GetSecretValue on it in the execution role's policy; or create the secret in ${failure.region}.`,
    };
  }
  return {
    ...base,
    step: "credentials",
    failureCode: "cred-cross-account-name",
    cause: `No secret named ${id} exists in account ${account}, where a bare name is looked up; account ${found.account} has one the caller can see by its ARN: ${found.arn}.${also}`,
    fix: `Set credentialsParameter to the full ARN ${found.arn}: across accounts only the full ARN works (the secret's resource policy must allow the execution role, and its customer managed KMS key must let the role decrypt).`,
  };
}

/**
 * A registry refused the password from a secret (pull-bad-password): the secret's own history may say why.
 * - AWSPENDING on a version that is not AWSCURRENT's: a rotation did not finish (cred-pending-stage); the registry
 *   may already have the pending password.
 * - AWSCURRENT not on the newest version: someone moved it back (cred-stage-moved).
 * - Rotated (LastRotatedDate) and AWSCURRENT is the rotation's version: the rotation changed the secret but not the
 *   registry (cred-rotated-not-propagated).
 * Without a history, or none of these, the diagnosis stays as it was. Reads metadata only (inferred: AWS shows no
 * such link; the order of the checks is ours).
 */
export function diagnoseStaleCredentials(base: Diagnosis, secretId: string, history: SecretHistory | undefined): Diagnosis {
  if (base.failureCode !== "pull-bad-password" || history === undefined || history.versions.length === 0) return base;
  const holder = (stage: string) => history.versions.find((v) => v.stages.includes(stage));
  const current = holder("AWSCURRENT");
  const pending = holder("AWSPENDING");
  if (current === undefined) return base;
  const arn = history.arn;
  if (pending !== undefined && pending.versionId !== current.versionId) {
    return {
      ...base,
      failureCode: "cred-pending-stage",
      cause: `A rotation of ${secretId} did not finish: AWSPENDING is on version ${pending.versionId}, AWSCURRENT still on ${current.versionId}. The registry may already have the pending password, while ECS reads AWSCURRENT.`,
      fix: `If the registry accepts the pending password, finish the rotation: aws secretsmanager update-secret-version-stage --secret-id ${arn} --version-stage AWSCURRENT --move-to-version-id ${pending.versionId} --remove-from-version-id ${current.versionId}. Otherwise remove AWSPENDING from ${pending.versionId} and fix the rotation function.`,
      inferred: true,
    };
  }
  const newest = history.versions[history.versions.length - 1]!;
  if (newest.versionId !== current.versionId && newest.createdDate > current.createdDate) {
    return {
      ...base,
      failureCode: "cred-stage-moved",
      cause: `AWSCURRENT of ${secretId} is on version ${current.versionId}, not on the newest version ${newest.versionId}${newest.stages.length ? ` (${newest.stages.join(", ")})` : " (no label)"}: it was moved back, and the registry refuses that password.`,
      fix: `Move AWSCURRENT to the version with the registry's current password: aws secretsmanager update-secret-version-stage --secret-id ${arn} --version-stage AWSCURRENT --move-to-version-id ${newest.versionId} --remove-from-version-id ${current.versionId}.`,
      inferred: true,
    };
  }
  if (history.lastRotatedDate !== undefined && current.createdDate <= history.lastRotatedDate) {
    return {
      ...base,
      failureCode: "cred-rotated-not-propagated",
      cause: `${secretId} was rotated on ${new Date(history.lastRotatedDate).toISOString()}: Secrets Manager has the new password (AWSCURRENT, version ${current.versionId}), but the registry still has the old one. The rotation function's setSecret step did not update the registry.`,
      fix: `Set the registry user's password to the secret's current one, or roll back (move AWSCURRENT to the AWSPREVIOUS version with aws secretsmanager update-secret-version-stage); then fix the rotation function so that setSecret changes the registry's password.`,
      inferred: true,
    };
  }
  return base;
}

/** failureCode and words for a failed manifest check or pull, from the Docker daemon's text. */
export function diagnosePull(outcome: Extract<PullOutcome, { ok: false }>, hadCredentials: boolean, image: string): Diagnosis {
  const text = outcome.dockerError;
  const step = outcome.stage;
  const who = `container ${outcome.container} (${image})`;
  if (text.includes(CONTAINERD.anonymousTokenFailed)) {
    return { step, failureCode: "pull-no-credentials", cause: `The registry's token service refused an anonymous token for ${who}: the image needs credentials.`, fix: "Add repositoryCredentials with a Secrets Manager secret holding the registry's username and password." };
  }
  if (text.includes(CONTAINERD.oauthTokenFailed)) {
    return { step, failureCode: "pull-bad-password", cause: `The registry's token service rejected the username/password from the secret for ${who}.`, fix: "Put the registry's current username and password (or token) in the secret." };
  }
  if (/insufficient_scope|unexpected status code.* 403 Forbidden|: 403 Forbidden/.test(text)) {
    return { step, failureCode: "pull-denied-repo", cause: `The registry accepted the request but refuses ${who} access to that repository.`, fix: "Grant the user pull access to the repository, or correct the image name.", inferred: true };
  }
  // Before `unauthorized`: a token registry's refusal lists both (`errors:\ndenied: …\nunauthorized: …`); the
  // `denied` is what it decided. Registries that give a wrong password an anonymous token answer the same.
  if (text.includes(PULL.patternImageDoesNotExist)) {
    return hadCredentials
      ? { step, failureCode: "pull-denied-repo", cause: `The registry does not let the user from the secret pull ${image}: no access to that repository, no such repository, or (registries that answer a wrong password with an anonymous token) a wrong password.`, fix: "Grant the user pull access to the repository, correct the image name, or check the password in the secret.", inferred: true }
      : { step, failureCode: "pull-no-such-image", cause: `The repository of ${who} does not exist, or it is private and no credentials were sent.`, fix: "Check the image name; for a private repository add repositoryCredentials.", inferred: true };
  }
  if (text.includes(DOCKER.noBasicAuth)) {
    return { step, failureCode: "pull-no-credentials", cause: `The registry requires authentication and ${who} sent none.`, fix: "Add repositoryCredentials with a Secrets Manager secret holding the registry's username and password." };
  }
  if (/unauthorized|incorrect username or password|authentication required/i.test(text)) {
    return hadCredentials
      ? { step, failureCode: "pull-bad-password", cause: `The registry rejected the username/password from the secret for ${who}.`, fix: "Put the registry's current username and password (or token) in the secret." }
      : { step, failureCode: "pull-no-credentials", cause: `The registry requires authentication and ${who} sent none.`, fix: "Add repositoryCredentials with a Secrets Manager secret holding the registry's username and password." };
  }
  if (text.includes(DOCKER.tooManyRequestsCode)) {
    return { step, failureCode: "pull-rate-limited", cause: `The registry's pull rate limit was reached for ${who}.`, fix: "Authenticate with an account that has a higher limit, or mirror the image to your own registry." };
  }
  if (/manifest unknown|not found/i.test(text)) {
    return { step, failureCode: "pull-no-such-image", cause: `The repository or tag of ${who} does not exist in the registry.`, fix: "Check the image name and tag (and that it was pushed to this registry)." };
  }
  if (/connection refused/i.test(text)) {
    return { step, failureCode: "pull-registry-down", cause: `Nothing answers at the registry of ${who} (connection refused).`, fix: "Start the registry or correct the registry host and port in the image name." };
  }
  if (/timeout|timed out|deadline exceeded|request canceled|context canceled/i.test(text)) {
    return { step, failureCode: "pull-slow", cause: `The registry of ${who} did not answer in time.`, fix: "Check the network path to the registry (security groups, NAT, proxies) and the registry's health." };
  }
  if (/blob unknown|unknown blob|unexpected EOF|digest|short read/i.test(text)) {
    return { step, failureCode: "pull-blob-broken", cause: `A layer of ${image} is missing or was cut mid-transfer.`, fix: "Push the image again so that every layer is present in the registry." };
  }
  // The daemon's texts for a registry answering 5xx, or closing the connection without an answer.
  if (/received unexpected HTTP status: 5\d\d|": EOF$/.test(text)) {
    return { step, failureCode: "pull-registry-error", cause: `The registry of ${who} failed the request (a server error or a dropped connection).`, fix: "Check the registry's health and logs (and any proxy in front of it); the agent retries, but not for long." };
  }
  return { step, failureCode: "pull-failed", cause: `The Docker engine could not pull ${image}.`, fix: "Read the container's reason; try `docker pull` with the same credentials.", inferred: true };
}

/**
 * An engine auth entry with a token the registry refused. The daemon sends a `registrytoken` as the Bearer token
 * itself and never asks the token service (moby distribution/registry.go NewV2Repository, existingTokenHandler):
 * a short-lived token (minutes) pasted into ECS_ENGINE_AUTH_DATA is refused once it expires (`unauthorized:
 * authentication required`). With an `identitytoken` (and no registrytoken) it posts the OAuth2 refresh-token grant
 * (distribution registry/client/auth/session.go fetchTokenWithOAuth) and shows the token service's refusal; the
 * fixture's service answers RFC 6749's 400 invalid_grant, which the daemon cannot parse (pull-failed's text), other
 * services may answer otherwise (inferred).
 */
function engineAuthTokenRejected(base: Diagnosis, match: EngineAuthMatch, image: string): Diagnosis | undefined {
  const key = match.key ?? match.host;
  if (match.auth?.registrytoken && base.failureCode === "pull-bad-password") {
    return {
      step: base.step,
      failureCode: "pull-engine-auth-token-rejected",
      cause: `The registry refused the registrytoken of the ECS_ENGINE_AUTH_DATA key "${key}" for ${image}. Docker sends a registry token as the Bearer token itself and never renews it; such tokens live minutes, so one pasted into the agent's configuration has expired (or was signed for another registry).`,
      fix: `Replace the registrytoken under "${key}" with username and password, or with the identitytoken that \`docker login\` stored (Docker exchanges it for fresh tokens at every pull), and restart the agent; or use repositoryCredentials.`,
    };
  }
  if (match.auth?.identitytoken && !match.auth.registrytoken && (base.failureCode === "pull-failed" || base.failureCode === "pull-bad-password")) {
    return {
      step: base.step,
      failureCode: "pull-engine-auth-token-rejected",
      cause: `The registry's token service refused the identitytoken of the ECS_ENGINE_AUTH_DATA key "${key}" for ${image}: Docker exchanges it (an OAuth2 refresh token) for an access token at every pull, and the service no longer accepts it (revoked, from an old login, or issued for another registry).`,
      fix: `Run \`docker login\` to the registry again and put the new identitytoken (from ~/.docker/config.json) under "${key}", or use username and password, and restart the agent; or use repositoryCredentials.`,
      inferred: true,
    };
  }
  return undefined;
}

/** Failures where the registry wanted credentials that the container did not send. */
const NEEDS_CREDENTIALS = new Set(["pull-no-credentials", "pull-no-such-image"]);

/**
 * A pull by a container without repositoryCredentials on an instance with ECS_ENGINE_AUTH_TYPE/DATA (§8): when the
 * data could not be parsed (or this registry's entry was malformed), the agent pulled anonymously without a word
 * in the task, which is what `pull-engine-auth-malformed` explains.
 */
export function diagnoseEngineAuthPull(base: Diagnosis, parsed: ParsedEngineAuth, match: EngineAuthMatch, image: string): Diagnosis {
  const token = engineAuthTokenRejected(base, match, image);
  if (token) return token;
  if (!NEEDS_CREDENTIALS.has(base.failureCode) && base.failureCode !== "pull-bad-password") return base;
  // config.json's {"auths": {...}} pasted whole: the agent reads "auths" as a registry key (dockerauth.go parseAuthData).
  const wrapped = parsed.entries.some((e) => e.key === "auths") || parsed.warnings.some((w) => w.startsWith(ENGINE_AUTH.malformedAuthData("auths")));
  if (match.auth === undefined && wrapped) {
    return {
      step: base.step,
      failureCode: "pull-engine-auth-malformed",
      cause: `ECS_ENGINE_AUTH_DATA carries config.json's "auths" wrapper: the agent took "auths" for a registry key${parsed.warnings.length ? ` (${parsed.warnings.join("; ")})` : ""}, found no key for ${match.host} and pulled ${image} anonymously; the registry refused it.`,
      fix: `Drop the wrapper: ECS_ENGINE_AUTH_DATA={"${match.host}":{"auth":"<base64 of user:password>"}} for dockercfg (or {"${match.host}":{"username":…,"password":…}} for docker), then restart the agent.`,
    };
  }
  const malformedHere = parsed.warnings.some((w) => w.includes(`registry ${match.host}`) || w.includes(`registry http://${match.host}`) || w.includes(`registry https://${match.host}`));
  if (match.auth === undefined && (parsed.unusable || malformedHere)) {
    return {
      step: base.step,
      failureCode: "pull-engine-auth-malformed",
      cause: `ECS_ENGINE_AUTH_DATA could not be used (${parsed.warnings.join("; ")}), so the agent pulled ${image} anonymously and the registry refused it. The agent only logs this warning; the task shows the registry's refusal.`,
      fix: parsed.unusable
        ? `Set ECS_ENGINE_AUTH_TYPE to docker or dockercfg and ECS_ENGINE_AUTH_DATA to valid JSON of that type (for dockercfg: {"${match.host}":{"auth":"<base64 of user:password>"}}), then restart the agent. Or use repositoryCredentials.`
        : `Fix the "auth" value for ${match.host}: base64 (with padding) of "user:password". Then restart the agent.`,
    };
  }
  if (match.auth === undefined) {
    return {
      ...base,
      cause: `No ECS_ENGINE_AUTH_DATA key matches the registry ${match.host} of ${image}, so the agent pulled anonymously. ${base.cause}`,
      fix: `Add a key for ${match.host} to ECS_ENGINE_AUTH_DATA (Docker Hub images use index.docker.io/v1/), or use repositoryCredentials.`,
    };
  }
  if (base.failureCode === "pull-bad-password") {
    return {
      ...base,
      cause: `The registry rejected the username/password of the ECS_ENGINE_AUTH_DATA key "${match.key}" for ${image}.`,
      fix: `Put the registry's current username and password under "${match.key}" in ECS_ENGINE_AUTH_DATA and restart the agent.`,
    };
  }
  return base;
}
