// PullAuthStack: everything a pull-auth test needs on one machine, testcontainers-style. It starts the emulator
// (Secrets Manager, IAM, STS, KMS) and an htpasswd registry on free loopback ports, hands out the endpoint, region,
// admin credentials, registry address and users, offers helpers for the usual setup (secrets, execution role,
// images), and runs tasks through the simulated agent. `await using` (or stop()) tears everything down.
//
//   await using stack = await PullAuthStack.start({ users: { alice: "s3cret" } });
//   const image = await stack.pushImage({ repository: "team/app", tag: "v1" });
//   const secret = await stack.createSecret("team/registry", { username: "alice", password: "s3cret" });
//   const role = await stack.createExecutionRole({ secretArns: [secret] });
//   const run = await stack.runTask({ family: "app", executionRoleArn: role, containerDefinitions: [...] });
//   assert.equal(run.task?.lastStatus, "RUNNING");
import { randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { IAMClient } from "@aws-sdk/client-iam";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { createAgentPorts, lazyDockerEngine, resolveLaunchContext, runTask as runAgentTask } from "../agent-sim/index.ts";
import type { LaunchContextInput, RunTaskOptions, TaskRunResult } from "../agent-sim/index.ts";
import { DEFAULT_ACCOUNT, DEFAULT_REGION, startEmulator } from "../emulator/index.ts";
import type { StartedEmulator } from "../emulator/index.ts";
import { RegistryFixture } from "../registry-fixture/index.ts";
import type { PushedImage, RegistryMode, RegistryUser, StartedRegistry } from "../registry-fixture/index.ts";
import {
  DEFAULT_EXECUTION_POLICY_NAME,
  DEFAULT_EXECUTION_ROLE_NAME,
  type AwsCredentials,
  type PolicyDocument,
  type SecretAccess,
  ExecutionRoleError,
  createRole,
  ecsTasksTrustPolicy,
  isPolicyDocument,
  putRolePolicy,
  secretAccessPolicy,
} from "./execution-role.ts";

/** The emulator's default admin key (LocalStack's well-known pair): the account root, full access. */
export const ADMIN_CREDENTIALS: Readonly<AwsCredentials> = { accessKeyId: "test", secretAccessKey: "test" };
// The SDK marks the credentials objects it is handed (their $source): each client gets its own copy.
const admin = (): AwsCredentials => ({ ...ADMIN_CREDENTIALS });
export const DEFAULT_REGISTRY_USER = "ecs-pull";
const DEFAULT_LAYERS = 1;
const DEFAULT_LAYER_SIZE = 16 * 1024;

export interface PullAuthStackOptions {
  /** The region of secrets, SDK clients and tasks (default us-east-1). */
  region?: string;
  /** Registry accounts as { username: password } (default: one user `ecs-pull` with a random password). */
  users?: Record<string, string>;
  /** How to run the registry: "auto" (registry:2 when the engine has it, else the native binary), "native", "container". */
  registryMode?: RegistryMode;
  /** Emulator port (default 0: a free one). */
  emulatorPort?: number;
  /**
   * Wait out the agent's backoff (5 pull attempts, seconds apart) in real time. The attempts, delays and texts are
   * the same either way; the default (false) runs them on simulated agent time, which keeps failing tests fast.
   */
  realDelays?: boolean;
  /** The ECS agent version of EC2/EXTERNAL launches (default: a current agent). */
  agentVersion?: string;
}

export interface StackRunOptions {
  /**
   * Whose credentials the agent reads the secret with. "execution-role" (default): ECS's way, the task's
   * executionRoleArn assumed as ecs-tasks.amazonaws.com, so IAM decides; a role ECS cannot assume throws
   * ExecutionRoleError (RunTask's ClientException). "admin": the account root (skips IAM), for tests about the
   * registry side only.
   */
  credentials?: "execution-role" | "admin";
  /** Keep the image in the engine afterwards (default: removed, so the next run pulls again). */
  keepImage?: boolean;
  onEvent?: RunTaskOptions["onEvent"];
}

export class PullAuthStack implements AsyncDisposable {
  /** The emulator's URL: the endpoint for every AWS SDK client (AWS_ENDPOINT_URL). */
  readonly endpoint: string;
  readonly region: string;
  readonly account: string;
  /** Admin credentials for the emulator (the account root). */
  readonly credentials: Readonly<AwsCredentials> = admin();
  /** `127.0.0.1:<port>`: the registry part of an image reference. */
  readonly registryAddress: string;
  readonly registryUrl: string;
  /** Registry accounts; each password is redacted in console.log and JSON. */
  readonly users: readonly RegistryUser[];
  private readonly iam: IAMClient;
  private readonly secrets: SecretsManagerClient;
  /** The Docker engine, connected on first use, for every run of this stack. */
  private readonly docker = lazyDockerEngine();
  private stopping: Promise<void> | undefined;

  private constructor(
    /** The running emulator (its in-memory store is `emulator.emulator.store`). */
    readonly emulator: StartedEmulator,
    /** The running registry fixture. */
    readonly registry: StartedRegistry,
    private readonly options: PullAuthStackOptions,
  ) {
    this.endpoint = emulator.url;
    this.region = options.region ?? DEFAULT_REGION;
    this.account = DEFAULT_ACCOUNT;
    this.registryAddress = registry.address;
    this.registryUrl = registry.url;
    this.users = registry.users;
    this.iam = new IAMClient({ endpoint: this.endpoint, region: this.region, credentials: admin() });
    this.secrets = new SecretsManagerClient({ endpoint: this.endpoint, region: this.region, credentials: admin() });
  }

  /** Starts the emulator and the registry; if either fails, what started is stopped again. */
  static async start(options: PullAuthStackOptions = {}): Promise<PullAuthStack> {
    const users = options.users ?? { [DEFAULT_REGISTRY_USER]: randomBytes(12).toString("base64url") };
    const fixture = new RegistryFixture();
    for (const [username, password] of Object.entries(users)) fixture.withUser(username, password);
    if (options.registryMode) fixture.withMode(options.registryMode);
    const emulator = await startEmulator({ port: options.emulatorPort ?? 0, ...(options.region && { defaultRegion: options.region }) });
    let registry: StartedRegistry;
    try {
      registry = await fixture.start();
    } catch (error) {
      await emulator.close();
      throw error;
    }
    return new PullAuthStack(emulator, registry, options);
  }

  /** The named registry user's credentials (default: the first user). */
  user(username?: string): RegistryUser {
    return this.registry.credentials(username) as RegistryUser;
  }

  /** `127.0.0.1:<port>/<repository>:<tag>`, what a task definition's `image` says. */
  imageReference(repository: string, tag: string): string {
    return this.registry.imageReference(repository, tag);
  }

  /** Pushes a small synthetic image (as the first user unless `auth` says otherwise); returns its reference. */
  async pushImage(options: { repository: string; tag: string; layers?: number; layerSize?: number; seed?: string }): Promise<string> {
    const pushed: PushedImage = await this.registry.pushImage({
      layers: DEFAULT_LAYERS,
      layerSize: DEFAULT_LAYER_SIZE,
      ...options,
    });
    return pushed.reference;
  }

  /**
   * Creates a secret; `{username, password}` is stored as the JSON ECS expects, a string as is (to test bad
   * values). Returns the secret's ARN (with AWS's random suffix), what credentialsParameter usually holds.
   */
  async createSecret(name: string, value: { username: string; password: string } | string, options: { kmsKeyId?: string } = {}): Promise<string> {
    const SecretString = typeof value === "string" ? value : JSON.stringify({ username: value.username, password: value.password });
    const out = await this.secrets.send(new CreateSecretCommand({ Name: name, SecretString, ...(options.kmsKeyId && { KmsKeyId: options.kmsKeyId }) }));
    return out.ARN!;
  }

  /**
   * Creates an execution role trusted by ecs-tasks.amazonaws.com (or by `trustedService`), with an inline policy
   * allowing GetSecretValue on `secretArns` when given. Returns the role ARN for executionRoleArn.
   */
  async createExecutionRole(options: Partial<SecretAccess> & { roleName?: string; trustedService?: string } = {}): Promise<string> {
    const roleName = options.roleName ?? DEFAULT_EXECUTION_ROLE_NAME;
    const arn = await createRole(this.iam, roleName, ecsTasksTrustPolicy(options.trustedService));
    if (options.secretArns && options.secretArns.length > 0) {
      await this.putExecutionRolePolicy(roleName, { secretArns: options.secretArns, ...(options.kmsKeyArns && { kmsKeyArns: options.kmsKeyArns }) });
    }
    return arn;
  }

  /** Puts (or replaces) an inline policy on a role: a whole document, or the secrets (and KMS keys) it may read. */
  async putExecutionRolePolicy(roleName: string, policy: PolicyDocument | SecretAccess, policyName: string = DEFAULT_EXECUTION_POLICY_NAME): Promise<void> {
    await putRolePolicy(this.iam, roleName, policyName, isPolicyDocument(policy) ? policy : secretAccessPolicy(policy));
  }

  /**
   * Launches a task definition the way ECS would (register checks, placement gates, credentials through Secrets
   * Manager, the pull through the Docker engine) and returns the result: `task` is DescribeTasks-shaped.
   */
  async runTask(taskDefinition: unknown, launch: LaunchContextInput = {}, options: StackRunOptions = {}): Promise<TaskRunResult> {
    const fullLaunch: LaunchContextInput = {
      region: this.region,
      account: this.account,
      ...(this.options.agentVersion && { agentVersion: this.options.agentVersion }),
      ...launch,
    };
    // ECS's way, through the agent's one assembly as `ecs-pull run --endpoint` has it: the agent's execution-role
    // step assumes executionRoleArn as ecs-tasks.amazonaws.com through the emulator, so IAM decides, and a denial is
    // explained statement by statement. "admin": the caller's (root) credentials, no role, no IAM reads.
    const asAdmin = (options.credentials ?? "execution-role") === "admin";
    const ports = createAgentPorts({
      endpoint: this.endpoint,
      credentials: admin(),
      assumeRole: asAdmin ? "off" : "emulator",
      iamCheck: asAdmin ? "off" : "server",
      engine: this.docker.engine,
    });
    const engine = await this.docker.get();
    // Only images of this stack's registry are removed: the user's own images are never touched.
    const images = imagesOf(taskDefinition).filter((image) => image.startsWith(`${this.registryAddress}/`));
    try {
      if (!options.keepImage) for (const image of images) await engine.removeImage(image).catch(() => undefined);
      const result = await runAgentTask({
        taskDefinition,
        launch: resolveLaunchContext(fullLaunch),
        ports,
        options: { ...(this.options.realDelays && { realTime: true }), ...(options.onEvent && { onEvent: options.onEvent }) },
      });
      throwIfNotAssumed(result);
      return result;
    } finally {
      ports.close();
      if (!options.keepImage) for (const image of images) await engine.removeImage(image).catch(() => undefined);
    }
  }

  /** Stops the registry and the emulator. Safe to call more than once. */
  stop(): Promise<void> {
    return (this.stopping ??= (async () => {
      this.iam.destroy();
      this.secrets.destroy();
      const results = await Promise.allSettled([this.registry.stop(), this.emulator.close()]);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
      if (failed) throw failed.reason;
    })());
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  [inspect.custom](): string {
    return `PullAuthStack { endpoint: ${this.endpoint}, region: ${this.region}, registry: ${this.registryAddress}, users: [${this.users.map((u) => JSON.stringify(u.username)).join(", ")}] }`;
  }

  toJSON(): Record<string, unknown> {
    return { endpoint: this.endpoint, region: this.region, account: this.account, registryAddress: this.registryAddress, users: this.users };
  }
}

/** A role ECS could not assume is RunTask's ClientException: PullAuthStack throws it (ExecutionRoleError). */
function throwIfNotAssumed(result: TaskRunResult): void {
  if (result.placementFailure?.failureCode !== "gate-untrusted-role") return;
  const step = result.trace.find((t) => t.step === "assume-role" && t.status === "failed");
  const roleArn = step?.detail.slice(0, step.detail.indexOf(": ")) ?? "";
  throw new ExecutionRoleError(roleArn, step?.detail.slice(roleArn.length + 2) ?? "");
}

function parsed(taskDefinition: unknown): Record<string, unknown> | undefined {
  try {
    const value = typeof taskDefinition === "string" ? JSON.parse(taskDefinition) : taskDefinition;
    if (value && typeof value === "object") {
      const inner = (value as { taskDefinition?: unknown }).taskDefinition;
      return (inner && typeof inner === "object" ? inner : value) as Record<string, unknown>;
    }
  } catch {
    // the agent's registration step reports bad JSON with ECS's text
  }
  return undefined;
}

function imagesOf(taskDefinition: unknown): string[] {
  const containers = parsed(taskDefinition)?.["containerDefinitions"];
  if (!Array.isArray(containers)) return [];
  return [...new Set(containers.map((c) => (c as { image?: unknown }).image).filter((i): i is string => typeof i === "string"))];
}
