// STS's input limits (the service model's) and the role session rules.
import type { QueryStringRules } from "../../protocol/query-input.ts";

export const STS_VERSION = "2011-06-15";
export const STS_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

export const RoleArnRules: QueryStringRules = { min: 20, max: 2048 };
export const RoleSessionNameRules: QueryStringRules = { min: 2, max: 64, pattern: { regex: /^[\w+=,.@-]*$/, text: "[\\w+=,.@-]*" } };
export const DurationRange = { min: 900, max: 43200 } as const;
export const DEFAULT_DURATION_SECONDS = 3600;
/** A role session assuming another role (role chaining) gets at most one hour. */
export const ROLE_CHAINING_MAX_SECONDS = 3600;
/**
 * AssumeRole's inline session policy (`Policy`): the STS service model's sessionPolicyDocumentType (botocore
 * sts/2011-06-15/service-2.json: length 1–2048, pattern below). Within it the document must be a valid identity
 * policy (IAM's grammar, MalformedPolicyDocument otherwise); its nesting is bounded by the length.
 */
export const SessionPolicyRules: QueryStringRules = {
  min: 1,
  max: 2048,
  // eslint-disable-next-line no-control-regex -- tab, LF and CR are what the service model allows
  pattern: { regex: /^[\u0009\u000A\u000D\u0020-\u00FF]+$/, text: "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+" },
};

/** A managed session policy's ARN (`PolicyArns.member.N.arn`): the service model's arnType, length 20–2048. */
export const PolicyArnRules: QueryStringRules = { min: 20, max: 2048 };
