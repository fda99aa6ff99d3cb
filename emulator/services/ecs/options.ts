// How the emulator's ECS is configured (`createEmulator({ ecs: {...} })`): which container instances each cluster
// has, how the background runner reaches Secrets Manager and the Docker engine, and the agent's retry policies.
import type { ImageEngine, RetryPolicy, SecretsManagerPort } from "../../../agent-sim/index.ts";

export interface EcsInstanceConfig {
  /** Cluster name; created when it does not exist. */
  cluster: string;
  /** The simulated ECS agent's version (x.y.z). Default: agent-sim's current agent. */
  agentVersion?: string;
  /** ECS Anywhere (EXTERNAL) instead of EC2. */
  external?: boolean;
  /** Default: every account and region gets this instance. */
  account?: string;
  region?: string;
}

/** The role session ECS got for a task (the execution role assumed as ecs-tasks.amazonaws.com). */
export interface TaskSessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

/** The session with who it makes the agent (agent-sim's ExecutionRoleSession). */
export interface TaskSession {
  roleArn: string;
  sessionArn: string;
  credentials: TaskSessionCredentials;
}

export interface EcsSecretsManagerRequest {
  /** Undefined when the task definition has no execution role (then no container has repositoryCredentials). */
  credentials?: TaskSessionCredentials;
  agentVersion: string;
}

export interface EcsOptions {
  /** Called when a task's background run ends (its last status written): `serve --state` makes that durable. */
  afterTask?: () => void;
  /**
   * The container instances. Default: the `default` cluster of every account and region has one EC2 instance
   * running the current agent. `[]`: no instance anywhere (RunTask EC2 answers "No Container Instances ...").
   */
  instances?: EcsInstanceConfig[];
  /** The Docker engine tasks pull with. Default: dockerode, connected on the first pull. */
  engine?: ImageEngine;
  /**
   * Secrets Manager as the task's agent sees it. Default: the AWS SDK against this emulator's own URL (learned from
   * the first request it serves, or `secretsManagerEndpoint`) with the task's role session.
   */
  secretsManager?: (request: EcsSecretsManagerRequest) => SecretsManagerPort & { destroy?(): void };
  /** Where the default Secrets Manager port sends GetSecretValue. Default: this emulator. */
  secretsManagerEndpoint?: string;
  /** The agent's pull/manifest retry policies (default: the agent's own). */
  pullRetry?: RetryPolicy;
  manifestRetry?: RetryPolicy;
  /** Tasks wait out the agent's backoff in real time (`serve --real-time`); default: simulated agent time. */
  realTime?: boolean;
  /** At most this many tasks run through agent-sim at once; the rest wait in PROVISIONING. Default 32. */
  maxConcurrentTasks?: number;
}

export const DEFAULT_CLUSTER = "default";
export const DEFAULT_MAX_CONCURRENT_TASKS = 32;
