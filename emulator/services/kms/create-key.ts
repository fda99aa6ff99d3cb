// CreateKey: a symmetric ENCRYPT_DECRYPT customer managed key with its own random material. Without Policy the key
// gets the default key policy, which delegates to the account's IAM policies.
import type { RequestContext } from "../../context.ts";
import { type Input, optionalBoolean, optionalString } from "../../protocol/input.ts";
import { kmsState } from "../../state/kms.ts";
import { checkKeyPolicy, defaultKeyPolicy } from "./key-policy.ts";
import { addKey } from "./keys.ts";
import { checkLockout } from "./lockout.ts";
import { LIMITS, readEnum } from "./rules.ts";
import { readKeyTags } from "./tag-operations.ts";
import { type KeyMetadata, keyMetadata } from "./shapes.ts";

export function CreateKey(ctx: RequestContext, input: Input): { KeyMetadata: KeyMetadata } {
  const description = optionalString(input, "Description", { max: LIMITS.description }) ?? "";
  readEnum(input, "KeyUsage", ["ENCRYPT_DECRYPT"]);
  readEnum(input, "KeySpec", ["SYMMETRIC_DEFAULT"]);
  readEnum(input, "CustomerMasterKeySpec", ["SYMMETRIC_DEFAULT"]);
  readEnum(input, "Origin", ["AWS_KMS"]);
  const multiRegion = optionalBoolean(input, "MultiRegion") ?? false;
  const bypass = optionalBoolean(input, "BypassPolicyLockoutSafetyCheck") ?? false;
  const policy = optionalString(input, "Policy", { min: 1, max: LIMITS.policy });
  const tags = readKeyTags(input);
  if (policy !== undefined) {
    checkKeyPolicy(policy);
    if (!bypass) checkLockout(ctx, policy, undefined);
  }
  const state = kmsState(ctx.store, ctx.account, ctx.region);
  const key = addKey(state, {
    keyManager: "CUSTOMER",
    description,
    policy: policy ?? defaultKeyPolicy(ctx.account, ctx.region),
    now: ctx.now,
    ...(tags !== undefined && { tags }),
    multiRegion,
  });
  return { KeyMetadata: keyMetadata(key) };
}
