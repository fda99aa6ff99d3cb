// AssumeRole: the caller (an account's admin or a role session) asks for a session of a role. The role's trust
// policy and the caller's own policies decide (sessions.ts); a refusal or a missing role is the same AccessDenied.
import { principalOf, requestPrincipal } from "../../auth/principal.ts";
import type { RequestContext } from "../../context.ts";
import { accessDeniedMessage } from "../../../aws/iam/index.ts";
import { AwsError } from "../../protocol/aws-error.ts";
import { StsText, invalidRoleArnText } from "../../../aws/texts.ts";
import { VALIDATION_ERROR, optionalQueryInteger, optionalQueryString, queryObjectList, requiredQueryString } from "../../protocol/query-input.ts";
import { parsePolicy } from "../../../aws/iam/index.ts";
import { asIamError } from "../iam/errors.ts";
import type { QueryInput } from "../../protocol/query-wire.ts";
import { getRole, principalPolicies, roleTags } from "../../state/iam.ts";
import { parseRoleArn } from "./role-arn.ts";
import { DEFAULT_DURATION_SECONDS, DurationRange, ROLE_CHAINING_MAX_SECONDS, RoleArnRules, RoleSessionNameRules, SessionPolicyRules, PolicyArnRules } from "./rules.ts";
import { checkTrust, issueSession, sessionResult } from "./sessions.ts";

export function AssumeRole(ctx: RequestContext, input: QueryInput) {
  const roleArnText = requiredQueryString(input, "RoleArn", RoleArnRules);
  const sessionName = requiredQueryString(input, "RoleSessionName", RoleSessionNameRules);
  const requested = optionalQueryInteger(input, "DurationSeconds", DurationRange);
  const tags = sessionTags(input);
  // Validated as STS does (issue 16, finding 8), then kept with the session: it narrows the session's permissions
  // (state/iam.ts principalPolicies → aws/iam/evaluate.ts).
  const sessionPolicy = optionalQueryString(input, "Policy", SessionPolicyRules);
  if (sessionPolicy !== undefined) asIamError(() => parsePolicy(sessionPolicy, { kind: "identity" }));
  const policyArns = sessionPolicyArns(input);
  const parts = parseRoleArn(roleArnText);
  if (parts === undefined) throw new AwsError(VALIDATION_ERROR, invalidRoleArnText(roleArnText));

  const caller = principalOf(ctx);
  const denied = () => new AwsError("AccessDenied", accessDeniedMessage(caller.arn, "sts:AssumeRole", roleArnText), 403);
  const role = getRole(ctx.store, parts.account, parts.roleName);
  // The ARN must name the role exactly (path included): another path is another (missing) role.
  if (role === undefined || role.arn !== roleArnText) throw denied();
  const trust = checkTrust(ctx, requestPrincipal(caller, roleTags(ctx.store, caller)), principalPolicies(ctx.store, caller), role, parts.account);
  if (!trust.allowed) throw denied();

  if (requested !== undefined && requested > role.maxSessionDuration) throw new AwsError(VALIDATION_ERROR, StsText.durationOverMaxSession);
  if (caller.type === "AssumedRole" && requested !== undefined && requested > ROLE_CHAINING_MAX_SECONDS) {
    throw new AwsError(VALIDATION_ERROR, StsText.durationOverChainLimit);
  }
  const duration = requested ?? DEFAULT_DURATION_SECONDS;
  return sessionResult(issueSession(ctx, role, parts.account, sessionName, duration, tags, { ...(sessionPolicy !== undefined && { policy: sessionPolicy }), ...(policyArns !== undefined && { policyArns }) }));
}

/**
 * Managed session policies (`PolicyArns.member.N.arn`): at most 10 (the service model's policyDescriptorListType),
 * each ARN 20–2048 characters (PolicyDescriptorType).
 */
function sessionPolicyArns(input: QueryInput): string[] | undefined {
  const list = queryObjectList(input, "PolicyArns", 10);
  if (list.length === 0) return undefined;
  // Named in errors as AWS names list members: policyArns.N.member.arn.
  return list.map((item, i) => {
    const member = `PolicyArns.${i + 1}.member.arn`;
    const arn = item.arn;
    return requiredQueryString(arn === undefined ? {} : { [member]: arn }, member, PolicyArnRules);
  });
}

/** Session tags (`Tags.member.N.Key/Value`) become aws:PrincipalTag values of the session. */
function sessionTags(input: QueryInput): Record<string, string> | undefined {
  const list = queryObjectList(input, "Tags", 50);
  if (list.length === 0) return undefined;
  const tags: Record<string, string> = {};
  for (const tag of list) {
    const key = tag.Key;
    const value = tag.Value;
    if (typeof key === "string" && typeof value === "string") tags[key] = value;
  }
  return tags;
}
