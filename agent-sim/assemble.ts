// The production ports for a run on this machine: Secrets Manager through the AWS SDK (endpoint resolution, the
// agent's timeouts for its version) and the Docker engine through dockerode, connected on first use so that a task
// stopped before the pull needs no engine. The execution role is assumed through the emulator's
// AssumeRoleAsService (as ecs-tasks.amazonaws.com) or STS AssumeRole (real AWS: the trust policy must trust the
// caller too), and IAM is decided by the backend (`server`), locally (`client`, for LocalStack), or not explained (`off`).
import { connectDocker, createDockerEngine } from "./adapters/engine/index.ts";
import { createEmulatorExecutionRolePort, createStsExecutionRolePort } from "./steps/execution-role.ts";
import type { ExecutionRolePort } from "./steps/execution-role.ts";
import { withClientIamCheck } from "./diagnosis/iam-check.ts";
import { createSdkIamReader } from "./adapters/iam-reader.ts";
import type { IamReaderPort } from "./adapters/iam-reader.ts";
import type { ImageEngine, SecretsManagerPort } from "./ports.ts";
import { agentSdkSettings, createSecretsManagerSdkPort } from "./adapters/secrets-manager-sdk.ts";

export { localEndpointCredentials } from "./adapters/endpoint-credentials.ts";

export const IAM_CHECK_MODES = ["server", "client", "off"] as const;
export type IamCheckMode = (typeof IAM_CHECK_MODES)[number];
export const ASSUME_ROLE_MODES = ["emulator", "sts", "off"] as const;
export type AssumeRoleMode = (typeof ASSUME_ROLE_MODES)[number];

export interface LocalPortsOptions {
  /** Secrets Manager endpoint; otherwise the SDK's own resolution (AWS_ENDPOINT_URL, ...). */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** The simulated agent's version: decides the per-attempt timeout. */
  agentVersion: string;
  /**
   * How the execution role is assumed. Default: `emulator` when an endpoint is in use (`endpoint`, or
   * `resolvedEndpoint` from AWS_ENDPOINT_URL*), else `sts`. `off`: Secrets Manager with the caller's credentials.
   */
  assumeRole?: AssumeRoleMode;
  /** The endpoint the SDK will use when `endpoint` is not given (AWS_ENDPOINT_URL*), for the emulator port. */
  resolvedEndpoint?: string;
  /** Who decides IAM (default `server`). */
  iamCheck?: IamCheckMode;
  /** The Docker engine, e.g. one a long-lived process shares between runs. Default: dockerode, connected on first use. */
  engine?: ImageEngine;
}

export function createLocalPorts(options: LocalPortsOptions) {
  const endpoint = options.endpoint ?? options.resolvedEndpoint;
  const sdk = createSecretsManagerSdkPort({
    ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
    ...(options.credentials !== undefined && { credentials: options.credentials }),
    ...agentSdkSettings(options.agentVersion),
  });
  const closers: (() => void)[] = [() => sdk.destroy()];
  const mode = options.assumeRole ?? (endpoint !== undefined ? "emulator" : "sts");
  let executionRole: ExecutionRolePort | undefined;
  if (mode === "emulator") {
    if (endpoint === undefined) throw new Error("assumeRole emulator needs an endpoint");
    executionRole = createEmulatorExecutionRolePort({ endpoint, credentials: options.credentials ?? { accessKeyId: "test", secretAccessKey: "test" } });
  } else if (mode === "sts") {
    const sts = createStsExecutionRolePort({ ...(options.endpoint !== undefined && { endpoint: options.endpoint }), ...(options.credentials && { credentials: options.credentials }) });
    closers.push(() => sts.destroy());
    executionRole = sts;
  }
  const iamCheck = options.iamCheck ?? "server";
  let reader: IamReaderPort | undefined;
  if (iamCheck !== "off") {
    const sdkReader = createSdkIamReader({ ...(options.endpoint !== undefined && { endpoint: options.endpoint }), ...(options.credentials && { credentials: options.credentials }) });
    closers.push(() => sdkReader.destroy());
    reader = sdkReader;
  }
  const secretsManager: SecretsManagerPort = iamCheck === "client" && reader ? withClientIamCheck(sdk, reader, endpoint) : sdk;
  return {
    secretsManager,
    engine: options.engine ?? lazyEngine(),
    ...(executionRole && { executionRole }),
    ...(reader && { iam: { reader, ...(endpoint !== undefined && { endpoint }) } }),
    close: () => {
      for (const close of closers) close();
    },
  };
}

/** Connects to the Docker engine on the first call, and once (again after a failed try). */
export function lazyEngine(): ImageEngine {
  let engine: Promise<ImageEngine> | undefined;
  // A failed connection is not kept: a long-lived emulator tries again once the engine is up.
  const get = () =>
    (engine ??= connectDocker()
      .then(createDockerEngine)
      .catch((error: unknown) => {
        engine = undefined;
        throw error;
      }));
  return {
    inspectDistribution: async (image, auth) => (await get()).inspectDistribution(image, auth),
    pullImage: async (image, auth, onProgress) => (await get()).pullImage(image, auth, onProgress),
  };
}
