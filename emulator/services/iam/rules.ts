// IAM's input limits (the service model's), API version and namespace, and ARN builders.
import type { QueryStringRules } from "../../protocol/query-input.ts";

export const IAM_VERSION = "2010-05-08";
export const IAM_NAMESPACE = "https://iam.amazonaws.com/doc/2010-05-08/";

const NAME = { regex: /^[\w+=,.@-]+$/, text: "[\\w+=,.@-]+" };
export const RoleNameRules: QueryStringRules = { min: 1, max: 64, pattern: NAME };
export const PolicyNameRules: QueryStringRules = { min: 1, max: 128, pattern: NAME };
export const PathRules: QueryStringRules = { min: 1, max: 512, pattern: { regex: /^(\/|\/[\x21-\x7e]+\/)$/, text: "(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)" } };
export const PathPrefixRules: QueryStringRules = { min: 1, max: 512, pattern: { regex: /^\/[\x21-\x7e]*$/, text: "\\u002F[\\u0021-\\u007F]*" } };
export const PolicyDocumentRules: QueryStringRules = { min: 1, max: 131072 };
export const ArnRules: QueryStringRules = { min: 20, max: 2048 };
export const DescriptionRules: QueryStringRules = { max: 1000 };
export const MaxSessionDurationRange = { min: 3600, max: 43200 } as const;
export const DEFAULT_MAX_SESSION_DURATION = 3600;
export const MaxItemsRange = { min: 1, max: 1000 } as const;
export const MAX_TAGS = 50;
export const MAX_ATTACHED_POLICIES = 10;

export function iamRoleArn(account: string, path: string, roleName: string): string {
  return `arn:aws:iam::${account}:role${path}${roleName}`;
}

export function iamPolicyArn(account: string, path: string, policyName: string): string {
  return `arn:aws:iam::${account}:policy${path}${policyName}`;
}

/** AWS returns policy documents URL-encoded (RFC 3986) in its XML. */
export function encodeDocument(document: string): string {
  return encodeURIComponent(document).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}
