// DeleteSecret: schedules the deletion after a recovery window (7–30 days, default 30), or with
// ForceDeleteWithoutRecovery removes the secret at once so that its name is free again.
import type { RequestContext } from "../../context.ts";
import { AwsError, AwsErrorCode } from "../../protocol/aws-error.ts";
import { SecretsManagerText } from "../../../aws/texts.ts";
import { type Input, optionalBoolean, optionalInteger } from "../../protocol/input.ts";
import { readSecretId } from "./rules.ts";
import { requireSecret, stateOf } from "./secret-id.ts";
import { epochSeconds } from "./shapes.ts";
import { ReplicationText, deleteWithReplicasText } from "./texts.ts";

const DAY_MS = 86_400_000;
const DEFAULT_RECOVERY_DAYS = 30;

export interface DeleteSecretOutput {
  ARN: string;
  Name: string;
  DeletionDate: number;
}

export function DeleteSecret(ctx: RequestContext, input: Input): DeleteSecretOutput {
  const secretId = readSecretId(input);
  const recoveryDays = optionalInteger(input, "RecoveryWindowInDays");
  const force = optionalBoolean(input, "ForceDeleteWithoutRecovery") ?? false;
  if (recoveryDays !== undefined && (recoveryDays < 7 || recoveryDays > 30)) {
    throw new AwsError(AwsErrorCode.InvalidParameterException, SecretsManagerText.recoveryWindowRange);
  }
  if (recoveryDays !== undefined && force) {
    throw new AwsError(AwsErrorCode.InvalidParameterException, SecretsManagerText.forceDeleteWithRecoveryWindow);
  }
  const record = requireSecret(ctx, secretId);
  if (record.primaryRegion !== undefined) throw new AwsError(AwsErrorCode.InvalidParameterException, ReplicationText.notPermittedOnReplica);
  const replicaRegions = (record.replicas ?? []).map((r) => r.region);
  if (replicaRegions.length > 0) throw new AwsError(AwsErrorCode.InvalidParameterException, deleteWithReplicasText(secretId, replicaRegions));
  if (force) {
    // The record may live in another account's partition (ARN lookup), so remove it from its own.
    const [, , , region, account] = record.arn.split(":");
    const state = region === ctx.region && account === ctx.account ? stateOf(ctx) : ctx.store.secretsManager(account!, region!);
    state.remove(record);
    return { ARN: record.arn, Name: record.name, DeletionDate: epochSeconds(ctx.now) };
  }
  if (record.deletedDate !== undefined) {
    throw new AwsError(AwsErrorCode.InvalidRequestException, SecretsManagerText.markedForDeletion);
  }
  record.deletedDate = ctx.now;
  record.deletionDate = ctx.now + (recoveryDays ?? DEFAULT_RECOVERY_DAYS) * DAY_MS;
  record.lastChangedDate = ctx.now;
  return { ARN: record.arn, Name: record.name, DeletionDate: epochSeconds(record.deletionDate) };
}
