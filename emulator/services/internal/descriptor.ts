// What the emulator registers for its internal service before the handlers (and agent-sim behind RunAgentTask) are
// loaded: see protocol/lazy-service.ts.
import { INTERNAL_TARGET_PREFIX } from "../../../agent-sim/client.ts";
import type { JsonServiceDescriptor } from "../../protocol/lazy-service.ts";

export const INTERNAL_DESCRIPTOR: JsonServiceDescriptor = {
  name: "ecs-pull-internal",
  targetPrefix: INTERNAL_TARGET_PREFIX,
  messageKey: "message",
  operationNames: ["AssumeRoleAsService", "RunAgentTask"],
};
