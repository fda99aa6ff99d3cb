// Every text the emulator answers with, once. Tests compare answers against these constants byte for byte.
// Source: /work/shared/design/AWS-ERRORS.md. Rows not in that table say where they come from; rows marked
// UNCONFIRMED have no real-AWS capture and live here so that they are easy to correct. Other services (KMS, ECS,
// STS) add their own sections below, each under its own exported name.

// ---------------------------------------------------------------------------------------------------------------
// Secrets Manager (JSON 1.1, message key `Message`, HTTP 400)
// ---------------------------------------------------------------------------------------------------------------

export const SecretsManagerText = {
  /** ResourceNotFoundException. */
  secretNotFound: "Secrets Manager can't find the specified secret.",
  /** InvalidRequestException: Get/Put/Update/Tag/Untag on a secret scheduled for deletion. */
  markedForDeletion: "You can't perform this operation on the secret because it was marked for deletion.",
  /** InvalidRequestException: CreateSecret with a name whose secret is scheduled for deletion. */
  nameScheduledForDeletion:
    "You can't create this secret because a secret with this name is already scheduled for deletion.",
  /**
   * InvalidRequestException: a raw request that carries a secret value but no ClientRequestToken (the SDKs and
   * the CLI always fill it in). Real AWS checks this before it looks the secret up.
   */
  clientRequestTokenRequired: "You must provide a ClientRequestToken value. We recommend a UUID-type value.",
  /** InvalidRequestException: GetSecretValue with a VersionStage that the given VersionId does not carry. */
  versionStageMismatch: "You provided a VersionStage that is not associated to the provided VersionId.",
  /** InvalidRequestException (cross-account, default `aws/secretsmanager` key). Used once KMS exists. */
  crossAccountDefaultKey:
    "You can't access a secret from a different AWS account if you encrypt the secret with the default KMS service key.",
  /** AccessDeniedException, no final period. Used once KMS exists. */
  kmsAccessDenied: "Access to KMS is not allowed",
  /**
   * ValidationException for a name outside `[A-Za-z0-9/_+=.@-]` (LocalStack's AWS-validated snapshot; the `!` at
   * the end is AWS's, even though `!` is not allowed).
   */
  invalidName:
    "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!",
  /** InvalidParameterException (moto, mirrors AWS). */
  recoveryWindowRange: "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).",
  /** InvalidParameterException (moto, mirrors AWS). */
  forceDeleteWithRecoveryWindow:
    "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
  /** InvalidParameterException (moto, mirrors AWS). */
  bothStringAndBinary:
    "You can't specify both a binary secret value and a string secret value in the same secret.",
  /** InvalidRequestException: PutSecretValue without a value (moto, mirrors AWS). */
  valueRequired: "You must provide either SecretString or SecretBinary.",
  /** UNCONFIRMED: InvalidParameterException for more than 50 tags on one secret. */
  tooManyTags: "You can't add more than 50 tags to a secret.",
  /** UNCONFIRMED: InvalidNextTokenException for a NextToken this emulator did not hand out. */
  invalidNextToken: "The NextToken value is not valid.",
} as const;

/** ResourceExistsException: CreateSecret with a name in use. */
export function secretAlreadyExistsText(name: string): string {
  return `The operation failed because the secret ${name} already exists.`;
}

/** ResourceNotFoundException: no version carries the staging label (also a secret created without a value). */
export function stagingLabelNotFoundText(stage: string): string {
  return `Secrets Manager can't find the specified secret value for staging label: ${stage}`;
}

/** ResourceNotFoundException: no version with this VersionId (LocalStack's AWS-validated snapshot). */
export function versionIdNotFoundText(versionId: string): string {
  return `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`;
}

/**
 * ResourceExistsException: a ClientRequestToken that already names a version with a different value
 * (moto, "validated against AWS" in getmoto/moto#9741).
 */
export function clientRequestTokenInUseText(token: string, arn: string): string {
  return `You can't use ClientRequestToken ${token} because that value is already in use for a version of secret ${arn}.`;
}

// ---------------------------------------------------------------------------------------------------------------
// JSON 1.1 wire (any service): AWS's "coral" validation layer and the emulator's own protocol answers
// ---------------------------------------------------------------------------------------------------------------

/**
 * ValidationException from AWS's request validation, e.g.
 * `1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null`.
 * The value is quoted for ordinary members and left out for sensitive ones (secret values), as AWS does.
 * UNCONFIRMED for Secrets Manager (the shape is the one every coral-based AWS service uses).
 */
export function validationErrorText(member: string, constraint: string, value?: string | null): string {
  const shown = value === undefined ? "Value" : value === null ? "Value null" : `Value '${value}'`;
  return `1 validation error detected: ${shown} at '${member}' failed to satisfy constraint: ${constraint}`;
}

export const ValidationConstraint = {
  notNull: "Member must not be null",
  maxLength: (n: number) => `Member must have length less than or equal to ${n}`,
  minLength: (n: number) => `Member must have length greater than or equal to ${n}`,
  maxValue: (n: number) => `Member must have value less than or equal to ${n}`,
  minValue: (n: number) => `Member must have value greater than or equal to ${n}`,
  enumValue: (values: readonly string[]) => `Member must satisfy enum value set: [${values.join(", ")}]`,
  pattern: (pattern: string) => `Member must satisfy regular expression pattern: ${pattern}`,
} as const;

/** The emulator's own texts for requests that never reach a service (the codes are AWS's). */
export const WireText = {
  /** SerializationException: the body is not JSON. UNCONFIRMED wording (AWS sends no useful text). */
  malformedJson: "The request body is not valid JSON.",
  /** SerializationException: the body is JSON but not an object. */
  notAnObject: "The request body must be a JSON object.",
  /** 413: the body exceeds the emulator's limit. */
  bodyTooLarge: (limit: number) => `The request body is larger than ${limit} bytes.`,
  /** UnknownOperationException for anything but `POST /`. */
  notAnAwsRequest: (method: string, path: string) => `The emulator serves AWS requests as POST /; got ${method} ${path}.`,
  /**
   * SerializationException (JSON) / MalformedQueryString (Query): a body that its Content-Encoding (gzip, deflate,
   * br) cannot decode. UNCONFIRMED wording.
   */
  undecodableBody: (encoding: string) => `The request body could not be decoded as ${encoding}.`,
  /**
   * 421 MisdirectedRequest: a Host header that names another server (inferred: AWS's endpoints are only reached by
   * their own names; the emulator refuses others against DNS rebinding). The name is shown without its port.
   */
  hostNotServed: (host: string) =>
    `This emulator does not answer for host '${host}'. Reach it as localhost or 127.0.0.1, or start it with --allowed-host ${host || "NAME"}.`,
  /** InternalServiceError, HTTP 500: anything unexpected; never carries internals. */
  internal: "An internal error occurred. Try again later.",
} as const;

/** SerializationException: a member of the wrong JSON type. */
export function wrongTypeText(member: string, expected: string): string {
  return `Expected ${expected} for '${member}'.`;
}

/** UnknownOperationException: X-Amz-Target names no operation the emulator serves. */
export function unknownOperationText(target: string | undefined): string {
  return target === undefined || target === ""
    ? "The request has no X-Amz-Target header naming an operation."
    : `The emulator does not serve the operation ${target}.`;
}

// ---------------------------------------------------------------------------------------------------------------
// KMS (JSON 1.1, target prefix `TrentService`, message key `message`, HTTP 400)
// ---------------------------------------------------------------------------------------------------------------

export const KmsText = {
  /** IncorrectKeyException: Decrypt with a KeyId that is not the key the ciphertext was made under. */
  incorrectKey: "The key ID in the request does not identify a CMK that can perform this operation.",
  /**
   * UNCONFIRMED: ValidationException for an alias name without the `alias/` prefix (public reports of the AWS CLI
   * answer; the documentation link AWS appends is left out).
   */
  aliasPrefix: 'Alias must start with the prefix "alias/".',
  /** UNCONFIRMED: NotAuthorizedException when a caller names an alias under the reserved `alias/aws/` prefix. */
  reservedAlias: "Aliases that begin with alias/aws/ are reserved for AWS managed keys.",
  /**
   * MalformedPolicyDocumentException when a new key policy would lock the caller out (KMS's policy lockout safety
   * check). A key policy that does not parse gets IAM's grammar text instead (aws/iam/texts.ts).
   */
  policyLockout: "The new key policy will not allow you to update the key policy in the future.",
  /** UnsupportedOperationException: changing an AWS managed key (policy, state, deletion). UNCONFIRMED wording. */
  awsManagedKey: "You cannot perform this operation on an AWS managed key.",
} as const;

/** NotFoundException for a key id that names no key; `keyArn` is the id expanded to the key's full ARN. */
export function kmsKeyNotFoundText(keyArn: string): string {
  return `Key '${keyArn}' does not exist`;
}

/** NotFoundException for a KeyId that is neither a UUID, a key ARN, an alias name nor an alias ARN. */
export function kmsInvalidKeyIdText(value: string): string {
  return `Invalid keyId '${value}'`;
}

/** NotFoundException for an alias that names no key (public reports of AWS's answer). */
export function kmsAliasNotFoundText(aliasArn: string): string {
  return `Alias ${aliasArn} is not found.`;
}

/** AlreadyExistsException: CreateAlias with a name in use (public reports of AWS's answer). */
export function kmsAliasExistsText(aliasArn: string): string {
  return `An alias with the name ${aliasArn} already exists`;
}

/** DisabledException. */
export function kmsDisabledText(keyArn: string): string {
  return `${keyArn} is disabled.`;
}

/** KMSInvalidStateException for a key pending deletion. */
export function kmsPendingDeletionText(keyArn: string): string {
  return `${keyArn} is pending deletion.`;
}

/** KMSInvalidStateException: EnableKey/DisableKey/ScheduleKeyDeletion on a key that is not in a suitable state. UNCONFIRMED. */
export function kmsInvalidStateText(keyArn: string, state: string): string {
  return `${keyArn} is ${state === "PendingDeletion" ? "pending deletion" : state.toLowerCase()}.`;
}

/** Secrets Manager's resource-policy and key texts that came with KMS (message key `Message`). */
export const SecretsManagerPolicyText = {
  /**
   * PublicPolicyException: PutResourcePolicy with BlockPublicPolicy and a policy that lets anyone in. UNCONFIRMED
   * (public reports of AWS's answer).
   */
  publicPolicy: "The BlockPublicPolicy parameter is set to true, and the resource policy did not prevent broad access to the secret.",
} as const;

/**
 * Secrets Manager's DecryptionFailure / EncryptionFailure when the secret's KMS key cannot be used: KMS's own error
 * as the AWS SDK for Java renders it, wrapped (AWS-ERRORS.md: disabled; public reports: `can't encrypt ... does not
 * exist ... NotFoundException`). The pending-deletion tail is UNCONFIRMED.
 */
export function secretKmsFailureText(
  use: "encrypt" | "decrypt",
  kms: { code: string; text: string },
  kmsRequestId: string,
): string {
  return `Secrets Manager can't ${use} the secret value: ${kms.text} (Service: AWSKMS; Status Code: 400; Error Code: ${kms.code}; Request ID: ${kmsRequestId}; Proxy: null)`;
}

// ---------------------------------------------------------------------------------------------------------------
// Signature and credentials (every service; AWS-ERRORS.md "Signature and credentials")
// ---------------------------------------------------------------------------------------------------------------

/** Why the authentication layer refused a request; the code differs between JSON and Query services. */
export type AuthFailureKind =
  | "missingToken"
  | "incompleteSignature"
  | "unknownKey"
  | "expiredToken"
  | "signatureMismatch"
  | "signatureExpired"
  | "signatureNotYetCurrent"
  | "invalidRegion"
  | "wrongService"
  | "headerNotSigned";

/** [JSON 1.1 code (HTTP 400), Query code (HTTP 403)]. */
export const AuthErrorCodes: Readonly<Record<AuthFailureKind, readonly [string, string]>> = {
  missingToken: ["MissingAuthenticationTokenException", "MissingAuthenticationToken"],
  incompleteSignature: ["IncompleteSignatureException", "IncompleteSignature"],
  unknownKey: ["UnrecognizedClientException", "InvalidClientTokenId"],
  expiredToken: ["ExpiredTokenException", "ExpiredToken"],
  signatureMismatch: ["InvalidSignatureException", "SignatureDoesNotMatch"],
  signatureExpired: ["InvalidSignatureException", "SignatureDoesNotMatch"],
  signatureNotYetCurrent: ["InvalidSignatureException", "SignatureDoesNotMatch"],
  invalidRegion: ["InvalidSignatureException", "SignatureDoesNotMatch"],
  wrongService: ["InvalidSignatureException", "SignatureDoesNotMatch"],
  headerNotSigned: ["IncompleteSignatureException", "IncompleteSignature"],
};

export const AuthText = {
  signatureMismatch:
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
  invalidToken: "The security token included in the request is invalid.",
  /** No final period (AWS's). */
  expiredToken: "The security token included in the request is expired",
  /** UNCONFIRMED for Query services. */
  missingToken: "Request is missing Authentication Token",
} as const;

/** `<x-amz-date> is now earlier than <now-15min> (<now> - 15 min.)`; times in ISO 8601 basic form (20250101T000000Z). */
export function signatureExpiredText(requestDate: string, limit: string, now: string): string {
  return `Signature expired: ${requestDate} is now earlier than ${limit} (${now} - 15 min.)`;
}

export function signatureNotYetCurrentText(requestDate: string, limit: string, now: string): string {
  return `Signature not yet current: ${requestDate} is still later than ${limit} (${now} + 15 min.)`;
}

/**
 * A credential scope naming a region AWS does not have. The AWS IAM User Guide, "Troubleshoot signed requests for
 * AWS APIs" (Credential scope errors → Region), and public reports of the answers (aws/aws-sdk-ruby#508,
 * aws/aws-sdk-java-v2#988) give `Credential should be scoped to a valid region, not '<region>'.`
 */
export function invalidRegionText(region: string): string {
  return `Credential should be scoped to a valid region, not '${region}'.`;
}

/**
 * A credential scope naming another service than the one the request is for (same User Guide page, "Service";
 * public report cllunsford/aws-signing-proxy#25). The service named is the one the request should be signed for.
 */
export function wrongServiceText(service: string): string {
  return `Credential should be scoped to correct service: '${service}'.`;
}

/**
 * A header that must be signed left out of SignedHeaders. For Host the text of public reports
 * (aws/aws-sdk-php#2469, IncompleteSignatureException); for X-Amz-Target (which chooses the operation of a JSON
 * service) the same form, UNCONFIRMED.
 */
export function headerNotSignedText(header: string): string {
  return header === "Host" ? "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization." : `'${header}' must be a 'SignedHeader' in the AWS Authorization.`;
}

/** UNCONFIRMED: an Authorization header without Credential, SignedHeaders or Signature, or no X-Amz-Date. */
export function incompleteSignatureText(missing: readonly string[]): string {
  return missing.map((part) => (part === "X-Amz-Date" ? "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header." : `Authorization header requires '${part}' parameter.`)).join(" ");
}

// ---------------------------------------------------------------------------------------------------------------
// Query protocol (IAM, STS): XML answers, `<Type>Sender</Type>`
// ---------------------------------------------------------------------------------------------------------------

/** InvalidAction (400): an Action the service does not have (public reports of AWS's answer). */
export function invalidActionText(action: string, version: string): string {
  return `Could not find operation ${action} for version ${version}`;
}

/** UNCONFIRMED: a form body with no Action. */
export const QueryText = {
  missingAction: "The request must contain the parameter Action.",
  /** UNCONFIRMED: InvalidParameterValue for a member that is not a number where one is expected. */
  notANumber: (member: string, value: string) => `Value (${value}) for parameter ${member} is invalid. Expected a number.`,
} as const;

// ---------------------------------------------------------------------------------------------------------------
// STS (Query, HTTP 400 unless noted; AccessDenied 403 uses the IAM evaluator's accessDeniedMessage without clause)
// ---------------------------------------------------------------------------------------------------------------

export const StsText = {
  /** ValidationError: DurationSeconds above the role's MaxSessionDuration. */
  durationOverMaxSession: "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
  /** ValidationError: a role session assuming a role for more than an hour. */
  durationOverChainLimit: "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
} as const;

/** UNCONFIRMED: ValidationError for a RoleArn of the right length that is not a role ARN. */
export function invalidRoleArnText(value: string): string {
  return `${value} is invalid`;
}

// ---------------------------------------------------------------------------------------------------------------
// IAM (Query; AWS-ERRORS.md "IAM"; policy-document texts live in aws/iam/texts.ts)
// ---------------------------------------------------------------------------------------------------------------

export const IamText = {
  deleteConflictAttached: "Cannot delete entity, must detach all policies first.",
  deleteConflictInline: "Cannot delete entity, must delete policies first.",
  /** LimitExceeded (409), public reports of AWS's answer. */
  tagsPerRole: "Cannot exceed quota for TagsPerRole: 50",
  /** LimitExceeded (409), public reports of AWS's answer. */
  policiesPerRole: "Cannot exceed quota for PoliciesPerRole: 10",
  /** UNCONFIRMED: InvalidInput for SimulatePrincipalPolicy with a PolicySourceArn that is not a role of this account. */
  simulateSource: "The emulator simulates roles only: PolicySourceArn must be the ARN of a role.",
} as const;

export function noSuchRoleText(roleName: string): string {
  return `The role with name ${roleName} cannot be found.`;
}

export function noSuchRolePolicyText(policyName: string): string {
  return `The role policy with name ${policyName} cannot be found.`;
}

export function roleExistsText(roleName: string): string {
  return `Role with name ${roleName} already exists.`;
}

export function policyNotAttachableText(arn: string): string {
  return `Policy ${arn} does not exist or is not attachable.`;
}

export function policyNotFoundText(arn: string): string {
  return `Policy ${arn} was not found.`;
}

/** NoSuchEntity: GetPolicyVersion for a version the policy does not have (public reports of AWS's answer). */
export function policyVersionNotFoundText(arn: string, versionId: string): string {
  return `Policy ${arn} version ${versionId} does not exist or is not attachable.`;
}

/** EntityAlreadyExists: CreatePolicy with a name in use (public reports of AWS's answer). */
export function policyExistsText(name: string): string {
  return `A policy called ${name} already exists. Duplicate names are not allowed.`;
}

/** NoSuchEntity: PutRolePermissionsBoundary with a policy that does not exist (public reports of AWS's answer). */
export function boundaryNotAttachableText(arn: string): string {
  return `Scope ARN: ${arn} does not exist or is not attachable.`;
}

/** InvalidInput for a malformed policy ARN (public reports of AWS's answer). */
export function invalidPolicyArnText(arn: string): string {
  return `ARN ${arn} is not valid.`;
}

// ---------------------------------------------------------------------------------------------------------------
// ECS (JSON 1.1, target prefix `AmazonEC2ContainerServiceV20141113`, message key `message`, HTTP 400). The texts of
// AWS-ERRORS.md's ECS table live in agent-sim/texts/agent.ts (REGISTER, RUN_TASK); these are the other API answers.
// ---------------------------------------------------------------------------------------------------------------

export const EcsText = {
  /** ClusterNotFoundException. */
  clusterNotFound: "Cluster not found.",
  /** UNCONFIRMED: InvalidParameterException, CreateCluster with a name outside letters, digits, `-`, `_` (1-255). */
  clusterNameInvalid: "Cluster name can have up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores.",
  /** ClientException: DescribeTaskDefinition of a family or revision that does not exist. */
  unableToDescribeTaskDefinition: "Unable to describe task definition.",
  /** ClientException: RunTask with a task definition that does not exist. */
  taskDefinitionNotFound: "TaskDefinition not found.",
  /** ClientException: RunTask with a deregistered revision. */
  taskDefinitionInactive: "TaskDefinition is inactive",
  /** UNCONFIRMED: ClientException, DeregisterTaskDefinition of a revision that does not exist. */
  taskDefinitionDoesNotExist: "The specified task definition does not exist.",
  /** UNCONFIRMED: ClientException, DeregisterTaskDefinition without `:revision`. */
  revisionRequired: "A revision must be specified when deregistering a task definition.",
  /** InvalidParameterException: StopTask of an unknown task. */
  taskNotFound: "The referenced task was not found.",
  /** InvalidParameterException: DescribeTasks with an empty list. */
  tasksEmpty: "Tasks cannot be empty.",
  /** InvalidParameterException: RunTask launchType EC2/EXTERNAL with a platformVersion. */
  platformVersionWithEc2: "The platform version must be null when specifying an EC2 launch type.",
  /** UNCONFIRMED: InvalidParameterException for a launchType outside the enum. */
  launchTypeInvalid: (value: string) => `launchType should be one of [EC2,FARGATE,EXTERNAL], got ${value}.`,
  /** UNCONFIRMED: InvalidParameterException for count outside 1..10. */
  countRange: "Count must be between 1 and 10.",
  /** InvalidParameterException: a containerOverride naming no container of the task definition. */
  overrideNotInTaskDefinition: (name: string) => `Override for container named ${name} is not a container in the TaskDefinition.`,
  /** UNCONFIRMED: ClientException, RegisterContainerInstance with an agent version that is not x.y.z. */
  agentVersionInvalid: (value: string) => `Agent version ${value} is not a valid version.`,
  /** InvalidParameterException: a container instance id or ARN the cluster does not have (UNCONFIRMED wording). */
  containerInstanceNotFound: "The referenced container instance was not found.",
  /** StopTask's stoppedReason when the caller gives none. */
  taskStoppedByUser: "Task stopped by user",
  /**
   * Emulator-only stoppedReason (no ECS counterpart): the machine running the emulator could not run the task
   * (no Docker engine, its own endpoint unreachable). Says so plainly so nobody mistakes it for an ECS text.
   */
  emulatorEnvironment: (detail: string) => `ecs-pull emulator: the task could not be run on this machine: ${detail}`,
} as const;

// ---------------------------------------------------------------------------------------------------------------
// EcsPullInternal (the emulator's own operations, JSON 1.1, message key `message`): no AWS counterpart
// ---------------------------------------------------------------------------------------------------------------

export const InternalText = {
  /** RunAgentTask before the emulator knows the URL it is reached on (it learns it from a request's connection). */
  selfUrlUnknown: "The emulator does not know its own URL yet, so a task run inside it cannot reach its Secrets Manager.",
} as const;
