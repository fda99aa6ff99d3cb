// Encrypt: up to 4 KiB of plaintext under an Enabled symmetric key.
import type { RequestContext } from "../../context.ts";
import type { Input } from "../../protocol/input.ts";
import { seal } from "./ciphertext.ts";
import { requireEnabled } from "./key-id.ts";
import { LIMITS, readBlob, readEncryptionContext, readKeyId } from "./rules.ts";
import { usableKey } from "./target.ts";

export interface EncryptOutput {
  CiphertextBlob: string;
  KeyId: string;
  EncryptionAlgorithm: "SYMMETRIC_DEFAULT";
}

export function Encrypt(ctx: RequestContext, input: Input): EncryptOutput {
  const keyId = readKeyId(input);
  const plaintext = readBlob(input, "Plaintext", LIMITS.plaintextBytes, true);
  const context = readEncryptionContext(input);
  const key = requireEnabled(usableKey(ctx, keyId));
  return { CiphertextBlob: seal(key, plaintext, context).toString("base64"), KeyId: key.arn, EncryptionAlgorithm: "SYMMETRIC_DEFAULT" };
}
