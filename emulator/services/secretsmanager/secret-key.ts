// The KMS key under which a secret's values are kept, and what using it takes, like Secrets Manager:
// - KmsKeyId on Create/UpdateSecret names a key of the caller's account (any KMS KeyId form); absent or
//   `alias/aws/secretsmanager` means the account's AWS managed key, made on first use.
// - Reading (decrypt) or writing (encrypt) a value needs the key Enabled (else DecryptionFailure /
//   EncryptionFailure wrapping KMS's error) and, for a non-admin caller of a customer managed key, kms:Decrypt /
//   kms:GenerateDataKey for that caller through Secrets Manager (kms:ViaService), by the key policy and the caller's
//   IAM policies; else `Access to KMS is not allowed`. An admin key is checked only for another account's key.
// - Another account may never use a secret under the default key.
import { randomUUID } from "node:crypto";
import { AccessDenied, authorize, isEnforced } from "../../authorize.ts";
import type { RequestContext } from "../../context.ts";
import { AwsError, AwsErrorCode } from "../../protocol/aws-error.ts";
import { SecretsManagerText, kmsDisabledText, kmsPendingDeletionText, secretKmsFailureText } from "../../../aws/texts.ts";
import type { KmsKeyRecord } from "../../state/kms.ts";
import type { SecretRecord } from "../../state/secrets.ts";
import { keyTarget } from "../kms/authorization.ts";
import { KmsErrorCode } from "../kms/errors.ts";
import { type KeyReference, findKey, notFound, parseKeyReference } from "../kms/key-id.ts";
import { awsManagedKey } from "../kms/keys.ts";
import { parseSecretArn } from "./arn.ts";

export const DEFAULT_KEY_ALIAS = "alias/aws/secretsmanager";

type KeyUse = "encrypt" | "decrypt";

const KMS_ACTION: Record<KeyUse, string> = { encrypt: "kms:GenerateDataKey", decrypt: "kms:Decrypt" };
const FAILURE_CODE: Record<KeyUse, string> = { encrypt: "EncryptionFailure", decrypt: AwsErrorCode.DecryptionFailure };

function kmsFailure(use: KeyUse, kms: AwsError): AwsError {
  return new AwsError(FAILURE_CODE[use], secretKmsFailureText(use, { code: kms.code, text: kms.text ?? "" }, randomUUID()));
}

/**
 * What to store for a KmsKeyId given to CreateSecret/UpdateSecret: the key's ARN and the id to show, or nothing for
 * the default key. The key must exist and be usable.
 */
export function resolveSecretKey(ctx: RequestContext, kmsKeyId: string): { kmsKeyId?: string; kmsKeyArn?: string } {
  if (kmsKeyId === DEFAULT_KEY_ALIAS) return {};
  let ref: KeyReference;
  try {
    ref = parseKeyReference(kmsKeyId, { account: ctx.account, region: ctx.region });
  } catch (error) {
    throw kmsFailure("encrypt", error as AwsError);
  }
  const key = findKey(ctx.store, ref, ctx.region, ctx.now);
  if (key === undefined) throw kmsFailure("encrypt", notFound(ref));
  if (key.keyManager === "AWS") return {};
  checkKeyUse(ctx, key, "encrypt", undefined);
  return { kmsKeyId, kmsKeyArn: key.arn };
}

function accountOf(record: SecretRecord): string {
  return parseSecretArn(record.arn)?.account ?? "";
}

/** The key a secret's values are under (the owner's AWS managed key when none was named). */
export function keyOfSecret(ctx: RequestContext, record: SecretRecord): KmsKeyRecord | KeyReference {
  const owner = accountOf(record);
  if (record.kmsKeyArn === undefined) return awsManagedKey(ctx.store, owner, ctx.region, "secretsmanager", ctx.now);
  const ref = parseKeyReference(record.kmsKeyArn, { account: owner, region: ctx.region });
  return findKey(ctx.store, ref, ctx.region, ctx.now) ?? ref;
}

function isKey(value: KmsKeyRecord | KeyReference): value is KmsKeyRecord {
  return (value as KmsKeyRecord).material !== undefined;
}

/**
 * Checks that the caller may read (decrypt) or write (encrypt) a value of `record` under its key. Call after
 * the secret is found and authorized.
 */
export function requireSecretKey(ctx: RequestContext, record: SecretRecord, use: KeyUse): void {
  const crossAccount = accountOf(record) !== ctx.account;
  if (crossAccount && record.kmsKeyArn === undefined) {
    throw new AwsError(AwsErrorCode.InvalidRequestException, SecretsManagerText.crossAccountDefaultKey);
  }
  const key = keyOfSecret(ctx, record);
  if (!isKey(key)) throw kmsFailure(use, notFound(key));
  checkKeyUse(ctx, key, use, record);
}

function checkKeyUse(ctx: RequestContext, key: KmsKeyRecord, use: KeyUse, record: SecretRecord | undefined): void {
  // The AWS managed key's policy lets every principal of its account in through Secrets Manager: no decision needed.
  if (key.keyManager === "CUSTOMER" && isEnforced(ctx, key.account)) {
    const context: Record<string, string> = { "kms:ViaService": `secretsmanager.${ctx.region}.amazonaws.com` };
    if (record !== undefined) context["kms:EncryptionContext:SecretARN"] = record.arn;
    try {
      authorize(ctx, keyTarget(ctx, KMS_ACTION[use], key, key, context));
    } catch (error) {
      if (!(error instanceof AccessDenied)) throw error;
      // Secrets Manager hides KMS's words; the decision stays on the error for the log and `explain`.
      throw new AccessDenied(SecretsManagerText.kmsAccessDenied, error.decision, error.target);
    }
  }
  if (key.keyState === "Disabled") throw kmsFailure(use, new AwsError(KmsErrorCode.DisabledException, kmsDisabledText(key.arn)));
  if (key.keyState === "PendingDeletion") throw kmsFailure(use, new AwsError(KmsErrorCode.KMSInvalidStateException, kmsPendingDeletionText(key.arn)));
}
