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

/** The version's value; `{}` for the empty version a rotation starts with. */
export function versionValue(version: SecretVersion): SecretValue {
  if (version.secretString !== undefined) return { secretString: version.secretString };
  return version.secretBinary !== undefined ? { secretBinary: version.secretBinary } : {};
}

export function hasValue(version: SecretVersion): boolean {
  return version.secretString !== undefined || version.secretBinary !== undefined;
}

/** Gives the empty version a rotation made its value (the rotation function's PutSecretValue). */
export function fillVersion(version: SecretVersion, value: SecretValue): void {
  if (value.secretString !== undefined) version.secretString = value.secretString;
  else if (value.secretBinary !== undefined) version.secretBinary = value.secretBinary;
}

/** Adds `version` to the secret and moves each of `stages` onto it. */
export function addVersion(record: SecretRecord, version: SecretVersion, stages: readonly string[]): void {
  record.versions.set(version.versionId, version);
  for (const stage of stages) moveStage(record, stage, version.versionId);
  dropDeprecated(record);
}

/**
 * Puts `stage` on `toVersionId`, taking it off the version that had it. Moving AWSCURRENT puts AWSPREVIOUS on the
 * version AWSCURRENT left (UpdateSecretVersionStage API reference).
 */
export function moveStage(record: SecretRecord, stage: string, toVersionId: string): void {
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

/** Takes `stage` off the version that has it (the label then names no version). */
export function removeStage(record: SecretRecord, stage: string): void {
  const fromVersionId = record.stages.get(stage);
  if (fromVersionId === undefined) return;
  const from = record.versions.get(fromVersionId);
  if (from !== undefined) from.stages = from.stages.filter((s) => s !== stage);
  record.stages.delete(stage);
}

export function dropDeprecated(record: SecretRecord): void {
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
