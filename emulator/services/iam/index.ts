// IAM as a Query service: signing name `iam`, version 2010-05-08, global (state per account, not per region).
// Handlers are grouped by what they act on: roles, inline role policies, managed policies, attachments and
// boundaries, simulation.
import type { QueryService } from "../../protocol/query-service.ts";
import { AttachRolePolicy, DeleteRolePermissionsBoundary, DetachRolePolicy, ListAttachedRolePolicies, PutRolePermissionsBoundary } from "./attachments.ts";
import { CreatePolicy, GetPolicy, GetPolicyVersion, ListPolicies } from "./policies.ts";
import { DeleteRolePolicy, GetRolePolicy, ListRolePolicies, PutRolePolicy } from "./role-policies.ts";
import { CreateRole, DeleteRole, GetRole, ListRoles, TagRole, UpdateAssumeRolePolicy } from "./roles.ts";
import { IAM_NAMESPACE, IAM_VERSION } from "./rules.ts";
import { SimulateCustomPolicy, SimulatePrincipalPolicy } from "./simulate.ts";

export const iamOperations = {
  CreateRole,
  GetRole,
  DeleteRole,
  ListRoles,
  UpdateAssumeRolePolicy,
  TagRole,
  PutRolePolicy,
  GetRolePolicy,
  ListRolePolicies,
  DeleteRolePolicy,
  CreatePolicy,
  GetPolicy,
  GetPolicyVersion,
  ListPolicies,
  AttachRolePolicy,
  DetachRolePolicy,
  ListAttachedRolePolicies,
  PutRolePermissionsBoundary,
  DeleteRolePermissionsBoundary,
  SimulateCustomPolicy,
  SimulatePrincipalPolicy,
};

export const iamService: QueryService = {
  name: "iam",
  version: IAM_VERSION,
  namespace: IAM_NAMESPACE,
  operations: iamOperations,
};
