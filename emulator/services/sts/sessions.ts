// The heart of AssumeRole, shared by the STS operation and the emulator-only service path: does the role's trust
// policy (with the caller's own policies) let this caller in, and the temporary credentials of a new session.
import { accessKeys } from "../../auth/access-keys.ts";
import { type Principal, sessionArn } from "../../auth/principal.ts";
import type { RequestContext } from "../../context.ts";
import { type Decision, type IdentityPolicyRef, type BoundaryPolicyRef, type RequestPrincipal, type SessionPolicyRef, evaluate } from "../../../aws/iam/index.ts";
import type { RoleRecord } from "../../state/iam.ts";

export interface TrustCheck {
  allowed: boolean;
  decision?: Decision;
}

/**
 * sts:AssumeRole on `role` for `caller`. Unlike other resource policies, a trust policy must itself allow: an
 * identity-based allow alone never lets anyone assume a role. The evaluator decides the rest (explicit denies,
 * cross-account rules, a trust policy naming only the account delegating to identity policies).
 */
export function checkTrust(ctx: RequestContext, caller: RequestPrincipal, callerPolicies: { identity: IdentityPolicyRef[]; boundary?: BoundaryPolicyRef; session?: SessionPolicyRef[] }, role: RoleRecord, account: string): TrustCheck {
  let decision: Decision;
  try {
    decision = evaluate(
      {
        principal: caller,
        action: "sts:AssumeRole",
        resource: role.arn,
        resourceAccount: account,
        context: { "aws:SourceIp": ctx.sourceIp, "aws:SecureTransport": String(ctx.secureTransport ?? false), "aws:CurrentTime": new Date(ctx.now).toISOString() },
      },
      { ...callerPolicies, resource: { id: "AssumeRolePolicyDocument", kind: "trust", document: role.assumeRolePolicyDocument } },
    );
  } catch {
    // A stored policy that no longer parses allows nothing.
    return { allowed: false };
  }
  const trustAllows = decision.matched.some((s) => s.policyType === "resource" && s.effect === "Allow");
  return { allowed: decision.decision === "allowed" && trustAllows, decision };
}

/** AssumeRole's session policies: the inline `Policy` and the managed `PolicyArns`, kept as plain data with the session. */
export interface SessionPolicies {
  policy?: string;
  policyArns?: string[];
}

export interface IssuedSession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  arn: string;
  assumedRoleId: string;
}

export function issueSession(ctx: RequestContext, role: RoleRecord, account: string, sessionName: string, durationSeconds: number, tags?: Record<string, string>, sessionPolicies?: SessionPolicies): IssuedSession {
  const keys = accessKeys(ctx.store);
  keys.sweep(ctx.now);
  const arn = sessionArn(account, role.roleName, sessionName);
  const assumedRoleId = `${role.roleId}:${sessionName}`;
  const expiration = ctx.now + durationSeconds * 1000;
  const record = keys.issue(
    (accessKeyId): Principal => ({
      arn,
      account,
      type: "AssumedRole",
      admin: false,
      accessKeyId,
      roleArn: role.arn,
      roleName: role.roleName,
      sessionName,
      assumedRoleId,
      ...(tags !== undefined && Object.keys(tags).length > 0 && { tags }),
      ...(sessionPolicies?.policy !== undefined && { sessionPolicy: sessionPolicies.policy }),
      ...(sessionPolicies?.policyArns !== undefined && sessionPolicies.policyArns.length > 0 && { sessionPolicyArns: sessionPolicies.policyArns }),
    }),
    expiration,
  );
  return {
    accessKeyId: record.accessKeyId,
    secretAccessKey: record.secretAccessKey,
    sessionToken: record.sessionToken!,
    expiration: new Date(expiration),
    arn,
    assumedRoleId,
  };
}

/** The STS answer members for a new session. */
export function sessionResult(session: IssuedSession) {
  return {
    AssumedRoleUser: { Arn: session.arn, AssumedRoleId: session.assumedRoleId },
    Credentials: {
      AccessKeyId: session.accessKeyId,
      SecretAccessKey: session.secretAccessKey,
      SessionToken: session.sessionToken,
      Expiration: session.expiration,
    },
  };
}
