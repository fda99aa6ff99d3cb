// Role operations: CreateRole, GetRole, DeleteRole, ListRoles, UpdateAssumeRolePolicy, TagRole. Trust policies
// are checked with the evaluator's grammar when written, like IAM does.
import { randomId } from "../../auth/access-keys.ts";
import type { RequestContext } from "../../context.ts";
import { parsePolicy } from "../../../aws/iam/index.ts";
import { IamText, roleExistsText } from "../../../aws/texts.ts";
import { optionalQueryInteger, optionalQueryString, requiredQueryString } from "../../protocol/query-input.ts";
import type { QueryInput } from "../../protocol/query-wire.ts";
import { type RoleRecord, iamState } from "../../state/iam.ts";
import { requireIamPermission } from "./authorize-iam.ts";
import { asIamError, deleteConflict, entityAlreadyExists, limitExceeded } from "./errors.ts";
import { authorizedRole, requirePolicy } from "./lookup.ts";
import { page } from "./paging.ts";
import {
  DEFAULT_MAX_SESSION_DURATION,
  DescriptionRules,
  MAX_TAGS,
  MaxSessionDurationRange,
  PathPrefixRules,
  PathRules,
  PolicyDocumentRules,
  RoleNameRules,
  iamRoleArn,
} from "./rules.ts";
import { roleShape } from "./shapes.ts";
import { mergeTags, readTags } from "./tags.ts";

function readTrustPolicy(input: QueryInput): string {
  const document = requiredQueryString(input, "AssumeRolePolicyDocument", PolicyDocumentRules);
  asIamError(() => parsePolicy(document, { kind: "trust" }));
  return document;
}

export function CreateRole(ctx: RequestContext, input: QueryInput) {
  const roleName = requiredQueryString(input, "RoleName", RoleNameRules);
  const path = optionalQueryString(input, "Path", PathRules) ?? "/";
  const description = optionalQueryString(input, "Description", DescriptionRules);
  const maxSessionDuration = optionalQueryInteger(input, "MaxSessionDuration", MaxSessionDurationRange) ?? DEFAULT_MAX_SESSION_DURATION;
  const boundary = optionalQueryString(input, "PermissionsBoundary", { min: 20, max: 2048 });
  const tags = readTags(input);
  const arn = iamRoleArn(ctx.account, path, roleName);
  requireIamPermission(ctx, "iam:CreateRole", arn);
  const document = readTrustPolicy(input);
  const state = iamState(ctx.store, ctx.account);
  if (state.roles.has(roleName.toLowerCase())) throw entityAlreadyExists(roleExistsText(roleName));
  if (boundary !== undefined) requirePolicy(ctx, boundary, "boundary");
  const role: RoleRecord = {
    roleName,
    roleId: `AROA${randomId(17)}`,
    arn,
    path,
    createDate: ctx.now,
    assumeRolePolicyDocument: document,
    ...(description !== undefined && { description }),
    maxSessionDuration,
    tags,
    inlinePolicies: new Map(),
    attachedPolicies: [],
    ...(boundary !== undefined && { permissionsBoundary: boundary }),
  };
  state.roles.set(roleName.toLowerCase(), role);
  return { Role: roleShape(role) };
}

export function GetRole(ctx: RequestContext, input: QueryInput) {
  const roleName = requiredQueryString(input, "RoleName", RoleNameRules);
  return { Role: roleShape(authorizedRole(ctx, "iam:GetRole", roleName)) };
}

export function DeleteRole(ctx: RequestContext, input: QueryInput) {
  const roleName = requiredQueryString(input, "RoleName", RoleNameRules);
  const role = authorizedRole(ctx, "iam:DeleteRole", roleName);
  if (role.attachedPolicies.length > 0) throw deleteConflict(IamText.deleteConflictAttached);
  if (role.inlinePolicies.size > 0) throw deleteConflict(IamText.deleteConflictInline);
  iamState(ctx.store, ctx.account).roles.delete(role.roleName.toLowerCase());
  return undefined;
}

export function ListRoles(ctx: RequestContext, input: QueryInput) {
  const prefix = optionalQueryString(input, "PathPrefix", PathPrefixRules) ?? "/";
  requireIamPermission(ctx, "iam:ListRoles", iamRoleArn(ctx.account, "/", ""));
  const roles = [...iamState(ctx.store, ctx.account).roles.values()]
    .filter((r) => r.path.startsWith(prefix))
    .sort((a, b) => a.roleName.localeCompare(b.roleName));
  const p = page(roles, input);
  // ListRoles leaves out tags and the boundary (GetRole has them), like AWS.
  return { Roles: p.items.map((r) => ({ ...roleShape(r), Tags: undefined, PermissionsBoundary: undefined })), IsTruncated: p.IsTruncated, Marker: p.Marker };
}

export function UpdateAssumeRolePolicy(ctx: RequestContext, input: QueryInput) {
  const roleName = requiredQueryString(input, "RoleName", RoleNameRules);
  const document = requiredQueryString(input, "PolicyDocument", PolicyDocumentRules);
  const role = authorizedRole(ctx, "iam:UpdateAssumeRolePolicy", roleName);
  asIamError(() => parsePolicy(document, { kind: "trust" }));
  role.assumeRolePolicyDocument = document;
  return undefined;
}

export function TagRole(ctx: RequestContext, input: QueryInput) {
  const roleName = requiredQueryString(input, "RoleName", RoleNameRules);
  const tags = readTags(input);
  const role = authorizedRole(ctx, "iam:TagRole", roleName);
  const merged = mergeTags(role.tags, tags);
  if (merged.length > MAX_TAGS) throw limitExceeded(IamText.tagsPerRole);
  role.tags = merged;
  return undefined;
}
