// What ECS does before a task starts: assume the task's execution role as the service principal
// `ecs-tasks.amazonaws.com`. Only the role's trust policy decides (a service has no identity policies). The
// simulated agent reaches it through the emulator-only JSON operation `EcsPullInternal.AssumeRoleAsService`
// (services/internal/), or calls this function directly when it runs in-process.
import type { RequestContext } from "../../context.ts";
import { accessDeniedMessage } from "../../../aws/iam/index.ts";
import { AwsError } from "../../protocol/aws-error.ts";
import { getRole } from "../../state/iam.ts";
import { parseRoleArn } from "./role-arn.ts";
import { DEFAULT_DURATION_SECONDS } from "./rules.ts";
import { type IssuedSession, checkTrust, issueSession } from "./sessions.ts";

export const ECS_TASKS_SERVICE = "ecs-tasks.amazonaws.com";

/** The new session, or AccessDeniedException (400) when the role is missing or does not trust `servicePrincipal`. */
export function assumeRoleAsService(
  ctx: RequestContext,
  roleArn: string,
  servicePrincipal: string = ECS_TASKS_SERVICE,
  sessionName: string = "ecs-pull-task",
  durationSeconds: number = DEFAULT_DURATION_SECONDS,
): IssuedSession {
  const parts = parseRoleArn(roleArn);
  const role = parts === undefined ? undefined : getRole(ctx.store, parts.account, parts.roleName);
  const denied = () => new AwsError("AccessDeniedException", accessDeniedMessage(servicePrincipal, "sts:AssumeRole", roleArn));
  if (parts === undefined || role === undefined || role.arn !== roleArn) throw denied();
  const trust = checkTrust(ctx, { arn: servicePrincipal, account: parts.account, type: "Service" }, { identity: [] }, role, parts.account);
  if (!trust.allowed) throw denied();
  return issueSession(ctx, role, parts.account, sessionName, Math.min(durationSeconds, role.maxSessionDuration));
}
