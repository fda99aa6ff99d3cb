// UntagResource: removes tags by key (unknown keys are ignored). Answers `{}`; Tags then reads `[]` when none remain.
import type { RequestContext } from "../../context.ts";
import { AwsError, AwsErrorCode } from "../../protocol/aws-error.ts";
import { ValidationConstraint, validationErrorText } from "../../../aws/texts.ts";
import { type Input, optionalStringList } from "../../protocol/input.ts";
import { LIMITS, readSecretId } from "./rules.ts";
import { requireWritableSecret } from "./secret-id.ts";

export function UntagResource(ctx: RequestContext, input: Input): Record<string, never> {
  const secretId = readSecretId(input);
  const keys = optionalStringList(input, "TagKeys", {}, { min: 1, max: LIMITS.tagKey });
  if (keys === undefined) throw new AwsError(AwsErrorCode.ValidationException, validationErrorText("tagKeys", ValidationConstraint.notNull, null));
  const record = requireWritableSecret(ctx, secretId);
  record.tags = (record.tags ?? []).filter((t) => !keys.includes(t.Key));
  record.lastChangedDate = ctx.now;
  return {};
}
