// KMS answer shapes: KeyMetadata (DescribeKey, CreateKey) and alias list entries. Timestamps are epoch seconds.
import type { KmsAliasRecord, KmsKeyRecord } from "../../state/kms.ts";

export interface KeyMetadata {
  AWSAccountId: string;
  KeyId: string;
  Arn: string;
  CreationDate: number;
  Enabled: boolean;
  Description: string;
  KeyUsage: string;
  KeyState: string;
  DeletionDate?: number;
  Origin: "AWS_KMS";
  KeyManager: string;
  CustomerMasterKeySpec: string;
  KeySpec: string;
  EncryptionAlgorithms: string[];
  MultiRegion: boolean;
  MultiRegionConfiguration?: {
    MultiRegionKeyType: "PRIMARY" | "REPLICA";
    PrimaryKey: { Arn: string; Region: string };
    ReplicaKeys: { Arn: string; Region: string }[];
  };
  PendingDeletionWindowInDays?: number;
}

/** For a replica key: the replica regions its primary lists (else the key's own list is used). */
export function keyMetadata(key: KmsKeyRecord, replicasOf?: (key: KmsKeyRecord) => string[]): KeyMetadata {
  const out: KeyMetadata = {
    AWSAccountId: key.account,
    KeyId: key.keyId,
    Arn: key.arn,
    CreationDate: key.createdDate / 1000,
    Enabled: key.keyState === "Enabled",
    Description: key.description,
    KeyUsage: key.keyUsage,
    KeyState: key.keyState,
    Origin: "AWS_KMS",
    KeyManager: key.keyManager,
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    EncryptionAlgorithms: ["SYMMETRIC_DEFAULT"],
    MultiRegion: key.multiRegion !== undefined,
  };
  if (key.multiRegion !== undefined) {
    // The primary's list of replicas; a replica shows the primary's (replicasOf reads it from the primary).
    const m = key.multiRegion;
    out.MultiRegionConfiguration = {
      MultiRegionKeyType: m.type,
      PrimaryKey: { Arn: m.primaryArn, Region: m.primaryRegion },
      ReplicaKeys: (replicasOf?.(key) ?? m.replicaRegions).map((region) => ({ Arn: m.primaryArn.replace(`:${m.primaryRegion}:`, `:${region}:`), Region: region })),
    };
  }
  if (key.deletionDate !== undefined) out.DeletionDate = key.deletionDate / 1000;
  if (key.pendingWindowInDays !== undefined) out.PendingDeletionWindowInDays = key.pendingWindowInDays;
  return out;
}

/** An alias as ListAliases shows it; an AWS managed alias whose key does not exist yet has name and ARN only. */
export interface AliasListEntry {
  AliasName: string;
  AliasArn: string;
  TargetKeyId?: string;
  CreationDate?: number;
  LastUpdatedDate?: number;
}

export function aliasEntry(alias: KmsAliasRecord): AliasListEntry {
  return {
    AliasName: alias.aliasName,
    AliasArn: alias.aliasArn,
    TargetKeyId: alias.targetKeyId,
    CreationDate: alias.createdDate / 1000,
    LastUpdatedDate: alias.lastUpdatedDate / 1000,
  };
}
