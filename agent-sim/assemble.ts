// The production ports for a run: Secrets Manager through the AWS SDK (endpoint resolution; the agent's timeouts
// for the run's version come from its profile) and the Docker engine through dockerode, connected on first use so that a task
// stopped before the pull needs no engine. The execution role is assumed through the emulator's
// AssumeRoleAsService (as ecs-tasks.amazonaws.com) or STS AssumeRole (real AWS: the trust policy must trust the
// caller too), and IAM is decided by the backend (`server`), locally (`client`, for LocalStack), or not explained (`off`).
import { connectDocker, createDockerEngine } from "./adapters/engine/index.ts";
import type { DockerEngine } from "./adapters/engine/index.ts";
import { createEmulatorExecutionRolePort, createStsExecutionRolePort } from "./steps/execution-role.ts";
import type { ExecutionRolePort } from "./steps/execution-role.ts";
import { withClientIamCheck } from "./diagnosis/iam-check.ts";
import { createSdkIamReader } from "./adapters/iam-reader.ts";
import type { IamReaderPort } from "./adapters/iam-reader.ts";
import type { AwsCredentials, ImageEngine, ImageStatePort, SecretsManagerPort } from "./ports.ts";
import { createImageState } from "./ports.ts";
import { createSecretsManagerSdkPort } from "./adapters/secrets-manager-sdk.ts";
import type { SecretsManagerSdkOptions } from "./adapters/secrets-manager-sdk.ts";

export { localEndpointCredentials } from "./adapters/endpoint-credentials.ts";

export const IAM_CHECK_MODES = ["server", "client", "off"] as const;
export type IamCheckMode = (typeof IAM_CHECK_MODES)[number];
export const ASSUME_ROLE_MODES = ["emulator", "sts", "off"] as const;
export type AssumeRoleMode = (typeof ASSUME_ROLE_MODES)[number];

export interface AgentPortsOptions {
  /** The endpoint of every AWS call (Secrets Manager, STS/the emulator's AssumeRoleAsService, IAM reads); otherwise the SDK's own resolution (AWS_ENDPOINT_URL, ...). */
  endpoint?: string;
  /** The caller's credentials (admin against the emulator); otherwise the SDK's default chain. */
  credentials?: AwsCredentials;
  /**
   * How the execution role is assumed. Default: `emulator` when an endpoint is in use (`endpoint`, or
   * `resolvedEndpoint` from AWS_ENDPOINT_URL*), else `sts`. `off`: Secrets Manager with the caller's credentials.
   * A port: a role already assumed elsewhere (the emulator's RunTask assumes it when the task is created).
   */
  assumeRole?: AssumeRoleMode | ExecutionRolePort;
  /** The endpoint the SDK will use when `endpoint` is not given (AWS_ENDPOINT_URL*), for the emulator port. */
  resolvedEndpoint?: string;
  /** Who decides IAM (default `server`). */
  iamCheck?: IamCheckMode;
  /** Regions the IAM reader looks around in for a secret not found (the run's other regions). */
  iamRegions?: readonly string[];
  /** The Docker engine, e.g. one a long-lived process shares between runs. Default: dockerode, connected on first use. */
  engine?: ImageEngine;
  /**
   * The Secrets Manager side: a refused connection as the task's failure rather than the tool's (`unreachable`),
   * a cap on the per-attempt timeout (scenario --fast), another endpoint (a fault proxy in front of the emulator),
   * or a port of the caller's own (the emulator's tests). The agent's client settings come from the run's profile.
   */
  secretsManager?: Pick<SecretsManagerSdkOptions, "unreachable" | "maxRequestTimeoutMs" | "endpoint"> | SecretsManagerPort;
}

/** The ports of a run, and how to release them once the run (or the runs sharing them) is over. */
export interface AgentPorts {
  secretsManager: SecretsManagerPort;
  engine: ImageEngine;
  /** This agent's image state (ECS_IMAGE_PULL_BEHAVIOR=once): one per ports, so runs sharing the ports share it. */
  imageState: ImageStatePort;
  executionRole?: ExecutionRolePort;
  iam?: { reader: IamReaderPort; endpoint?: string; regions?: readonly string[] };
  close(): void;
}

/**
 * The one place the agent is wired: every caller (`ecs-pull run`, the emulator's RunTask and RunAgentTask, the
 * scenarios, the demo, PullAuthStack) gets its ports here, so they all behave the same. The Secrets Manager client
 * is made per region, credentials and agent settings when the credentials step calls (agent: agent/asm/factory/factory.go, asmClientCreator.NewASMClient, called per task from agent/taskresource/asmauth/asmauth.go).
 */
export function createAgentPorts(options: AgentPortsOptions = {}): AgentPorts {
  const endpoint = options.endpoint ?? options.resolvedEndpoint;
  const closers: (() => void)[] = [];
  const given = options.secretsManager;
  let sdk: SecretsManagerPort;
  if (given !== undefined && "getSecretValue" in given) {
    sdk = given;
    const owned = given as SecretsManagerPort & { destroy?(): void };
    if (owned.destroy) closers.push(() => owned.destroy!());
  } else {
    const smEndpoint = given?.endpoint ?? options.endpoint;
    const port = createSecretsManagerSdkPort({
      ...(smEndpoint !== undefined && { endpoint: smEndpoint }),
      ...(options.credentials !== undefined && { credentials: options.credentials }),
      ...(given?.unreachable !== undefined && { unreachable: given.unreachable }),
      ...(given?.maxRequestTimeoutMs !== undefined && { maxRequestTimeoutMs: given.maxRequestTimeoutMs }),
    });
    closers.push(() => port.destroy());
    sdk = port;
  }
  const mode = options.assumeRole ?? (endpoint !== undefined ? "emulator" : "sts");
  let executionRole: ExecutionRolePort | undefined;
  if (typeof mode === "object") {
    executionRole = mode;
  } else if (mode === "emulator") {
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
    imageState: createImageState(),
    ...(executionRole && { executionRole }),
    ...(reader && { iam: { reader, ...(endpoint !== undefined && { endpoint }), ...(options.iamRegions && { regions: options.iamRegions }) } }),
    close: () => {
      for (const close of closers) close();
    },
  };
}

/** @deprecated the name before createAgentPorts; `agentVersion` is no longer needed (the run's profile decides). */
export function createLocalPorts(options: AgentPortsOptions & { agentVersion?: string }): AgentPorts {
  const { agentVersion: _ignored, ...rest } = options;
  return createAgentPorts(rest);
}

/**
 * The Docker engine, connected on the first call and once (again after a failed try: a long-lived emulator tries
 * again once the engine is up). `engine` is the ImageEngine view a run's ports take; `get` the whole adapter
 * (removeImage, hasImage) for callers that clean up after their runs.
 */
export function lazyDockerEngine(): { get(): Promise<DockerEngine>; engine: ImageEngine } {
  let docker: Promise<DockerEngine> | undefined;
  const get = () =>
    (docker ??= connectDocker()
      .then(createDockerEngine)
      .catch((error: unknown) => {
        docker = undefined;
        throw error;
      }));
  return {
    get,
    engine: {
      inspectDistribution: async (image, auth) => (await get()).inspectDistribution(image, auth),
      pullImage: async (image, auth, onProgress) => (await get()).pullImage(image, auth, onProgress),
      hasImage: async (image) => (await get()).hasImage(image),
      createContainer: async (image) => (await get()).createContainer(image),
      tagImage: async (source, target) => (await get()).tagImage(source, target),
    },
  };
}

/** An ImageEngine that connects to the Docker engine on first use. */
export function lazyEngine(): ImageEngine {
  return lazyDockerEngine().engine;
}
