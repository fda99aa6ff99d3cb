// GetSecretValue: the hot path (the agent's one call). One map lookup, the key check (secret-key.ts), one small
// object; nothing else.
import type { RequestContext } from "../../context.ts";
import { AwsError, AwsErrorCode } from "../../protocol/aws-error.ts";
import { SecretsManagerText, stagingLabelNotFoundText, versionIdNotFoundText } from "../../../aws/texts.ts";
import { type Input, optionalString } from "../../protocol/input.ts";
import type { SecretRecord, SecretVersion } from "../../state/secrets.ts";
import { AWSCURRENT, LIMITS, readSecretId } from "./rules.ts";
import { requireActiveSecret } from "./secret-id.ts";
import { requireSecretKey } from "./secret-key.ts";
import { accessDay, epochSeconds } from "./shapes.ts";
import { hasValue } from "./versions.ts";

export interface GetSecretValueOutput {
  ARN: string;
  Name: string;
  VersionId: string;
  SecretString?: string;
  /** Base64. */
  SecretBinary?: string;
  VersionStages: string[];
  CreatedDate: number;
}

export function GetSecretValue(ctx: RequestContext, input: Input): GetSecretValueOutput {
  const secretId = readSecretId(input);
  const versionId = optionalString(input, "VersionId", { min: LIMITS.tokenMin, max: LIMITS.tokenMax });
  const versionStage = optionalString(input, "VersionStage", { min: 1, max: LIMITS.versionStage });
  const record = requireActiveSecret(ctx, secretId);
  const version = pickVersion(record, versionId, versionStage);
  // The empty version a rotation starts with has no value yet: AWS answers as for a missing version (the rotation
  // templates' createSecret relies on it: aws-samples/aws-secrets-manager-rotation-lambdas, create_secret).
  if (!hasValue(version)) {
    throw new AwsError(AwsErrorCode.ResourceNotFoundException, versionId !== undefined ? versionIdNotFoundText(versionId) : stagingLabelNotFoundText(versionStage ?? AWSCURRENT));
  }
  requireSecretKey(ctx, record, "decrypt");
  record.lastAccessedDate = accessDay(ctx.now);
  const out: GetSecretValueOutput = { ARN: record.arn, Name: record.name, VersionId: version.versionId, VersionStages: [...version.stages], CreatedDate: epochSeconds(version.createdDate) };
  if (version.secretString !== undefined) out.SecretString = version.secretString;
  else if (version.secretBinary !== undefined) out.SecretBinary = version.secretBinary;
  return out;
}

function pickVersion(record: SecretRecord, versionId: string | undefined, versionStage: string | undefined): SecretVersion {
  if (versionId !== undefined) {
    const version = record.versions.get(versionId);
    if (version === undefined) throw new AwsError(AwsErrorCode.ResourceNotFoundException, versionIdNotFoundText(versionId));
    if (versionStage !== undefined && !version.stages.includes(versionStage)) {
      throw new AwsError(AwsErrorCode.InvalidRequestException, SecretsManagerText.versionStageMismatch);
    }
    return version;
  }
  const stage = versionStage ?? AWSCURRENT;
  const id = record.stages.get(stage);
  const version = id === undefined ? undefined : record.versions.get(id);
  if (version === undefined) throw new AwsError(AwsErrorCode.ResourceNotFoundException, stagingLabelNotFoundText(stage));
  return version;
}
