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
import { BatchGetSecretValue } from "./batch-get-secret-value.ts";
import { type RotationDependencies, createRotationOperations } from "./rotate-secret.ts";
import { ListSecretVersionIds, UpdateSecretVersionStage } from "./version-stages.ts";
import { RemoveRegionsFromReplication, ReplicateSecretToRegions, StopReplicationToReplica, syncAfterWrite } from "./replication.ts";
import type { Operation } from "../../protocol/service.ts";

export { CreateSecret, DeleteResourcePolicy, DeleteSecret, GetResourcePolicy, PutResourcePolicy, DescribeSecret, GetSecretValue, ListSecrets, PutSecretValue, RestoreSecret, TagResource, UntagResource, UpdateSecret };
export { BatchGetSecretValue, GetRandomPassword, ListSecretVersionIds, UpdateSecretVersionStage, RemoveRegionsFromReplication, ReplicateSecretToRegions, StopReplicationToReplica };
export { type RotationDependencies, createRotationOperations } from "./rotate-secret.ts";
export { type RotationEvent, type RotationFunction, RotationFunctionSpecError, commandFunction, parseRotationFunctions, urlFunction } from "./rotation-functions.ts";
export { BUILTIN_ROTATION_FUNCTIONS, type RegistryPasswords, registryRotationFunction } from "./registry-rotation.ts";
export { randomPassword } from "./random-password.ts";

/** A write on a primary: its replicas follow once the write is done. */
function replicated(operation: Operation): Operation {
  // Synchronous operations stay synchronous (callers and tests may call them directly).
  return (ctx, input) => {
    const out = operation(ctx, input);
    if (out instanceof Promise) {
      return out.then((result: unknown) => {
        syncAfterWrite(ctx, input.SecretId);
        return result;
      });
    }
    syncAfterWrite(ctx, input.SecretId);
    return out;
  };
}

const NO_ROTATION: RotationDependencies = { functions: new Map(), endpoint: () => undefined, credentials: () => undefined };

/** Secrets Manager with the rotation functions registered when the emulator starts. */
export function createSecretsManagerService(rotation: RotationDependencies = NO_ROTATION): JsonService {
  const { RotateSecret, CancelRotateSecret } = createRotationOperations(rotation);
  return enforced(
  {
    name: "secretsmanager",
    signingName: "secretsmanager",
    targetPrefix: "secretsmanager",
    messageKey: "Message",
    operations: {
      CreateSecret,
      GetSecretValue,
      PutSecretValue: replicated(PutSecretValue),
      UpdateSecret: replicated(UpdateSecret),
      DescribeSecret,
      ListSecrets,
      DeleteSecret: replicated(DeleteSecret),
      RestoreSecret: replicated(RestoreSecret),
      TagResource: replicated(TagResource),
      UntagResource: replicated(UntagResource),
      PutResourcePolicy: replicated(PutResourcePolicy),
      GetResourcePolicy,
      DeleteResourcePolicy: replicated(DeleteResourcePolicy),
      ListSecretVersionIds,
      UpdateSecretVersionStage: replicated(UpdateSecretVersionStage),
      RotateSecret: replicated(RotateSecret),
      CancelRotateSecret: replicated(CancelRotateSecret),
      GetRandomPassword,
      BatchGetSecretValue,
      ReplicateSecretToRegions,
      RemoveRegionsFromReplication,
      StopReplicationToReplica,
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
