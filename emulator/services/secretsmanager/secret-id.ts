// Finds the secret a SecretId names, like AWS: by name, by full ARN, or by partial ARN (the ARN without its
// `-XXXXXX` suffix). A secret whose scheduled deletion time has passed is removed here, on first sight.
import type { RequestContext } from "../../context.ts";
import { AwsError, AwsErrorCode } from "../../protocol/aws-error.ts";
import { SecretsManagerText } from "../../../aws/texts.ts";
import type { SecretRecord, SecretsManagerState } from "../../state/secrets.ts";
import { parseSecretArn } from "./arn.ts";
import { ReplicationText } from "./texts.ts";

const ARN_SUFFIX_LENGTH = 7; // "-" + 6 characters
/**
 * An ARN whose name ends in "-" and six characters is read as a complete ARN: AWS takes them for the random suffix
 * (Secrets Manager User Guide, "Find secrets from a partial ARN"; GetSecretValue's SecretId: "we recommend that you
 * specify a complete ARN"), so a secret named e.g. `app/creds-prod01` cannot be found by its partial ARN.
 */
const LOOKS_LIKE_SUFFIX = /-[A-Za-z0-9]{6}$/;

/** The caller's own partition of Secrets Manager state. */
export function stateOf(ctx: RequestContext): SecretsManagerState {
  return ctx.store.secretsManager(ctx.account, ctx.region);
}

/** Drops a secret whose recovery window has ended; returns the record if it still exists. */
export function unlessPurged(state: SecretsManagerState, record: SecretRecord | undefined, now: number): SecretRecord | undefined {
  if (record?.deletionDate !== undefined && record.deletionDate <= now) {
    state.remove(record);
    return undefined;
  }
  return record;
}

export function findSecret(ctx: RequestContext, secretId: string): SecretRecord | undefined {
  if (!secretId.startsWith("arn:")) {
    const state = stateOf(ctx);
    return unlessPurged(state, state.getByName(secretId), ctx.now);
  }
  const arn = parseSecretArn(secretId);
  // An ARN in another region is not visible from this region's endpoint. Another account's ARN is looked up in
  // that account: whether the caller may read it is IAM's decision (resource policy), not the lookup's.
  if (arn === undefined || arn.region !== ctx.region) return undefined;
  const state = ctx.store.secretsManager(arn.account, arn.region);
  const exact = state.getByArn(secretId);
  if (exact !== undefined) return unlessPurged(state, exact, ctx.now);
  // Another account's secret is reachable by its full ARN only.
  if (arn.account !== ctx.account) return undefined;
  if (LOOKS_LIKE_SUFFIX.test(arn.resource)) return undefined;
  const byName = state.getByName(arn.resource);
  if (byName !== undefined && byName.arn.length === secretId.length + ARN_SUFFIX_LENGTH && byName.arn.startsWith(`${secretId}-`)) {
    return unlessPurged(state, byName, ctx.now);
  }
  return undefined;
}

/** The secret, or ResourceNotFoundException. Secrets scheduled for deletion are returned too. */
export function requireSecret(ctx: RequestContext, secretId: string): SecretRecord {
  const record = findSecret(ctx, secretId);
  if (record === undefined) throw new AwsError(AwsErrorCode.ResourceNotFoundException, SecretsManagerText.secretNotFound);
  return record;
}

/** The secret if it is not scheduled for deletion; else the "marked for deletion" InvalidRequestException. */
export function requireActiveSecret(ctx: RequestContext, secretId: string): SecretRecord {
  const record = requireSecret(ctx, secretId);
  if (record.deletedDate !== undefined) {
    throw new AwsError(AwsErrorCode.InvalidRequestException, SecretsManagerText.markedForDeletion);
  }
  return record;
}

/** A secret the caller may change here: active, and not a replica (writes go to the primary's region). */
export function requireWritableSecret(ctx: RequestContext, secretId: string): SecretRecord {
  const record = requireSecret(ctx, secretId);
  if (record.primaryRegion !== undefined) throw new AwsError(AwsErrorCode.InvalidParameterException, ReplicationText.notPermittedOnReplica);
  if (record.deletedDate !== undefined) {
    throw new AwsError(AwsErrorCode.InvalidRequestException, SecretsManagerText.markedForDeletion);
  }
  return record;
}
