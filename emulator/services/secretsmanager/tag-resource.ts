// TagResource: adds tags or replaces their values by key (at most 50 per secret). Answers `{}`.
import type { RequestContext } from "../../context.ts";
import { AwsError, AwsErrorCode } from "../../protocol/aws-error.ts";
import { ValidationConstraint, validationErrorText } from "../../../aws/texts.ts";
import type { Input } from "../../protocol/input.ts";
import { mergeTags, readSecretId, readTags } from "./rules.ts";
import { requireWritableSecret } from "./secret-id.ts";

export function TagResource(ctx: RequestContext, input: Input): Record<string, never> {
  const secretId = readSecretId(input);
  const tags = readTags(input);
  if (tags === undefined) throw new AwsError(AwsErrorCode.ValidationException, validationErrorText("tags", ValidationConstraint.notNull, null));
  const record = requireWritableSecret(ctx, secretId);
  record.tags = mergeTags(record.tags, tags);
  record.lastChangedDate = ctx.now;
  return {};
}
