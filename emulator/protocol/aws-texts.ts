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
