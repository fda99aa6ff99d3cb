// IAM enforcement: the one hook every Secrets Manager and KMS operation passes through. For a non-admin
// principal it gathers the identity policies (inline + attached) and the permissions boundary, the resource's
// policy (a secret's resource policy or a key's key policy), builds the request context AWS would, asks the
// evaluator, and on a deny throws AWS's AccessDeniedException with the decision attached, so that the log,
// `ecs-pull explain` and diagnoses can show the statement-level reason. Admin keys (the account root) pass untouched
// in their own account only: like AWS, another account's resource needs its resource policy (and a key, its key
// policy) to let the root in, as for any cross-account principal.
import { type Principal, principalOf, requestPrincipal } from "./auth/principal.ts";
import type { RequestContext } from "./context.ts";
import { type ContextValue, type Decision, type PolicySet, accessDeniedClauseText, accessDeniedMessage, accessDeniedNoResourceText, evaluate } from "../aws/iam/index.ts";
import { AwsError, AwsErrorCode } from "./protocol/aws-error.ts";
import type { JsonService, Operation } from "./protocol/service.ts";
import { principalPolicies, roleTags } from "./state/iam.ts";

export interface AuthorizationTarget {
  /** `secretsmanager:GetSecretValue`, `kms:Decrypt`… */
  action: string;
  /** The ARN the policies are matched against (`*` for actions on no resource). */
  resource: string;
  /** The account that owns the resource (the caller's own for `*`). */
  resourceAccount: string;
  /**
   * What the denial names: for Secrets Manager the SecretId as the caller passed it. Undefined for actions on no
   * particular resource (ListSecrets, CreateKey), whose denial has no "on resource" part.
   */
  shownResource?: string;
  /** The secret's resource policy or the key's key policy. */
  resourcePolicy?: { id: string; document: string };
  /** Resource tags, offered as `aws:ResourceTag/<key>` (and `<prefix>:ResourceTag/<key>` when `tagPrefix` is set). */
  resourceTags?: readonly { Key: string; Value: string }[];
  tagPrefix?: string;
  /** Service-specific keys (secretsmanager:SecretId, kms:ViaService…). */
  context?: Record<string, ContextValue>;
  /**
   * KMS's rule: a key policy must allow, directly or by delegating to the account (whose IAM policies then decide);
   * an identity policy alone never opens a key.
   */
  keyPolicyRequired?: boolean;
}

/** The AccessDeniedException of an enforcement decision; `decision.explanation` says why in words. */
export class AccessDenied extends AwsError {
  constructor(
    text: string,
    readonly decision: Decision,
    readonly target: AuthorizationTarget,
  ) {
    super(AwsErrorCode.AccessDeniedException, text);
  }

  /** The statement-level reason, for the emulator's log (app.ts reads `detail`); computed on first read. */
  get detail(): string {
    return this.decision.explanation;
  }
}

/**
 * Whether an action on a resource of `resourceAccount` is subject to IAM enforcement: always for role sessions; for
 * an admin key (its account's root) only on another account's resource. Without `resourceAccount`: whether the
 * request may be enforced at all (an admin's may, once its resource turns out to be another account's).
 */
export function isEnforced(ctx: RequestContext, resourceAccount?: string): boolean {
  const principal = ctx.principal;
  if (principal === undefined || ctx.enforceIam === false) return false;
  if (!principal.admin) return true;
  return resourceAccount === undefined || resourceAccount !== principal.account;
}

let currentSecond = Number.NaN;
let currentIso = "";
let currentEpoch = "";
/**
 * aws:CurrentTime (ISO 8601 to the second) and aws:EpochTime, formatted once per second: they are in every enforced
 * request's context.
 */
function tick(nowMs: number): void {
  const second = Math.floor(nowMs / 1000);
  if (second !== currentSecond) {
    currentSecond = second;
    currentIso = new Date(second * 1000).toISOString().replace(".000Z", "Z");
    currentEpoch = String(second);
  }
}

/** The request context AWS fills in for every request, plus the target's own keys. */
export function requestContext(ctx: RequestContext, principal: Principal, target: AuthorizationTarget): Record<string, ContextValue> {
  tick(ctx.now);
  const context: Record<string, ContextValue> = {
    "aws:RequestedRegion": ctx.region,
    "aws:CurrentTime": currentIso,
    "aws:EpochTime": currentEpoch,
    "aws:SecureTransport": ctx.secureTransport === true ? "true" : "false",
  };
  // A session's aws:PrincipalArn is its role's ARN with the role's path, which the session ARN does not carry.
  if (principal.roleArn !== undefined) context["aws:PrincipalArn"] = principal.roleArn;
  if (ctx.sourceIp !== undefined) context["aws:SourceIp"] = ctx.sourceIp;
  if (target.resourceTags !== undefined) {
    for (const tag of target.resourceTags) {
      context[`aws:ResourceTag/${tag.Key}`] = tag.Value;
      if (target.tagPrefix !== undefined) context[`${target.tagPrefix}:ResourceTag/${tag.Key}`] = tag.Value;
    }
  }
  if (target.context !== undefined) Object.assign(context, target.context);
  return context;
}

/**
 * Decides `target` for the caller. Returns undefined for admin keys in their own account, the decision when allowed; throws
 * AccessDenied (AWS's text, no final period) otherwise. `deniedText` replaces AWS's generic text where a service
 * words it differently (Secrets Manager's `Access to KMS is not allowed`, KMS's "this resource").
 */
export function authorize(
  ctx: RequestContext,
  target: AuthorizationTarget,
  deniedText?: (principal: Principal, decision: Decision) => string | undefined,
): Decision | undefined {
  if (!isEnforced(ctx, target.resourceAccount)) return undefined;
  const principal = principalOf(ctx);
  const policies: PolicySet = principalPolicies(ctx.store, principal);
  if (target.resourcePolicy !== undefined) policies.resource = { id: target.resourcePolicy.id, kind: "resource", document: target.resourcePolicy.document };
  const tags = roleTags(ctx.store, principal);
  const decision = evaluate(
    {
      principal: requestPrincipal(principal, tags),
      action: target.action,
      resource: target.resource,
      resourceAccount: target.resourceAccount,
      context: requestContext(ctx, principal, target),
    },
    policies,
  );
  if (decision.decision === "allowed" && target.keyPolicyRequired === true && !keyPolicyAllowed(decision)) {
    Object.assign(decision, { decision: "implicitDeny", reasonClause: "noResourceAllow" });
  }
  if (decision.decision === "allowed") return decision;
  throw new AccessDenied(deniedText?.(principal, decision) ?? deniedMessage(principal, target, decision), decision, target);
}

function deniedMessage(principal: Principal, target: AuthorizationTarget, decision: Decision): string {
  if (target.shownResource !== undefined) return accessDeniedMessage(principal.arn, target.action, target.shownResource, decision.reasonClause);
  const clause = accessDeniedClauseText(decision.reasonClause ?? "noIdentityAllow", target.action);
  return accessDeniedNoResourceText(principal.arn, target.action, clause);
}

function keyPolicyAllowed(decision: Decision): boolean {
  for (const ref of decision.matched) if (ref.policyType === "resource" && ref.effect === "Allow") return true;
  return false;
}

/** A service's enforcement for one request: calls `authorize` for the resource the operation is on, or not at all. */
export type EnforcementCheck = (ctx: RequestContext, operation: string, input: Record<string, unknown>) => void;

/**
 * The service with every operation passing through `check` before its handler runs (for an admin key the check
 * finds the resource and stops at `authorize` unless it is another account's).
 */
export function enforced(service: JsonService, check: EnforcementCheck): JsonService {
  const operations: Record<string, Operation> = {};
  for (const [operation, handler] of Object.entries(service.operations)) {
    operations[operation] = (ctx, input) => {
      if (isEnforced(ctx)) check(ctx, operation, input);
      return handler(ctx, input);
    };
  }
  return { ...service, operations };
}
