// The per-task `asm-auth` resource (ECS-BEHAVIOR.md §3): the stateful part of fetching registry credentials.
// It executes the pure fetch plan through the SecretsManagerPort one call at a time, stops at the first failure,
// and keeps the credentials for this task only (nothing is shared across tasks). Parsing lives in secret-parse.ts.
import type { SecretsManagerClientSettings } from "../profile/agent-profile.ts";
import type { SecretFetch } from "./credentials.ts";
import { SecretsManagerCallError } from "../ports.ts";
import type { ExecutionRoleSession, RegistryAuth, SecretsManagerFailure, SecretsManagerPort } from "../ports.ts";
import { parseSecretValue } from "./secret-parse.ts";
import type { SecretParseFailure } from "./secret-parse.ts";
import type { TraceRecorder } from "./trace.ts";

export type CredentialsFailure =
  | { stage: "call"; secretId: string; region: string; containers: string[]; failure: SecretsManagerFailure }
  | { stage: "parse"; secretId: string; region: string; containers: string[]; parse: SecretParseFailure };

export type AsmAuthResult = { ok: true } | { ok: false; failure: CredentialsFailure };

export class AsmAuthResource {
  /** credentialsParameter → credentials, for this task only. */
  private readonly bySecretId = new Map<string, RegistryAuth>();
  private readonly secretIdByContainer = new Map<string, string>();
  /** GetSecretValue calls made (for the trace and the dedupe tests). */
  calls = 0;

  constructor(
    private readonly plan: readonly SecretFetch[],
    private readonly secretsManager: SecretsManagerPort,
    private readonly trace?: TraceRecorder,
    /** The execution role's session whose credentials sign every call (absent: the port's own). */
    private readonly executionRole?: ExecutionRoleSession,
    /** The launch's agent Secrets Manager client settings (its profile); the client is made per region and credentials. */
    private readonly client?: SecretsManagerClientSettings,
  ) {
    for (const fetch of plan) for (const name of fetch.containers) this.secretIdByContainer.set(name, fetch.secretId);
  }

  /** Fetch every planned secret in order; the first failure stops the loop. EnvironmentError propagates. */
  async create(): Promise<AsmAuthResult> {
    for (const fetch of this.plan) {
      if (this.bySecretId.has(fetch.secretId)) continue;
      const who = fetch.containers.join(", ");
      const call = this.trace?.begin("credentials", who, `GetSecretValue ${fetch.secretId} in ${fetch.region}`);
      let value;
      try {
        this.calls++;
        value = await this.secretsManager.getSecretValue({
          secretId: fetch.secretId,
          region: fetch.region,
          ...(this.executionRole && { executionRole: this.executionRole }),
          ...(this.client && { client: this.client }),
        });
      } catch (error) {
        if (!(error instanceof SecretsManagerCallError)) throw error;
        const f = error.failure;
        const status = f.httpStatusCode !== undefined ? `HTTP ${f.httpStatusCode} ` : "";
        call?.end("failed", `GetSecretValue ${fetch.secretId} in ${fetch.region}: ${status}${f.code} after ${f.attempts} attempt(s)`);
        return { ok: false, failure: { stage: "call", ...this.where(fetch), failure: f } };
      }
      call?.end("ok", `GetSecretValue ${fetch.secretId} in ${fetch.region}: answered`);

      const parse = this.trace?.begin("parse", who, `read username and password of ${fetch.secretId}`);
      const parsed = parseSecretValue(value);
      if (!parsed.ok) {
        parse?.end("failed", `${fetch.secretId}: ${parsed.message}`);
        return { ok: false, failure: { stage: "parse", ...this.where(fetch), parse: parsed } };
      }
      parse?.end("ok", `${fetch.secretId}: username and password present (values withheld)`);
      this.bySecretId.set(fetch.secretId, parsed.auth);
    }
    return { ok: true };
  }

  /** The Docker credentials of a container with repositoryCredentials; undefined for the others. */
  authFor(containerName: string): RegistryAuth | undefined {
    const id = this.secretIdByContainer.get(containerName);
    return id === undefined ? undefined : this.bySecretId.get(id);
  }

  /** The agent clears the resource when the task stops. */
  cleanup(): void {
    this.bySecretId.clear();
  }

  private where(fetch: SecretFetch) {
    return { secretId: fetch.secretId, region: fetch.region, containers: [...fetch.containers] };
  }
}
