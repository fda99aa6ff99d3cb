// The built-in rotation function for registry credentials ({"username": …, "password": …} secrets): the four
// steps of a rotation Lambda (Secrets Manager user guide, "Lambda rotation functions"; the same shape as AWS's
// rotation templates) run in-process against this emulator's state:
//   createSecret  — a new password (GetRandomPassword, letters and digits) in the AWSPENDING version;
//   setSecret     — the registry learns the new password, through `registry.setPassword`; without a registry
//                   nothing happens: the classic failure, Secrets Manager rotated but the registry kept the old one;
//   testSecret    — nothing to test here;
//   finishSecret  — AWSCURRENT moves to the new version (AWSPREVIOUS follows).
// Passwords never leave this module except into the secret and the registry port.
import { AwsError } from "../../protocol/aws-error.ts";
import { AWSCURRENT, AWSPENDING } from "./rules.ts";
import { PutSecretValue } from "./put-secret-value.ts";
import { randomPassword } from "./random-password.ts";
import type { RotationEvent, RotationFunction, RotationInvocation } from "./rotation-functions.ts";
import { requireSecret } from "./secret-id.ts";
import { UpdateSecretVersionStage } from "./version-stages.ts";
import { hasValue } from "./versions.ts";

/** Changes a registry user's password (e.g. the registry fixture's htpasswd users). */
export interface RegistryPasswords {
  setPassword(username: string, password: string): Promise<void>;
}

/** The key of `object` that matches `name` in any letter case (as the ECS agent reads the secret). */
function keyOf(object: Record<string, unknown>, name: string): string | undefined {
  return Object.keys(object).find((k) => k.toLowerCase() === name);
}

function credentialsOf(text: string | undefined): { value: Record<string, unknown>; userKey: string; passwordKey: string } {
  let value: unknown;
  try {
    value = JSON.parse(text ?? "");
  } catch {
    throw new Error("the secret's value is not JSON");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error("the secret's value is not a JSON object");
  const object = value as Record<string, unknown>;
  const userKey = keyOf(object, "username");
  const passwordKey = keyOf(object, "password");
  if (userKey === undefined || typeof object[userKey] !== "string") throw new Error('the secret\'s value has no "username"');
  if (passwordKey === undefined) throw new Error('the secret\'s value has no "password"');
  return { value: object, userKey, passwordKey };
}

/** `registry` absent: the registry is not told (the password goes stale there). */
export function registryRotationFunction(registry?: RegistryPasswords): RotationFunction {
  const run = async (event: RotationEvent, { ctx }: RotationInvocation): Promise<void> => {
    const record = requireSecret(ctx, event.SecretId);
    const token = event.ClientRequestToken;
    const pending = record.versions.get(token);
    if (pending === undefined) throw new Error(`the secret has no version ${token} to rotate to`);
    switch (event.Step) {
      case "createSecret": {
        if (hasValue(pending)) return;
        const currentId = record.stages.get(AWSCURRENT);
        const current = currentId === undefined ? undefined : record.versions.get(currentId);
        const { value, passwordKey } = credentialsOf(current?.secretString);
        const next = { ...value, [passwordKey]: randomPassword({ length: 32, excludePunctuation: true }) };
        PutSecretValue(ctx, { SecretId: record.arn, ClientRequestToken: token, SecretString: JSON.stringify(next), VersionStages: [AWSPENDING] });
        return;
      }
      case "setSecret": {
        if (registry === undefined) return;
        const { value, userKey, passwordKey } = credentialsOf(pending.secretString);
        await registry.setPassword(value[userKey] as string, String(value[passwordKey]));
        return;
      }
      case "testSecret":
        return;
      case "finishSecret": {
        const currentId = record.stages.get(AWSCURRENT);
        if (currentId === token) return;
        UpdateSecretVersionStage(ctx, { SecretId: record.arn, VersionStage: AWSCURRENT, MoveToVersionId: token, ...(currentId !== undefined && { RemoveFromVersionId: currentId }) });
        return;
      }
    }
  };
  return {
    description: registry === undefined ? "built-in registry rotation (the registry is not updated)" : "built-in registry rotation",
    invoke: async (event, invocation) => {
      try {
        await run(event, invocation);
      } catch (error) {
        // An AwsError from the in-process calls becomes the step's failure, in AWS's words.
        if (error instanceof AwsError) throw new Error(`${error.code}: ${error.text ?? ""}`);
        throw error;
      }
    },
  };
}

/** The built-in functions `serve --rotation-function ARN=builtin:<name>` can name. */
export const BUILTIN_ROTATION_FUNCTIONS: Readonly<Record<string, RotationFunction>> = {
  /** Rotates the password in the secret and does NOT update any registry (cred-rotated-not-propagated). */
  "registry-not-propagated": registryRotationFunction(),
};
