// Finding roles and managed policies for IAM operations, with AWS's NoSuchEntity answers, and usage counts.
import type { RequestContext } from "../../context.ts";
import { boundaryNotAttachableText, invalidPolicyArnText, noSuchRoleText, policyNotAttachableText, policyNotFoundText } from "../../../aws/texts.ts";
import { type ManagedPolicyRecord, type RoleRecord, getManagedPolicy, getRole, iamState } from "../../state/iam.ts";
import { requireIamPermission } from "./authorize-iam.ts";
import { invalidInput, noSuchEntity } from "./errors.ts";
import { iamRoleArn } from "./rules.ts";

export function requireRole(ctx: RequestContext, roleName: string): RoleRecord {
  const role = getRole(ctx.store, ctx.account, roleName);
  if (role === undefined) throw noSuchEntity(noSuchRoleText(roleName));
  return role;
}

const POLICY_ARN = /^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/.+$/;

/** How a missing policy is reported depends on the operation. */
export type PolicyUse = "get" | "attach" | "boundary";

export function requirePolicy(ctx: RequestContext, arn: string, use: PolicyUse): ManagedPolicyRecord {
  if (!POLICY_ARN.test(arn)) throw invalidInput(invalidPolicyArnText(arn));
  const policy = getManagedPolicy(ctx.store, ctx.account, arn);
  if (policy !== undefined) return policy;
  throw noSuchEntity(use === "get" ? policyNotFoundText(arn) : use === "attach" ? policyNotAttachableText(arn) : boundaryNotAttachableText(arn));
}

export function attachmentCount(ctx: RequestContext, arn: string): number {
  let n = 0;
  for (const role of iamState(ctx.store, ctx.account).roles.values()) if (role.attachedPolicies.includes(arn)) n++;
  return n;
}

export function boundaryUsageCount(ctx: RequestContext, arn: string): number {
  let n = 0;
  for (const role of iamState(ctx.store, ctx.account).roles.values()) if (role.permissionsBoundary === arn) n++;
  return n;
}

/** The ARN an IAM action on a role is authorized against: the role's (with its path), or `/` for a missing one. */
function roleResource(ctx: RequestContext, roleName: string): string {
  return getRole(ctx.store, ctx.account, roleName)?.arn ?? iamRoleArn(ctx.account, "/", roleName);
}

/** The role `roleName` once the caller may do `action` on it: the permission is checked first, as IAM does. */
export function authorizedRole(ctx: RequestContext, action: string, roleName: string): RoleRecord {
  requireIamPermission(ctx, action, roleResource(ctx, roleName));
  return requireRole(ctx, roleName);
}
