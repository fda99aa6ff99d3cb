// Inline role policies: PutRolePolicy, GetRolePolicy, ListRolePolicies, DeleteRolePolicy. Checked with the
// evaluator's grammar; the inline policies of one role share a 10,240-character quota.
import type { RequestContext } from "../../context.ts";
import { checkRoleInlinePolicySize, parsePolicy } from "../../../aws/iam/index.ts";
import { noSuchRolePolicyText } from "../../../aws/texts.ts";
import { requiredQueryString } from "../../protocol/query-input.ts";
import type { QueryInput } from "../../protocol/query-wire.ts";
import { asIamError, noSuchEntity } from "./errors.ts";
import { authorizedRole } from "./lookup.ts";
import { page } from "./paging.ts";
import { PolicyDocumentRules, PolicyNameRules, RoleNameRules, encodeDocument } from "./rules.ts";

export function PutRolePolicy(ctx: RequestContext, input: QueryInput) {
  const roleName = requiredQueryString(input, "RoleName", RoleNameRules);
  const policyName = requiredQueryString(input, "PolicyName", PolicyNameRules);
  const document = requiredQueryString(input, "PolicyDocument", PolicyDocumentRules);
  const role = authorizedRole(ctx, "iam:PutRolePolicy", roleName);
  asIamError(() => parsePolicy(document, { kind: "identity" }));
  const others = [...role.inlinePolicies].filter(([name]) => name !== policyName).map(([, text]) => text);
  asIamError(() => checkRoleInlinePolicySize(role.roleName, [...others, document]));
  role.inlinePolicies.set(policyName, document);
  return undefined;
}

export function GetRolePolicy(ctx: RequestContext, input: QueryInput) {
  const roleName = requiredQueryString(input, "RoleName", RoleNameRules);
  const policyName = requiredQueryString(input, "PolicyName", PolicyNameRules);
  const role = authorizedRole(ctx, "iam:GetRolePolicy", roleName);
  const document = role.inlinePolicies.get(policyName);
  if (document === undefined) throw noSuchEntity(noSuchRolePolicyText(policyName));
  return { RoleName: role.roleName, PolicyName: policyName, PolicyDocument: encodeDocument(document) };
}

export function ListRolePolicies(ctx: RequestContext, input: QueryInput) {
  const roleName = requiredQueryString(input, "RoleName", RoleNameRules);
  const role = authorizedRole(ctx, "iam:ListRolePolicies", roleName);
  const p = page([...role.inlinePolicies.keys()].sort(), input);
  return { PolicyNames: p.items, IsTruncated: p.IsTruncated, Marker: p.Marker };
}

export function DeleteRolePolicy(ctx: RequestContext, input: QueryInput) {
  const roleName = requiredQueryString(input, "RoleName", RoleNameRules);
  const policyName = requiredQueryString(input, "PolicyName", PolicyNameRules);
  const role = authorizedRole(ctx, "iam:DeleteRolePolicy", roleName);
  if (!role.inlinePolicies.delete(policyName)) throw noSuchEntity(noSuchRolePolicyText(policyName));
  return undefined;
}
