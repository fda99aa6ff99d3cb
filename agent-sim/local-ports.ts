// The production ports for a run on this machine: Secrets Manager through the AWS SDK (endpoint resolution, the
// agent's timeouts for its version) and the Docker engine through dockerode, connected on first use so that a task
// stopped before the pull needs no engine.
import { connectDocker, createDockerEngine } from "./engine/index.ts";
import type { ImageEngine } from "./ports.ts";
import { agentSdkSettings, createSecretsManagerSdkPort } from "./secrets-manager-sdk.ts";
import type { SecretsManagerSdkOptions } from "./secrets-manager-sdk.ts";

export interface LocalPortsOptions {
  /** Secrets Manager endpoint; otherwise the SDK's own resolution (AWS_ENDPOINT_URL, ...). */
  endpoint?: string;
  credentials?: SecretsManagerSdkOptions["credentials"];
  /** The simulated agent's version: decides the per-attempt timeout. */
  agentVersion: string;
}

export function createLocalPorts(options: LocalPortsOptions) {
  const secretsManager = createSecretsManagerSdkPort({
    ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
    ...(options.credentials !== undefined && { credentials: options.credentials }),
    ...agentSdkSettings(options.agentVersion),
  });
  return { secretsManager, engine: lazyEngine(), close: () => secretsManager.destroy() };
}

/** Connects to the Docker engine on the first call, and once. */
export function lazyEngine(): ImageEngine {
  let engine: Promise<ImageEngine> | undefined;
  const get = () => (engine ??= connectDocker().then(createDockerEngine));
  return {
    inspectDistribution: async (image, auth) => (await get()).inspectDistribution(image, auth),
    pullImage: async (image, auth, onProgress) => (await get()).pullImage(image, auth, onProgress),
  };
}

/**
 * The credentials for a local endpoint: the caller's own when any are configured, else LocalStack's well-known
 * `test`/`test` (the emulator's default admin key), so `ecs-pull run --endpoint ...` works with no AWS setup.
 */
export function localEndpointCredentials(env: NodeJS.ProcessEnv = process.env): { accessKeyId: string; secretAccessKey: string } | undefined {
  const configured = env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE || env.AWS_CONTAINER_CREDENTIALS_FULL_URI || env.AWS_WEB_IDENTITY_TOKEN_FILE;
  return configured ? undefined : { accessKeyId: "test", secretAccessKey: "test" };
}
