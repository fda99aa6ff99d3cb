// The simulated ECS agent's public API: runTask and the pieces the CLI, the emulator's RunTask and tests use.
export { runTask, errorDialect, credentialsErrorText, EXIT_CODES } from "./run-task.ts";
export type { RunTaskInput, RunTaskOptions, TaskRunResult, RunResult, RunExitCode } from "./run-task.ts";
export { agentRetryPolicies, fastRetryPolicies, backoffDelay } from "./retry.ts";
export type { RetryPolicy, RetryPolicies } from "./retry.ts";
export { resolveLaunchContext, LaunchContextError, LAUNCH_TYPES, LAUNCH_DEFAULTS } from "./launch-context.ts";
export type { LaunchContext, LaunchContextInput, LaunchType } from "./launch-context.ts";
export { registerTaskDefinition, expandRoleArn } from "./task-definition.ts";
export type { TaskDefinition, ContainerDefinition, RegisterError, RegisterResult } from "./task-definition.ts";
export { checkGates, containerInstanceArn } from "./gates.ts";
export type { PlacementFailure, GateResult } from "./gates.ts";
export { planCredentialFetches, secretRegion } from "./credentials.ts";
export type { SecretFetch } from "./credentials.ts";
export { parseSecretValue } from "./secret-parse.ts";
export type { SecretParseResult, SecretParseFailure, SecretParseCode } from "./secret-parse.ts";
export { AsmAuthResource } from "./asm-auth.ts";
export type { CredentialsFailure } from "./asm-auth.ts";
export { sdkV1ErrorText, sdkV2ErrorText, asmCallErrorText, toTaskReason, cutUtf8 } from "./sdk-error-text.ts";
export type { ErrorDialect } from "./sdk-error-text.ts";
export { pullContainerImage, containerReason, augmentPullMessage } from "./pull.ts";
export type { PullOutcome } from "./pull.ts";
export { buildTask } from "./outcome.ts";
export type { EcsTask, EcsContainer } from "./outcome.ts";
export { TraceRecorder } from "./trace.ts";
export type { TraceStep, TraceStepName, AgentEvent } from "./trace.ts";
export { diagnoseCredentials, diagnosePull, diagnoseRegister, diagnosePlacement, diagnoseEngineAuthPull } from "./diagnosis.ts";
export {
  parseEngineAuth,
  matchEngineAuth,
  readEngineAuthEnv,
  normalizeRegistryKey,
  registryHostOf,
  ENGINE_AUTH_ENV,
  ENGINE_AUTH_FARGATE_IGNORED,
} from "./engine-auth.ts";
export type { EngineAuthConfig, ParsedEngineAuth, EngineAuthMatch, EngineAuthEntry } from "./engine-auth.ts";
export { createHttpDistribution, parseImageReference } from "./distribution/index.ts";
export type { DistributionPort, ResolveResult, ResolveFailure, HttpDistributionOptions } from "./distribution/index.ts";
export { pullFargateImage, fargateResolveFailureText, containerdResolveCause } from "./fargate/index.ts";
export type { Diagnosis } from "./diagnosis.ts";
export * as texts from "./texts.ts";
export * as versions from "./versions.ts";
export { CURRENT_AGENT_VERSION } from "./versions.ts";
export { createSecretsManagerSdkPort, agentSdkSettings, AGENT_SDK_SETTINGS } from "./secrets-manager-sdk.ts";
export type { SecretsManagerSdkOptions } from "./secrets-manager-sdk.ts";
export * from "./ports.ts";
export {
  createEmulatorExecutionRolePort,
  createStsExecutionRolePort,
  sessionArnOf,
  UnableToAssumeRoleError,
  ECS_TASKS_SERVICE,
} from "./execution-role.ts";
export { createSdkIamReader, decodePolicyDocument } from "./iam-reader.ts";
export type { IamReaderPort, IamSnapshot, RoleSnapshot, SecretSnapshot, KeySnapshot } from "./iam-reader.ts";
export { checkSecretAccess, withClientIamCheck, transportOf } from "./iam-check.ts";
export type { DecisionReport, SecretAccessCheck, CheckRequest } from "./iam-check.ts";
export { checkSecret, explainCredentialsFailure, explanationOf, explainTask } from "./explain.ts";
export type { TaskExplanation, SecretExplanation } from "./explain.ts";
export { diagnoseUntrustedRole, diagnoseNoRoleCredentials } from "./diagnosis.ts";
export type { Explanation } from "./diagnosis.ts";
