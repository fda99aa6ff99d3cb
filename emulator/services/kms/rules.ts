// KMS's input rules as small readers over a JSON request (lengths from the KMS API model). Blobs travel as
// base64; plaintext is sensitive and never quoted in an error.
import { AwsError, AwsErrorCode } from "../../protocol/aws-error.ts";
import { ValidationConstraint, validationErrorText, wrongTypeText } from "../../../aws/texts.ts";
import { type Input, optionalString, requireBase64, requiredString } from "../../protocol/input.ts";
import type { EncryptionContext } from "./ciphertext.ts";

export const LIMITS = {
  keyId: 2048,
  description: 8192,
  policy: 32768,
  aliasName: 256,
  plaintextBytes: 4096,
  ciphertextBytes: 6144,
  tags: 50,
  tagKey: 128,
  tagValue: 256,
} as const;


export function readKeyId(input: Input, member = "KeyId"): string {
  return requiredString(input, member, { min: 1, max: LIMITS.keyId });
}

export function readOptionalKeyId(input: Input): string | undefined {
  return optionalString(input, "KeyId", { min: 1, max: LIMITS.keyId });
}

/** A blob member: base64 on the wire, `min`..`max` bytes once decoded. */
export function readBlob(input: Input, member: string, max: number, required: true): Buffer;
export function readBlob(input: Input, member: string, max: number, required: false): Buffer | undefined;
export function readBlob(input: Input, member: string, max: number, required: boolean): Buffer | undefined {
  const path = member.charAt(0).toLowerCase() + member.slice(1);
  const text = required ? requiredString(input, member, { sensitive: true }) : optionalString(input, member, { sensitive: true });
  if (text === undefined) return undefined;
  requireBase64(member, text);
  const bytes = Buffer.from(text, "base64");
  if (bytes.length < 1) throw new AwsError(AwsErrorCode.ValidationException, validationErrorText(path, ValidationConstraint.minLength(1)));
  if (bytes.length > max) throw new AwsError(AwsErrorCode.ValidationException, validationErrorText(path, ValidationConstraint.maxLength(max)));
  return bytes;
}

/** EncryptionContext: a map of strings to strings. */
export function readEncryptionContext(input: Input): EncryptionContext | undefined {
  const value = input.EncryptionContext;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new AwsError(AwsErrorCode.SerializationException, wrongTypeText("EncryptionContext", "a map of strings"));
  }
  const out: EncryptionContext = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== "string") throw new AwsError(AwsErrorCode.SerializationException, wrongTypeText(`EncryptionContext.${k}`, "a string"));
    out[k] = v;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/** An enum member with a single value the emulator supports (AWS's wording for values outside the set). */
export function readEnum(input: Input, member: string, allowed: readonly string[]): string | undefined {
  const value = optionalString(input, member);
  if (value !== undefined && !allowed.includes(value)) {
    const path = member.charAt(0).toLowerCase() + member.slice(1);
    throw new AwsError(AwsErrorCode.ValidationException, validationErrorText(path, ValidationConstraint.enumValue(allowed), value));
  }
  return value;
}
