// PutSecretValue: a new version, labelled AWSCURRENT unless VersionStages says otherwise. The ClientRequestToken
// is the VersionId: repeating a call with the same token and value changes nothing.
import type { RequestContext } from "../../context.ts";
import { AwsError, AwsErrorCode } from "../../protocol/aws-error.ts";
import { SecretsManagerText, clientRequestTokenInUseText } from "../../../aws/texts.ts";
import { type Input, optionalStringList } from "../../protocol/input.ts";
import { AWSCURRENT, LIMITS, readClientRequestToken, readSecretId, readSecretValue, requireToken, sameValue } from "./rules.ts";
import { requireWritableSecret } from "./secret-id.ts";
import { requireSecretKey } from "./secret-key.ts";
import { addVersion, fillVersion, hasValue, moveStage, newVersion, versionValue } from "./versions.ts";

export interface PutSecretValueOutput {
  ARN: string;
  Name: string;
  VersionId: string;
  VersionStages: string[];
}

export function PutSecretValue(ctx: RequestContext, input: Input): PutSecretValueOutput {
  const secretId = readSecretId(input);
  const requestedStages = optionalStringList(input, "VersionStages", { min: 1, max: LIMITS.versionStagesPerCall }, { min: 1, max: LIMITS.versionStage });
  const value = readSecretValue(input);
  if (value === undefined) throw new AwsError(AwsErrorCode.InvalidRequestException, SecretsManagerText.valueRequired);
  const versionId = requireToken(readClientRequestToken(input));
  const record = requireWritableSecret(ctx, secretId);
  requireSecretKey(ctx, record, "encrypt");

  const existing = record.versions.get(versionId);
  if (existing !== undefined && !hasValue(existing)) {
    // A rotation's createSecret step: the version RotateSecret made (AWSPENDING) gets its value.
    fillVersion(existing, value);
    for (const stage of requestedStages ?? []) moveStage(record, stage, versionId);
    record.lastChangedDate = ctx.now;
    return { ARN: record.arn, Name: record.name, VersionId: versionId, VersionStages: [...existing.stages] };
  }
  if (existing !== undefined) {
    if (!sameValue(versionValue(existing), value)) {
      throw new AwsError(AwsErrorCode.ResourceExistsException, clientRequestTokenInUseText(versionId, record.arn));
    }
    return { ARN: record.arn, Name: record.name, VersionId: versionId, VersionStages: [...existing.stages] };
  }

  const stages = [...new Set(requestedStages ?? [AWSCURRENT])];
  // The first value of a secret created without one always becomes AWSCURRENT.
  if (record.versions.size === 0 && !stages.includes(AWSCURRENT)) stages.push(AWSCURRENT);
  const version = newVersion(versionId, value, ctx.now);
  addVersion(record, version, stages);
  record.lastChangedDate = ctx.now;
  return { ARN: record.arn, Name: record.name, VersionId: versionId, VersionStages: [...version.stages] };
}
