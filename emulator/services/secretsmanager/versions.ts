// Versions and staging labels, like AWS: a label sits on exactly one version; when AWSCURRENT moves, the version
// that had it becomes AWSPREVIOUS; versions left without labels are deprecated and the oldest beyond a limit are
// dropped.
import type { SecretRecord, SecretVersion } from "../../state/secrets.ts";
import { AWSCURRENT, AWSPREVIOUS, LIMITS, type SecretValue } from "./rules.ts";

export function newVersion(versionId: string, value: SecretValue, now: number): SecretVersion {
  return value.secretString !== undefined
    ? { versionId, secretString: value.secretString, createdDate: now, stages: [] }
    : { versionId, secretBinary: value.secretBinary!, createdDate: now, stages: [] };
}

export function versionValue(version: SecretVersion): SecretValue {
  return version.secretString !== undefined ? { secretString: version.secretString } : { secretBinary: version.secretBinary! };
}

/** Adds `version` to the secret and moves each of `stages` onto it. */
export function addVersion(record: SecretRecord, version: SecretVersion, stages: readonly string[]): void {
  record.versions.set(version.versionId, version);
  for (const stage of stages) moveStage(record, stage, version.versionId);
  dropDeprecated(record);
}

function moveStage(record: SecretRecord, stage: string, toVersionId: string): void {
  const fromVersionId = record.stages.get(stage);
  if (fromVersionId === toVersionId) return;
  if (fromVersionId !== undefined) {
    const from = record.versions.get(fromVersionId);
    if (from !== undefined) from.stages = from.stages.filter((s) => s !== stage);
  }
  record.versions.get(toVersionId)!.stages.push(stage);
  record.stages.set(stage, toVersionId);
  if (stage === AWSCURRENT && fromVersionId !== undefined) moveStage(record, AWSPREVIOUS, fromVersionId);
}

function dropDeprecated(record: SecretRecord): void {
  let deprecated = 0;
  for (const version of record.versions.values()) if (version.stages.length === 0) deprecated++;
  if (deprecated <= LIMITS.deprecatedVersions) return;
  for (const [id, version] of record.versions) {
    if (deprecated <= LIMITS.deprecatedVersions) break;
    if (version.stages.length === 0) {
      record.versions.delete(id);
      deprecated--;
    }
  }
}

/** `{versionId: [stages]}` for versions that carry a label; undefined when there are none (field omitted). */
export function versionsToStages(record: SecretRecord): Record<string, string[]> | undefined {
  let out: Record<string, string[]> | undefined;
  for (const version of record.versions.values()) {
    if (version.stages.length === 0) continue;
    out ??= {};
    out[version.versionId] = [...version.stages];
  }
  return out;
}
