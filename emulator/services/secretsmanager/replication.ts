// Replication (Secrets Manager API reference: ReplicateSecretToRegions, RemoveRegionsFromReplication,
// StopReplicationToReplica, CreateSecret's AddReplicaRegions; shapes from botocore's model):
// - a replica is a secret of the same name and ARN suffix in another region of the same account, readable there
//   by name or ARN (that is how a bare credentialsParameter finds it in the task's region), with its own KMS key
//   (the KmsKeyId given for that region, else that region's aws/secretsmanager);
// - it holds a copy of the primary's versions, labels, description, tags and rotation state, brought up to date
//   after every change of the primary (syncReplicas);
// - writes to a replica are refused (secret-id.ts requireWritableSecret); a primary that still has replicas cannot
//   be deleted; StopReplicationToReplica makes a replica a standalone secret of its region;
// - a region that already has a secret of that name gets Status Failed, unless ForceOverwriteReplicaSecret.
// Inferred (docs/fidelity.md): replication is immediate (never InProgress).
import type { RequestContext } from "../../context.ts";
import { AwsError, AwsErrorCode } from "../../protocol/aws-error.ts";
import { ValidationConstraint, validationErrorText } from "../../../aws/texts.ts";
import { type Input, optionalBoolean, optionalObjectList, optionalString, optionalStringList } from "../../protocol/input.ts";
import type { ReplicaStatus, SecretRecord } from "../../state/secrets.ts";
import { parseSecretArn, secretArn } from "./arn.ts";
import { readSecretId } from "./rules.ts";
import { findSecret, requireSecret, requireWritableSecret, unlessPurged } from "./secret-id.ts";
import { resolveSecretKey } from "./secret-key.ts";
import { type ReplicationStatusEntry, replicationStatus } from "./shapes.ts";
import { ReplicationText, replicaNameExistsText } from "./texts.ts";

const REGION = /^([a-z]+-)+\d+$/;
const REGION_PATTERN_TEXT = "^([a-z]+-)+\\d+$";

export interface ReplicaRegion {
  region: string;
  kmsKeyId?: string;
}

function invalid(text: string): AwsError {
  return new AwsError(AwsErrorCode.InvalidParameterException, text);
}

/** AddReplicaRegions: `[{Region, KmsKeyId}]`, at least one, each region valid. Undefined when absent. */
export function readReplicaRegions(input: Input, required: boolean): ReplicaRegion[] | undefined {
  const list = optionalObjectList(input, "AddReplicaRegions", { min: 1 });
  if (list === undefined) {
    if (required) throw new AwsError(AwsErrorCode.ValidationException, validationErrorText("addReplicaRegions", ValidationConstraint.notNull, null));
    return undefined;
  }
  return list.map((item, i) => {
    const path = `addReplicaRegions.${i + 1}.member`;
    const region = optionalString(item, "Region", { min: 1, max: 128 }, `${path}.region`);
    if (region === undefined) throw invalid(ReplicationText.invalidReplicaRegion);
    if (!REGION.test(region)) throw new AwsError(AwsErrorCode.ValidationException, validationErrorText(`${path}.region`, ValidationConstraint.pattern(REGION_PATTERN_TEXT), region));
    const kmsKeyId = optionalString(item, "KmsKeyId", { max: 2048 }, `${path}.kmsKeyId`);
    return kmsKeyId === undefined || kmsKeyId === "" ? { region } : { region, kmsKeyId };
  });
}

function regionOf(record: SecretRecord): string {
  return parseSecretArn(record.arn)!.region;
}

function accountOf(record: SecretRecord): string {
  return parseSecretArn(record.arn)!.account;
}

function suffixOf(record: SecretRecord): string {
  return record.arn.slice(-6);
}

/** The replica record of `primary` in `region`, if it exists there. */
function replicaIn(ctx: RequestContext, primary: SecretRecord, region: string): SecretRecord | undefined {
  const state = ctx.store.secretsManager(accountOf(primary), region);
  const record = unlessPurged(state, state.getByName(primary.name), ctx.now);
  return record?.primaryRegion === regionOf(primary) && record.arn === secretArn(region, accountOf(primary), primary.name, suffixOf(primary)) ? record : undefined;
}

function copyInto(target: SecretRecord, primary: SecretRecord): void {
  target.versions.clear();
  for (const [id, v] of primary.versions) target.versions.set(id, { ...v, stages: [...v.stages] });
  target.stages.clear();
  for (const [stage, id] of primary.stages) target.stages.set(stage, id);
  if (primary.description !== undefined) target.description = primary.description;
  else delete target.description;
  if (primary.tags !== undefined) target.tags = primary.tags.map((t) => ({ ...t }));
  else delete target.tags;
  if (primary.resourcePolicy !== undefined) target.resourcePolicy = primary.resourcePolicy;
  else delete target.resourcePolicy;
  if (primary.rotation !== undefined) target.rotation = { ...primary.rotation, ...(primary.rotation.rules && { rules: { ...primary.rotation.rules } }) };
  else delete target.rotation;
  if (primary.lastRotatedDate !== undefined) target.lastRotatedDate = primary.lastRotatedDate;
  if (primary.deletedDate !== undefined) {
    target.deletedDate = primary.deletedDate;
    if (primary.deletionDate !== undefined) target.deletionDate = primary.deletionDate;
  } else {
    delete target.deletedDate;
    delete target.deletionDate;
  }
  target.lastChangedDate = primary.lastChangedDate;
}

/** Adds replicas of `primary` in `regions` (validated against the primary's region; duplicates refused). */
export function addReplicas(ctx: RequestContext, primary: SecretRecord, regions: readonly ReplicaRegion[], force: boolean): void {
  const home = regionOf(primary);
  const seen = new Set<string>();
  for (const r of regions) {
    if (r.region === home || seen.has(r.region)) throw invalid(ReplicationText.invalidReplicaRegion);
    seen.add(r.region);
  }
  // Keys first: a key that cannot be used refuses the whole call before anything changes.
  const keys = regions.map((r) => (r.kmsKeyId === undefined ? {} : resolveSecretKey({ ...ctx, region: r.region }, r.kmsKeyId)));
  primary.replicas ??= [];
  regions.forEach((r, i) => {
    if (primary.replicas!.some((existing) => existing.region === r.region && existing.status === "InSync")) return;
    primary.replicas = primary.replicas!.filter((existing) => existing.region !== r.region);
    const status: ReplicaStatus = { region: r.region, status: "InSync", ...(r.kmsKeyId !== undefined && { kmsKeyId: r.kmsKeyId }) };
    const state = ctx.store.secretsManager(accountOf(primary), r.region);
    const clash = unlessPurged(state, state.getByName(primary.name), ctx.now);
    if (clash !== undefined) {
      if (!force) {
        primary.replicas!.push({ ...status, status: "Failed", statusMessage: replicaNameExistsText(primary.name, r.region) });
        return;
      }
      state.remove(clash);
    }
    const replica: SecretRecord = {
      arn: secretArn(r.region, accountOf(primary), primary.name, suffixOf(primary)),
      name: primary.name,
      seq: state.takeSeq(),
      createdDate: ctx.now,
      lastChangedDate: ctx.now,
      versions: new Map(),
      stages: new Map(),
      primaryRegion: home,
      ...keys[i],
    };
    copyInto(replica, primary);
    state.put(replica);
    primary.replicas!.push(status);
  });
}

/** Brings the replicas of `primary` up to date with it (after any change of the primary). */
export function syncReplicas(ctx: RequestContext, primary: SecretRecord): void {
  for (const status of primary.replicas ?? []) {
    if (status.status !== "InSync") continue;
    const replica = replicaIn(ctx, primary, status.region);
    if (replica !== undefined) copyInto(replica, primary);
  }
}

/** After a write through `secretId`: the secret's replicas follow. */
export function syncAfterWrite(ctx: RequestContext, secretId: unknown): void {
  if (typeof secretId !== "string") return;
  const record = findSecret(ctx, secretId);
  if (record !== undefined && record.primaryRegion === undefined && (record.replicas?.length ?? 0) > 0) syncReplicas(ctx, record);
}

export interface ReplicationOutput {
  ARN: string;
  ReplicationStatus: ReplicationStatusEntry[];
}

export function ReplicateSecretToRegions(ctx: RequestContext, input: Input): ReplicationOutput {
  const secretId = readSecretId(input);
  const regions = readReplicaRegions(input, true)!;
  const force = optionalBoolean(input, "ForceOverwriteReplicaSecret") ?? false;
  const primary = requireWritableSecret(ctx, secretId);
  addReplicas(ctx, primary, regions, force);
  primary.lastChangedDate = ctx.now;
  return { ARN: primary.arn, ReplicationStatus: replicationStatus(primary) };
}

export function RemoveRegionsFromReplication(ctx: RequestContext, input: Input): ReplicationOutput {
  const secretId = readSecretId(input);
  const regions = optionalStringList(input, "RemoveReplicaRegions", { min: 1 }, { min: 1, max: 128 });
  if (regions === undefined) throw new AwsError(AwsErrorCode.ValidationException, validationErrorText("removeReplicaRegions", ValidationConstraint.notNull, null));
  const primary = requireWritableSecret(ctx, secretId);
  for (const region of regions) {
    if (!(primary.replicas ?? []).some((r) => r.region === region)) throw invalid(ReplicationText.noReplicaInRegion(region));
  }
  for (const region of regions) {
    const replica = replicaIn(ctx, primary, region);
    if (replica !== undefined) ctx.store.secretsManager(accountOf(primary), region).remove(replica);
    primary.replicas = primary.replicas!.filter((r) => r.region !== region);
  }
  primary.lastChangedDate = ctx.now;
  return { ARN: primary.arn, ReplicationStatus: replicationStatus(primary) };
}

/** Called in the replica's region: the replica becomes a standalone secret, and the primary forgets it. */
export function StopReplicationToReplica(ctx: RequestContext, input: Input): { ARN: string } {
  const replica = requireSecret(ctx, readSecretId(input));
  const home = replica.primaryRegion;
  if (home === undefined) throw invalid(ReplicationText.notAReplica);
  const primaryState = ctx.store.secretsManager(accountOf(replica), home);
  const primary = primaryState.getByName(replica.name);
  if (primary !== undefined && primary.replicas !== undefined) primary.replicas = primary.replicas.filter((r) => r.region !== regionOf(replica));
  delete replica.primaryRegion;
  replica.lastChangedDate = ctx.now;
  return { ARN: replica.arn };
}
