// The IAM decisions behind the agent's GetSecretValue, made locally with the emulator's pure evaluator over what
// iam-reader.ts read: secretsmanager:GetSecretValue on the secret (identity policies, boundary, the secret's
// resource policy), then kms:Decrypt through Secrets Manager on a customer managed key (key policy required), in the
// order and with the request context the emulator's enforcement uses, so both give the same AWS text. Used for
// `--iam-check client` (backends that do not enforce IAM), for the statement-level diagnosis, and by `explain`.
import type { FailureCode } from "./failure-codes.ts";
import { randomUUID } from "node:crypto";
import { EXPLICIT_DENY_OVERRIDES, NO_REQUEST_VALUE, accessDeniedMessage, describeStatement, evaluate } from "../../aws/iam/index.ts";
import type { ContextValue, Decision, PolicySet, StatementRef } from "../../aws/iam/index.ts";
import { SecretsManagerText } from "../../aws/texts.ts";
import type { ExecutionRoleSession } from "../steps/execution-role.ts";
import type { IamReaderPort, IamSnapshot } from "../adapters/iam-reader.ts";
import { SecretsManagerCallError } from "../ports.ts";
import type { SecretsManagerPort } from "../ports.ts";

export interface DecisionReport {
  action: "secretsmanager:GetSecretValue" | "kms:Decrypt";
  resource: string;
  decision: Decision["decision"];
  /** The statement that allowed or explicitly denied. */
  deciding?: StatementRef;
  /**
   * For an implicit deny: the Allow statement that came nearest (its action applied; its Resource or a condition
   * did not), the one the fix names. Policy id, type, kind, Sid, index and positions, for a page to highlight.
   */
  near?: StatementRef;
  /** The emulator evaluator's words: the deciding statement, or per statement what did not match; hints last. */
  text: string;
  hints: string[];
  /** For a denial: what to change, naming the statement (or the policy) to change. */
  fix?: string;
  /** For a denial: which FAILURE-CATALOG row it is, as far as the statements tell. */
  failureCode?: FailureCode;
}

export interface SecretAccessCheck {
  getSecretValue: DecisionReport;
  /** Present when the secret is under a customer managed key and GetSecretValue is allowed. */
  kmsDecrypt?: DecisionReport;
  /** The AWS error the call gets for an IAM/KMS denial (the same text as the emulator's). */
  denial?: { code: "AccessDeniedException"; message: string };
  /** What could not be read (the decision may then differ from AWS's). */
  unreadable: string[];
}

export interface CheckRequest {
  session: ExecutionRoleSession;
  secretId: string;
  region: string;
  /** aws:SecureTransport and aws:SourceIp as the endpoint sees them (the emulator: plain HTTP from 127.0.0.1). */
  secureTransport: boolean;
  sourceIp?: string;
  now?: number;
}

const partitionOf = (region: string) => (region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws");
const accountOfArn = (arn: string) => arn.split(":")[4] ?? "";

function baseContext(req: CheckRequest): Record<string, ContextValue> {
  const now = req.now ?? Date.now();
  return {
    "aws:RequestedRegion": req.region,
    "aws:CurrentTime": new Date(now).toISOString().replace(/\.\d{3}Z$/, "Z"),
    "aws:EpochTime": String(Math.floor(now / 1000)),
    "aws:SecureTransport": req.secureTransport ? "true" : "false",
    "aws:PrincipalArn": req.session.roleArn,
    ...(req.sourceIp !== undefined && { "aws:SourceIp": req.sourceIp }),
  };
}

function report(action: DecisionReport["action"], resource: string, d: Decision): DecisionReport {
  const r: DecisionReport = { action, resource, decision: d.decision, ...(d.deciding && { deciding: d.deciding }), text: d.explanation, hints: d.hints };
  if (d.decision !== "allowed") Object.assign(r, fixFor(d, action, resource));
  if (d.decision === "implicitDeny") {
    const near = nearestAllow(d);
    if (near) r.near = near.statement;
  }
  return r;
}

/** The Allow statement of an implicit deny that applied but for its Resource or a condition. */
function nearestAllow(d: Decision) {
  const types = d.reasonClause === "noBoundaryAllow" ? ["boundary"] : d.reasonClause === "noSessionAllow" ? ["session"] : d.reasonClause === "noResourceAllow" ? ["resource"] : ["identity", "resource"];
  return d.trace.find((t) => t.source.effect === "Allow" && types.includes(t.statement.policyType) && (t.outcome.result === "resource" || t.outcome.result === "condition"));
}

/** The change that would turn this denial into an allow, and the catalogue row it is. */
function fixFor(d: Decision, action: string, resource: string): { fix: string; failureCode: FailureCode } {
  const kms = action === "kms:Decrypt";
  if (d.decision === "explicitDeny" && d.deciding) {
    return {
      fix: `Narrow or remove the Deny in ${describeStatement(d.deciding)}; ${EXPLICIT_DENY_OVERRIDES}`,
      failureCode: d.deciding.policyType === "boundary" ? "cred-boundary" : kms ? "cred-kms" : "cred-explicit-deny",
    };
  }
  if (d.hints.length > 0) return { fix: d.hints[0] as string, failureCode: "cred-missing-suffix" };
  const near = nearestAllow(d);
  const code = kms ? "cred-kms" : d.reasonClause === "noBoundaryAllow" ? "cred-boundary" : undefined;
  if (near?.outcome.result === "condition") {
    const o = near.outcome;
    const got = o.requestValue === undefined ? NO_REQUEST_VALUE : `the request has ${JSON.stringify(o.requestValue)}`;
    return {
      fix: `Change the condition ${o.operator} {"${o.key}": ${JSON.stringify(o.policyValues)}} of ${describeStatement(near.statement)} (${got}), or make the request meet it.`,
      failureCode: code ?? "cred-condition",
    };
  }
  if (near?.outcome.result === "resource") {
    return { fix: `Make the Resource of ${describeStatement(near.statement)} cover ${resource}.`, failureCode: code ?? "cred-no-permission" };
  }
  if (d.reasonClause === "noBoundaryAllow") {
    return { fix: `Allow ${action} on ${resource} in the role's permissions boundary.`, failureCode: "cred-boundary" };
  }
  if (d.reasonClause === "noSessionAllow") {
    return { fix: `Allow ${action} on ${resource} in the session's session policy (AssumeRole's Policy), or pass none.`, failureCode: "cred-no-permission" };
  }
  if (kms) return { fix: `Allow kms:Decrypt on ${resource} to the execution role in the key's key policy (and in its IAM policies if the key policy delegates to the account).`, failureCode: "cred-kms" };
  if (d.reasonClause === "noResourceAllow") {
    return { fix: `Add a statement to the secret's resource policy allowing the execution role ${action}.`, failureCode: "cred-cross-account-policy" };
  }
  return { fix: `Add a statement allowing ${action} on ${resource} to a policy of the execution role (not the task role).`, failureCode: "cred-no-permission" };
}

/** The decisions for one GetSecretValue by the execution role, from a snapshot. Pure. */
export function checkSecretAccess(snapshot: IamSnapshot, req: CheckRequest): SecretAccessCheck {
  const { session, secretId, region } = req;
  const account = accountOfArn(session.sessionArn);
  const principal = { arn: session.sessionArn, account, type: "AssumedRole" as const, ...(snapshot.role && { tags: { ...snapshot.role.tags } }) };
  const identity: PolicySet = { identity: snapshot.role?.identity ?? [], ...(snapshot.role?.boundary && { boundary: snapshot.role.boundary }) };
  const secret = snapshot.secret;
  // Permission is decided before existence: a missing secret is matched by the ARN its SecretId would have.
  const resource = secret?.arn ?? (secretId.startsWith("arn:") ? secretId : `arn:${partitionOf(region)}:secretsmanager:${region}:${account}:secret:${secretId}`);
  const context = baseContext(req);
  for (const t of secret?.tags ?? []) {
    context[`aws:ResourceTag/${t.Key}`] = t.Value;
    context[`secretsmanager:ResourceTag/${t.Key}`] = t.Value;
  }
  context["secretsmanager:SecretId"] = resource;
  if (snapshot.key?.keyManager === "CUSTOMER") context["secretsmanager:KmsKeyArn"] = snapshot.key.arn;
  const action = "secretsmanager:GetSecretValue" as const;
  const policies: PolicySet = { ...identity, ...(secret?.resourcePolicy && { resource: { id: `resource policy of ${resource}`, kind: "resource" as const, document: secret.resourcePolicy } }) };
  const decision = evaluate({ principal, action, resource, resourceAccount: accountOfArn(resource) || account, context }, policies);
  const out: SecretAccessCheck = { getSecretValue: report(action, resource, decision), unreadable: snapshot.unreadable };
  // What the caller could not read cannot be decided here: no local denial on a partial picture.
  if (decision.decision !== "allowed" && snapshot.role !== undefined) {
    out.denial = { code: "AccessDeniedException", message: accessDeniedMessage(session.sessionArn, action, secretId, decision.reasonClause) };
    return out;
  }
  // kms:Decrypt: only for a live secret under a customer managed key (the AWS managed key lets its account in).
  const key = snapshot.key;
  if (secret === undefined || secret.deleted || key === undefined || key.keyManager !== "CUSTOMER") return out;
  // Another account's key policy is not readable with this account's credentials (GetKeyPolicy is not cross-account).
  if (key.policy === undefined) return out;
  const kmsContext: Record<string, ContextValue> = {
    ...baseContext(req),
    "kms:CallerAccount": account,
    "kms:ViaService": `secretsmanager.${region}.amazonaws.com`,
    "kms:EncryptionContext:SecretARN": secret.arn,
  };
  for (const t of key.tags) kmsContext[`aws:ResourceTag/${t.Key}`] = t.Value;
  const keyPolicies: PolicySet = { ...identity, ...(key.policy !== undefined && { resource: { id: `key policy of ${key.arn}`, kind: "resource" as const, document: key.policy } }) };
  const kms = evaluate({ principal, action: "kms:Decrypt", resource: key.arn, resourceAccount: key.account, context: kmsContext }, keyPolicies);
  // KMS's rule: the key policy must allow (directly, or by delegating to the account); IAM alone never opens a key.
  if (kms.decision === "allowed" && !kms.matched.some((r) => r.policyType === "resource" && r.effect === "Allow")) {
    Object.assign(kms, { decision: "implicitDeny", reasonClause: "noResourceAllow" });
  }
  out.kmsDecrypt = report("kms:Decrypt", key.arn, kms);
  if (kms.decision !== "allowed") out.denial = { code: "AccessDeniedException", message: SecretsManagerText.kmsAccessDenied };
  return out;
}

/** aws:SecureTransport / aws:SourceIp for an endpoint: https → true; a loopback endpoint sees 127.0.0.1. */
export function transportOf(endpoint: string | undefined): { secureTransport: boolean; sourceIp?: string } {
  if (endpoint === undefined) return { secureTransport: true };
  const url = new URL(endpoint);
  const loopback = url.hostname === "127.0.0.1" || url.hostname === "localhost";
  return { secureTransport: url.protocol === "https:", ...(loopback && { sourceIp: "127.0.0.1" }) };
}

/**
 * `--iam-check client`: the Secrets Manager port behind a local IAM decision, for backends that do not enforce
 * IAM. A denial fails the call with the AccessDeniedException AWS would send (HTTP 400, a fresh request id).
 */
export function withClientIamCheck(inner: SecretsManagerPort, reader: IamReaderPort, endpoint: string | undefined): SecretsManagerPort {
  const transport = transportOf(endpoint);
  return {
    async getSecretValue(input) {
      if (input.executionRole !== undefined) {
        const snapshot = await reader.read({ roleArn: input.executionRole.roleArn, secretId: input.secretId, region: input.region });
        const check = checkSecretAccess(snapshot, { session: input.executionRole, secretId: input.secretId, region: input.region, ...transport });
        if (check.denial) {
          throw new SecretsManagerCallError({ ...check.denial, httpStatusCode: 400, requestId: randomUUID(), attempts: 1, kind: "service" });
        }
      }
      return inner.getSecretValue(input);
    },
  };
}
