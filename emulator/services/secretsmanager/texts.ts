// Secrets Manager's texts for rotation, version stages, replication, GetRandomPassword and BatchGetSecretValue,
// once each (the older texts live in protocol/aws-texts.ts). Each says where it comes from: a capture in public
// reports, moto's implementation (getmoto/moto, moto/secretsmanager/models.py and exceptions.py, which mirror AWS
// where its tests were validated against AWS), or UNCONFIRMED (our own wording, kept here so that it is easy to
// correct). Shapes and limits come from botocore's service model (botocore/data/secretsmanager/2017-10-17).

export const RotationText = {
  /**
   * InvalidRequestException: RotateSecret on a secret that has no rotation function and names none. The cause is
   * AWS's documented one (InvalidRequestException, "You tried to enable rotation on a secret that doesn't already
   * have a Lambda function ARN configured"); the wording is UNCONFIRMED.
   */
  noRotationFunction: "No Lambda rotation function ARN is associated with this secret.",
  /**
   * InvalidRequestException: RotateSecret while AWSPENDING sits on a version other than AWSCURRENT's (RotateSecret
   * API reference: "any later invocation of RotateSecret assumes that a previous rotation request is still in
   * progress and returns an error"). Wording from moto (OperationNotPermitted text), UNCONFIRMED.
   */
  previousRotationInProgress: "Previous rotation request is still in progress.",
  /** InvalidParameterException: RotationRules with both AutomaticallyAfterDays and ScheduleExpression. UNCONFIRMED. */
  rulesBothSchedules: "You can't specify both AutomaticallyAfterDays and ScheduleExpression in RotationRules.",
  /** InvalidParameterException: RotationRules with neither AutomaticallyAfterDays nor ScheduleExpression. UNCONFIRMED. */
  rulesNoSchedule: "RotationRules must include either AutomaticallyAfterDays or ScheduleExpression.",
  /** InvalidParameterException: a Duration longer than the schedule's interval allows (1–24 hours here). UNCONFIRMED. */
  durationRange: "The rotation window Duration must be between 1h and 24h.",
  /** InvalidParameterException: a ScheduleExpression that is not rate(N days|hours) or cron(...). UNCONFIRMED. */
  scheduleExpressionInvalid: "The ScheduleExpression is not a valid rate() or cron() expression.",
} as const;

/** ResourceNotFoundException: RotationLambdaARN names no function registered with `serve --rotation-function` (moto's text). */
export function rotationFunctionNotFoundText(arn: string): string {
  return `Resource not found for ARN '${arn}'.`;
}

/**
 * The rotation function failed a step. AWS logs this in CloudTrail (RotationFailed) and leaves AWSPENDING where it
 * is; RotateSecret itself has already answered. The emulator keeps it for the request log only. Emulator-only.
 */
export function rotationStepFailedText(step: string, reason: string): string {
  return `ecs-pull emulator: the rotation function failed at ${step}: ${reason}`;
}

export const VersionStageText = {
  /** UNCONFIRMED: InvalidParameterException, MoveToVersionId or RemoveFromVersionId that names no version (moto). */
  notAValidVersion: (versionId: string) => `Not a valid version: ${versionId}`,
  /** InvalidParameterException: RemoveFromVersionId does not carry the label (moto's text, UNCONFIRMED). */
  stageNotOnVersion: (stage: string, versionId: string) => `Version stage ${stage} not found in version ${versionId}`,
  /**
   * InvalidParameterException: moving a label that sits on another version without naming that version in
   * RemoveFromVersionId (moto's text for AWSCURRENT, which reads as a capture of AWS's; the same words for any label).
   */
  removeFromRequired: (stage: string, versionId: string) =>
    `The parameter RemoveFromVersionId can't be empty. Staging label ${stage} is currently attached to version ${versionId}, so you must explicitly reference that version in RemoveFromVersionId.`,
  /** UNCONFIRMED: InvalidParameterException, neither MoveToVersionId nor RemoveFromVersionId. */
  nothingToDo: "You must specify MoveToVersionId or RemoveFromVersionId.",
  /** UNCONFIRMED: InvalidParameterException, removing AWSCURRENT without moving it elsewhere. */
  currentMustStay: "You can't remove the staging label AWSCURRENT from a version without moving it to another version.",
} as const;

export const ReplicationText = {
  /** InvalidParameterException: a write on a replica (moto, exceptions.py OperationNotPermittedOnReplica). */
  notPermittedOnReplica: "Operation not permitted on a replica secret. Call must be made in primary secret's region.",
  /** InvalidParameterException: a replica region equal to the primary's, or named twice (moto). */
  invalidReplicaRegion: "Invalid replica region.",
  /** UNCONFIRMED: InvalidParameterException, StopReplicationToReplica called on a secret that is not a replica. */
  notAReplica: "The secret is not a replica. Call StopReplicationToReplica in the replica's region.",
  /** UNCONFIRMED: InvalidParameterException, RemoveRegionsFromReplication for a region with no replica. */
  noReplicaInRegion: (region: string) => `The secret has no replica in region ${region}.`,
} as const;

/** InvalidParameterException: DeleteSecret on a primary that still has replicas (moto). */
export function deleteWithReplicasText(secretId: string, regions: readonly string[]): string {
  return `You can't delete secret ${secretId} that still has replica regions [${regions.join(",")}]`;
}

/** ReplicationStatus.StatusMessage when the replica region already has a secret of that name (moto). */
export function replicaNameExistsText(name: string, region: string): string {
  return `Replication failed: Secret name ${name} already exists in region ${region}.`;
}

export const RandomPasswordText = {
  /** InvalidParameterException: RequireEachIncludedType with fewer characters than types (moto, mirrors AWS). */
  tooShort: "Password length is too short based on the required types.",
  /** UNCONFIRMED: InvalidParameterException, every character excluded. */
  nothingToChooseFrom: "The password can't be generated because every character type is excluded.",
} as const;

export const BatchText = {
  /** InvalidParameterException: both SecretIdList and Filters, or neither (moto, models.py batch_get_secret_value). */
  idsOrFilters: "Either 'SecretIdList' or 'Filters' must be provided, but not both.",
  /** InvalidParameterException: MaxResults without Filters (moto). */
  maxResultsWithoutFilters: "'Filters' not specified. 'Filters' must also be specified when 'MaxResults' is provided.",
} as const;

export const FilterText = {
  /** InvalidParameterException: a ListSecrets/BatchGetSecretValue filter without Key (moto, responses.py _validate_filters). */
  keyRequired: "Invalid filter key",
  /** InvalidParameterException: a filter without Values (moto, responses.py _validate_filters). */
  valuesRequired: (key: string) => `Invalid filter values for key: ${key}`,
} as const;
