// The key an operation's KeyId names, from the caller's point of view (shared by the handlers and by
// authorization, which must know the key and its policy before the handler runs).
import type { RequestContext } from "../../context.ts";
import type { Input } from "../../protocol/input.ts";
import type { KmsKeyRecord } from "../../state/kms.ts";
import { invalidKeyId } from "./errors.ts";
import { type KeyReference, parseKeyReference, requireKey } from "./key-id.ts";
import { readKeyId } from "./rules.ts";

export function referenceOf(ctx: RequestContext, keyId: string): KeyReference {
  return parseKeyReference(keyId, { account: ctx.account, region: ctx.region });
}

/** Describe, Encrypt, Decrypt: any of the four forms, another account's key by ARN. */
export function usableKey(ctx: RequestContext, keyId: string): KmsKeyRecord {
  return requireKey(ctx.store, referenceOf(ctx, keyId), ctx.region, ctx.now);
}

/**
 * Key management (policies, state, deletion, alias targets) takes a key id or key ARN of the caller's own
 * account: an alias is not a key id there, and another account's key is not found.
 */
export function ownKey(ctx: RequestContext, input: Input, member = "KeyId"): KmsKeyRecord {
  const keyId = readKeyId(input, member);
  const ref = referenceOf(ctx, keyId);
  if (ref.kind === "alias") throw invalidKeyId(keyId);
  const own = ref.account === ctx.account ? ref : { ...ref, account: ctx.account };
  return requireKey(ctx.store, { ...own, arn: ref.arn }, ctx.region, ctx.now);
}
