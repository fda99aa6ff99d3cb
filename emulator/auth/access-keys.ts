// Which access key belongs to whom: the configured admin keys (one or more per account) and the temporary
// credentials the emulator's STS hands out (ASIA…, secret, session token, expiry). Lives in the store so that a
// persisted store keeps issued sessions valid across restarts.
import { randomBytes } from "node:crypto";
import type { EmulatorStore } from "../state/store.ts";
import { type Principal, rootPrincipal } from "./principal.ts";

export interface AdminKey {
  account: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface AccessKeyRecord {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly principal: Principal;
  /** Only for temporary credentials. */
  readonly sessionToken?: string;
  /** Milliseconds since the epoch; only for temporary credentials. */
  readonly expiration?: number;
}

export const DEFAULT_ADMIN_KEY = { accessKeyId: "test", secretAccessKey: "test" } as const;

export class AccessKeys {
  private readonly byId = new Map<string, AccessKeyRecord>();

  addAdmin(key: AdminKey): void {
    this.byId.set(key.accessKeyId, { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, principal: rootPrincipal(key.account, key.accessKeyId) });
  }

  /** Forgets every admin key (keys without a session token): admin keys are configuration, set again at each start. */
  dropAdmins(): void {
    for (const [id, record] of this.byId) if (record.sessionToken === undefined) this.byId.delete(id);
  }

  get(accessKeyId: string): AccessKeyRecord | undefined {
    return this.byId.get(accessKeyId);
  }

  /** New temporary credentials for a session principal (built by the caller with the key id handed to it). */
  issue(makePrincipal: (accessKeyId: string) => Principal, expiration: number): AccessKeyRecord {
    const accessKeyId = `ASIA${randomId(16)}`;
    const record: AccessKeyRecord = {
      accessKeyId,
      secretAccessKey: randomBytes(30).toString("base64"),
      sessionToken: randomBytes(96).toString("base64"),
      principal: makePrincipal(accessKeyId),
      expiration,
    };
    this.byId.set(accessKeyId, record);
    return record;
  }

  /**
   * Drops sessions expired for a day (called when issuing, so the map does not grow without bound). Recently
   * expired ones stay so that their use answers ExpiredToken, not InvalidClientTokenId.
   */
  sweep(now: number): void {
    for (const [id, record] of this.byId) if (record.expiration !== undefined && record.expiration + DAY_MS <= now) this.byId.delete(id);
  }
}

const DAY_MS = 24 * 3600 * 1000;
const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** Upper-case base32-looking ids like AWS's key and role ids. */
export function randomId(length: number): string {
  const bytes = randomBytes(length);
  let out = "";
  for (const b of bytes) out += ID_ALPHABET[b % 32];
  return out;
}

/** The one registry of access keys of a store. */
export function accessKeys(store: EmulatorStore): AccessKeys {
  return store.regional("auth", "global", "global", () => new AccessKeys());
}
