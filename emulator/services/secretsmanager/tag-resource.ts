// TagResource / UntagResource: add or replace tags by key; remove tags by key. Both answer `{}`.
import type { RequestContext } from "../../context.ts";
import { AwsError, AwsErrorCode } from "../../protocol/aws-error.ts";
import { ValidationConstraint, validationErrorText } from "../../protocol/aws-texts.ts";
import { type Input, optionalStringList } from "../../protocol/input.ts";
import { LIMITS, mergeTags, readSecretId, readTags } from "./rules.ts";
import { requireActiveSecret } from "./secret-id.ts";

export function TagResource(ctx: RequestContext, input: Input): Record<string, never> {
  const secretId = readSecretId(input);
  const tags = readTags(input);
  if (tags === undefined) throw new AwsError(AwsErrorCode.ValidationException, validationErrorText("tags", ValidationConstraint.notNull, null));
  const record = requireActiveSecret(ctx, secretId);
  record.tags = mergeTags(record.tags, tags);
  record.lastChangedDate = ctx.now;
  return {};
}

export function UntagResource(ctx: RequestContext, input: Input): Record<string, never> {
  const secretId = readSecretId(input);
  const keys = optionalStringList(input, "TagKeys", {}, { min: 1, max: LIMITS.tagKey });
  if (keys === undefined) throw new AwsError(AwsErrorCode.ValidationException, validationErrorText("tagKeys", ValidationConstraint.notNull, null));
  const record = requireActiveSecret(ctx, secretId);
  record.tags = (record.tags ?? []).filter((t) => !keys.includes(t.Key));
  record.lastChangedDate = ctx.now;
  return {};
}
