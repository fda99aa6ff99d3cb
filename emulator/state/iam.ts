// IAM's state: roles (trust policy, inline and attached policies, permissions boundary, tags) and customer managed
// policies, per account. IAM is global: one partition per account, not per region. Also the read side the IAM
// enforcement needs: the identity policies and boundary of a principal, shaped for `evaluate()`.
import type { Principal } from "../auth/principal.ts";
import { AWS_MANAGED_POLICIES, type BoundaryPolicyRef, type IdentityPolicyRef, type ManagedPolicy, type SessionPolicyRef } from "../../aws/iam/index.ts";
import type { EmulatorStore } from "./store.ts";

export interface IamTag {
  Key: string;
  Value: string;
}

export interface RoleRecord {
  roleName: string;
  /** AROA… */
  roleId: string;
  arn: string;
  path: string;
  /** Milliseconds since the epoch. */
  createDate: number;
  /** The trust policy as the caller sent it. */
  assumeRolePolicyDocument: string;
  description?: string;
  /** Seconds, 3600–43200. */
  maxSessionDuration: number;
  tags: IamTag[];
  /** Inline policies by name, in insertion order. */
  inlinePolicies: Map<string, string>;
  /** Attached managed policy ARNs, in attachment order. */
  attachedPolicies: string[];
  permissionsBoundary?: string;
}

export interface PolicyVersionRecord {
  versionId: string;
  document: string;
  isDefaultVersion: boolean;
  createDate: number;
}

export interface ManagedPolicyRecord {
  policyName: string;
  /** ANPA… */
  policyId: string;
  arn: string;
  path: string;
  description?: string;
  createDate: number;
  updateDate: number;
  defaultVersionId: string;
  versions: PolicyVersionRecord[];
  tags: IamTag[];
  /** AWS managed policies are shared by every account and read-only. */
  awsManaged: boolean;
}

export class IamState {
  /** By lower-cased name: IAM role names are unique regardless of case. */
  readonly roles = new Map<string, RoleRecord>();
  /** Customer managed policies by ARN. */
  readonly policies = new Map<string, ManagedPolicyRecord>();
  constructor(readonly account: string) {}
}

export function iamState(store: EmulatorStore, account: string): IamState {
  return store.regional("iam", account, "global", () => new IamState(account));
}

export function getRole(store: EmulatorStore, account: string, roleName: string): RoleRecord | undefined {
  return iamState(store, account).roles.get(roleName.toLowerCase());
}

// AWS managed policies as records, built once: they carry fixed dates like AWS's.
const AWS_MANAGED_EPOCH = Date.UTC(2017, 10, 17, 19, 18, 53);
const awsManagedRecords = new Map<string, ManagedPolicyRecord>(
  AWS_MANAGED_POLICIES.map((p: ManagedPolicy, i) => [
    p.arn,
    {
      policyName: p.name,
      policyId: `ANPAAWSMANAGED${String(i).padStart(7, "0")}`,
      arn: p.arn,
      path: p.path,
      createDate: AWS_MANAGED_EPOCH,
      updateDate: AWS_MANAGED_EPOCH,
      defaultVersionId: "v1",
      versions: [{ versionId: "v1", document: p.document, isDefaultVersion: true, createDate: AWS_MANAGED_EPOCH }],
      tags: [],
      awsManaged: true,
    },
  ]),
);

export function awsManagedPolicies(): Iterable<ManagedPolicyRecord> {
  return awsManagedRecords.values();
}

/** A managed policy visible to `account`: its own customer managed policies and every AWS managed one. */
export function getManagedPolicy(store: EmulatorStore, account: string, arn: string): ManagedPolicyRecord | undefined {
  return awsManagedRecords.get(arn) ?? iamState(store, account).policies.get(arn);
}

export function defaultVersion(policy: ManagedPolicyRecord): PolicyVersionRecord {
  return policy.versions.find((v) => v.isDefaultVersion) ?? (policy.versions[0] as PolicyVersionRecord);
}

/** The role behind a principal (a session's role), if it still exists. */
export function roleOfPrincipal(store: EmulatorStore, principal: Principal): RoleRecord | undefined {
  return principal.roleName === undefined ? undefined : getRole(store, principal.account, principal.roleName);
}

/** The identity policies (inline first, then attached) and the permissions boundary of a role, for `evaluate()`. */
export function rolePolicies(store: EmulatorStore, role: RoleRecord, account: string): { identity: IdentityPolicyRef[]; boundary?: BoundaryPolicyRef } {
  const identity: IdentityPolicyRef[] = [];
  for (const [name, document] of role.inlinePolicies) identity.push({ id: name, type: "inline", name, document });
  for (const arn of role.attachedPolicies) {
    const policy = getManagedPolicy(store, account, arn);
    if (policy !== undefined) identity.push({ id: policy.policyName, type: "managed", name: policy.policyName, arn, document: defaultVersion(policy).document });
  }
  const out: { identity: IdentityPolicyRef[]; boundary?: BoundaryPolicyRef } = { identity };
  if (role.permissionsBoundary !== undefined) {
    const boundary = getManagedPolicy(store, account, role.permissionsBoundary);
    if (boundary !== undefined) out.boundary = { id: boundary.policyName, name: boundary.policyName, arn: boundary.arn, document: defaultVersion(boundary).document };
  }
  return out;
}

/**
 * What the caller's identity side says, for `evaluate()`: nothing for the account root (admin keys: the evaluator
 * allows the root on its own), the role's policies for a session. A session whose role was deleted has none.
 */
export function principalPolicies(store: EmulatorStore, principal: Principal): { identity: IdentityPolicyRef[]; boundary?: BoundaryPolicyRef; session?: SessionPolicyRef[] } {
  if (principal.type === "Root") return { identity: [] };
  const role = roleOfPrincipal(store, principal);
  const policies: { identity: IdentityPolicyRef[]; boundary?: BoundaryPolicyRef; session?: SessionPolicyRef[] } = role === undefined ? { identity: [] } : rolePolicies(store, role, principal.account);
  // The session policy narrows the role's permissions (evaluate.ts applies it as IAM does).
  if (principal.sessionPolicy === undefined && principal.sessionPolicyArns === undefined) return policies;
  const session: SessionPolicyRef[] = [];
  if (principal.sessionPolicy !== undefined) session.push({ id: SESSION_POLICY_ID, document: principal.sessionPolicy });
  // A managed session policy deleted since AssumeRole contributes nothing (inferred, docs/fidelity.md).
  for (const arn of principal.sessionPolicyArns ?? []) {
    const managed = getManagedPolicy(store, principal.account, arn);
    if (managed !== undefined) session.push({ id: managed.policyName, document: defaultVersion(managed).document });
  }
  policies.session = session;
  return policies;
}

/** How explanations name the inline session policy passed to AssumeRole. */
export const SESSION_POLICY_ID = "AssumeRole Policy";

/** The role's tags as aws:PrincipalTag values (session tags override them). */
export function roleTags(store: EmulatorStore, principal: Principal): Record<string, string> {
  const role = roleOfPrincipal(store, principal);
  const tags: Record<string, string> = {};
  if (role !== undefined) for (const t of role.tags) tags[t.Key] = t.Value;
  if (principal.tags !== undefined) Object.assign(tags, principal.tags);
  return tags;
}
