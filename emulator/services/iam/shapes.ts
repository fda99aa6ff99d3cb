// IAM's answer shapes as XML value trees, in AWS's member order; policy documents URL-encoded like AWS.
import type { XmlValue } from "../../protocol/xml.ts";
import type { IamTag, ManagedPolicyRecord, PolicyVersionRecord, RoleRecord } from "../../state/iam.ts";
import { encodeDocument } from "./rules.ts";

function tags(list: IamTag[]): XmlValue {
  return list.length === 0 ? undefined : list.map((t) => ({ Key: t.Key, Value: t.Value }));
}

export function roleShape(role: RoleRecord): Record<string, XmlValue> {
  return {
    Path: role.path,
    RoleName: role.roleName,
    RoleId: role.roleId,
    Arn: role.arn,
    CreateDate: new Date(role.createDate),
    AssumeRolePolicyDocument: encodeDocument(role.assumeRolePolicyDocument),
    Description: role.description,
    MaxSessionDuration: role.maxSessionDuration,
    PermissionsBoundary: role.permissionsBoundary === undefined ? undefined : { PermissionsBoundaryType: "Policy", PermissionsBoundaryArn: role.permissionsBoundary },
    Tags: tags(role.tags),
  };
}

export function policyShape(policy: ManagedPolicyRecord, attachmentCount: number, boundaryUsageCount: number): Record<string, XmlValue> {
  return {
    PolicyName: policy.policyName,
    DefaultVersionId: policy.defaultVersionId,
    PolicyId: policy.policyId,
    Path: policy.path,
    Arn: policy.arn,
    AttachmentCount: attachmentCount,
    PermissionsBoundaryUsageCount: boundaryUsageCount,
    IsAttachable: true,
    Description: policy.description,
    CreateDate: new Date(policy.createDate),
    UpdateDate: new Date(policy.updateDate),
    Tags: tags(policy.tags),
  };
}

export function policyVersionShape(version: PolicyVersionRecord): Record<string, XmlValue> {
  return {
    Document: encodeDocument(version.document),
    VersionId: version.versionId,
    IsDefaultVersion: version.isDefaultVersion,
    CreateDate: new Date(version.createDate),
  };
}
