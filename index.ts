// ecs-pull as a library (package.json "exports"): the test stack, the simulated agent's runTask, the emulator and
// the registry fixture, with their types. The CLI (bin/ecs-pull.cjs) is a thin client of the same modules.
export * from "./stack/index.ts";
export { runTask, resolveLaunchContext, LaunchContextError, fastRetryPolicies, agentRetryPolicies, createSecretsManagerSdkPort, agentSdkSettings, EnvironmentError, CURRENT_AGENT_VERSION } from "./agent-sim/index.ts";
export type {
  TaskRunResult,
  RunTaskInput,
  RunTaskOptions,
  RunResult,
  EcsTask,
  EcsContainer,
  Diagnosis,
  TraceStep,
  AgentEvent,
  LaunchContext,
  LaunchContextInput,
  LaunchType,
  TaskDefinition,
  ContainerDefinition,
  SecretsManagerPort,
  ImageEngine,
  RegistryAuth,
} from "./agent-sim/index.ts";
export { createAgentPorts, createLocalPorts } from "./agent-sim/index.ts";
export { connectDocker, createDockerEngine } from "./agent-sim/index.ts";
export { createEmulator, startEmulator, DEFAULT_ACCOUNT, DEFAULT_REGION } from "./emulator/index.ts";
export type { Emulator, EmulatorOptions, StartEmulatorOptions, StartedEmulator } from "./emulator/index.ts";
export { RegistryFixture, StartedRegistry, RegistryUser, RegistryStartError, REGISTRY_IMAGE } from "./registry-fixture/index.ts";
export type { RegistryMode, PushOptions, PushedImage, RegistryCredentials } from "./registry-fixture/index.ts";
export { registryUp, registryDown, readRegistryState, registryStateRoot, RegistryAlreadyUpError } from "./registry-fixture/index.ts";
export type { RegistryUpOptions, RegistryState, RegistryImageSource } from "./registry-fixture/index.ts";
export { doctor } from "./stack/doctor/index.ts";
export type { DoctorReport, DoctorOptions } from "./stack/doctor/index.ts";
export { Diagnoser, catalogueTexts, describeTasksTexts, readDiagnoseInput } from "./capture/diagnose.ts";
export type { DiagnosisEntry, TextDiagnosis, CatalogueText, DiagnoseInput } from "./capture/diagnose.ts";
export { captureTask, exportTaskDefinition, CaptureError, template as templateAwsText } from "./capture/capture.ts";
export type { Capture, CaptureRequest, Unknown as CaptureUnknown } from "./capture/capture.ts";
export { createSdkCaptureReader } from "./capture/aws-reader.ts";
export type { CaptureReader } from "./capture/aws-reader.ts";
export { anonymize } from "./capture/anonymize.ts";
export { scenarioFileText } from "./capture/scenario-file.ts";
export { applyAssumptions, assumptionLines } from "./capture/assume.ts";
export { alignedDiff, firstDifference } from "./capture/text-diff.ts";
