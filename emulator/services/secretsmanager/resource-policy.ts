// PutResourcePolicy, GetResourcePolicy, DeleteResourcePolicy: a secret's one resource-based policy, validated
// with IAM's grammar as a resource policy (MalformedPolicyDocumentException with IAM's text, the precise reason
// kept on the error as `detail`). With BlockPublicPolicy, a policy that lets anyone in is refused.
import type { RequestContext } from "../../context.ts";
import { type PolicyDocument, validatePolicy } from "../../../aws/iam/index.ts";
import { AwsError } from "../../protocol/aws-error.ts";
import { SecretsManagerPolicyText } from "../../../aws/texts.ts";
import { type Input, optionalBoolean, requiredString } from "../../protocol/input.ts";
import { readSecretId } from "./rules.ts";
import { requireSecret, requireWritableSecret } from "./secret-id.ts";

export const RESOURCE_POLICY_MAX = 20480;

function readPolicy(input: Input): PolicyDocument {
  const text = requiredString(input, "ResourcePolicy", { min: 1, max: RESOURCE_POLICY_MAX });
  const result = validatePolicy(text, { kind: "resource" });
  if (!result.ok) {
    throw Object.assign(new AwsError("MalformedPolicyDocumentException", result.error.message), { detail: result.error.detail });
  }
  return result.policy;
}

/**
 * Whether an Allow statement opens the secret to principals outside the account: `*` (or NotPrincipal) with no
 * condition that pins the caller down. A rough version of AWS's check (Zelkova), enough for the common cases.
 */
export function grantsPublicAccess(policy: PolicyDocument): boolean {
  return policy.statements.some((s) => {
    if (s.effect !== "Allow") return false;
    const open = s.notPrincipal !== undefined || s.principal?.wildcard === true || s.principal?.AWS.includes("*") === true;
    return open && s.condition.length === 0;
  });
}

export function PutResourcePolicy(ctx: RequestContext, input: Input): { ARN: string; Name: string } {
  const secretId = readSecretId(input);
  const policy = readPolicy(input);
  const block = optionalBoolean(input, "BlockPublicPolicy") ?? false;
  const record = requireWritableSecret(ctx, secretId);
  if (block && grantsPublicAccess(policy)) throw new AwsError("PublicPolicyException", SecretsManagerPolicyText.publicPolicy);
  record.resourcePolicy = input.ResourcePolicy as string;
  return { ARN: record.arn, Name: record.name };
}

export function GetResourcePolicy(ctx: RequestContext, input: Input): { ARN: string; Name: string; ResourcePolicy?: string } {
  const record = requireSecret(ctx, readSecretId(input));
  return record.resourcePolicy === undefined
    ? { ARN: record.arn, Name: record.name }
    : { ARN: record.arn, Name: record.name, ResourcePolicy: record.resourcePolicy };
}

export function DeleteResourcePolicy(ctx: RequestContext, input: Input): { ARN: string; Name: string } {
  const record = requireWritableSecret(ctx, readSecretId(input));
  delete record.resourcePolicy;
  return { ARN: record.arn, Name: record.name };
}
