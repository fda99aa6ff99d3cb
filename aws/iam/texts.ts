// Every AWS text the IAM evaluator produces, once. Tests compare against these constants byte for byte.
// Source: /work/shared/design/AWS-ERRORS.md ("IAM" and "Access denied"). Texts marked UNCONFIRMED are not in
// that table; they follow public reports of real AWS answers and live here so they are easy to correct.

/** HTTP status and code of IAM's policy-document errors. */
export const MALFORMED_POLICY_DOCUMENT = "MalformedPolicyDocument";
export const LIMIT_EXCEEDED = "LimitExceeded";

export const MalformedPolicyText = {
  syntax: "Syntax errors in policy.",
  legacyParsing: "The policy failed legacy parsing",
  version: "Policy document must be version 2012-10-17 or greater.",
  noActions: "Policy statement must contain actions.",
  noResources: "Policy statement must contain resources.",
  vendor: "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
  duplicateSid: "Statement IDs (SID) in a single policy must be unique.",
  trustInvalidJson: "This policy contains invalid Json",
  trustStsOnly: "AssumeRole policy may only specify STS AssumeRole actions.",
  /** UNCONFIRMED: identity policy (CreatePolicy / PutRolePolicy) carrying Principal or NotPrincipal. */
  identityHasPrincipal: "Policy document should not specify a principal.",
  /** UNCONFIRMED: trust or resource policy without Principal / NotPrincipal. */
  missingPrincipal: "Missing required field Principal",
} as const;

/** `Resource <value> must be in ARN format or "*".` */
export function resourceNotArnText(value: string): string {
  return `Resource ${value} must be in ARN format or "*".`;
}

/** Trust policies may not name resources: `Has prohibited field Resource` (also used for NotResource). */
export function prohibitedFieldText(field: string): string {
  return `Has prohibited field ${field}`;
}

/** UNCONFIRMED: a Principal value that is not a principal, e.g. `Invalid principal in policy: "AWS":"bob"`. */
export function invalidPrincipalText(type: string, value: string): string {
  return `Invalid principal in policy: "${type}":"${value}"`;
}

/** LimitExceeded (409) when the inline policies of one role together exceed 10,240 characters. */
export function roleInlinePolicySizeText(roleName: string): string {
  return `Maximum policy size of 10240 bytes exceeded for role ${roleName}`;
}

/** LimitExceeded (409) for a managed policy over 6,144 characters. */
export const managedPolicySizeText = "Cannot exceed quota for PolicySize: 6144";

export const ROLE_INLINE_POLICY_LIMIT = 10240;
export const MANAGED_POLICY_LIMIT = 6144;

/** Which AWS clause ends an access-denied message. */
export type AccessDeniedClause =
  | "noIdentityAllow"
  | "identityExplicitDeny"
  | "resourceExplicitDeny"
  | "noResourceAllow"
  | "noBoundaryAllow"
  | "boundaryExplicitDeny"
  | "noSessionAllow"
  | "sessionExplicitDeny";

export function accessDeniedClauseText(clause: AccessDeniedClause, action: string): string {
  switch (clause) {
    case "noIdentityAllow":
      return `because no identity-based policy allows the ${action} action`;
    case "identityExplicitDeny":
      return "with an explicit deny in an identity-based policy";
    case "resourceExplicitDeny":
      return "with an explicit deny in a resource-based policy";
    case "noResourceAllow":
      return `because no resource-based policy allows the ${action} action`;
    case "noBoundaryAllow":
      return `because no permissions boundary allows the ${action} action`;
    case "boundaryExplicitDeny":
      return "with an explicit deny in a permissions boundary";
    // The session-policy clauses: IAM User Guide, "Troubleshoot access denied error messages"
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html).
    case "noSessionAllow":
      return `because no session policy allows the ${action} action`;
    case "sessionExplicitDeny":
      return "with an explicit deny in a session policy";
  }
}

/**
 * AWS's access-denied text, no final period. `resource` is what the caller passed (for Secrets Manager the SecretId
 * as given). Without a clause (STS AssumeRole refusals) the text ends after the resource.
 */
export function accessDeniedMessage(
  principalArn: string,
  action: string,
  resource: string,
  clause?: AccessDeniedClause,
): string {
  const head = `${notAuthorized(principalArn, action)} on resource: ${resource}`;
  return clause === undefined ? head : `${head} ${accessDeniedClauseText(clause, action)}`;
}

/** AccessDeniedException for an action on no particular resource (ListSecrets, CreateKey): no "on resource". UNCONFIRMED. */
export function accessDeniedNoResourceText(principalArn: string, action: string, clause: string): string {
  return `${notAuthorized(principalArn, action)} ${clause}`;
}

/**
 * KMS's AccessDeniedException when the key is in another account, does not exist there, or its policy does not let
 * the caller in: KMS does not say which.
 */
export function kmsNotVisibleText(principalArn: string, action: string): string {
  return `${notAuthorized(principalArn, action)} on this resource because the resource does not exist in this Region, no resource-based policies allow access, or a resource-based policy explicitly denies access`;
}

/** The head every access-denied text starts with. */
function notAuthorized(principalArn: string, action: string): string {
  return `User: ${principalArn} is not authorized to perform: ${action}`;
}
