// The Docker engine side of the simulated agent: finding the engine (docker-host), the production ImageEngine
// over dockerode (dockerode-engine), and the Go client's error texts it reproduces (go-client-text).
export {
  connectDocker,
  dockerHostCandidates,
  dockerodeOptions,
  describeDocker,
  pingDocker,
  readRuntimeEnv,
  DEFAULT_PING_TIMEOUT_MS,
  PROJECT_ROOT,
  RUNTIME_ENV_PATH,
  SYSTEM_DOCKER_SOCKET,
} from "./docker-host.ts";
export type { ConnectDockerOptions, DockerHostCandidate } from "./docker-host.ts";
export { createDockerEngine } from "./dockerode-engine.ts";
export type { DockerEngine } from "./dockerode-engine.ts";
export {
  DAEMON_ERROR_PREFIX,
  daemonErrorText,
  parsePullMessage,
  registryAuthHeader,
  splitImageReference,
  splitPullStream,
} from "../../texts/go-client.ts";
export type { EngineHttpAnswer, PullStreamMessage } from "../../texts/go-client.ts";
