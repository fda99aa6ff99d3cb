// Answer shapes shared by several operations. AWS omits absent members (never null) and sends timestamps as
// epoch seconds with a fraction.
import type { RotationRules, SecretRecord, Tag } from "../../state/secrets.ts";
import { versionsToStages } from "./versions.ts";

const DAY_MS = 86_400_000;

export function epochSeconds(ms: number): number {
  return ms / 1000;
}

/** LastAccessedDate is kept to the day (midnight UTC), like AWS. */
export function accessDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** DescribeSecret's answer and a ListSecrets entry (which names the versions map SecretVersionsToStages). */
export interface SecretMetadata {
  ARN: string;
  Name: string;
  Description?: string;
  KmsKeyId?: string;
  RotationEnabled?: boolean;
  RotationLambdaARN?: string;
  RotationRules?: RotationRules;
  LastRotatedDate?: number;
  LastChangedDate: number;
  LastAccessedDate?: number;
  DeletedDate?: number;
  NextRotationDate?: number;
  Tags?: Tag[];
  VersionIdsToStages?: Record<string, string[]>;
  SecretVersionsToStages?: Record<string, string[]>;
  CreatedDate: number;
  PrimaryRegion?: string;
  ReplicationStatus?: ReplicationStatusEntry[];
}

export interface ReplicationStatusEntry {
  Region: string;
  KmsKeyId?: string;
  Status: string;
  StatusMessage?: string;
}

/** ReplicationStatus as AWS lists it (DescribeSecret, ReplicateSecretToRegions, RemoveRegionsFromReplication). */
export function replicationStatus(record: SecretRecord): ReplicationStatusEntry[] {
  return (record.replicas ?? []).map((r) => {
    const entry = { Region: r.region } as ReplicationStatusEntry;
    if (r.kmsKeyId !== undefined) entry.KmsKeyId = r.kmsKeyId;
    entry.Status = r.status;
    if (r.statusMessage !== undefined) entry.StatusMessage = r.statusMessage;
    return entry;
  });
}

/** The members DescribeSecret and ListSecrets share; `versionsKey` differs between the two. */
export function secretMetadata(record: SecretRecord, versionsKey: "VersionIdsToStages" | "SecretVersionsToStages"): SecretMetadata {
  // Built in AWS's member order; CreatedDate is set last on purpose.
  const out = { ARN: record.arn, Name: record.name } as SecretMetadata;
  if (record.description !== undefined) out.Description = record.description;
  if (record.kmsKeyId !== undefined) out.KmsKeyId = record.kmsKeyId;
  // Rotation members appear once rotation was configured (RotateSecret), in the model's member order.
  const rotation = record.rotation;
  if (rotation !== undefined) {
    out.RotationEnabled = rotation.enabled;
    if (rotation.lambdaArn !== undefined) out.RotationLambdaARN = rotation.lambdaArn;
    if (rotation.rules !== undefined) out.RotationRules = { ...rotation.rules };
  }
  if (record.lastRotatedDate !== undefined) out.LastRotatedDate = epochSeconds(record.lastRotatedDate);
  out.LastChangedDate = epochSeconds(record.lastChangedDate);
  if (record.lastAccessedDate !== undefined) out.LastAccessedDate = epochSeconds(record.lastAccessedDate);
  if (record.deletedDate !== undefined) out.DeletedDate = epochSeconds(record.deletedDate);
  if (rotation?.enabled === true && rotation.nextRotationDate !== undefined) out.NextRotationDate = epochSeconds(rotation.nextRotationDate);
  if (record.tags !== undefined) out.Tags = record.tags.map((t) => ({ Key: t.Key, Value: t.Value }));
  const stages = versionsToStages(record);
  if (stages !== undefined) out[versionsKey] = stages;
  out.CreatedDate = epochSeconds(record.createdDate);
  // PrimaryRegion on a primary with replicas and on a replica; ReplicationStatus on DescribeSecret of a primary.
  if (record.primaryRegion !== undefined) out.PrimaryRegion = record.primaryRegion;
  else if (record.replicas !== undefined && record.replicas.length > 0) {
    out.PrimaryRegion = record.arn.split(":")[3]!;
    if (versionsKey === "VersionIdsToStages") out.ReplicationStatus = replicationStatus(record);
  }
  return out;
}
