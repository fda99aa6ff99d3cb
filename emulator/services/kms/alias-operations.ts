// CreateAlias, ListAliases, ListKeys. Aliases belong to the caller's account and Region; `alias/aws/` is reserved
// for AWS managed keys.
import type { RequestContext } from "../../context.ts";
import { AwsError, AwsErrorCode } from "../../protocol/aws-error.ts";
import { KmsText, kmsAliasExistsText } from "../../../aws/texts.ts";
import { type Input, optionalInteger, optionalString, requiredString } from "../../protocol/input.ts";
import { kmsState } from "../../state/kms.ts";
import { aliasArn } from "./arn.ts";
import { KmsErrorCode } from "./errors.ts";
import { LIMITS, readOptionalKeyId } from "./rules.ts";
import { type AliasListEntry, aliasEntry } from "./shapes.ts";
import { ownKey, usableKey } from "./target.ts";

const ALIAS_NAME = /^alias\/[a-zA-Z0-9/_-]+$/;

export function CreateAlias(ctx: RequestContext, input: Input): Record<string, never> {
  const aliasName = requiredString(input, "AliasName", { min: 1, max: LIMITS.aliasName });
  if (!aliasName.startsWith("alias/") || !ALIAS_NAME.test(aliasName)) throw new AwsError(AwsErrorCode.ValidationException, KmsText.aliasPrefix);
  if (aliasName.startsWith("alias/aws/")) throw new AwsError(KmsErrorCode.NotAuthorizedException, KmsText.reservedAlias);
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
  const all = kmsState(ctx.store, ctx.account, ctx.region)
    .sortedAliases()
    .filter((a) => (target === undefined || a.targetKeyId === target) && (marker === undefined || a.aliasName > marker));
  const page = all.slice(0, limit);
  const truncated = all.length > limit;
  return truncated ? { Aliases: page.map(aliasEntry), Truncated: true, NextMarker: page[page.length - 1]!.aliasName } : { Aliases: page.map(aliasEntry), Truncated: false };
}

export function ListKeys(ctx: RequestContext, input: Input): { Keys: { KeyId: string; KeyArn: string }[]; Truncated: boolean } {
  optionalInteger(input, "Limit", { min: 1, max: 1000 });
  const keys = [...kmsState(ctx.store, ctx.account, ctx.region).keys.values()].map((k) => ({ KeyId: k.keyId, KeyArn: k.arn }));
  return { Keys: keys, Truncated: false };
}
