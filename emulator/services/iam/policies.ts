// Customer managed policies: CreatePolicy, GetPolicy, GetPolicyVersion, ListPolicies. AWS managed policies
// (aws/iam/managed-policies.ts) are visible to every account and read-only.
import { randomId } from "../../auth/access-keys.ts";
import type { RequestContext } from "../../context.ts";
import { checkManagedPolicySize, parsePolicy } from "../../../aws/iam/index.ts";
import { policyExistsText, policyVersionNotFoundText } from "../../../aws/texts.ts";
import { optionalQueryBoolean, optionalQueryString, requiredQueryString } from "../../protocol/query-input.ts";
import type { QueryInput } from "../../protocol/query-wire.ts";
import { type ManagedPolicyRecord, awsManagedPolicies, iamState } from "../../state/iam.ts";
import { requireIamPermission } from "./authorize-iam.ts";
import { asIamError, entityAlreadyExists, noSuchEntity } from "./errors.ts";
import { attachmentCount, boundaryUsageCount, requirePolicy } from "./lookup.ts";
import { page } from "./paging.ts";
import { ArnRules, DescriptionRules, PathPrefixRules, PathRules, PolicyDocumentRules, PolicyNameRules, iamPolicyArn } from "./rules.ts";
import { policyShape, policyVersionShape } from "./shapes.ts";
import { readTags } from "./tags.ts";

export function CreatePolicy(ctx: RequestContext, input: QueryInput) {
  const policyName = requiredQueryString(input, "PolicyName", PolicyNameRules);
  const document = requiredQueryString(input, "PolicyDocument", PolicyDocumentRules);
  const path = optionalQueryString(input, "Path", PathRules) ?? "/";
  const description = optionalQueryString(input, "Description", DescriptionRules);
  const tags = readTags(input);
  const arn = iamPolicyArn(ctx.account, path, policyName);
  requireIamPermission(ctx, "iam:CreatePolicy", arn);
  asIamError(() => parsePolicy(document, { kind: "identity", requireCurrentVersion: true }));
  asIamError(() => checkManagedPolicySize(document));
  const state = iamState(ctx.store, ctx.account);
  // Names are unique per account whatever the path.
  for (const p of state.policies.values()) if (p.policyName.toLowerCase() === policyName.toLowerCase()) throw entityAlreadyExists(policyExistsText(policyName));
  const policy: ManagedPolicyRecord = {
    policyName,
    policyId: `ANPA${randomId(17)}`,
    arn,
    path,
    ...(description !== undefined && { description }),
    createDate: ctx.now,
    updateDate: ctx.now,
    defaultVersionId: "v1",
    versions: [{ versionId: "v1", document, isDefaultVersion: true, createDate: ctx.now }],
    tags,
    awsManaged: false,
  };
  state.policies.set(arn, policy);
  return { Policy: policyShape(policy, 0, 0) };
}

export function GetPolicy(ctx: RequestContext, input: QueryInput) {
  const arn = requiredQueryString(input, "PolicyArn", ArnRules);
  requireIamPermission(ctx, "iam:GetPolicy", arn);
  const policy = requirePolicy(ctx, arn, "get");
  return { Policy: policyShape(policy, attachmentCount(ctx, arn), boundaryUsageCount(ctx, arn)) };
}

export function GetPolicyVersion(ctx: RequestContext, input: QueryInput) {
  const arn = requiredQueryString(input, "PolicyArn", ArnRules);
  const versionId = requiredQueryString(input, "VersionId", { pattern: { regex: /^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/, text: "v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?" } });
  requireIamPermission(ctx, "iam:GetPolicyVersion", arn);
  const policy = requirePolicy(ctx, arn, "get");
  const version = policy.versions.find((v) => v.versionId === versionId);
  if (version === undefined) throw noSuchEntity(policyVersionNotFoundText(arn, versionId));
  return { PolicyVersion: policyVersionShape(version) };
}

export function ListPolicies(ctx: RequestContext, input: QueryInput) {
  const scope = optionalQueryString(input, "Scope", { pattern: { regex: /^(All|AWS|Local)$/, text: "[All, AWS, Local]" } }) ?? "All";
  const onlyAttached = optionalQueryBoolean(input, "OnlyAttached") ?? false;
  const prefix = optionalQueryString(input, "PathPrefix", PathPrefixRules) ?? "/";
  requireIamPermission(ctx, "iam:ListPolicies", iamPolicyArn(ctx.account, "/", ""));
  const candidates = [
    ...(scope === "Local" ? [] : [...awsManagedPolicies()]),
    ...(scope === "AWS" ? [] : [...iamState(ctx.store, ctx.account).policies.values()]),
  ];
  const listed = candidates
    .filter((p) => p.path.startsWith(prefix))
    .map((p) => ({ p, attached: attachmentCount(ctx, p.arn) }))
    .filter(({ attached }) => !onlyAttached || attached > 0)
    .sort((a, b) => a.p.policyName.localeCompare(b.p.policyName));
  const pg = page(listed, input);
  // ListPolicies leaves out descriptions and tags, like AWS.
  return {
    Policies: pg.items.map(({ p, attached }) => ({ ...policyShape(p, attached, boundaryUsageCount(ctx, p.arn)), Description: undefined, Tags: undefined })),
    IsTruncated: pg.IsTruncated,
    Marker: pg.Marker,
  };
}
