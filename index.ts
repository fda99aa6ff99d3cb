// ecs-pull as a library (package.json "exports"): the test stack, the simulated agent's runTask, the emulator and
// the registry fixture, with their types. The CLI (bin/ecs-pull.cjs) is a thin client of the same modules.
export * from "./stack/index.ts";
export { runTask, fastRetryPolicies, agentRetryPolicies, createSecretsManagerSdkPort, agentSdkSettings, EnvironmentError, CURRENT_AGENT_VERSION } from "./agent-sim/index.ts";
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
export { doctor } from "./stack/doctor/index.ts";
export type { DoctorReport, DoctorOptions } from "./stack/doctor/index.ts";
