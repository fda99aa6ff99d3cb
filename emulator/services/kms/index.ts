// KMS as a JSON 1.1 service: target prefix `TrentService`, error message key `message`, one handler per operation,
// every operation passing through IAM enforcement (authorization.ts) for non-admin callers.
import { enforced } from "../../authorize.ts";
import type { JsonService } from "../../protocol/service.ts";
import { CreateAlias, ListAliases, ListKeys } from "./alias-operations.ts";
import { authorizeKms } from "./authorization.ts";
import { CreateKey } from "./create-key.ts";
import { Decrypt } from "./decrypt.ts";
import { DescribeKey } from "./describe-key.ts";
import { Encrypt } from "./encrypt.ts";
import { GetKeyPolicy, PutKeyPolicy } from "./key-policy-operations.ts";
import { CancelKeyDeletion, DisableKey, EnableKey, ScheduleKeyDeletion } from "./key-state-operations.ts";
import { ReplicateKey } from "./replicate-key.ts";
import { ListResourceTags, TagResource, UntagResource } from "./tag-operations.ts";

export {
  CancelKeyDeletion,
  CreateAlias,
  CreateKey,
  Decrypt,
  DescribeKey,
  DisableKey,
  EnableKey,
  Encrypt,
  GetKeyPolicy,
  ListAliases,
  ListKeys,
  PutKeyPolicy,
  ScheduleKeyDeletion,
  ReplicateKey,
  TagResource,
  UntagResource,
  ListResourceTags,
};

export const kmsService: JsonService = enforced(
  {
    name: "kms",
    signingName: "kms",
    targetPrefix: "TrentService",
    messageKey: "message",
    operations: {
      CreateKey,
      DescribeKey,
      ListKeys,
      CreateAlias,
      ListAliases,
      GetKeyPolicy,
      PutKeyPolicy,
      Encrypt,
      Decrypt,
      EnableKey,
      DisableKey,
      ScheduleKeyDeletion,
      CancelKeyDeletion,
      TagResource,
      UntagResource,
      ListResourceTags,
      ReplicateKey,
    },
    resourceMember: (operation, input) => {
      const id = operation === "CreateAlias" ? input.TargetKeyId : input.KeyId;
      return typeof id === "string" ? id : undefined;
    },
  },
  authorizeKms,
);
