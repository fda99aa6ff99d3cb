// Managed policies on roles: AttachRolePolicy, DetachRolePolicy, ListAttachedRolePolicies, and the permissions
// boundary: PutRolePermissionsBoundary, DeleteRolePermissionsBoundary.
import type { RequestContext } from "../../context.ts";
import { IamText, policyNotFoundText } from "../../../aws/texts.ts";
import { optionalQueryString, requiredQueryString } from "../../protocol/query-input.ts";
import type { QueryInput } from "../../protocol/query-wire.ts";
import { limitExceeded, noSuchEntity } from "./errors.ts";
import { authorizedRole, requirePolicy } from "./lookup.ts";
import { page } from "./paging.ts";
import { ArnRules, MAX_ATTACHED_POLICIES, PathPrefixRules, RoleNameRules } from "./rules.ts";

export function AttachRolePolicy(ctx: RequestContext, input: QueryInput) {
  const roleName = requiredQueryString(input, "RoleName", RoleNameRules);
  const arn = requiredQueryString(input, "PolicyArn", ArnRules);
  const role = authorizedRole(ctx, "iam:AttachRolePolicy", roleName);
  requirePolicy(ctx, arn, "attach");
  if (role.attachedPolicies.includes(arn)) return undefined;
  if (role.attachedPolicies.length >= MAX_ATTACHED_POLICIES) throw limitExceeded(IamText.policiesPerRole);
  role.attachedPolicies.push(arn);
  return undefined;
}

export function DetachRolePolicy(ctx: RequestContext, input: QueryInput) {
  const roleName = requiredQueryString(input, "RoleName", RoleNameRules);
  const arn = requiredQueryString(input, "PolicyArn", ArnRules);
  const role = authorizedRole(ctx, "iam:DetachRolePolicy", roleName);
  const i = role.attachedPolicies.indexOf(arn);
  if (i < 0) throw noSuchEntity(policyNotFoundText(arn));
  role.attachedPolicies.splice(i, 1);
  return undefined;
}

export function ListAttachedRolePolicies(ctx: RequestContext, input: QueryInput) {
  const roleName = requiredQueryString(input, "RoleName", RoleNameRules);
  const prefix = optionalQueryString(input, "PathPrefix", PathPrefixRules) ?? "/";
  const role = authorizedRole(ctx, "iam:ListAttachedRolePolicies", roleName);
  const attached = role.attachedPolicies
    .map((arn) => requirePolicy(ctx, arn, "get"))
    .filter((p) => p.path.startsWith(prefix))
    .map((p) => ({ PolicyName: p.policyName, PolicyArn: p.arn }));
  const p = page(attached, input);
  return { AttachedPolicies: p.items, IsTruncated: p.IsTruncated, Marker: p.Marker };
}

export function PutRolePermissionsBoundary(ctx: RequestContext, input: QueryInput) {
  const roleName = requiredQueryString(input, "RoleName", RoleNameRules);
  const arn = requiredQueryString(input, "PermissionsBoundary", ArnRules);
  const role = authorizedRole(ctx, "iam:PutRolePermissionsBoundary", roleName);
  requirePolicy(ctx, arn, "boundary");
  role.permissionsBoundary = arn;
  return undefined;
}

export function DeleteRolePermissionsBoundary(ctx: RequestContext, input: QueryInput) {
  const roleName = requiredQueryString(input, "RoleName", RoleNameRules);
  const role = authorizedRole(ctx, "iam:DeleteRolePermissionsBoundary", roleName);
  delete role.permissionsBoundary;
  return undefined;
}
