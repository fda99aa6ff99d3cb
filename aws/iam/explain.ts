// Words for a Decision: which statement decided, or for an implicit deny, per statement which part did not
// match (principal, action, resource, or the condition with its key and the request's value), plus hints for
// the common mistakes — first of all a secret ARN written without the 6-character suffix Secrets Manager adds.
import type { AuthorizationRequest, Decision, PolicySet, StatementRef, StatementTrace } from "./evaluate.ts";
import { accessDeniedClauseText } from "./texts.ts";

/** Shared with agent-sim/diagnosis/iam-check.ts's fixes, so the explanation and the fix say it in the same words. */
export const EXPLICIT_DENY_OVERRIDES = "an explicit deny overrides every allow.";
export const NO_REQUEST_VALUE = "the request has no value for it";

const POLICY_TYPE_WORDS = {
  identity: "identity-based policy",
  boundary: "permissions boundary",
  resource: "resource-based policy",
  session: "session policy",
} as const;

export function describeStatement(ref: StatementRef): string {
  const kind = ref.policyKind === undefined ? "" : ` (${ref.policyKind})`;
  const sid = ref.sid === undefined || ref.sid === "" ? "" : ` (Sid "${ref.sid}")`;
  const where = ref.positions === undefined ? "" : ` at line ${ref.positions.start.line}, column ${ref.positions.start.column}`;
  return `${POLICY_TYPE_WORDS[ref.policyType]} "${ref.policyId}"${kind}, statement ${ref.index}${sid}${where}`;
}

function list(values: readonly string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(", ")}]`;
}

function describeOutcome(trace: StatementTrace, request: AuthorizationRequest): string {
  const { outcome, source } = trace;
  switch (outcome.result) {
    case "matched":
      return `applies (${source.effect})`;
    case "principal":
      return `${source.principal !== undefined ? "Principal" : "NotPrincipal"} does not cover ${request.principal.arn}`;
    case "action":
      return source.action !== undefined
        ? `action ${request.action} is not in Action ${list(source.action)}`
        : `action ${request.action} is excluded by NotAction ${list(source.notAction ?? [])}`;
    case "resource":
      return source.resource !== undefined
        ? `resource ${request.resource} is not matched by Resource ${list(outcome.resources)}`
        : `resource ${request.resource} is excluded by NotResource ${list(outcome.resources)}`;
    case "condition": {
      const value = outcome.requestValue;
      const got = value === undefined ? NO_REQUEST_VALUE : `the request has ${Array.isArray(value) ? list(value) : JSON.stringify(value)}`;
      return `condition ${outcome.operator} {"${outcome.key}": ${list(outcome.policyValues)}} is false: ${got}`;
    }
  }
}

// arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<6 characters>
const SECRET_ARN = /^(arn:[^:]+:secretsmanager:[^:]*:\d{12}:secret:.+)-([A-Za-z0-9]{6})$/;

/** Hints for Allow statements that failed only because a secret ARN lacks its `-??????` suffix. */
export function suffixHints(request: AuthorizationRequest, trace: readonly StatementTrace[]): string[] {
  const m = SECRET_ARN.exec(request.resource);
  if (m === null) return [];
  const withoutSuffix = m[1] as string;
  const hints: string[] = [];
  for (const t of trace) {
    if (t.outcome.result !== "resource" || t.source.effect !== "Allow" || t.source.resource === undefined) continue;
    if (!t.outcome.resources.includes(withoutSuffix)) continue;
    hints.push(
      `${describeStatement(t.statement)} names "${withoutSuffix}", the secret's ARN without the 6-character suffix ` +
        `"-${m[2] as string}" that Secrets Manager adds: write "${withoutSuffix}-??????" (or the full ARN "${request.resource}").`,
    );
  }
  return hints;
}

export function renderExplanation(request: AuthorizationRequest, policies: PolicySet, decision: Decision): string {
  const lines: string[] = [];
  const what = `${request.principal.arn} → ${request.action} on ${request.resource}`;
  if (decision.decision === "allowed") {
    lines.push(
      decision.deciding === undefined
        ? `Allowed: ${what} (the account's root user).`
        : `Allowed: ${what} by ${describeStatement(decision.deciding)}.`,
    );
    return lines.join("\n");
  }
  if (decision.decision === "explicitDeny" && decision.deciding !== undefined) {
    lines.push(`Explicitly denied: ${what} by ${describeStatement(decision.deciding)}; ${EXPLICIT_DENY_OVERRIDES}`);
    return lines.join("\n");
  }
  const clause = decision.reasonClause === undefined ? "no policy allows it" : accessDeniedClauseText(decision.reasonClause, request.action);
  lines.push(`Implicitly denied: ${what}, ${clause}.`);
  if (decision.reasonClause === "noResourceAllow" && request.principal.account !== request.resourceAccount && request.principal.type !== "Service") {
    lines.push(
      `The caller is in account ${request.principal.account} and the resource in account ${request.resourceAccount}: ` +
        "a cross-account request needs an allow in the resource-based policy as well as in the caller's identity-based policies.",
    );
  }
  const shown = new Set(
    decision.reasonClause === "noBoundaryAllow" ? ["boundary"]
      : decision.reasonClause === "noSessionAllow" ? ["session"]
        : decision.reasonClause === "noResourceAllow" ? ["resource"] : ["identity", "resource"],
  );
  if (shown.has("identity") && policies.identity.length === 0 && request.principal.type !== "Service") {
    lines.push("The principal has no identity-based policies.");
  }
  if (shown.has("resource") && policies.resource === undefined && decision.reasonClause === "noResourceAllow") {
    lines.push("The resource has no resource-based policy.");
  }
  for (const t of decision.trace) {
    if (!shown.has(t.statement.policyType)) continue;
    lines.push(`- ${describeStatement(t.statement)}: ${describeOutcome(t, request)}.`);
  }
  for (const hint of decision.hints) lines.push(`Hint: ${hint}`);
  return lines.join("\n");
}
