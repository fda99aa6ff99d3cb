// Which key each KMS operation acts on, for enforcement (authorize.ts): the key policy is the resource policy and
// must allow (directly or by delegating to the account). A key of another account that does not exist or does
// not let the caller in is denied in KMS's own words, which do not say which.
import { principalOf } from "../../auth/principal.ts";
import { type AuthorizationTarget, authorize } from "../../authorize.ts";
import type { RequestContext } from "../../context.ts";
import { kmsNotVisibleText } from "../../../aws/iam/index.ts";
import type { KmsKeyRecord } from "../../state/kms.ts";
import { keyOfBlob } from "./decrypt.ts";
import { type KeyReference, findKey } from "./key-id.ts";
import { referenceOf } from "./target.ts";

/** Operations on no particular key: matched against `*`, identity policies only. */
const ACCOUNT_LEVEL = new Set(["CreateKey", "ListAliases", "ListKeys"]);

/** The authorization target of `kms:<operation>` on `key` (or on a missing key `ref`). */
export function keyTarget(
  ctx: RequestContext,
  action: string,
  key: KmsKeyRecord | undefined,
  ref: Pick<KeyReference, "arn" | "account">,
  extra?: AuthorizationTarget["context"],
): AuthorizationTarget {
  const arn = key?.arn ?? ref.arn;
  const target: AuthorizationTarget = {
    action,
    resource: arn,
    resourceAccount: key?.account ?? ref.account,
    shownResource: arn,
    keyPolicyRequired: true,
    context: { "kms:CallerAccount": principalOf(ctx).account, ...extra },
  };
  if (key !== undefined) {
    target.resourcePolicy = { id: `key policy of ${key.arn}`, document: key.policy };
    if (key.tags !== undefined) target.resourceTags = key.tags.map((t) => ({ Key: t.TagKey, Value: t.TagValue }));
  }
  return target;
}

/** KMS's denial: the generic text for the caller's own keys, "this resource" for another account's. */
export function authorizeKey(ctx: RequestContext, target: AuthorizationTarget): void {
  authorize(ctx, target, (principal) =>
    target.resourceAccount === principal.account ? undefined : kmsNotVisibleText(principal.arn, target.action),
  );
}

function keyIdOf(operation: string, input: Record<string, unknown>): unknown {
  return operation === "CreateAlias" ? input.TargetKeyId : input.KeyId;
}

/** Enforcement for one KMS request; missing or malformed KeyIds of the caller's own account are left to the handler. */
export function authorizeKms(ctx: RequestContext, operation: string, input: Record<string, unknown>): void {
  const action = `kms:${operation}`;
  if (ACCOUNT_LEVEL.has(operation)) {
    authorize(ctx, { action, resource: "*", resourceAccount: ctx.account });
    return;
  }
  let ref: KeyReference | undefined;
  let key: KmsKeyRecord | undefined;
  const keyId = keyIdOf(operation, input);
  if (typeof keyId === "string" && keyId.length > 0) {
    try {
      ref = referenceOf(ctx, keyId);
    } catch {
      return;
    }
    key = findKey(ctx.store, ref, ctx.region, ctx.now);
  } else if (operation === "Decrypt" && typeof input.CiphertextBlob === "string") {
    key = keyOfBlob(ctx, Buffer.from(input.CiphertextBlob, "base64"));
  }
  if (key === undefined && (ref === undefined || ref.account === ctx.account)) return;
  authorizeKey(ctx, keyTarget(ctx, action, key, ref ?? key!));
}
