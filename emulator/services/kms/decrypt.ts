// Decrypt: the key comes from the blob itself; a KeyId, when given, must name that same key. An altered blob, a
// different encryption context or a blob that is not ours: InvalidCiphertextException with no message at all.
import type { RequestContext } from "../../context.ts";
import type { Input } from "../../protocol/input.ts";
import type { KmsKeyRecord } from "../../state/kms.ts";
import { kmsState } from "../../state/kms.ts";
import { open, readHeader } from "./ciphertext.ts";
import { incorrectKey, invalidCiphertext } from "./errors.ts";
import { findKey, requireEnabled } from "./key-id.ts";
import { LIMITS, readBlob, readEncryptionContext, readOptionalKeyId } from "./rules.ts";
import { referenceOf, usableKey } from "./target.ts";

export interface DecryptOutput {
  KeyId: string;
  Plaintext: string;
  EncryptionAlgorithm: "SYMMETRIC_DEFAULT";
}

/** The key a ciphertext blob was made under, in the Region called; undefined when the blob names none. */
export function keyOfBlob(ctx: RequestContext, blob: Buffer): KmsKeyRecord | undefined {
  const header = readHeader(blob);
  if (header === undefined) return undefined;
  const state = kmsState(ctx.store, header.account, ctx.region);
  const key = state.keys.get(header.keyId);
  return key === undefined ? undefined : findKey(ctx.store, referenceOf({ ...ctx, account: header.account }, key.keyId), ctx.region, ctx.now);
}

export function Decrypt(ctx: RequestContext, input: Input): DecryptOutput {
  const blob = readBlob(input, "CiphertextBlob", LIMITS.ciphertextBytes, true);
  const keyId = readOptionalKeyId(input);
  const context = readEncryptionContext(input);
  const named = keyId === undefined ? undefined : usableKey(ctx, keyId);
  const key = keyOfBlob(ctx, blob);
  if (key === undefined) throw invalidCiphertext();
  if (named !== undefined && named !== key) throw incorrectKey();
  requireEnabled(key);
  const plaintext = open(key, blob, context);
  if (plaintext === undefined) throw invalidCiphertext();
  return { KeyId: key.arn, Plaintext: plaintext.toString("base64"), EncryptionAlgorithm: "SYMMETRIC_DEFAULT" };
}
