// KMS state in one account and region: keys by id, aliases by name. Each key keeps its own random 256-bit
// AES key (the "key material"), which never leaves this module's records: not in answers, logs or errors.
// The rules (key states, who may do what) live in services/kms.
import type { EmulatorStore } from "./store.ts";

export type KeyState = "Enabled" | "Disabled" | "PendingDeletion";
export type KeyManager = "CUSTOMER" | "AWS";

export interface KmsKeyRecord {
  /** A UUID. */
  readonly keyId: string;
  readonly arn: string;
  readonly account: string;
  readonly region: string;
  readonly createdDate: number;
  readonly keyManager: KeyManager;
  readonly keyUsage: "ENCRYPT_DECRYPT";
  readonly keySpec: "SYMMETRIC_DEFAULT";
  description: string;
  keyState: KeyState;
  /** The key policy document, as stored (the text the caller gave, or the default). */
  policy: string;
  /** When a scheduled deletion happens. */
  deletionDate?: number;
  pendingWindowInDays?: number;
  tags?: { TagKey: string; TagValue: string }[];
  /** Multi-Region keys (`mrk-` ids): which this is, the primary, and on the primary the regions of its replicas. */
  multiRegion?: { type: "PRIMARY" | "REPLICA"; primaryArn: string; primaryRegion: string; replicaRegions: string[] };
  /** 32 random bytes: the AES-256-GCM key (shared by a multi-Region key and its replicas). */
  readonly material: Buffer;
}

export interface KmsAliasRecord {
  /** `alias/...` */
  readonly aliasName: string;
  readonly aliasArn: string;
  targetKeyId: string;
  readonly createdDate: number;
  lastUpdatedDate: number;
}

export class KmsState {
  readonly keys = new Map<string, KmsKeyRecord>();
  readonly aliases = new Map<string, KmsAliasRecord>();

  constructor(
    readonly account: string,
    readonly region: string,
  ) {}

  /** Aliases in name order, as ListAliases returns them. */
  sortedAliases(): KmsAliasRecord[] {
    return [...this.aliases.values()].sort((a, b) => (a.aliasName < b.aliasName ? -1 : a.aliasName > b.aliasName ? 1 : 0));
  }
}

/** The KMS partition of `store` for one account and region, created on first use. */
export function kmsState(store: EmulatorStore, account: string, region: string): KmsState {
  return store.regional("kms", account, region, () => new KmsState(account, region));
}
