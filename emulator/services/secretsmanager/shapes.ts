// Answer shapes shared by several operations. AWS omits absent members (never null) and sends timestamps as
// epoch seconds with a fraction.
import type { SecretRecord, Tag } from "../../state/secrets.ts";
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
  LastChangedDate: number;
  LastAccessedDate?: number;
  DeletedDate?: number;
  Tags?: Tag[];
  VersionIdsToStages?: Record<string, string[]>;
  SecretVersionsToStages?: Record<string, string[]>;
  CreatedDate: number;
}

/** The members DescribeSecret and ListSecrets share; `versionsKey` differs between the two. */
export function secretMetadata(record: SecretRecord, versionsKey: "VersionIdsToStages" | "SecretVersionsToStages"): SecretMetadata {
  // Built in AWS's member order; CreatedDate is set last on purpose.
  const out = { ARN: record.arn, Name: record.name } as SecretMetadata;
  if (record.description !== undefined) out.Description = record.description;
  if (record.kmsKeyId !== undefined) out.KmsKeyId = record.kmsKeyId;
  out.LastChangedDate = epochSeconds(record.lastChangedDate);
  if (record.lastAccessedDate !== undefined) out.LastAccessedDate = epochSeconds(record.lastAccessedDate);
  if (record.deletedDate !== undefined) out.DeletedDate = epochSeconds(record.deletedDate);
  if (record.tags !== undefined) out.Tags = record.tags.map((t) => ({ Key: t.Key, Value: t.Value }));
  const stages = versionsToStages(record);
  if (stages !== undefined) out[versionsKey] = stages;
  out.CreatedDate = epochSeconds(record.createdDate);
  return out;
}
