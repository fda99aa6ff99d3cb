// The light entry into agent-sim: what a client of an agent that runs elsewhere needs, without loading the agent
// (no AWS SDK client, dockerode, zod or express). `ecs-pull run --via-server` (cli/commands/run-via-server.ts) and
// its input parsing (cli/commands/run-input.ts) import this, and so does the emulator's internal API, whose request
// and answer shapes it shares with them. Everything else outside agent-sim imports agent-sim/index.ts;
// test/unit/layout.test.ts enforces both, and test/unit/cli-run-via-server-thin.test.ts that this stays light.
export { environmentCredentials, localEndpointCredentials } from "./adapters/endpoint-credentials.ts";
export {
  EMULATOR_HEALTH_PATH,
  INTERNAL_TARGET_PREFIX,
  InternalErrorCode,
  RUN_AGENT_TASK_IAM_CHECKS,
  internalTarget,
} from "./adapters/internal-api.ts";
export type { RunAgentTaskInput, RunAgentTaskOutput } from "./adapters/internal-api.ts";
export { answersAsEmulator, awsErrorOf, signedJsonPost } from "./adapters/signed-json-post.ts";
export type { JsonAnswer } from "./adapters/signed-json-post.ts";
export { EnvironmentError } from "./ports.ts";
export { parseVersion } from "./profile/versions.ts";
export { readEngineAuthEnv } from "./steps/engine-auth.ts";
export { parseGoDuration } from "./steps/pull-timeouts.ts";
export { IMAGE_PULL_BEHAVIOR } from "./texts/agent.ts";
export type { AwsCredentials } from "./steps/execution-role.ts";
export type { RunTaskOptions, TaskRunResult } from "./steps/run-task.ts";
export type { AssumeRoleMode, IamCheckMode } from "./assemble.ts";
