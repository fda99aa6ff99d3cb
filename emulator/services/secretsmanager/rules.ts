// Secrets Manager's input rules (names, values, tokens, tags) as small readers over a JSON request. Each
// throws the AwsError real Secrets Manager answers with.
import { AwsError, AwsErrorCode } from "../../protocol/aws-error.ts";
import { SecretsManagerText, ValidationConstraint, validationErrorText } from "../../../aws/texts.ts";
import { type Input, optionalObjectList, optionalString, requireBase64, requiredString } from "../../protocol/input.ts";
import type { Tag } from "../../state/secrets.ts";

export const AWSCURRENT = "AWSCURRENT";
export const AWSPREVIOUS = "AWSPREVIOUS";
export const AWSPENDING = "AWSPENDING";

export const LIMITS = {
  name: 512,
  secretId: 2048,
  description: 2048,
  kmsKeyId: 2048,
  /** SecretString (UTF-8 bytes) and SecretBinary (decoded bytes). */
  secretValueBytes: 65536,
  tokenMin: 32,
  tokenMax: 64,
  versionStage: 256,
  versionStagesPerCall: 20,
  tags: 50,
  tagKey: 128,
  tagValue: 256,
  /** Versions without a staging label that are kept (AWS drops deprecated versions beyond about 100). */
  deprecatedVersions: 100,
} as const;

const NAME_PATTERN = /^[A-Za-z0-9/_+=.@-]+$/;

export function readName(input: Input): string {
  const name = requiredString(input, "Name", { min: 1, max: LIMITS.name });
  if (!NAME_PATTERN.test(name)) throw new AwsError(AwsErrorCode.ValidationException, SecretsManagerText.invalidName);
  return name;
}

export function readSecretId(input: Input): string {
  return requiredString(input, "SecretId", { min: 1, max: LIMITS.secretId });
}

export function readClientRequestToken(input: Input): string | undefined {
  return optionalString(input, "ClientRequestToken", { min: LIMITS.tokenMin, max: LIMITS.tokenMax });
}

export function readDescription(input: Input): string | undefined {
  return optionalString(input, "Description", { max: LIMITS.description });
}

export function readKmsKeyId(input: Input): string | undefined {
  return optionalString(input, "KmsKeyId", { max: LIMITS.kmsKeyId });
}

export interface SecretValue {
  secretString?: string;
  /** Base64. */
  secretBinary?: string;
}

/**
 * SecretString xor SecretBinary, each at most 65,536 bytes. An empty SecretString is accepted: it lets scenarios
 * reproduce the agent's "empty secrets value" failure.
 */
export function readSecretValue(input: Input): SecretValue | undefined {
  const secretString = optionalString(input, "SecretString", { sensitive: true });
  const binary = optionalString(input, "SecretBinary", { sensitive: true });
  if (secretString !== undefined && binary !== undefined) {
    throw new AwsError(AwsErrorCode.InvalidParameterException, SecretsManagerText.bothStringAndBinary);
  }
  if (secretString !== undefined) {
    if (Buffer.byteLength(secretString, "utf8") > LIMITS.secretValueBytes) {
      throw validationTooLong("secretString");
    }
    return { secretString };
  }
  if (binary !== undefined) {
    requireBase64("SecretBinary", binary);
    const bytes = Buffer.from(binary, "base64").length;
    if (bytes > LIMITS.secretValueBytes) throw validationTooLong("secretBinary");
    if (bytes === 0) throw validationTooShort("secretBinary");
    return { secretBinary: binary };
  }
  return undefined;
}

// The value is never quoted: secret values must not appear in errors.
function validationTooLong(member: string): AwsError {
  const constraint = ValidationConstraint.maxLength(LIMITS.secretValueBytes);
  return new AwsError(AwsErrorCode.ValidationException, validationErrorText(member, constraint, undefined));
}

function validationTooShort(member: string): AwsError {
  return new AwsError(AwsErrorCode.ValidationException, validationErrorText(member, ValidationConstraint.minLength(1), undefined));
}

export function sameValue(a: SecretValue, b: SecretValue): boolean {
  return a.secretString === b.secretString && a.secretBinary === b.secretBinary;
}

/** Tags as given (Key 1–128, Value 0–256), at most 50. */
export function readTags(input: Input, member = "Tags"): Tag[] | undefined {
  const list = optionalObjectList(input, member);
  if (list === undefined) return undefined;
  const tags = list.map((item, i) => {
    const path = `tags.${i + 1}.member`;
    const Key = requiredString(item, "Key", { min: 1, max: LIMITS.tagKey }, `${path}.key`);
    const Value = optionalString(item, "Value", { max: LIMITS.tagValue }, `${path}.value`) ?? "";
    return { Key, Value };
  });
  if (tags.length > LIMITS.tags) throw new AwsError(AwsErrorCode.InvalidParameterException, SecretsManagerText.tooManyTags);
  return tags;
}

/** Adds or replaces tags by key, keeping first-seen order like AWS. */
export function mergeTags(existing: Tag[] | undefined, added: Tag[]): Tag[] {
  const merged = existing === undefined ? [] : existing.map((t) => ({ ...t }));
  for (const tag of added) {
    const same = merged.find((t) => t.Key === tag.Key);
    if (same) same.Value = tag.Value;
    else merged.push({ ...tag });
  }
  if (merged.length > LIMITS.tags) throw new AwsError(AwsErrorCode.InvalidParameterException, SecretsManagerText.tooManyTags);
  return merged;
}

/** A raw request with a secret value must carry a ClientRequestToken (the SDKs and CLI fill it in). */
export function requireToken(token: string | undefined): string {
  if (token === undefined) throw new AwsError(AwsErrorCode.InvalidRequestException, SecretsManagerText.clientRequestTokenRequired);
  return token;
}
