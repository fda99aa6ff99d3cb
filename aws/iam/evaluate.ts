// The IAM decision for one request, as the IAM User Guide's policy evaluation logic describes it: an explicit
// deny anywhere wins; in the same account an identity-based allow (within the permissions boundary) or a
// resource-based allow suffices; across accounts both sides must allow; otherwise the implicit deny. Pure: the
// caller hands in the principal, the request context and the policy texts; the result says which statement
// decided, which AWS clause applies, and (lazily) why in words.
import { compilePolicy, type CompiledPolicy, type CompiledStatement } from "./compile.ts";
import type { PolicyStatement } from "./policy-grammar.ts";
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

/** A session policy passed to AssumeRole (`Policy`, inline). */
export interface SessionPolicyRef {
  id: string;
  document: string;
}

export interface PolicySet {
  identity: IdentityPolicyRef[];
  boundary?: BoundaryPolicyRef;
  resource?: ResourcePolicyRef;
  /** The role session's session policies (inline and managed); present only when AssumeRole was given any. */
  session?: SessionPolicyRef[];
}

export type PolicyType = "identity" | "boundary" | "resource" | "session";

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
  /** The statement as written (actions, resources, principal) for explanations. */
  source: PolicyStatement;
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
  /** Every statement of every applicable policy with the first part that did not apply. Built on first read. */
  readonly trace: StatementTrace[];
}

/** The request context with case-insensitive keys and the values AWS derives from the principal. */
function buildContext(request: AuthorizationRequest): Map<string, string | readonly string[]> {
  const map = new Map<string, string | readonly string[]>();
  const { principal, context } = request;
  if (context !== undefined) {
    for (const key in context) {
      const value = context[key];
      if (value !== undefined) map.set(lowerCase(key), value);
    }
  }
  if (principal.type === "Service") {
    setDefault(map, "aws:principalservicename", principal.arn);
    return map;
  }
  // For a role session, aws:PrincipalArn is the role's ARN (the path is unknown here: pass it in the context).
  setDefault(map, "aws:principalarn", principal.type === "AssumedRole" ? (roleArnOfSession(principal.arn) ?? principal.arn) : principal.arn);
  setDefault(map, "aws:principalaccount", principal.account);
  setDefault(map, "aws:principaltype", principal.type === "Root" ? "Account" : principal.type === "Role" ? "AssumedRole" : principal.type);
  if (principal.type === "User") {
    const name = /:user\/(?:.*\/)?([^/]+)$/.exec(principal.arn)?.[1];
    if (name !== undefined) setDefault(map, "aws:username", name);
  }
  const tags = principal.tags;
  if (tags !== undefined) for (const tag in tags) setDefault(map, `aws:principaltag/${tag.toLowerCase()}`, tags[tag] as string);
  return map;
}

// Context keys and actions repeat on every request (`aws:RequestedRegion`, `secretsmanager:GetSecretValue`): their
// lower-case forms are kept rather than made per request (issue 17). Bounded: texts up to 256 characters, cleared
// when full; a kept key is a copy (a key read from a request may be a slice of its whole body).
const lowerCased = new Map<string, string>();
const LOWER_CASED_LIMIT = 4096;
const LOWER_CASED_MAX_LENGTH = 256;

function lowerCase(text: string): string {
  let lower = lowerCased.get(text);
  if (lower === undefined) {
    lower = text.toLowerCase();
    if (text.length <= LOWER_CASED_MAX_LENGTH) {
      if (lowerCased.size >= LOWER_CASED_LIMIT) lowerCased.clear();
      lowerCased.set(` ${text}`.slice(1), lower);
    }
  }
  return lower;
}

function setDefault(map: Map<string, string | readonly string[]>, key: string, value: string): void {
  if (!map.has(key)) map.set(key, value);
}

interface Side {
  allow?: StatementRef;
  deny?: StatementRef;
  /** Strongest principal match among resource-policy allows. */
  principalMatch?: PrincipalMatch;
}

type PolicyBase = Pick<StatementRef, "policyId" | "policyType" | "policyKind">;

const STRENGTH: Record<PrincipalMatch, number> = { exact: 3, role: 2, wildcard: 1, account: 0 };

// Outcomes without detail are shared: the fast path allocates nothing for statements that do not apply.
const PRINCIPAL_MISS: StatementOutcome = Object.freeze({ result: "principal" });
const ACTION_MISS: StatementOutcome = Object.freeze({ result: "action" });
const RESOURCE_MISS: StatementOutcome = Object.freeze({ result: "resource", resources: [] });
const CONDITION_MISS: StatementOutcome = Object.freeze({ result: "condition", operator: "", key: "", policyValues: [], requestValue: undefined });
const MATCHED: StatementOutcome = Object.freeze({ result: "matched" });
const MATCHED_BY: Record<PrincipalMatch, StatementOutcome> = {
  exact: Object.freeze({ result: "matched", principalMatch: "exact" }),
  role: Object.freeze({ result: "matched", principalMatch: "role" }),
  account: Object.freeze({ result: "matched", principalMatch: "account" }),
  wildcard: Object.freeze({ result: "matched", principalMatch: "wildcard" }),
};

function statementRef(base: PolicyBase, statement: CompiledStatement): StatementRef {
  const ref: StatementRef = { policyId: base.policyId, policyType: base.policyType, index: statement.index, effect: statement.effect };
  if (base.policyKind !== undefined) ref.policyKind = base.policyKind;
  if (statement.sid !== undefined) ref.sid = statement.sid;
  if (statement.positions !== undefined) ref.positions = statement.positions;
  return ref;
}

/** One pass over every applicable policy. With `tracing`, each statement's outcome is recorded in detail. */
class Evaluation {
  readonly matched: StatementRef[] = [];
  readonly missing = new Set<string>();
  readonly trace: StatementTrace[] = [];
  readonly identity: Side = {};
  readonly boundary: Side = {};
  readonly resource: Side = {};
  readonly session: Side = {};
  readonly context: Map<string, string | readonly string[]>;
  readonly actionLower: string;
  readonly boundaryApplies: boolean;
  readonly sessionApplies: boolean;

  constructor(readonly request: AuthorizationRequest, policies: PolicySet, private readonly tracing: boolean) {
    this.context = buildContext(request);
    this.actionLower = lowerCase(request.action);
    const type = request.principal.type;
    if (type !== "Service") {
      for (const policy of policies.identity) {
        this.run(compilePolicy(policy.document, IDENTITY), { policyId: policy.id, policyType: "identity", policyKind: policy.type }, this.identity);
      }
    }
    // The root user and service principals are outside permissions boundaries.
    this.boundaryApplies = policies.boundary !== undefined && type !== "Service" && type !== "Root";
    if (this.boundaryApplies && policies.boundary !== undefined) {
      this.run(compilePolicy(policies.boundary.document, IDENTITY), { policyId: policies.boundary.id, policyType: "boundary" }, this.boundary);
    }
    // Session policies narrow a role session only (IAM User Guide, "Session policies").
    // An empty list (managed session policies that no longer exist) allows nothing.
    this.sessionApplies = policies.session !== undefined && type === "AssumedRole";
    if (this.sessionApplies && policies.session !== undefined) {
      for (const policy of policies.session) this.run(compilePolicy(policy.document, IDENTITY), { policyId: policy.id, policyType: "session" }, this.session);
    }
    if (policies.resource !== undefined) {
      const options = policies.resource.kind === "trust" ? TRUST : RESOURCE;
      this.run(compilePolicy(policies.resource.document, options), { policyId: policies.resource.id, policyType: "resource" }, this.resource);
    }
  }

  private run(compiled: CompiledPolicy, base: PolicyBase, side: Side): void {
    for (const statement of compiled.statements) {
      const outcome = this.match(statement);
      if (this.tracing) this.trace.push({ statement: statementRef(base, statement), source: statement.source, outcome });
      if (outcome.result !== "matched") continue;
      const ref = statementRef(base, statement);
      this.matched.push(ref);
      if (statement.effect === "Deny") side.deny ??= ref;
      else {
        side.allow ??= ref;
        const m = outcome.principalMatch;
        if (m !== undefined && (side.principalMatch === undefined || STRENGTH[m] > STRENGTH[side.principalMatch])) side.principalMatch = m;
      }
    }
  }

  private match(statement: CompiledStatement): StatementOutcome {
    const { request, context, missing } = this;
    let principalMatch: PrincipalMatch | undefined;
    if (statement.principals !== undefined) {
      const m = statement.principals.match(request.principal);
      if (statement.principalNegated) {
        if (m !== undefined) return PRINCIPAL_MISS;
        principalMatch = "wildcard";
      } else {
        if (m === undefined) return PRINCIPAL_MISS;
        principalMatch = m;
      }
    }

    let actionHit = false;
    for (const matcher of statement.actions) if (matcher(this.actionLower)) { actionHit = true; break; }
    if (actionHit === statement.actionNegated) return ACTION_MISS;

    if (statement.resources !== undefined) {
      let resourceHit = false;
      for (const pattern of statement.resources) {
        const matcher = pattern.bind(context);
        if (matcher === undefined) {
          for (const key of pattern.variables) if (context.get(key.toLowerCase()) === undefined) missing.add(key);
          continue;
        }
        if (matcher(request.resource)) { resourceHit = true; break; }
      }
      if (resourceHit === statement.resourceNegated) {
        if (!this.tracing) return RESOURCE_MISS;
        return { result: "resource", resources: statement.resources.map((p) => p.resolve(context) ?? p.raw) };
      }
    }

    for (const condition of statement.conditions) {
      if (!condition.test(context, missing)) {
        if (!this.tracing) return CONDITION_MISS;
        const value = context.get(condition.keyLower);
        return {
          result: "condition",
          operator: condition.operator,
          key: condition.key,
          policyValues: condition.values,
          requestValue: typeof value === "string" || value === undefined ? value : [...value],
        };
      }
    }
    return principalMatch === undefined ? MATCHED : MATCHED_BY[principalMatch];
  }
}

const IDENTITY = { kind: "identity" } as const;
const RESOURCE = { kind: "resource" } as const;
const TRUST = { kind: "trust" } as const;

interface Verdict {
  decision: Decision["decision"];
  deciding?: StatementRef;
  reasonClause?: AccessDeniedClause;
}

// A function of the module rather than a closure in `verdict` (issue 17: the bundle's keepNames renamed that
// closure — an Object.defineProperty — on every enforced request).
function allowedBy(ref: StatementRef | undefined): Verdict {
  return ref === undefined ? { decision: "allowed" } : { decision: "allowed", deciding: ref };
}

/**
 * AWS's decision from what each policy type said. Session policies follow the IAM User Guide, "Session policies"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session): the session's
 * permissions are the intersection of the role's identity-based policies and the session policies; an explicit
 * deny in either denies; a resource-based policy naming the role's ARN is limited by the session policy, one
 * naming the session's own ARN is not (its permissions are added after the session is created).
 */
function verdict(ev: Evaluation): Verdict {
  const { identity, boundary, resource, session, request } = ev;
  const { principal } = request;
  // 1. Explicit deny anywhere.
  if (identity.deny !== undefined) return { decision: "explicitDeny", deciding: identity.deny, reasonClause: "identityExplicitDeny" };
  if (resource.deny !== undefined) return { decision: "explicitDeny", deciding: resource.deny, reasonClause: "resourceExplicitDeny" };
  if (boundary.deny !== undefined) return { decision: "explicitDeny", deciding: boundary.deny, reasonClause: "boundaryExplicitDeny" };
  if (session.deny !== undefined) return { decision: "explicitDeny", deciding: session.deny, reasonClause: "sessionExplicitDeny" };

  // 2. Service principals (trust policies) have no identity side: the resource-based policy alone decides.
  if (principal.type === "Service") {
    return resource.allow !== undefined ? { decision: "allowed", deciding: resource.allow } : { decision: "implicitDeny", reasonClause: "noResourceAllow" };
  }

  const identityAllows = principal.type === "Root" || identity.allow !== undefined;
  const boundaryAllows = !ev.boundaryApplies || boundary.allow !== undefined;
  const sessionAllows = !ev.sessionApplies || session.allow !== undefined;

  if (principal.account === request.resourceAccount) {
    if (identityAllows && boundaryAllows && sessionAllows) return allowedBy(identity.allow ?? resource.allow);
    // A resource policy naming the caller's own ARN (for a session, the session's ARN) allows despite the
    // boundary and the session policy; naming the role or "*" goes through both; naming the account only
    // delegates to identity-based policies.
    const m = resource.principalMatch;
    if (resource.allow !== undefined && m !== undefined) {
      if (m === "exact") return allowedBy(resource.allow);
      if ((m === "role" || m === "wildcard") && boundaryAllows && sessionAllows) return allowedBy(resource.allow);
    }
    const resourceWouldAllow = resource.allow !== undefined && m !== "account";
    const boundaryIsWhy = !boundaryAllows && (identityAllows || resourceWouldAllow);
    if (boundaryIsWhy) return { decision: "implicitDeny", reasonClause: "noBoundaryAllow" };
    const sessionIsWhy = !sessionAllows && (identityAllows || resourceWouldAllow);
    return { decision: "implicitDeny", reasonClause: sessionIsWhy ? "noSessionAllow" : "noIdentityAllow" };
  }

  // Cross-account: both the caller's account (identity, boundary, session policies) and the resource's policy must allow.
  if (!identityAllows) return { decision: "implicitDeny", reasonClause: "noIdentityAllow" };
  if (!boundaryAllows) return { decision: "implicitDeny", reasonClause: "noBoundaryAllow" };
  if (!sessionAllows) return { decision: "implicitDeny", reasonClause: "noSessionAllow" };
  if (resource.allow === undefined) return { decision: "implicitDeny", reasonClause: "noResourceAllow" };
  return allowedBy(identity.allow ?? resource.allow);
}

/**
 * A decision whose trace, hints and explanation are computed on first read. A class with its getters on the
 * prototype rather than an object literal with getters (issue 17): V8 (Node 20) allocated every literal with accessors
 * in a way that survived young collections — each enforced request's decision was promoted to the old generation.
 */
class LazyDecision implements Decision {
  deciding?: StatementRef;
  reasonClause?: AccessDeniedClause;
  readonly #request: AuthorizationRequest;
  readonly #policies: PolicySet;
  #trace?: StatementTrace[];
  #hints?: string[];
  #explanation?: string;

  constructor(
    public decision: Decision["decision"],
    readonly matched: StatementRef[],
    readonly missingContextValues: string[],
    request: AuthorizationRequest,
    policies: PolicySet,
  ) {
    this.#request = request;
    this.#policies = policies;
  }

  get trace(): StatementTrace[] {
    return (this.#trace ??= new Evaluation(this.#request, this.#policies, true).trace);
  }

  get hints(): string[] {
    return (this.#hints ??= suffixHints(this.#request, this.trace));
  }

  get explanation(): string {
    return (this.#explanation ??= renderExplanation(this.#request, this.#policies, this));
  }

  /** The same JSON as the plain object it replaced: the lazy parts included. */
  toJSON(): object {
    const { decision, matched, missingContextValues, trace, hints, explanation, deciding, reasonClause } = this;
    return { decision, matched, missingContextValues, trace, hints, explanation, deciding, reasonClause };
  }
}

/**
 * Decides one request. Throws MalformedPolicyDocument if a stored policy does not parse. The statement-by-statement
 * trace, the hints and the explanation are computed on first read (a second, tracing pass), so enforcement pays
 * only for the decision.
 */
export function evaluate(request: AuthorizationRequest, policies: PolicySet): Decision {
  const ev = new Evaluation(request, policies, false);
  const v = verdict(ev);
  const decision = new LazyDecision(v.decision, ev.matched, ev.missing.size === 0 ? [] : [...ev.missing], request, policies);
  if (v.deciding !== undefined) decision.deciding = v.deciding;
  if (v.reasonClause !== undefined) decision.reasonClause = v.reasonClause;
  return decision;
}
