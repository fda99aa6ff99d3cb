// Multi-Region keys (KMS developer guide "Multi-Region keys"; ReplicateKey API reference): CreateKey with
// MultiRegion=true makes a primary key whose id starts with `mrk-`; ReplicateKey makes a replica with the same id
// and key material in another region of the account, so that a value encrypted in one region decrypts in the
// other — what a secret replicated to another region (secretsmanager/replication.ts) may be encrypted under there.
// The replica has its own policy (default: the account's default key policy), description, tags and state.
import type { RequestContext } from "../../context.ts";
import { AwsError, AwsErrorCode } from "../../protocol/aws-error.ts";
import { ValidationConstraint, validationErrorText } from "../../../aws/texts.ts";
import { type Input, optionalBoolean, optionalString, requiredString } from "../../protocol/input.ts";
import { kmsState, type KmsKeyRecord } from "../../state/kms.ts";
import type { EmulatorStore } from "../../state/store.ts";
import { KmsErrorCode } from "./errors.ts";
import { checkKeyPolicy, defaultKeyPolicy } from "./key-policy.ts";
import { addKey } from "./keys.ts";
import { checkLockout } from "./lockout.ts";
import { LIMITS } from "./rules.ts";
import { type KeyMetadata, keyMetadata } from "./shapes.ts";
import { readKeyTags } from "./tag-operations.ts";
import { ownKey } from "./target.ts";
import { MultiRegionText } from "./texts.ts";

const REGION = /^([a-z]+-){2,3}\d+$/;
/** botocore's RegionType pattern for ReplicaRegion. */
const REGION_PATTERN_TEXT = "^([a-z]+-){2,3}\\d+$";

/** The replica regions a multi-Region key's primary lists (for KeyMetadata of the primary or a replica). */
export function replicaRegionsOf(store: EmulatorStore): (key: KmsKeyRecord) => string[] {
  return (key) => {
    const m = key.multiRegion;
    if (m === undefined) return [];
    if (m.type === "PRIMARY") return m.replicaRegions;
    return kmsState(store, key.account, m.primaryRegion).keys.get(key.keyId)?.multiRegion?.replicaRegions ?? [];
  };
}

export function ReplicateKey(ctx: RequestContext, input: Input): { ReplicaKeyMetadata: KeyMetadata; ReplicaPolicy: string; ReplicaTags: { TagKey: string; TagValue: string }[] } {
  const primary = ownKey(ctx, input);
  const region = requiredString(input, "ReplicaRegion", { min: 1, max: 32 });
  const description = optionalString(input, "Description", { max: LIMITS.description });
  const policy = optionalString(input, "Policy", { min: 1, max: LIMITS.policy });
  const bypass = optionalBoolean(input, "BypassPolicyLockoutSafetyCheck") ?? false;
  const tags = readKeyTags(input);
  if (!REGION.test(region)) throw new AwsError(AwsErrorCode.ValidationException, validationErrorText("replicaRegion", ValidationConstraint.pattern(REGION_PATTERN_TEXT), region));
  if (primary.multiRegion?.type !== "PRIMARY") throw new AwsError(KmsErrorCode.UnsupportedOperationException, MultiRegionText.notMultiRegionPrimary(primary.arn));
  if (region === primary.region) throw new AwsError(AwsErrorCode.ValidationException, MultiRegionText.sameRegion);
  const target = kmsState(ctx.store, ctx.account, region);
  if (target.keys.has(primary.keyId)) throw new AwsError(KmsErrorCode.AlreadyExistsException, MultiRegionText.replicaExists(target.keys.get(primary.keyId)!.arn));
  if (policy !== undefined) {
    checkKeyPolicy(policy);
    if (!bypass) checkLockout(ctx, policy, undefined);
  }
  const replica = addKey(target, {
    keyManager: "CUSTOMER",
    description: description ?? primary.description,
    policy: policy ?? defaultKeyPolicy(ctx.account, region),
    now: ctx.now,
    replicaOf: primary,
    ...(tags !== undefined && { tags }),
  });
  primary.multiRegion.replicaRegions.push(region);
  return { ReplicaKeyMetadata: keyMetadata(replica, replicaRegionsOf(ctx.store)), ReplicaPolicy: replica.policy, ReplicaTags: (replica.tags ?? []).map((t) => ({ ...t })) };
}
