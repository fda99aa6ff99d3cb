// GetKeyPolicy and PutKeyPolicy: a key has one policy, named "default".
import type { RequestContext } from "../../context.ts";
import { AwsError } from "../../protocol/aws-error.ts";
import { type Input, optionalBoolean, optionalString, requiredString } from "../../protocol/input.ts";
import { KmsErrorCode, awsManagedKeyRefused } from "./errors.ts";
import { checkKeyPolicy } from "./key-policy.ts";
import { checkLockout } from "./lockout.ts";
import { LIMITS } from "./rules.ts";
import { ownKey } from "./target.ts";

const POLICY_NAME = "default";

function readPolicyName(input: Input): string {
  const name = optionalString(input, "PolicyName", { min: 1, max: 128 }) ?? POLICY_NAME;
  // UNCONFIRMED wording: KMS answers NotFoundException for any other policy name.
  if (name !== POLICY_NAME) throw new AwsError(KmsErrorCode.NotFoundException, `Policy ${name} does not exist`);
  return name;
}

export function GetKeyPolicy(ctx: RequestContext, input: Input): { Policy: string; PolicyName: string } {
  const key = ownKey(ctx, input);
  return { Policy: key.policy, PolicyName: readPolicyName(input) };
}

export function PutKeyPolicy(ctx: RequestContext, input: Input): Record<string, never> {
  const key = ownKey(ctx, input);
  readPolicyName(input);
  const policy = requiredString(input, "Policy", { min: 1, max: LIMITS.policy });
  const bypass = optionalBoolean(input, "BypassPolicyLockoutSafetyCheck") ?? false;
  if (key.keyManager === "AWS") throw awsManagedKeyRefused();
  checkKeyPolicy(policy);
  if (!bypass) checkLockout(ctx, policy, key.arn);
  key.policy = policy;
  return {};
}
