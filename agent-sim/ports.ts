// The seams between the simulated agent's pure steps and the outside world (Secrets Manager, the Docker engine,
// the clock). Production hands in the AWS SDK client and dockerode; unit tests hand in small fakes.
import type { SecretsManagerClientSettings } from "./profile/agent-profile.ts";
import type { ExecutionRoleSession } from "./steps/execution-role.ts";

export type { ExecutionRolePort, ExecutionRoleSession, AwsCredentials } from "./steps/execution-role.ts";

/**
 * What the agent hands Docker as X-Registry-Auth (Docker's registry.AuthConfig). repositoryCredentials give only
 * username and password; an ECS_ENGINE_AUTH_TYPE=docker entry passes every field it has (agent/dockerclient/
 * dockerauth/dockerauth.go parseAuthData unmarshals into registry.AuthConfig).
 */
export interface RegistryAuth {
  username: string;
  password: string;
  auth?: string;
  email?: string;
  serveraddress?: string;
  /** An OAuth refresh token: the daemon trades it at the registry's token service. */
  identitytoken?: string;
  /** A bearer token the daemon sends to the registry as it is. */
  registrytoken?: string;
}

/** The AuthConfig fields after username and password, in the order Go's encoder writes them. */
export const AUTH_CONFIG_EXTRA_FIELDS = ["auth", "email", "serveraddress", "identitytoken", "registrytoken"] as const;

/** One progress line of a pull, as the Docker engine streams it (per layer). */
export interface PullProgress {
  /** Layer id (short digest) or "" for whole-image lines. */
  id: string;
  /** Docker's status word: "Pulling fs layer", "Downloading", "Extracting", "Pull complete", ... */
  status: string;
  current?: number;
  total?: number;
}

/**
 * A failure reported by the Docker engine. `message` is the exact text the agent's Go Docker client would
 * produce, e.g. `Error response from daemon: pull access denied for ...` (HTTP error) or the bare stream error.
 */
export class EngineError extends Error {
  override readonly name = "EngineError";
  constructor(
    message: string,
    /** HTTP status from the engine API, when the engine answered with one. */
    readonly statusCode?: number,
    /** The agent's named error when it is not the stage's usual one (e.g. DockerTimeoutError for pullBegin). */
    readonly errorName?: "DockerTimeoutError",
  ) {
    super(message);
  }
}

/** The Docker engine, one attempt per call; retries are the agent's policy and live in agent-sim. */
/** What DistributionInspect answers about the manifest (its `Descriptor`): the agent reads the digest and the media type. */
export interface DistributionDescriptor {
  /** `sha256:…`, the manifest's digest. */
  digest: string;
  mediaType: string;
}

export interface ImageEngine {
  /**
   * Docker DistributionInspect (`GET /distribution/{name}/json`): resolves the manifest with the given auth and
   * answers its descriptor (nothing: an engine that does not say, the pull then goes by the reference as given).
   */
  inspectDistribution(image: string, auth: RegistryAuth | undefined): Promise<DistributionDescriptor | void>;
  /** Docker ImagePull with `X-Registry-Auth` = auth (or none). Resolves when the image is pulled. */
  pullImage(image: string, auth: RegistryAuth | undefined, onProgress?: (p: PullProgress) => void): Promise<void>;
  /** Docker ImageInspect (`GET /images/{name}/json`): true when the engine's image store holds the image. */
  hasImage(image: string): Promise<boolean>;
  /**
   * Docker ContainerCreate (`POST /containers/create`) with the image, then the container removed again: the
   * agent's create step, to learn whether the engine can make a container from what it holds. Rejects with an
   * EngineError carrying the Go client's text (e.g. `Error response from daemon: No such image: <ref>`).
   */
  createContainer(image: string): Promise<void>;
  /**
   * Docker ImageTag (`POST /images/{source}/tag?repo=…&tag=…`): one attempt. Rejects with an EngineError carrying
   * the Go client's text (e.g. `Error response from daemon: No such image: <source>`).
   */
  tagImage(source: string, target: string): Promise<void>;
}

/**
 * The agent's image state (agent/engine/dockerstate, image_manager.go GetImageStateFromImageName/GetPullSucceeded):
 * which images this agent has pulled successfully since it started. ECS_IMAGE_PULL_BEHAVIOR=once reads it.
 */
export interface ImageStatePort {
  pullSucceeded(image: string): boolean;
  recordPull(image: string): void;
}

/** One agent's image state, in memory (the agent keeps it in its state file across restarts; we keep it per ports). */
export function createImageState(): ImageStatePort {
  const pulled = new Set<string>();
  return { pullSucceeded: (image) => pulled.has(image), recordPull: (image) => void pulled.add(image) };
}

/** What GetSecretValue returned, reduced to what the agent reads. */
export interface SecretValue {
  SecretString?: string;
  SecretBinary?: Uint8Array;
}

/**
 * A failed Secrets Manager call, as the SDK saw it after its own retries. Enough to render both the SDK v1 and
 * SDK v2 (Go) error texts the agent shows.
 */
export interface SecretsManagerFailure {
  /** AWS error code (`__type`), e.g. AccessDeniedException; for transport failures a Go-like code such as RequestError. */
  code: string;
  message: string;
  /** Present when AWS answered. */
  httpStatusCode?: number;
  requestId?: string;
  /** Attempts the SDK made (1..maxAttempts). */
  attempts: number;
  /** service: AWS answered with an error; network: no HTTP answer (refused, reset, timeout). */
  kind: "service" | "network";
}

export class SecretsManagerCallError extends Error {
  override readonly name = "SecretsManagerCallError";
  constructor(readonly failure: SecretsManagerFailure) {
    super(`${failure.code}: ${failure.message}`);
  }
}

/** The one call the agent makes to Secrets Manager (like the agent's one-method SecretsManagerAPI). */
export interface SecretsManagerPort {
  /**
   * Throws SecretsManagerCallError. May resolve undefined to model "no response". `executionRole`: the task's
   * execution-role session, whose credentials sign the call (absent: the port's own credentials).
   */
  getSecretValue(input: {
    secretId: string;
    region: string;
    executionRole?: ExecutionRoleSession;
    /** The launch's agent client settings (its profile); absent: the port's own. */
    client?: SecretsManagerClientSettings;
  }): Promise<SecretValue | undefined>;
}

/** Time, so that retry backoff and traces are testable. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A clock whose sleeps take no wall time: what they would have waited is added to now() instead. */
export interface SimulatedClock extends Clock {
  readonly simulated: true;
  /** Milliseconds slept so far (skipped, not waited). */
  readonly skippedMs: number;
}

/**
 * The agent's own waits (backoff between attempts) on simulated time: sleep(ms) moves now() forward by ms and
 * resolves on the next turn of the event loop, so timers and I/O in flight still run. Everything else (the engine's
 * progress, a request's timeout) keeps real time, which now() includes: now() = wall time + the waits skipped.
 */
export function simulatedClock(): SimulatedClock {
  let skipped = 0;
  return {
    simulated: true,
    get skippedMs() {
      return skipped;
    },
    now: () => Date.now() + skipped,
    sleep: (ms) => {
      skipped += Math.max(0, ms);
      return new Promise((resolve) => setImmediate(resolve));
    },
  };
}

/**
 * The tool's own environment is broken (no Docker engine, emulator unreachable): not something ECS would report,
 * so it never becomes a task outcome. The CLI maps it to exit code 1.
 */
export class EnvironmentError extends Error {
  override readonly name = "EnvironmentError";
}
