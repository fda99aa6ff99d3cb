// Making keys: one function for customer keys (CreateKey) and AWS managed keys (`alias/aws/<service>`, made on
// first use per account and region, as AWS does).
import { randomBytes, randomUUID } from "node:crypto";
import type { EmulatorStore } from "../../state/store.ts";
import { type KeyManager, type KmsKeyRecord, type KmsState, kmsState } from "../../state/kms.ts";
import { aliasArn, keyArn } from "./arn.ts";
import { awsManagedKeyPolicy } from "./key-policy.ts";

export interface NewKey {
  keyManager: KeyManager;
  description: string;
  policy: string;
  now: number;
  tags?: { TagKey: string; TagValue: string }[];
  /** A multi-Region key: its id starts with `mrk-`. */
  multiRegion?: boolean;
  /** A replica of a multi-Region key: the primary's id and material. */
  replicaOf?: KmsKeyRecord;
}

export function addKey(state: KmsState, spec: NewKey): KmsKeyRecord {
  const keyId = spec.replicaOf?.keyId ?? (spec.multiRegion ? `mrk-${randomBytes(16).toString("hex")}` : randomUUID());
  const record: KmsKeyRecord = {
    keyId,
    arn: keyArn(state.region, state.account, keyId),
    account: state.account,
    region: state.region,
    createdDate: spec.now,
    keyManager: spec.keyManager,
    keyUsage: "ENCRYPT_DECRYPT",
    keySpec: "SYMMETRIC_DEFAULT",
    description: spec.description,
    keyState: "Enabled",
    policy: spec.policy,
    material: spec.replicaOf !== undefined ? Buffer.from(spec.replicaOf.material) : randomBytes(32),
  };
  if (spec.tags !== undefined) record.tags = spec.tags;
  if (spec.replicaOf?.multiRegion !== undefined) {
    record.multiRegion = { type: "REPLICA", primaryArn: spec.replicaOf.arn, primaryRegion: spec.replicaOf.region, replicaRegions: [] };
  } else if (spec.multiRegion) {
    record.multiRegion = { type: "PRIMARY", primaryArn: record.arn, primaryRegion: state.region, replicaRegions: [] };
  }
  state.keys.set(keyId, record);
  return record;
}

/** Services whose `alias/aws/<service>` key AWS makes on first use (the ones this project meets). */
export const AWS_MANAGED_KEY_SERVICES = new Set(["secretsmanager", "ssm", "ebs", "s3", "rds", "lambda", "ecr", "logs"]);

const MANAGED_DESCRIPTIONS: Record<string, string> = {
  secretsmanager: "Default key that protects my Secrets Manager data when no other key is defined",
};

/** The `alias/aws/<service>` key of an account and region, made on first use. */
// `alias/aws/<service>` per service, made once (issue 17: every GetSecretValue reads its secret's default key).
const managedAliases = new Map<string, string>();

function managedAliasName(service: string): string {
  let name = managedAliases.get(service);
  if (name === undefined) managedAliases.set(service, (name = `alias/aws/${service}`));
  return name;
}

export function awsManagedKey(store: EmulatorStore, account: string, region: string, service: string, now: number): KmsKeyRecord {
  const state = kmsState(store, account, region);
  const aliasName = managedAliasName(service);
  const alias = state.aliases.get(aliasName);
  const existing = alias === undefined ? undefined : state.keys.get(alias.targetKeyId);
  if (existing !== undefined) return existing;
  const key = addKey(state, {
    keyManager: "AWS",
    description: MANAGED_DESCRIPTIONS[service] ?? `Default master key that protects my ${service} data when no other key is defined`,
    policy: awsManagedKeyPolicy(account, region, service),
    now,
  });
  state.aliases.set(aliasName, { aliasName, aliasArn: aliasArn(region, account, aliasName), targetKeyId: key.keyId, createdDate: now, lastUpdatedDate: now });
  return key;
}
