// UpdateSecret: changes the description or KMS key, and with a value adds a new AWSCURRENT version.
import type { RequestContext } from "../../context.ts";
import { AwsError, AwsErrorCode } from "../../protocol/aws-error.ts";
import { clientRequestTokenInUseText } from "../../../aws/texts.ts";
import type { Input } from "../../protocol/input.ts";
import { AWSCURRENT, readClientRequestToken, readDescription, readKmsKeyId, readSecretId, readSecretValue, requireToken, sameValue } from "./rules.ts";
import { requireWritableSecret } from "./secret-id.ts";
import { requireSecretKey, resolveSecretKey } from "./secret-key.ts";
import { addVersion, newVersion, versionValue } from "./versions.ts";

export interface UpdateSecretOutput {
  ARN: string;
  Name: string;
  VersionId?: string;
}

export function UpdateSecret(ctx: RequestContext, input: Input): UpdateSecretOutput {
  const secretId = readSecretId(input);
  const description = readDescription(input);
  const kmsKeyId = readKmsKeyId(input);
  const value = readSecretValue(input);
  const token = readClientRequestToken(input);
  const versionId = value === undefined ? undefined : requireToken(token);
  const record = requireWritableSecret(ctx, secretId);
  const key = kmsKeyId === undefined ? undefined : resolveSecretKey(ctx, kmsKeyId);
  if (value !== undefined) requireSecretKey(ctx, key === undefined ? record : { ...record, kmsKeyArn: key.kmsKeyArn }, "encrypt");

  if (value !== undefined && versionId !== undefined) {
    const existing = record.versions.get(versionId);
    if (existing !== undefined) {
      if (!sameValue(versionValue(existing), value)) {
        throw new AwsError(AwsErrorCode.ResourceExistsException, clientRequestTokenInUseText(versionId, record.arn));
      }
    } else {
      addVersion(record, newVersion(versionId, value, ctx.now), [AWSCURRENT]);
    }
  }
  if (description !== undefined) record.description = description;
  if (key !== undefined) {
    // Back to the default key: the secret no longer shows a KmsKeyId.
    if (key.kmsKeyArn === undefined) {
      delete record.kmsKeyId;
      delete record.kmsKeyArn;
    } else Object.assign(record, key);
  }
  record.lastChangedDate = ctx.now;
  return versionId === undefined ? { ARN: record.arn, Name: record.name } : { ARN: record.arn, Name: record.name, VersionId: versionId };
}
