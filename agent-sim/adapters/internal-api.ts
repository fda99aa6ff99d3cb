// The ecs-pull emulator's own operations (JSON 1.1, X-Amz-Target `EcsPullInternal.<Operation>`, admin keys only) as
// both ends see them: the names, the error codes it answers with besides AWS's, and RunAgentTask's input and
// answer. Types and constants only, so that the thin `ecs-pull run --via-server` client can read it.
import type { LaunchContextInput } from "../profile/launch-context.ts";
import type { TaskRunResult } from "../steps/run-task.ts";

export const INTERNAL_TARGET_PREFIX = "EcsPullInternal";

/** `GET` answers `{"status":"ok"}` on an ecs-pull emulator: how a client tells it from another endpoint. */
export const EMULATOR_HEALTH_PATH = "/_ecs-pull/health";

export const InternalOperation = {
  /** ECS's own AssumeRole of the execution role, as the service ecs-tasks.amazonaws.com. */
  AssumeRoleAsService: "AssumeRoleAsService",
  /** A whole `ecs-pull run` (agent-sim's runTask with the local ports) inside the emulator's process. */
  RunAgentTask: "RunAgentTask",
} as const;

export function internalTarget(operation: keyof typeof InternalOperation): string {
  return `${INTERNAL_TARGET_PREFIX}.${InternalOperation[operation]}`;
}

/** `__type` of RunAgentTask's answers that are not AWS errors: the CLI maps them as it maps the local run's. */
export const InternalErrorCode = {
  /** The launch flags do not make a launch context (agent-sim's LaunchContextError): a usage error, exit 2. */
  launchContext: "EcsPullLaunchContextError",
  /** The emulator's machine could not run the task (no Docker engine, ...): agent-sim's EnvironmentError, exit 1. */
  environment: "EcsPullEnvironmentError",
} as const;

/** Who decides IAM in a run through the emulator: its own enforcement (`server`), or no explanation (`off`). */
export const RUN_AGENT_TASK_IAM_CHECKS = ["server", "off"] as const;

/** EcsPullInternal.RunAgentTask's input: what `ecs-pull run` read from its file, flags and environment. */
export interface RunAgentTaskInput {
  /** The task definition file's text, as read. */
  TaskDefinition: string;
  /** The launch context as given (run's launch flags); the launch type always is. */
  Launch: LaunchContextInput & { launchType: string };
  Options?: {
    /** agent-sim's fastRetryPolicies. */
    Fast?: boolean;
    /** Wait out the agent's backoff in real time (`run --via-server --real-time`); default simulated agent time. */
    RealTime?: boolean;
    PullInactivityTimeoutMs?: number;
    PullTimeoutMs?: number;
    ManifestPullTimeoutMs?: number;
    IamCheck?: (typeof RUN_AGENT_TASK_IAM_CHECKS)[number];
  };
}

/** Its answer: the run's result, redacted, exactly as `ecs-pull run --json` prints it. */
export interface RunAgentTaskOutput {
  Result: TaskRunResult;
}
