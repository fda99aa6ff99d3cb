// ListSecretVersionIds and UpdateSecretVersionStage: the versions of a secret and the staging labels on them, as
// users drive them to roll back a bad password (move AWSCURRENT back; AWSPREVIOUS follows) or to clear a rotation
// left at AWSPENDING. Shapes and limits: botocore's service model (ListSecretVersionIdsRequest,
// UpdateSecretVersionStageRequest); texts: texts.ts.
import type { RequestContext } from "../../context.ts";
import { AwsError, AwsErrorCode } from "../../protocol/aws-error.ts";
import { SecretsManagerText } from "../../../aws/texts.ts";
import { type Input, optionalBoolean, optionalInteger, optionalString, requiredString } from "../../protocol/input.ts";
import type { SecretVersion } from "../../state/secrets.ts";
import { AWSCURRENT, LIMITS, readSecretId } from "./rules.ts";
import { requireSecret, requireWritableSecret } from "./secret-id.ts";
import { epochSeconds } from "./shapes.ts";
import { VersionStageText } from "./texts.ts";
import { dropDeprecated, moveStage, removeStage } from "./versions.ts";

const DEFAULT_MAX_RESULTS = 100;

export interface SecretVersionsListEntry {
  VersionId: string;
  VersionStages?: string[];
  LastAccessedDate?: number;
  CreatedDate: number;
}

export interface ListSecretVersionIdsOutput {
  Versions: SecretVersionsListEntry[];
  NextToken?: string;
  ARN: string;
  Name: string;
}

/** Versions in creation order; without IncludeDeprecated only those that carry a label. */
export function ListSecretVersionIds(ctx: RequestContext, input: Input): ListSecretVersionIdsOutput {
  const secretId = readSecretId(input);
  const maxResults = optionalInteger(input, "MaxResults", { min: 1, max: 100 }) ?? DEFAULT_MAX_RESULTS;
  const nextToken = optionalString(input, "NextToken", { min: 1, max: 4096 });
  const includeDeprecated = optionalBoolean(input, "IncludeDeprecated") ?? false;
  const start = nextToken === undefined ? 0 : decodeToken(nextToken);
  const record = requireSecret(ctx, secretId);
  const versions = [...record.versions.values()].filter((v) => includeDeprecated || v.stages.length > 0);
  const page = versions.slice(start, start + maxResults).map(entry);
  const out: ListSecretVersionIdsOutput = { Versions: page, ARN: record.arn, Name: record.name };
  if (start + maxResults < versions.length) out.NextToken = encodeToken(start + maxResults);
  return out;
}

function entry(version: SecretVersion): SecretVersionsListEntry {
  return version.stages.length > 0
    ? { VersionId: version.versionId, VersionStages: [...version.stages], CreatedDate: epochSeconds(version.createdDate) }
    : { VersionId: version.versionId, CreatedDate: epochSeconds(version.createdDate) };
}

// The token is the position of the next version; versions are only ever appended, and dropped from the front.
function encodeToken(position: number): string {
  return Buffer.from(`ecs-pull-versions:${position}`, "utf8").toString("base64url");
}

function decodeToken(token: string): number {
  const match = /^ecs-pull-versions:(\d{1,9})$/.exec(Buffer.from(token, "base64url").toString("utf8"));
  if (match === null) throw new AwsError(AwsErrorCode.InvalidNextTokenException, SecretsManagerText.invalidNextToken);
  return Number(match[1]);
}

/**
 * Moves a staging label to MoveToVersionId and/or removes it from RemoveFromVersionId. A label that already sits
 * on another version must be named there (RemoveFromVersionId); AWSCURRENT can move but never be only removed;
 * moving AWSCURRENT puts AWSPREVIOUS on the version it left.
 */
export function UpdateSecretVersionStage(ctx: RequestContext, input: Input): { ARN: string; Name: string } {
  const secretId = readSecretId(input);
  const stage = requiredString(input, "VersionStage", { min: 1, max: LIMITS.versionStage });
  const removeFrom = optionalString(input, "RemoveFromVersionId", { min: LIMITS.tokenMin, max: LIMITS.tokenMax });
  const moveTo = optionalString(input, "MoveToVersionId", { min: LIMITS.tokenMin, max: LIMITS.tokenMax });
  const record = requireWritableSecret(ctx, secretId);
  const invalid = (text: string) => new AwsError(AwsErrorCode.InvalidParameterException, text);

  if (removeFrom === undefined && moveTo === undefined) throw invalid(VersionStageText.nothingToDo);
  if (removeFrom !== undefined) {
    const from = record.versions.get(removeFrom);
    if (from === undefined) throw invalid(VersionStageText.notAValidVersion(removeFrom));
    if (!from.stages.includes(stage)) throw invalid(VersionStageText.stageNotOnVersion(stage, removeFrom));
  }
  if (moveTo !== undefined && !record.versions.has(moveTo)) throw invalid(VersionStageText.notAValidVersion(moveTo));
  const holder = record.stages.get(stage);
  if (moveTo !== undefined && holder !== undefined && holder !== moveTo && holder !== removeFrom) {
    throw invalid(VersionStageText.removeFromRequired(stage, holder));
  }
  if (moveTo === undefined && stage === AWSCURRENT) throw invalid(VersionStageText.currentMustStay);

  if (moveTo !== undefined) moveStage(record, stage, moveTo);
  else removeStage(record, stage);
  dropDeprecated(record);
  record.lastChangedDate = ctx.now;
  return { ARN: record.arn, Name: record.name };
}
