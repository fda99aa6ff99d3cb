// Secrets Manager as a JSON 1.1 service: target prefix `secretsmanager`, error message key `Message`, and one
// handler per operation (each in its own file, named after the operation).
import type { JsonService } from "../../protocol/service.ts";
import { CreateSecret } from "./create-secret.ts";
import { DeleteSecret } from "./delete-secret.ts";
import { DescribeSecret } from "./describe-secret.ts";
import { GetSecretValue } from "./get-secret-value.ts";
import { ListSecrets } from "./list-secrets.ts";
import { PutSecretValue } from "./put-secret-value.ts";
import { RestoreSecret } from "./restore-secret.ts";
import { TagResource } from "./tag-resource.ts";
import { UntagResource } from "./untag-resource.ts";
import { UpdateSecret } from "./update-secret.ts";

export { CreateSecret, DeleteSecret, DescribeSecret, GetSecretValue, ListSecrets, PutSecretValue, RestoreSecret, TagResource, UntagResource, UpdateSecret };

export const secretsManagerService: JsonService = {
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
  },
  resourceMember: (operation, input) => {
    const id = operation === "CreateSecret" ? input.Name : input.SecretId;
    return typeof id === "string" ? id : undefined;
  },
};
