// Emulator-only operations (no AWS counterpart), JSON 1.1 with target prefix `EcsPullInternal`, for the simulated
// ECS control plane when it talks to the emulator over HTTP. Only admin keys may call them.
//   EcsPullInternal.AssumeRoleAsService {RoleArn, ServicePrincipal?, RoleSessionName?, DurationSeconds?}
//     → {Credentials: {AccessKeyId, SecretAccessKey, SessionToken, Expiration (epoch seconds)}, AssumedRoleUser: {Arn, AssumedRoleId}}
//   EcsPullInternal.RunAgentTask {TaskDefinition, Launch, Options?} → {Result: <ecs-pull run --json's document>}
//     (run-agent-task.ts; the shapes are agent-sim/adapters/internal-api.ts's, shared with `ecs-pull run --via-server`)
import { INTERNAL_TARGET_PREFIX } from "../../../agent-sim/client.ts";
import { principalOf } from "../../auth/principal.ts";
import type { RequestContext } from "../../context.ts";
import { accessDeniedMessage } from "../../../aws/iam/index.ts";
import { AwsError } from "../../protocol/aws-error.ts";
import { type Input, optionalInteger, optionalString, requiredString } from "../../protocol/input.ts";
import type { JsonService } from "../../protocol/service.ts";
import { assumeRoleAsService } from "../sts/assume-role-as-service.ts";
import { DurationRange } from "../sts/rules.ts";
import { INTERNAL_DESCRIPTOR } from "./descriptor.ts";
import { type RunAgentTaskDeps, runAgentTaskOperation } from "./run-agent-task.ts";

export { INTERNAL_TARGET_PREFIX };

function AssumeRoleAsService(ctx: RequestContext, input: Input) {
  const roleArn = requiredString(input, "RoleArn", { min: 20, max: 2048 });
  const service = optionalString(input, "ServicePrincipal", { min: 1, max: 256 });
  const sessionName = optionalString(input, "RoleSessionName", { min: 2, max: 64 });
  const duration = optionalInteger(input, "DurationSeconds", DurationRange);
  const caller = principalOf(ctx);
  if (!caller.admin) throw new AwsError("AccessDeniedException", accessDeniedMessage(caller.arn, `${INTERNAL_TARGET_PREFIX}:AssumeRoleAsService`, roleArn));
  const session = assumeRoleAsService(ctx, roleArn, service, sessionName, duration);
  return {
    Credentials: {
      AccessKeyId: session.accessKeyId,
      SecretAccessKey: session.secretAccessKey,
      SessionToken: session.sessionToken,
      Expiration: session.expiration.getTime() / 1000,
    },
    AssumedRoleUser: { Arn: session.arn, AssumedRoleId: session.assumedRoleId },
  };
}

export function createEcsPullInternalService(deps: RunAgentTaskDeps): JsonService {
  return {
    name: INTERNAL_DESCRIPTOR.name,
    targetPrefix: INTERNAL_DESCRIPTOR.targetPrefix,
    messageKey: INTERNAL_DESCRIPTOR.messageKey,
    operations: { AssumeRoleAsService, RunAgentTask: runAgentTaskOperation(deps) },
  };
}
