// IAM tags as they arrive in a Query request (`Tags.member.N.Key/Value`), checked like AWS.
import { AwsError } from "../../protocol/aws-error.ts";
import { ValidationConstraint, validationErrorText } from "../../../aws/texts.ts";
import { VALIDATION_ERROR, queryObjectList } from "../../protocol/query-input.ts";
import type { QueryInput } from "../../protocol/query-wire.ts";
import type { IamTag } from "../../state/iam.ts";
import { MAX_TAGS } from "./rules.ts";

export function readTags(input: QueryInput): IamTag[] {
  return queryObjectList(input, "Tags", MAX_TAGS).map((tag, i) => {
    const key = tag.Key;
    const value = tag.Value ?? "";
    const at = (m: string) => `tags.${i + 1}.member.${m}`;
    if (typeof key !== "string") throw new AwsError(VALIDATION_ERROR, validationErrorText(at("key"), ValidationConstraint.notNull, null));
    if (key.length < 1 || key.length > 128) throw new AwsError(VALIDATION_ERROR, validationErrorText(at("key"), ValidationConstraint.maxLength(128), key));
    if (typeof value !== "string" || value.length > 256) throw new AwsError(VALIDATION_ERROR, validationErrorText(at("value"), ValidationConstraint.maxLength(256), undefined));
    return { Key: key, Value: value };
  });
}

/** Tags with the same key replace the old value (TagRole). */
export function mergeTags(current: IamTag[], added: IamTag[]): IamTag[] {
  const out = [...current];
  for (const tag of added) {
    const i = out.findIndex((t) => t.Key === tag.Key);
    if (i >= 0) out[i] = tag;
    else out.push(tag);
  }
  return out;
}
