// The production SecretsManagerPort: GetSecretValue through @aws-sdk/client-secrets-manager, configured like the
// agent's client (3 attempts with the standard retryer, 5 s per attempt) and with the SDK's own endpoint and
// credential resolution unless told otherwise. SDK errors become SecretsManagerFailure; a missing credential
// chain (or, by default, an endpoint nobody listens on) is the tool's environment, not the task's: EnvironmentError.
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { SecretsManagerClientConfig } from "@aws-sdk/client-secrets-manager";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { foreignAnswerOfSdkError, notAnAwsServiceError } from "./foreign-endpoint.ts";
import { EnvironmentError, SecretsManagerCallError } from "../ports.ts";
import { SECRETS_MANAGER_CLIENT } from "../../aws/defaults.ts";
import type { SecretsManagerClientSettings } from "../profile/agent-profile.ts";
import type { ExecutionRoleSession, SecretsManagerFailure, SecretsManagerPort, SecretValue } from "../ports.ts";

export { agentSdkSettings } from "../profile/agent-profile.ts";
/** The agent's Secrets Manager client settings (aws/defaults.ts), under the name the library has exported. */
export const AGENT_SDK_SETTINGS = SECRETS_MANAGER_CLIENT;

export interface SecretsManagerSdkOptions {
  /** An explicit endpoint (e.g. http://127.0.0.1:4566); otherwise AWS_ENDPOINT_URL(_SECRETS_MANAGER), profile, AWS. */
  endpoint?: string;
  /** Credentials (e.g. the execution role's, once assumed); otherwise the SDK's default chain. */
  credentials?: SecretsManagerClientConfig["credentials"];
  /** Default for calls that do not bring the launch's agent settings (`client`). */
  maxAttempts?: number;
  /** 0 disables the per-attempt timeout. Default for calls that do not bring the launch's agent settings. */
  requestTimeoutMs?: number;
  /** Caps any per-attempt timeout (scenario --fast); an agent without one keeps none. */
  maxRequestTimeoutMs?: number;
  /**
   * What a refused connection or unknown host means. "environment" (default): the tool's endpoint is not running,
   * an EnvironmentError. "task": Secrets Manager unreachable from the task, a network SecretsManagerFailure.
   * Timeouts are always the task's.
   */
  unreachable?: "environment" | "task";
}

const NETWORK_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH"]);

interface SdkLikeError {
  name?: string;
  message?: string;
  code?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number };
}

export function isCredentialsMissing(error: SdkLikeError): boolean {
  return error.name === "CredentialsProviderError" || /Could not load credentials/i.test(error.message ?? "");
}

export function isNetworkError(error: SdkLikeError): boolean {
  return (
    error.name === "TimeoutError" ||
    (error.code !== undefined && NETWORK_CODES.has(error.code)) ||
    (error.$metadata?.httpStatusCode === undefined && error.$fault === undefined && /ECONN|socket hang up|getaddrinfo/.test(error.message ?? ""))
  );
}

/** SDK error → the failure the agent's SDK would have seen. */
export function toSecretsManagerFailure(error: SdkLikeError, maxAttempts: number): SecretsManagerFailure {
  const attempts = error.$metadata?.attempts ?? 1;
  if (isNetworkError(error)) {
    return {
      code: error.name === "TimeoutError" ? "TimeoutError" : (error.code ?? "RequestError"),
      message: error.message ?? "network error",
      attempts: Math.min(attempts, maxAttempts),
      kind: "network",
    };
  }
  return {
    code: error.name ?? "UnknownError",
    message: error.message ?? "",
    ...(error.$metadata?.httpStatusCode !== undefined ? { httpStatusCode: error.$metadata.httpStatusCode } : {}),
    ...(error.$metadata?.requestId !== undefined ? { requestId: error.$metadata.requestId } : {}),
    attempts,
    kind: "service",
  };
}

export function createSecretsManagerSdkPort(options: SecretsManagerSdkOptions = {}): SecretsManagerPort & { destroy(): void } {
  const clients = new Map<string, SecretsManagerClient>();
  const settingsOf = (client: SecretsManagerClientSettings | undefined) => {
    const maxAttempts = client?.maxAttempts ?? options.maxAttempts ?? SECRETS_MANAGER_CLIENT.maxAttempts;
    const timeout = client?.requestTimeoutMs ?? options.requestTimeoutMs ?? SECRETS_MANAGER_CLIENT.requestTimeoutMs;
    const cap = options.maxRequestTimeoutMs;
    return { maxAttempts, requestTimeout: cap !== undefined && timeout > 0 ? Math.min(timeout, cap) : timeout };
  };

  // One client per region, signing identity and agent settings, as the agent's asmClientCreator.NewASMClient(region, creds) (agent/asm/factory/factory.go)
  // per task: the execution role's session signs its task's calls.
  const clientFor = (region: string, session: ExecutionRoleSession | undefined, settings: { maxAttempts: number; requestTimeout: number }) => {
    const { maxAttempts, requestTimeout } = settings;
    const key = `${region}|${session?.credentials.accessKeyId ?? ""}|${maxAttempts}|${requestTimeout}`;
    let client = clients.get(key);
    if (!client) {
      client = new SecretsManagerClient({
        region,
        maxAttempts,
        requestHandler: new NodeHttpHandler(
          requestTimeout > 0 ? { requestTimeout, throwOnRequestTimeout: true } : {},
        ),
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
        ...(session ? { credentials: session.credentials } : options.credentials ? { credentials: options.credentials } : {}),
      });
      clients.set(key, client);
    }
    return client;
  };

  return {
    async getSecretValue({ secretId, region, executionRole, client }): Promise<SecretValue | undefined> {
      const settings = settingsOf(client);
      try {
        const out = await clientFor(region, executionRole, settings).send(new GetSecretValueCommand({ SecretId: secretId }));
        return {
          ...(out.SecretString !== undefined ? { SecretString: out.SecretString } : {}),
          ...(out.SecretBinary !== undefined ? { SecretBinary: out.SecretBinary } : {}),
        };
      } catch (caught) {
        const error = caught as SdkLikeError;
        if (isCredentialsMissing(error)) {
          throw new EnvironmentError(
            "no AWS credentials found for Secrets Manager: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE (any values work against a local emulator)",
          );
        }
        if ((options.unreachable ?? "environment") === "environment" && error.name !== "TimeoutError" &&
          (error.code === "ECONNREFUSED" || error.code === "ENOTFOUND" || error.code === "EAI_AGAIN")) {
          throw new EnvironmentError(
            `Secrets Manager endpoint ${options.endpoint ?? "(resolved by the AWS SDK)"} is unreachable (${error.code}); start the emulator or check AWS_ENDPOINT_URL`,
          );
        }
        const foreign = foreignAnswerOfSdkError(caught);
        if (foreign) {
          const role = executionRole?.credentials;
          throw notAnAwsServiceError(options.endpoint ?? "(resolved by the AWS SDK)", foreign, [role?.secretAccessKey ?? "", role?.sessionToken ?? ""]);
        }
        throw new SecretsManagerCallError(toSecretsManagerFailure(error, settings.maxAttempts));
      }
    },
    destroy() {
      for (const client of clients.values()) client.destroy();
      clients.clear();
    },
  };
}
