// STS as a Query service: signing name `sts`, version 2011-06-15. One handler per operation.
import type { QueryService } from "../../protocol/query-service.ts";
import { AssumeRole } from "./assume-role.ts";
import { GetCallerIdentity } from "./get-caller-identity.ts";
import { STS_NAMESPACE, STS_VERSION } from "./rules.ts";

export { AssumeRole, GetCallerIdentity };
export { assumeRoleAsService, ECS_TASKS_SERVICE } from "./assume-role-as-service.ts";
export type { IssuedSession } from "./sessions.ts";

export const stsService: QueryService = {
  name: "sts",
  version: STS_VERSION,
  namespace: STS_NAMESPACE,
  operations: { AssumeRole, GetCallerIdentity },
};
