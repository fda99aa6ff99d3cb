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
  PendingDeletionWindowInDays?: number;
}

export function keyMetadata(key: KmsKeyRecord): KeyMetadata {
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
    MultiRegion: false,
  };
  if (key.deletionDate !== undefined) out.DeletionDate = key.deletionDate / 1000;
  if (key.pendingWindowInDays !== undefined) out.PendingDeletionWindowInDays = key.pendingWindowInDays;
  return out;
}

export interface AliasListEntry {
  AliasName: string;
  AliasArn: string;
  TargetKeyId: string;
  CreationDate: number;
  LastUpdatedDate: number;
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
