// IAM as a Query service: signing name `iam`, version 2010-05-08, global (state per account, not per region).
import type { QueryService } from "../../protocol/query-service.ts";
import { IAM_NAMESPACE, IAM_VERSION } from "./rules.ts";

export const iamService: QueryService = {
  name: "iam",
  version: IAM_VERSION,
  namespace: IAM_NAMESPACE,
  operations: {},
};
