// TagResource, UntagResource, ListResourceTags on a customer managed key (KMS API reference; limits from botocore's
// model: TagKey 1–128, TagValue 0–256, at most 50 tags). Tags are what aws:ResourceTag conditions in key policies
// and IAM policies read (authorization.ts keyTarget).
import type { RequestContext } from "../../context.ts";
import { AwsError, AwsErrorCode } from "../../protocol/aws-error.ts";
import { ValidationConstraint, validationErrorText } from "../../../aws/texts.ts";
import { type Input, optionalInteger, optionalObjectList, optionalString, optionalStringList, requiredString } from "../../protocol/input.ts";
import { awsManagedKeyRefused } from "./errors.ts";
import { LIMITS } from "./rules.ts";
import { ownKey } from "./target.ts";
import { KmsTagText } from "./texts.ts";

type KeyTag = { TagKey: string; TagValue: string };

/** Tags: [{TagKey, TagValue}], each checked against the model's limits. */
export function readKeyTags(input: Input): KeyTag[] | undefined {
  return optionalObjectList(input, "Tags", { max: LIMITS.tags })?.map((t, i) => ({
    TagKey: requiredString(t, "TagKey", { min: 1, max: LIMITS.tagKey }, `tags.${i + 1}.member.tagKey`),
    TagValue: requiredString(t, "TagValue", { max: LIMITS.tagValue }, `tags.${i + 1}.member.tagValue`),
  }));
}

export function TagResource(ctx: RequestContext, input: Input): Record<string, never> {
  const key = ownKey(ctx, input);
  const tags = readKeyTags(input);
  if (tags === undefined) throw new AwsError(AwsErrorCode.ValidationException, validationErrorText("tags", ValidationConstraint.notNull, null));
  if (key.keyManager === "AWS") throw awsManagedKeyRefused();
  const merged = (key.tags ?? []).map((t) => ({ ...t }));
  for (const tag of tags) {
    const same = merged.find((t) => t.TagKey === tag.TagKey);
    if (same) same.TagValue = tag.TagValue;
    else merged.push({ ...tag });
  }
  if (merged.length > LIMITS.tags) throw new AwsError("TagException", KmsTagText.tooManyTags);
  key.tags = merged;
  return {};
}

export function UntagResource(ctx: RequestContext, input: Input): Record<string, never> {
  const key = ownKey(ctx, input);
  const keys = optionalStringList(input, "TagKeys", {}, { min: 1, max: LIMITS.tagKey });
  if (keys === undefined) throw new AwsError(AwsErrorCode.ValidationException, validationErrorText("tagKeys", ValidationConstraint.notNull, null));
  if (key.keyManager === "AWS") throw awsManagedKeyRefused();
  key.tags = (key.tags ?? []).filter((t) => !keys.includes(t.TagKey));
  return {};
}

/** All of a key's tags in one page (at most 50 exist); Limit and Marker are validated and a Marker ends the list. */
export function ListResourceTags(ctx: RequestContext, input: Input): { Tags: KeyTag[]; Truncated: boolean } {
  const key = ownKey(ctx, input);
  optionalInteger(input, "Limit", { min: 1, max: 50 });
  const marker = optionalString(input, "Marker", { min: 1, max: 1024 });
  return { Tags: marker === undefined ? (key.tags ?? []).map((t) => ({ ...t })) : [], Truncated: false };
}
