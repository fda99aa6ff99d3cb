// The simulated ECS agent's public API: runTask and the pieces the CLI, the emulator's RunTask and tests use.
export { runTask, errorDialect, credentialsErrorText, EXIT_CODES } from "./steps/run-task.ts";
export type { RunTaskInput, RunTaskOptions, TaskRunResult, RunResult, RunExitCode } from "./steps/run-task.ts";
export { agentRetryPolicies, fastRetryPolicies, backoffDelay } from "./steps/retry.ts";
export type { RetryPolicy, RetryPolicies } from "./steps/retry.ts";
export { resolveLaunchContext, LaunchContextError, LAUNCH_TYPES, LAUNCH_DEFAULTS } from "./profile/launch-context.ts";
export type { LaunchContext, LaunchContextInput, LaunchType } from "./profile/launch-context.ts";
export { registerTaskDefinition, expandRoleArn } from "./steps/task-definition.ts";
export type { TaskDefinition, ContainerDefinition, RegisterError, RegisterResult } from "./steps/task-definition.ts";
export { checkGates, containerInstanceArn, supportsLaunchType } from "./steps/gates.ts";
export type { PlacementFailure, GateResult } from "./steps/gates.ts";
export { planCredentialFetches, secretRegion } from "./steps/credentials.ts";
export type { SecretFetch } from "./steps/credentials.ts";
export { parseSecretValue } from "./steps/secret-parse.ts";
export type { SecretParseResult, SecretParseFailure, SecretParseCode } from "./steps/secret-parse.ts";
export { AsmAuthResource } from "./steps/asm-auth.ts";
export type { CredentialsFailure } from "./steps/asm-auth.ts";
export { sdkV1ErrorText, sdkV2ErrorText, asmCallErrorText, toTaskReason, cutUtf8 } from "./texts/sdk-error.ts";
export type { ErrorDialect } from "./texts/sdk-error.ts";
export { pullContainerImage, containerReason, augmentPullMessage } from "./steps/pull.ts";
export type { PullOutcome } from "./steps/pull.ts";
export { buildTask } from "./steps/outcome.ts";
export type { EcsTask, EcsContainer } from "./steps/outcome.ts";
export { TraceRecorder } from "./steps/trace.ts";
export type { TraceStep, TraceStepName, AgentEvent } from "./steps/trace.ts";
export { diagnoseCredentials, diagnosePull, diagnoseRegister, diagnosePlacement, diagnoseEngineAuthPull } from "./diagnosis/diagnosis.ts";
export {
  parseEngineAuth,
  matchEngineAuth,
  readEngineAuthEnv,
  normalizeRegistryKey,
  registryHostOf,
  ENGINE_AUTH_ENV,
  ENGINE_AUTH_FARGATE_IGNORED,
} from "./steps/engine-auth.ts";
export type { EngineAuthConfig, ParsedEngineAuth, EngineAuthMatch, EngineAuthEntry } from "./steps/engine-auth.ts";
export { createHttpDistribution, parseImageReference } from "./adapters/distribution/index.ts";
export type { DistributionPort, ResolveResult, ResolveFailure, HttpDistributionOptions } from "./adapters/distribution/index.ts";
// Fargate platform >= 1.4.0: the containerd-based pull path and its texts.
export { pullFargateImage } from "./steps/fargate-pull.ts";
export { fargateResolveFailureText, containerdResolveCause } from "./texts/fargate-pull.ts";
export type { Diagnosis } from "./diagnosis/diagnosis.ts";
export { FAILURE_CODES, REFINES, WITHOUT_SCENARIO, isFailureCode } from "./diagnosis/failure-codes.ts";
export type { FailureCode } from "./diagnosis/failure-codes.ts";
export * as texts from "./texts/agent.ts";
export * as versions from "./profile/versions.ts";
export { CURRENT_AGENT_VERSION } from "./profile/versions.ts";
export { createSecretsManagerSdkPort, agentSdkSettings, AGENT_SDK_SETTINGS } from "./adapters/secrets-manager-sdk.ts";
export type { SecretsManagerSdkOptions } from "./adapters/secrets-manager-sdk.ts";
export * from "./ports.ts";
export {
  createEmulatorExecutionRolePort,
  createStsExecutionRolePort,
  sessionArnOf,
  UnableToAssumeRoleError,
  ECS_TASKS_SERVICE,
} from "./steps/execution-role.ts";
export { createSdkIamReader, decodePolicyDocument } from "./adapters/iam-reader.ts";
export type { IamReaderPort, IamSnapshot, RoleSnapshot, SecretSnapshot, KeySnapshot } from "./adapters/iam-reader.ts";
export { checkSecretAccess, withClientIamCheck, transportOf } from "./diagnosis/iam-check.ts";
export type { DecisionReport, SecretAccessCheck, CheckRequest } from "./diagnosis/iam-check.ts";
export { checkSecret, explainCredentialsFailure, explanationOf, explainTask } from "./diagnosis/explain.ts";
export type { TaskExplanation, SecretExplanation } from "./diagnosis/explain.ts";
export { diagnoseUntrustedRole, diagnoseNoRoleCredentials } from "./diagnosis/diagnosis.ts";
export type { Explanation } from "./diagnosis/diagnosis.ts";
// The assembly of a run's ports (Secrets Manager, execution role, IAM reader, engine) and the engine adapter.
export { createAgentPorts, createLocalPorts, lazyEngine, lazyDockerEngine, localEndpointCredentials, IAM_CHECK_MODES, ASSUME_ROLE_MODES } from "./assemble.ts";
export type { AgentPorts, AgentPortsOptions } from "./assemble.ts";
/** @deprecated the name before AgentPortsOptions. */
export type { AgentPortsOptions as LocalPortsOptions } from "./assemble.ts";
export { agentProfile, ecsAgentProfile } from "./profile/agent-profile.ts";
export type { AgentProfile, SecretsManagerClientSettings } from "./profile/agent-profile.ts";
export { connectDocker, createDockerEngine, describeDocker } from "./adapters/engine/index.ts";
export type { DockerEngine } from "./adapters/engine/index.ts";
export { REDACTED, redactPasswords } from "./steps/trace.ts";
export { containerInstanceId } from "./steps/gates.ts";
export { parseVersion } from "./profile/versions.ts";
export { PRIVATE_REGISTRY_ATTRIBUTE } from "./texts/agent.ts";
// The light entry's exports (the thin client's shapes), for callers that load the whole agent anyway.
export * from "./client.ts";
export { describeAnswer, foreignAnswerOfSdkError, rejectForeignAnswers } from "./adapters/foreign-endpoint.ts";
