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

export { CreateSecret, DeleteResourcePolicy, DeleteSecret, GetResourcePolicy, PutResourcePolicy, DescribeSecret, GetSecretValue, ListSecrets, PutSecretValue, RestoreSecret, TagResource, UntagResource, UpdateSecret };

export const secretsManagerService: JsonService = enforced(
  {
    name: "secretsmanager",
    signingName: "secretsmanager",
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
    },
    resourceMember: (operation, input) => {
      const id = operation === "CreateSecret" ? input.Name : input.SecretId;
      return typeof id === "string" ? id : undefined;
    },
  },
  authorizeSecretsManager,
);
