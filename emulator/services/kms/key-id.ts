// Finds the key a KeyId names, like KMS: a key id (UUID), a key ARN, an alias name (`alias/...`) or an alias ARN.
// Ids are read relative to the caller's account and region; ARNs may name another account (whether the caller
// may use that key is the key policy's decision, in authorize.ts). A key in another region is not visible from
// this Region's endpoint. A key whose scheduled deletion time has passed is removed here, on first sight.
import type { EmulatorStore } from "../../state/store.ts";
import { type KmsKeyRecord, type KmsState, kmsState } from "../../state/kms.ts";
import { aliasArn, keyArn, parseKmsArn } from "./arn.ts";
import { aliasNotFound, invalidKeyId, keyDisabled, keyNotFound, keyPendingDeletion } from "./errors.ts";
import { AWS_MANAGED_KEY_SERVICES, awsManagedKey } from "./keys.ts";

const KEY_ID = /^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|mrk-[0-9a-fA-F]{32})$/;
const ALIAS_NAME = /^alias\/[a-zA-Z0-9:/_-]+$/;

export interface Where {
  account: string;
  region: string;
}

export type KeyReference =
  | { kind: "key"; account: string; region: string; keyId: string; arn: string }
  | { kind: "alias"; account: string; region: string; aliasName: string; arn: string };

/** Reads a KeyId; anything that is none of the four forms is `Invalid keyId '<value>'`. */
export function parseKeyReference(value: string, where: Where): KeyReference {
  if (KEY_ID.test(value)) return { kind: "key", ...where, keyId: value, arn: keyArn(where.region, where.account, value) };
  if (ALIAS_NAME.test(value)) return { kind: "alias", ...where, aliasName: value, arn: aliasArn(where.region, where.account, value) };
  const arn = parseKmsArn(value);
  if (arn !== undefined) {
    const at = { account: arn.account, region: arn.region };
    if (arn.resource.startsWith("key/") && KEY_ID.test(arn.resource.slice(4))) return { kind: "key", ...at, keyId: arn.resource.slice(4), arn: value };
    if (ALIAS_NAME.test(arn.resource)) return { kind: "alias", ...at, aliasName: arn.resource, arn: value };
  }
  throw invalidKeyId(value);
}

function unlessDeleted(state: KmsState, key: KmsKeyRecord | undefined, now: number): KmsKeyRecord | undefined {
  if (key?.deletionDate !== undefined && key.deletionDate <= now) {
    state.keys.delete(key.keyId);
    for (const [name, alias] of state.aliases) if (alias.targetKeyId === key.keyId) state.aliases.delete(name);
    return undefined;
  }
  return key;
}

/**
 * The key a reference names, or undefined. `region` is the Region of the endpoint called. An AWS managed alias
 * (`alias/aws/secretsmanager`) of an account and region is made when first named.
 */
export function findKey(store: EmulatorStore, ref: KeyReference, region: string, now: number): KmsKeyRecord | undefined {
  if (ref.region !== region) return undefined;
  const state = kmsState(store, ref.account, ref.region);
  if (ref.kind === "key") return unlessDeleted(state, state.keys.get(ref.keyId), now);
  const alias = state.aliases.get(ref.aliasName);
  if (alias === undefined) {
    const service = ref.aliasName.startsWith("alias/aws/") ? ref.aliasName.slice(10) : undefined;
    return service !== undefined && AWS_MANAGED_KEY_SERVICES.has(service) ? awsManagedKey(store, ref.account, ref.region, service, now) : undefined;
  }
  return unlessDeleted(state, state.keys.get(alias.targetKeyId), now);
}

/** NotFoundException in KMS's words for a reference that names no key. */
export function notFound(ref: KeyReference) {
  return ref.kind === "key" ? keyNotFound(ref.arn) : aliasNotFound(ref.arn);
}

/** The key, or NotFoundException. */
export function requireKey(store: EmulatorStore, ref: KeyReference, region: string, now: number): KmsKeyRecord {
  const key = findKey(store, ref, region, now);
  if (key === undefined) throw notFound(ref);
  return key;
}

/** Cryptographic operations need an Enabled key: DisabledException / KMSInvalidStateException otherwise. */
export function requireEnabled(key: KmsKeyRecord): KmsKeyRecord {
  if (key.keyState === "Disabled") throw keyDisabled(key.arn);
  if (key.keyState === "PendingDeletion") throw keyPendingDeletion(key.arn);
  return key;
}
