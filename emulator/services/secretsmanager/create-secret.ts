// CreateSecret: a new secret, with a first version (AWSCURRENT) when a value is given.
import type { RequestContext } from "../../context.ts";
import { AwsError, AwsErrorCode } from "../../protocol/aws-error.ts";
import { SecretsManagerText, clientRequestTokenInUseText, secretAlreadyExistsText } from "../../../aws/texts.ts";
import { type Input, optionalBoolean } from "../../protocol/input.ts";
import type { SecretRecord } from "../../state/secrets.ts";
import { secretArn } from "./arn.ts";
import { addReplicas, readReplicaRegions } from "./replication.ts";
import {
  AWSCURRENT,
  readClientRequestToken,
  readDescription,
  readKmsKeyId,
  readName,
  readSecretValue,
  readTags,
  requireToken,
  sameValue,
} from "./rules.ts";
import { stateOf, unlessPurged } from "./secret-id.ts";
import { requireSecretKey, resolveSecretKey } from "./secret-key.ts";
import { addVersion, newVersion, versionValue } from "./versions.ts";

export interface CreateSecretOutput {
  ARN: string;
  Name: string;
  VersionId?: string;
}

export function CreateSecret(ctx: RequestContext, input: Input): CreateSecretOutput {
  const name = readName(input);
  const description = readDescription(input);
  const kmsKeyId = readKmsKeyId(input);
  const tags = readTags(input);
  const value = readSecretValue(input);
  const token = readClientRequestToken(input);
  const replicaRegions = readReplicaRegions(input, false);
  const forceOverwrite = optionalBoolean(input, "ForceOverwriteReplicaSecret") ?? false;
  const versionId = value === undefined ? undefined : requireToken(token);

  const state = stateOf(ctx);
  const existing = unlessPurged(state, state.getByName(name), ctx.now);
  if (existing !== undefined) return repeatOrRefuse(existing, token, value);

  const record: SecretRecord = {
    arn: secretArn(ctx.region, ctx.account, name),
    name,
    seq: state.takeSeq(),
    createdDate: ctx.now,
    lastChangedDate: ctx.now,
    versions: new Map(),
    stages: new Map(),
  };
  if (description !== undefined) record.description = description;
  if (kmsKeyId !== undefined) Object.assign(record, resolveSecretKey(ctx, kmsKeyId));
  if (value !== undefined) requireSecretKey(ctx, record, "encrypt");
  if (tags !== undefined) record.tags = tags;
  if (value !== undefined && versionId !== undefined) addVersion(record, newVersion(versionId, value, ctx.now), [AWSCURRENT]);
  if (replicaRegions !== undefined) addReplicas(ctx, record, replicaRegions, forceOverwrite);
  state.put(record);
  return versionId === undefined ? { ARN: record.arn, Name: record.name } : { ARN: record.arn, Name: record.name, VersionId: versionId };
}

/** A retry of the same create (same token, same value) answers as the first did; anything else is refused. */
function repeatOrRefuse(existing: SecretRecord, token: string | undefined, value: ReturnType<typeof readSecretValue>): CreateSecretOutput {
  if (existing.deletedDate !== undefined) {
    throw new AwsError(AwsErrorCode.InvalidRequestException, SecretsManagerText.nameScheduledForDeletion);
  }
  const version = token === undefined ? undefined : existing.versions.get(token);
  if (version !== undefined && token !== undefined) {
    if (value !== undefined && sameValue(versionValue(version), value)) {
      return { ARN: existing.arn, Name: existing.name, VersionId: version.versionId };
    }
    throw new AwsError(AwsErrorCode.ResourceExistsException, clientRequestTokenInUseText(token, existing.arn));
  }
  throw new AwsError(AwsErrorCode.ResourceExistsException, secretAlreadyExistsText(existing.name));
}
