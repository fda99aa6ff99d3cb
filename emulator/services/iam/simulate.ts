// SimulateCustomPolicy and SimulatePrincipalPolicy: the emulator's own evaluator answers "would this be allowed,
// and by which statement?" in IAM's EvaluationResults shape (EvalDecision, MatchedStatements with positions,
// MissingContextValues), one result per action and resource.
import type { RequestContext } from "../../context.ts";
import {
  type BoundaryPolicyRef,
  type ContextValue,
  type IdentityPolicyRef,
  type PolicySet,
  type RequestPrincipal,
  type ResourcePolicyRef,
  type StatementRef,
  evaluate,
  parsePolicy,
} from "../../../aws/iam/index.ts";
import { IamText, noSuchRoleText } from "../../../aws/texts.ts";
import { optionalQueryString, queryObjectList, queryStringList, requiredQueryString } from "../../protocol/query-input.ts";
import type { QueryInput, QueryValue } from "../../protocol/query-wire.ts";
import { XmlMap, type XmlValue } from "../../protocol/xml.ts";
import { getRole, rolePolicies } from "../../state/iam.ts";
import { parseRoleArn } from "../sts/role-arn.ts";
import { requireIamPermission } from "./authorize-iam.ts";
import { asIamError, invalidInput, noSuchEntity } from "./errors.ts";
import { ArnRules } from "./rules.ts";

/** Where each policy of the simulation came from, as IAM names it in MatchedStatements. */
interface Source {
  id: string;
  type: "role" | "aws-managed" | "user-managed" | "resource" | "none";
}

interface Simulation {
  principal: RequestPrincipal;
  policies: PolicySet;
  sources: Map<string, Source>;
}

export function SimulateCustomPolicy(ctx: RequestContext, input: QueryInput) {
  requireIamPermission(ctx, "iam:SimulateCustomPolicy", "*");
  const sources = new Map<string, Source>();
  const identity = inputPolicies(input, "PolicyInputList", sources, true);
  const boundaries = inputPolicies(input, "PermissionsBoundaryPolicyInputList", sources, false);
  const callerArn = optionalQueryString(input, "CallerArn", { min: 1, max: 2048 });
  const principal = principalFor(callerArn ?? `arn:aws:iam::${ctx.account}:user/SimulatedUser`, ctx.account);
  const policies: PolicySet = { identity };
  const boundary = boundaries[0];
  if (boundary !== undefined) policies.boundary = boundary;
  return simulate(ctx, input, { principal, policies, sources });
}

export function SimulatePrincipalPolicy(ctx: RequestContext, input: QueryInput) {
  const sourceArn = requiredQueryString(input, "PolicySourceArn", ArnRules);
  requireIamPermission(ctx, "iam:SimulatePrincipalPolicy", sourceArn);
  const parts = parseRoleArn(sourceArn);
  if (parts === undefined || parts.account !== ctx.account) throw invalidInput(IamText.simulateSource);
  const role = getRole(ctx.store, ctx.account, parts.roleName);
  if (role === undefined) throw noSuchEntity(noSuchRoleText(parts.roleName));
  const sources = new Map<string, Source>();
  const own = rolePolicies(ctx.store, role, ctx.account);
  for (const p of own.identity) sources.set(p.id, { id: p.name ?? p.id, type: p.type === "inline" ? "role" : p.arn?.startsWith("arn:aws:iam::aws:") ? "aws-managed" : "user-managed" });
  const extra = inputPolicies(input, "PolicyInputList", sources, false);
  const boundaries = inputPolicies(input, "PermissionsBoundaryPolicyInputList", sources, false);
  if (own.boundary !== undefined) sources.set(own.boundary.id, { id: own.boundary.name ?? own.boundary.id, type: own.boundary.arn?.startsWith("arn:aws:iam::aws:") ? "aws-managed" : "user-managed" });
  const callerArn = optionalQueryString(input, "CallerArn", { min: 1, max: 2048 });
  const policies: PolicySet = { identity: [...own.identity, ...extra] };
  const boundary = boundaries[0] ?? own.boundary;
  if (boundary !== undefined) policies.boundary = boundary;
  return simulate(ctx, input, { principal: principalFor(callerArn ?? role.arn, ctx.account, role.tags), policies, sources });
}

/** PolicyInputList.member.N: each checked with the grammar, named `PolicyInputList.N` like IAM. */
function inputPolicies(input: QueryInput, member: string, sources: Map<string, Source>, required: boolean): IdentityPolicyRef[] & BoundaryPolicyRef[] {
  const texts = required ? queryStringList(input, member, { min: 1, max: 131072 }) : queryStringList(input, member, { max: 131072 });
  if (required && texts.length === 0) requiredQueryString(input, member);
  return texts.map((document, i) => {
    asIamError(() => parsePolicy(document, { kind: "identity" }));
    const id = `${member}.${i + 1}`;
    sources.set(id, { id, type: "none" });
    return { id, type: "inline" as const, document };
  });
}

function principalFor(arn: string, account: string, roleTags?: { Key: string; Value: string }[]): RequestPrincipal {
  const accountOf = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1] ?? account;
  const type: RequestPrincipal["type"] = /:assumed-role\//.test(arn) ? "AssumedRole" : /:role\//.test(arn) ? "Role" : /:root$/.test(arn) ? "Root" : "User";
  const principal: RequestPrincipal = { arn, account: accountOf, type };
  if (roleTags !== undefined && roleTags.length > 0) principal.tags = Object.fromEntries(roleTags.map((t) => [t.Key, t.Value]));
  return principal;
}

function contextEntries(input: QueryInput): Record<string, ContextValue> {
  const out: Record<string, ContextValue> = {};
  for (const entry of queryObjectList(input, "ContextEntries")) {
    const name = entry.ContextKeyName;
    if (typeof name !== "string") continue;
    const type = typeof entry.ContextKeyType === "string" ? entry.ContextKeyType : "string";
    const raw: QueryValue[] = Array.isArray(entry.ContextKeyValues) ? entry.ContextKeyValues : entry.ContextKeyValues === undefined ? [] : [entry.ContextKeyValues];
    const values = raw.filter((v): v is string => typeof v === "string");
    out[name] = type.endsWith("List") ? values : values[0];
  }
  return out;
}

function simulate(ctx: RequestContext, input: QueryInput, sim: Simulation) {
  const actions = queryStringList(input, "ActionNames", { min: 3, max: 128 });
  if (actions.length === 0) requiredQueryString(input, "ActionNames");
  const resources = queryStringList(input, "ResourceArns", { min: 1, max: 2048 });
  const resourcePolicyText = optionalQueryString(input, "ResourcePolicy", { min: 1, max: 131072 });
  const owner = optionalQueryString(input, "ResourceOwner", { min: 1, max: 2048 });
  const context = contextEntries(input);
  let resource: ResourcePolicyRef | undefined;
  if (resourcePolicyText !== undefined) {
    asIamError(() => parsePolicy(resourcePolicyText, { kind: "resource" }));
    resource = { id: "ResourcePolicy", kind: "resource", document: resourcePolicyText };
    sim.sources.set("ResourcePolicy", { id: "ResourcePolicy", type: "resource" });
  }
  const policies: PolicySet = resource === undefined ? sim.policies : { ...sim.policies, resource };
  const ownerAccount = owner === undefined ? undefined : (/(\d{12})/.exec(owner)?.[1] ?? undefined);
  const results: XmlValue[] = [];
  for (const action of actions) {
    for (const resourceArn of resources.length === 0 ? ["*"] : resources) {
      const resourceAccount = ownerAccount ?? /^arn:[^:]*:[^:]*:[^:]*:(\d{12}):/.exec(resourceArn)?.[1] ?? ctx.account;
      const decision = evaluate({ principal: sim.principal, action, resource: resourceArn, resourceAccount, context }, policies);
      const result: Record<string, XmlValue> = {
        EvalActionName: action,
        EvalResourceName: resourceArn,
        EvalDecision: decision.decision,
        MatchedStatements: decision.matched.map((s) => matchedStatement(s, sim.sources)),
        MissingContextValues: decision.missingContextValues,
      };
      if (policies.boundary !== undefined) {
        const boundaryAllows = decision.reasonClause !== "noBoundaryAllow" && decision.reasonClause !== "boundaryExplicitDeny";
        result.PermissionsBoundaryDecisionDetail = { AllowedByPermissionsBoundary: boundaryAllows };
      }
      if (resource !== undefined) {
        const byResource = decision.matched.filter((s) => s.policyType === "resource");
        const resourceDecision = byResource.some((s) => s.effect === "Deny") ? "explicitDeny" : byResource.length > 0 ? "allowed" : "implicitDeny";
        result.EvalDecisionDetails = new XmlMap([["ResourcePolicy", resourceDecision]]);
      }
      results.push(result);
    }
  }
  return { EvaluationResults: results, IsTruncated: false };
}

function matchedStatement(s: StatementRef, sources: Map<string, Source>): Record<string, XmlValue> {
  const source = sources.get(s.policyId) ?? { id: s.policyId, type: "none" };
  const out: Record<string, XmlValue> = { SourcePolicyId: source.id, SourcePolicyType: source.type };
  if (s.positions !== undefined) {
    out.StartPosition = { Line: s.positions.start.line, Column: s.positions.start.column };
    out.EndPosition = { Line: s.positions.end.line, Column: s.positions.end.column };
  }
  return out;
}
