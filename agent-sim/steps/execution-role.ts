// The task execution role, assumed the way ECS assumes it before the agent fetches registry credentials: the
// ExecutionRolePort (one method) and its two implementations. Against the emulator: its EcsPullInternal
// AssumeRoleAsService operation, which assumes the role *as the service* ecs-tasks.amazonaws.com and so checks the
// role's trust policy exactly as ECS's own AssumeRole would. Against real AWS (no endpoint override): STS AssumeRole
// with the caller's default-chain credentials; the role's trust policy must then also trust the caller, because
// only ECS itself can act as the service principal.
import type { STSClient } from "@aws-sdk/client-sts";
import { internalTarget } from "../adapters/internal-api.ts";
import { EnvironmentError } from "../ports.ts";
import { awsErrorOf, signedJsonPost } from "../adapters/signed-json-post.ts";
import { foreignAnswerOfSdkError, isAwsContentType, notAnAwsServiceError, rejectForeignAnswers } from "../adapters/foreign-endpoint.ts";

export const ECS_TASKS_SERVICE = "ecs-tasks.amazonaws.com";

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** The execution role's temporary credentials for one task, and who they make the agent. */
export interface ExecutionRoleSession {
  roleArn: string;
  /** `arn:aws:sts::<acct>:assumed-role/<role>/<session>`: the principal AWS names in an access denial. */
  sessionArn: string;
  credentials: AwsCredentials;
}

/** ECS could not assume the role (untrusted by ecs-tasks.amazonaws.com, or missing): RunTask's ClientException. */
export class UnableToAssumeRoleError extends Error {
  override readonly name = "UnableToAssumeRoleError";
  constructor(
    readonly roleArn: string,
    /** What STS answered (code: message), for the trace and the diagnosis; never shown as the ECS text. */
    readonly stsError: string,
  ) {
    super(`unable to assume ${roleArn}: ${stsError}`);
  }
}

export interface ExecutionRolePort {
  /**
   * Assume `roleArn` for the task `sessionName`. Resolves undefined when no credentials come back (the agent then
   * has no execution-role credentials); throws UnableToAssumeRoleError, or EnvironmentError for the tool's own
   * environment (endpoint down, no caller credentials).
   */
  assumeRole(input: { roleArn: string; region: string; sessionName: string }): Promise<ExecutionRoleSession | undefined>;
}

/** `123456789012:role/ecsTaskExecutionRole`'s session ARN (the role's path is not part of it). */
export function sessionArnOf(roleArn: string, sessionName: string): string {
  const m = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  return m ? `arn:${m[1]}:sts::${m[2]}:assumed-role/${m[3]}/${sessionName}` : roleArn;
}

const NETWORK = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|fetch failed/;

/** The emulator's AssumeRoleAsService, signed with the caller's (admin) credentials. */
export function createEmulatorExecutionRolePort(options: { endpoint: string; credentials: AwsCredentials }): ExecutionRolePort {
  return {
    async assumeRole({ roleArn, region, sessionName }) {
      const answer = await signedJsonPost({
        endpoint: options.endpoint,
        region,
        service: "sts",
        credentials: options.credentials,
        target: internalTarget("AssumeRoleAsService"),
        body: { RoleArn: roleArn, ServicePrincipal: ECS_TASKS_SERVICE, RoleSessionName: sessionName },
      });
      // Not an AWS service at all (a web page, a proxy's error): the tool's environment, named with what answered.
      if (!isAwsContentType(answer.contentType)) {
        const secrets = [options.credentials.secretAccessKey, options.credentials.sessionToken ?? ""];
        throw notAnAwsServiceError(options.endpoint, { status: answer.status, contentType: answer.contentType, body: answer.text }, secrets);
      }
      // An AWS service that is not the emulator (LocalStack) answers something else: handled below.
      const json = answer.json ?? {};
      if (answer.status >= 200 && answer.status < 300) {
        const c = json.Credentials as { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } | undefined;
        const arn = (json.AssumedRoleUser as { Arn?: string } | undefined)?.Arn;
        if (!c?.AccessKeyId || !c.SecretAccessKey) return undefined;
        return {
          roleArn,
          sessionArn: arn ?? sessionArnOf(roleArn, sessionName),
          credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, ...(c.SessionToken && { sessionToken: c.SessionToken }) },
        };
      }
      const { code, message } = awsErrorOf(answer);
      if (code === "AccessDeniedException") throw new UnableToAssumeRoleError(roleArn, `${code}: ${message}`);
      throw new EnvironmentError(
        `the endpoint ${options.endpoint} cannot assume the execution role as ECS does (HTTP ${answer.status} ${code || answer.text.slice(0, 80)}); ` +
          "it is not the ecs-pull emulator? use --assume-role sts",
      );
    },
  };
}

/**
 * STS AssumeRole with the caller's credentials (real AWS, or any STS endpoint). ECS assumes the role as
 * ecs-tasks.amazonaws.com; a local tool cannot, so the role's trust policy must also allow the caller.
 */
export function createStsExecutionRolePort(options: { endpoint?: string; credentials?: AwsCredentials } = {}): ExecutionRolePort & { destroy(): void } {
  const clients = new Map<string, STSClient>();
  // Loaded on first use: the emulator path never needs the STS client.
  let sts: Promise<typeof import("@aws-sdk/client-sts")> | undefined;
  const loadSts = () => (sts ??= import("@aws-sdk/client-sts"));
  const clientFor = async (region: string) => {
    const { STSClient } = await loadSts();
    let client = clients.get(region);
    if (!client) {
      client = new STSClient({ region, ...(options.endpoint && { endpoint: options.endpoint }), ...(options.credentials && { credentials: options.credentials }) });
      if (options.endpoint) rejectForeignAnswers(client);
      clients.set(region, client);
    }
    return client;
  };
  return {
    async assumeRole({ roleArn, region, sessionName }) {
      try {
        const { AssumeRoleCommand } = await loadSts();
        const out = await (await clientFor(region)).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName }));
        const c = out.Credentials;
        if (!c?.AccessKeyId || !c.SecretAccessKey) return undefined;
        return {
          roleArn,
          sessionArn: out.AssumedRoleUser?.Arn ?? sessionArnOf(roleArn, sessionName),
          credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, ...(c.SessionToken && { sessionToken: c.SessionToken }) },
        };
      } catch (caught) {
        const error = caught as { name?: string; message?: string; code?: string };
        const foreign = foreignAnswerOfSdkError(caught);
        if (foreign) throw notAnAwsServiceError(options.endpoint ?? "(resolved by the AWS SDK)", foreign);
        if (error.name === "AccessDenied" || error.name === "NoSuchEntity" || error.name === "MalformedPolicyDocument") {
          throw new UnableToAssumeRoleError(roleArn, `${error.name}: ${error.message ?? ""}`);
        }
        if (error.name === "CredentialsProviderError" || /Could not load credentials/i.test(error.message ?? "")) {
          throw new EnvironmentError("no AWS credentials found to assume the execution role with: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE");
        }
        if (NETWORK.test(`${error.code ?? ""} ${error.message ?? ""}`)) {
          throw new EnvironmentError(`STS is unreachable (${error.code ?? error.message}); check the network or AWS_ENDPOINT_URL`);
        }
        throw new EnvironmentError(`STS AssumeRole on ${roleArn} failed: ${error.name ?? "Error"}: ${error.message ?? ""}`);
      }
    },
    destroy() {
      for (const client of clients.values()) client.destroy();
      clients.clear();
    },
  };
}
