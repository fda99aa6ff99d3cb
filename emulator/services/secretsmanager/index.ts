// Secrets Manager as a JSON 1.1 service: target prefix `secretsmanager`, error message key `Message`, and one
// handler per operation (each in its own file, named after the operation), every operation passing through IAM
// enforcement (authorization.ts) for non-admin callers.
import { enforced } from "../../authorize.ts";
import type { JsonService } from "../../protocol/service.ts";
import { authorizeSecretsManager } from "./authorization.ts";
import { CreateSecret } from "./create-secret.ts";
import { DeleteSecret } from "./delete-secret.ts";
import { DescribeSecret } from "./describe-secret.ts";
import { GetSecretValue } from "./get-secret-value.ts";
import { ListSecrets } from "./list-secrets.ts";
import { PutSecretValue } from "./put-secret-value.ts";
import { DeleteResourcePolicy, GetResourcePolicy, PutResourcePolicy } from "./resource-policy.ts";
import { RestoreSecret } from "./restore-secret.ts";
import { TagResource } from "./tag-resource.ts";
import { UntagResource } from "./untag-resource.ts";
import { UpdateSecret } from "./update-secret.ts";
import { GetRandomPassword } from "./random-password.ts";
import { type RotationDependencies, createRotationOperations } from "./rotate-secret.ts";
import { ListSecretVersionIds, UpdateSecretVersionStage } from "./version-stages.ts";

export { CreateSecret, DeleteResourcePolicy, DeleteSecret, GetResourcePolicy, PutResourcePolicy, DescribeSecret, GetSecretValue, ListSecrets, PutSecretValue, RestoreSecret, TagResource, UntagResource, UpdateSecret };
export { GetRandomPassword, ListSecretVersionIds, UpdateSecretVersionStage };
export { type RotationDependencies, createRotationOperations } from "./rotate-secret.ts";
export { type RotationEvent, type RotationFunction, RotationFunctionSpecError, commandFunction, parseRotationFunctions, urlFunction } from "./rotation-functions.ts";
export { BUILTIN_ROTATION_FUNCTIONS, type RegistryPasswords, registryRotationFunction } from "./registry-rotation.ts";
export { randomPassword } from "./random-password.ts";

const NO_ROTATION: RotationDependencies = { functions: new Map(), endpoint: () => undefined, credentials: () => undefined };

/** Secrets Manager with the rotation functions registered when the emulator starts. */
export function createSecretsManagerService(rotation: RotationDependencies = NO_ROTATION): JsonService {
  const { RotateSecret, CancelRotateSecret } = createRotationOperations(rotation);
  return enforced(
  {
    name: "secretsmanager",
    targetPrefix: "secretsmanager",
    messageKey: "Message",
    operations: {
      CreateSecret,
      GetSecretValue,
      PutSecretValue,
      UpdateSecret,
      DescribeSecret,
      ListSecrets,
      DeleteSecret,
      RestoreSecret,
      TagResource,
      UntagResource,
      PutResourcePolicy,
      GetResourcePolicy,
      DeleteResourcePolicy,
      ListSecretVersionIds,
      UpdateSecretVersionStage,
      RotateSecret,
      CancelRotateSecret,
      GetRandomPassword,
    },
    resourceMember: (operation, input) => {
      const id = operation === "CreateSecret" ? input.Name : input.SecretId;
      return typeof id === "string" ? id : undefined;
    },
  },
  authorizeSecretsManager,
  );
}

/** Secrets Manager without rotation functions. */
export const secretsManagerService: JsonService = createSecretsManagerService();
