// CreateAlias, ListAliases, ListKeys. Aliases belong to the caller's account and Region; `alias/aws/` is reserved
// for AWS managed keys.
import type { RequestContext } from "../../context.ts";
import { AwsError, AwsErrorCode } from "../../protocol/aws-error.ts";
import { KmsText, ValidationConstraint, kmsAliasExistsText, validationErrorText } from "../../../aws/texts.ts";
import { type Input, optionalInteger, optionalString, requiredString } from "../../protocol/input.ts";
import { kmsState } from "../../state/kms.ts";
import { aliasArn } from "./arn.ts";
import { KmsErrorCode } from "./errors.ts";
import { LIMITS, readOptionalKeyId } from "./rules.ts";
import { type AliasListEntry, aliasEntry } from "./shapes.ts";
import { ownKey, usableKey } from "./target.ts";
import { ALIAS_NAME_PATTERN_TEXT, KmsAliasText } from "./texts.ts";

const ALIAS_CHARS = /^[a-zA-Z0-9:/_-]+$/;

/**
 * The AWS managed aliases ListAliases shows in every account and region, whether or not their key exists yet
 * (then without TargetKeyId and dates). The list is moto's (moto/kms/utils.py RESERVED_ALIASES), which mirrors
 * what AWS lists for a new account.
 */
export const AWS_MANAGED_ALIASES = [
  "alias/aws/acm",
  "alias/aws/dynamodb",
  "alias/aws/ebs",
  "alias/aws/elasticfilesystem",
  "alias/aws/es",
  "alias/aws/glue",
  "alias/aws/kinesisvideo",
  "alias/aws/lambda",
  "alias/aws/rds",
  "alias/aws/redshift",
  "alias/aws/s3",
  "alias/aws/secretsmanager",
  "alias/aws/ssm",
  "alias/aws/xray",
] as const;

/** Checks, in this order: the `alias/` prefix, the reserved `alias/aws/`, `:`, then the model's pattern. */
function readAliasName(input: Input): string {
  const aliasName = requiredString(input, "AliasName", { min: 1, max: LIMITS.aliasName });
  if (!aliasName.startsWith("alias/")) throw new AwsError(AwsErrorCode.ValidationException, KmsText.aliasPrefix);
  if (aliasName.startsWith("alias/aws/")) throw new AwsError(KmsErrorCode.NotAuthorizedException, KmsText.reservedAlias);
  if (aliasName.includes(":")) throw new AwsError(AwsErrorCode.ValidationException, KmsAliasText.invalidCharacters(aliasName));
  if (!ALIAS_CHARS.test(aliasName)) throw new AwsError(AwsErrorCode.ValidationException, validationErrorText("aliasName", ValidationConstraint.pattern(ALIAS_NAME_PATTERN_TEXT), aliasName));
  return aliasName;
}

export function CreateAlias(ctx: RequestContext, input: Input): Record<string, never> {
  const aliasName = readAliasName(input);
  const targetKeyId = requiredString(input, "TargetKeyId", { min: 1, max: LIMITS.keyId });
  if (targetKeyId.startsWith("alias/") || /^arn:[^:]*:kms:[^:]*:\d{12}:alias\//.test(targetKeyId)) {
    throw new AwsError(AwsErrorCode.ValidationException, KmsAliasText.mustReferToKey);
  }
  const key = ownKey(ctx, input, "TargetKeyId");
  const state = kmsState(ctx.store, ctx.account, ctx.region);
  const arn = aliasArn(ctx.region, ctx.account, aliasName);
  if (state.aliases.has(aliasName)) throw new AwsError(KmsErrorCode.AlreadyExistsException, kmsAliasExistsText(arn));
  state.aliases.set(aliasName, { aliasName, aliasArn: arn, targetKeyId: key.keyId, createdDate: ctx.now, lastUpdatedDate: ctx.now });
  return {};
}

/** Pages by alias name: the Marker is the last name of the previous page. */
export function ListAliases(ctx: RequestContext, input: Input): { Aliases: AliasListEntry[]; Truncated: boolean; NextMarker?: string } {
  const keyId = readOptionalKeyId(input);
  const limit = optionalInteger(input, "Limit", { min: 1, max: 1000 }) ?? 100;
  const marker = optionalString(input, "Marker", { min: 1, max: 1024 });
  const target = keyId === undefined ? undefined : usableKey(ctx, keyId).keyId;
  const state = kmsState(ctx.store, ctx.account, ctx.region);
  const made: AliasListEntry[] = state.sortedAliases().map(aliasEntry);
  // Without KeyId: the AWS managed aliases whose key does not exist yet are listed too, name and ARN only.
  const pending: AliasListEntry[] =
    target === undefined ? AWS_MANAGED_ALIASES.filter((name) => !state.aliases.has(name)).map((name) => ({ AliasName: name, AliasArn: aliasArn(ctx.region, ctx.account, name) })) : [];
  const all = [...made, ...pending]
    .sort((a, b) => (a.AliasName < b.AliasName ? -1 : a.AliasName > b.AliasName ? 1 : 0))
    .filter((a) => (target === undefined || a.TargetKeyId === target) && (marker === undefined || a.AliasName > marker));
  const page = all.slice(0, limit);
  const truncated = all.length > limit;
  return truncated ? { Aliases: page, Truncated: true, NextMarker: page[page.length - 1]!.AliasName } : { Aliases: page, Truncated: false };
}

export function ListKeys(ctx: RequestContext, input: Input): { Keys: { KeyId: string; KeyArn: string }[]; Truncated: boolean } {
  optionalInteger(input, "Limit", { min: 1, max: 1000 });
  const keys = [...kmsState(ctx.store, ctx.account, ctx.region).keys.values()].map((k) => ({ KeyId: k.keyId, KeyArn: k.arn }));
  return { Keys: keys, Truncated: false };
}
