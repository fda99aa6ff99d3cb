// The IAM decision for one request, as the IAM User Guide's policy evaluation logic describes it: an explicit
// deny anywhere wins; in the same account an identity-based allow (within the permissions boundary) or a
// resource-based allow suffices; across accounts both sides must allow; otherwise the implicit deny. Pure: the
// caller hands in the principal, the request context and the policy texts; the result says which statement
// decided, which AWS clause applies, and (lazily) why in words.
import { compilePolicy, type CompiledPolicy, type CompiledStatement } from "./compile.ts";
import type { ContextLookup } from "./patterns.ts";
import { roleArnOfSession, type PrincipalMatch, type RequestPrincipal } from "./principals.ts";
import type { StatementPosition } from "./statement-positions.ts";
import type { AccessDeniedClause } from "./texts.ts";
import { renderExplanation, suffixHints } from "./explain.ts";

export type { RequestPrincipal, PrincipalType } from "./principals.ts";

export type ContextValue = string | string[] | undefined;

export interface AuthorizationRequest {
  principal: RequestPrincipal;
  /** e.g. `secretsmanager:GetSecretValue` (any case). */
  action: string;
  /** The resource ARN the action is on (a secret's full ARN, a role ARN for sts:AssumeRole). */
  resource: string;
  resourceAccount: string;
  /** Request context keys (any case): aws:PrincipalArn, aws:SourceIp, aws:ResourceTag/x, kms:ViaService, … */
  context?: Record<string, ContextValue>;
}

export interface IdentityPolicyRef {
  id: string;
  type: "inline" | "managed";
  name?: string;
  arn?: string;
  document: string;
}

export interface BoundaryPolicyRef {
  id: string;
  name?: string;
  arn?: string;
  document: string;
}

export interface ResourcePolicyRef {
  id: string;
  /** "trust" for a role's assume-role policy; "resource" (default) for a secret's or key's policy. */
  kind?: "resource" | "trust";
  name?: string;
  arn?: string;
  document: string;
}

export interface PolicySet {
  identity: IdentityPolicyRef[];
  boundary?: BoundaryPolicyRef;
  resource?: ResourcePolicyRef;
}

export type PolicyType = "identity" | "boundary" | "resource";

export interface StatementRef {
  policyId: string;
  policyType: PolicyType;
  /** inline / managed for identity-based policies. */
  policyKind?: "inline" | "managed";
  sid?: string;
  index: number;
  effect: "Allow" | "Deny";
  positions?: StatementPosition;
}

/** The first part of a statement that did not apply to the request, or "matched". */
export type StatementOutcome =
  | { result: "matched"; principalMatch?: PrincipalMatch }
  | { result: "principal" }
  | { result: "action" }
  | { result: "resource"; resources: string[] }
  | {
      result: "condition";
      operator: string;
      key: string;
      policyValues: readonly string[];
      requestValue: ContextValue;
    };

export interface StatementTrace {
  statement: StatementRef;
  /** The statement as written (resources, actions) for explanations. */
  compiled: CompiledStatement;
  outcome: StatementOutcome;
}

export interface Decision {
  decision: "allowed" | "explicitDeny" | "implicitDeny";
  /** The statement that allowed, or the first that explicitly denied. */
  deciding?: StatementRef;
  /** Every statement that applied (action, resource, principal and conditions matched). */
  matched: StatementRef[];
  /** Context keys the policies asked about that the request did not carry (as SimulatePrincipalPolicy lists them). */
  missingContextValues: string[];
  /** The AWS clause of the access-denied message; undefined when allowed. */
  reasonClause?: AccessDeniedClause;
  /** One sentence per relevant fact, ending with hints for common mistakes. Built on first read. */
  readonly explanation: string;
  /** Hints for common mistakes (e.g. a secret ARN without its `-??????` suffix). Built on first read. */
  readonly hints: string[];
  trace: StatementTrace[];
}

/** The request context with case-insensitive keys and the values AWS derives from the principal. */
function buildContext(request: AuthorizationRequest): Map<string, string | readonly string[]> {
  const map = new Map<string, string | readonly string[]>();
  const { principal } = request;
  const add = (key: string, value: string | readonly string[]): void => {
    if (!map.has(key)) map.set(key, value);
  };
  for (const [key, value] of Object.entries(request.context ?? {})) {
    if (value !== undefined) map.set(key.toLowerCase(), value);
  }
  if (principal.type === "Service") {
    add("aws:principalservicename", principal.arn);
    return map;
  }
  // For a role session, aws:PrincipalArn is the role's ARN (the path is unknown here: pass it in the context).
  add("aws:principalarn", principal.type === "AssumedRole" ? (roleArnOfSession(principal.arn) ?? principal.arn) : principal.arn);
  add("aws:principalaccount", principal.account);
  add("aws:principaltype", principal.type === "Root" ? "Account" : principal.type === "Role" ? "AssumedRole" : principal.type);
  if (principal.type === "User") {
    const name = /:user\/(?:.*\/)?([^/]+)$/.exec(principal.arn)?.[1];
    if (name !== undefined) add("aws:username", name);
  }
  for (const [tag, value] of Object.entries(principal.tags ?? {})) add(`aws:principaltag/${tag.toLowerCase()}`, value);
  return map;
}

interface Side {
  allow?: StatementRef;
  deny?: StatementRef;
  /** Strongest principal match among resource-policy allows. */
  principalMatch?: PrincipalMatch;
}

const STRENGTH: Record<PrincipalMatch, number> = { exact: 3, role: 2, wildcard: 1, account: 0 };

export function evaluate(request: AuthorizationRequest, policies: PolicySet): Decision {
  const context = buildContext(request);
  const lookup: ContextLookup = (key) => context.get(key);
  const actionLower = request.action.toLowerCase();
  const missing = new Set<string>();
  const trace: StatementTrace[] = [];
  const matched: StatementRef[] = [];
  const { principal } = request;
  const isService = principal.type === "Service";
  const isRoot = principal.type === "Root";

  const run = (compiled: CompiledPolicy, ref: Omit<StatementRef, "sid" | "index" | "effect" | "positions">, side: Side): void => {
    for (const statement of compiled.statements) {
      const outcome = matchStatement(statement, request, actionLower, lookup, missing);
      const sref: StatementRef = {
        ...ref,
        ...(statement.sid === undefined ? {} : { sid: statement.sid }),
        index: statement.index,
        effect: statement.effect,
        ...(statement.positions === undefined ? {} : { positions: statement.positions }),
      };
      trace.push({ statement: sref, compiled: statement, outcome });
      if (outcome.result !== "matched") continue;
      matched.push(sref);
      if (statement.effect === "Deny") side.deny ??= sref;
      else {
        side.allow ??= sref;
        const m = outcome.principalMatch;
        if (m !== undefined && (side.principalMatch === undefined || STRENGTH[m] > STRENGTH[side.principalMatch])) side.principalMatch = m;
      }
    }
  };

  const identity: Side = {};
  const boundary: Side = {};
  const resource: Side = {};
  if (!isService) {
    for (const policy of policies.identity) {
      run(compilePolicy(policy.document, { kind: "identity" }), { policyId: policy.id, policyType: "identity", policyKind: policy.type }, identity);
    }
  }
  // The root user and service principals are outside permissions boundaries.
  const boundaryApplies = policies.boundary !== undefined && !isService && !isRoot;
  if (boundaryApplies && policies.boundary !== undefined) {
    run(compilePolicy(policies.boundary.document, { kind: "identity" }), { policyId: policies.boundary.id, policyType: "boundary" }, boundary);
  }
  if (policies.resource !== undefined) {
    const kind = policies.resource.kind ?? "resource";
    run(compilePolicy(policies.resource.document, { kind }), { policyId: policies.resource.id, policyType: "resource" }, resource);
  }

  const base = { matched, missingContextValues: [...missing], trace };
  const finish = (decision: Decision["decision"], deciding: StatementRef | undefined, reasonClause: AccessDeniedClause | undefined): Decision => {
    let explanation: string | undefined;
    let hints: string[] | undefined;
    const result: Decision = {
      decision,
      ...(deciding === undefined ? {} : { deciding }),
      ...base,
      ...(reasonClause === undefined ? {} : { reasonClause }),
      get hints() {
        return (hints ??= suffixHints(request, trace));
      },
      get explanation() {
        return (explanation ??= renderExplanation(request, policies, result));
      },
    };
    return result;
  };

  // 1. Explicit deny anywhere.
  if (identity.deny !== undefined) return finish("explicitDeny", identity.deny, "identityExplicitDeny");
  if (resource.deny !== undefined) return finish("explicitDeny", resource.deny, "resourceExplicitDeny");
  if (boundary.deny !== undefined) return finish("explicitDeny", boundary.deny, "boundaryExplicitDeny");

  // 2. Service principals (trust policies) have no identity side: the resource-based policy alone decides.
  if (isService) {
    return resource.allow !== undefined ? finish("allowed", resource.allow, undefined) : finish("implicitDeny", undefined, "noResourceAllow");
  }

  const identityAllows = isRoot || identity.allow !== undefined;
  const boundaryAllows = !boundaryApplies || boundary.allow !== undefined;
  const sameAccount = principal.account === request.resourceAccount;

  if (sameAccount) {
    if (identityAllows && boundaryAllows) return finish("allowed", identity.allow ?? resource.allow, undefined);
    // A resource policy naming the caller's own ARN allows despite the boundary; naming the role or "*" does
    // not bypass the boundary; naming the account only delegates to identity-based policies.
    const m = resource.principalMatch;
    if (resource.allow !== undefined && m !== undefined) {
      if (m === "exact") return finish("allowed", resource.allow, undefined);
      if ((m === "role" || m === "wildcard") && boundaryAllows) return finish("allowed", resource.allow, undefined);
    }
    const boundaryIsWhy = !boundaryAllows && (identityAllows || (resource.allow !== undefined && m !== "account"));
    return finish("implicitDeny", undefined, boundaryIsWhy ? "noBoundaryAllow" : "noIdentityAllow");
  }

  // Cross-account: both the caller's account and the resource's policy must allow.
  if (!identityAllows) return finish("implicitDeny", undefined, "noIdentityAllow");
  if (!boundaryAllows) return finish("implicitDeny", undefined, "noBoundaryAllow");
  if (resource.allow === undefined) return finish("implicitDeny", undefined, "noResourceAllow");
  return finish("allowed", identity.allow ?? resource.allow, undefined);
}

function matchStatement(
  statement: CompiledStatement,
  request: AuthorizationRequest,
  actionLower: string,
  lookup: ContextLookup,
  missing: Set<string>,
): StatementOutcome {
  let principalMatch: PrincipalMatch | undefined;
  if (statement.principals !== undefined) {
    const m = statement.principals.match(request.principal);
    if (statement.principalNegated) {
      if (m !== undefined) return { result: "principal" };
      principalMatch = "wildcard";
    } else {
      if (m === undefined) return { result: "principal" };
      principalMatch = m;
    }
  }

  let actionHit = false;
  for (const matcher of statement.actions) if (matcher(actionLower)) { actionHit = true; break; }
  if (actionHit === statement.actionNegated) return { result: "action" };

  if (statement.resources !== undefined) {
    let resourceHit = false;
    for (const pattern of statement.resources) {
      const matcher = pattern.bind(lookup);
      if (matcher === undefined) {
        for (const key of pattern.variables) if (lookup(key.toLowerCase()) === undefined) missing.add(key);
        continue;
      }
      if (matcher(request.resource)) { resourceHit = true; break; }
    }
    if (resourceHit === statement.resourceNegated) {
      return { result: "resource", resources: statement.resources.map((p) => p.resolve(lookup) ?? p.raw) };
    }
  }

  for (const condition of statement.conditions) {
    if (!condition.test(lookup, missing)) {
      return {
        result: "condition",
        operator: condition.operator,
        key: condition.key,
        policyValues: condition.values,
        requestValue: lookup(condition.keyLower) as ContextValue,
      };
    }
  }
  return principalMatch === undefined ? { result: "matched" } : { result: "matched", principalMatch };
}
