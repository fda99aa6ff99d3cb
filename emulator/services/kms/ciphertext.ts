// The ciphertext blob: real AES-256-GCM under the key's own random material, in a self-describing envelope so that
// Decrypt finds the key without a KeyId, like KMS:
//   [1: version 0x01][12: account, ASCII][36: key id, ASCII][12: IV][16: GCM tag][n: ciphertext]
// The encryption context is the GCM additional data, so Decrypt with a different context fails as in KMS.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { KmsKeyRecord } from "../../state/kms.ts";

const VERSION = 0x01;
const ACCOUNT_LENGTH = 12;
const KEY_ID_LENGTH = 36;
const IV_LENGTH = 12;
const TAG_LENGTH = 16;
const HEADER = 1 + ACCOUNT_LENGTH + KEY_ID_LENGTH;
export const MIN_BLOB_LENGTH = HEADER + IV_LENGTH + TAG_LENGTH;

export type EncryptionContext = Record<string, string>;

/** The context as bytes independent of key order. */
function additionalData(context: EncryptionContext | undefined): Buffer {
  if (context === undefined) return Buffer.alloc(0);
  const keys = Object.keys(context).sort();
  return Buffer.from(JSON.stringify(keys.map((k) => [k, context[k]])), "utf8");
}

export function seal(key: KmsKeyRecord, plaintext: Buffer, context: EncryptionContext | undefined): Buffer {
  const iv = randomBytes(IV_LENGTH);
  const cipher = createCipheriv("aes-256-gcm", key.material, iv);
  cipher.setAAD(additionalData(context));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const header = Buffer.alloc(HEADER);
  header[0] = VERSION;
  header.write(key.account, 1, ACCOUNT_LENGTH, "ascii");
  header.write(key.keyId.padEnd(KEY_ID_LENGTH, " "), 1 + ACCOUNT_LENGTH, KEY_ID_LENGTH, "ascii");
  return Buffer.concat([header, iv, cipher.getAuthTag(), body]);
}

export interface BlobHeader {
  account: string;
  keyId: string;
}

/** Which key made the blob, or undefined when it is not one of ours. */
export function readHeader(blob: Buffer): BlobHeader | undefined {
  if (blob.length < MIN_BLOB_LENGTH || blob[0] !== VERSION) return undefined;
  const account = blob.toString("ascii", 1, 1 + ACCOUNT_LENGTH);
  const keyId = blob.toString("ascii", 1 + ACCOUNT_LENGTH, HEADER).trimEnd();
  if (!/^\d{12}$/.test(account) || keyId.length === 0) return undefined;
  return { account, keyId };
}

/** The plaintext, or undefined when the blob was altered or the context differs. */
export function open(key: KmsKeyRecord, blob: Buffer, context: EncryptionContext | undefined): Buffer | undefined {
  const iv = blob.subarray(HEADER, HEADER + IV_LENGTH);
  const tag = blob.subarray(HEADER + IV_LENGTH, MIN_BLOB_LENGTH);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.material, iv);
    decipher.setAAD(additionalData(context));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(blob.subarray(MIN_BLOB_LENGTH)), decipher.final()]);
  } catch {
    return undefined;
  }
}
