// How a failed Secrets Manager call reads in a task's stoppedReason (ECS-BEHAVIOR.md §5, §7): the Go SDK's own
// error text (aws-sdk-go v1 before agent 1.92.0, aws-sdk-go-v2 from it), wrapped by the agent, then turned into
// the task reason (strings.Fields, first word strings.Title, cut at 1024 bytes by trimString). Pure.
import type { SecretsManagerFailure } from "../ports.ts";
import { ASM, FARGATE, SDK } from "./agent.ts";
import { TASK_REASON_LIMIT_BYTES } from "../profile/versions.ts";
import { goFields, goTitle, goTrimString } from "./go-strings.ts";

/** Which code path shows the error: the ECS agent (EC2, EXTERNAL, Fargate < 1.4.0) or the Fargate agent. */
export type ErrorDialect = { kind: "ecs-agent"; sdk: "v1" | "v2" } | { kind: "fargate-agent" };

/** The Go SDKs' standard retryer stops after this many attempts. */
export const SDK_MAX_ATTEMPTS = 3;

/**
 * aws-sdk-go-v2 has a Go type for these Secrets Manager errors (their text is `<Code>: <Message>`); anything else
 * (AccessDeniedException, ThrottlingException, auth errors) is a smithy GenericAPIError (`api error <Code>: …`).
 */
export const SDK_V2_MODELLED_ERRORS: ReadonlySet<string> = new Set([
  "DecryptionFailure",
  "EncryptionFailure",
  "InternalServiceError",
  "InvalidNextTokenException",
  "InvalidParameterException",
  "InvalidRequestException",
  "LimitExceededException",
  "MalformedPolicyDocumentException",
  "PreconditionNotMetException",
  "PublicPolicyException",
  "ResourceExistsException",
  "ResourceNotFoundException",
]);

/** The HTTPS endpoint the agent itself would have called (it always talks to AWS). */
export const secretsManagerUrl = (region: string) => `https://secretsmanager.${region}.amazonaws.com/`;

/**
 * A transport failure as Go's net/http would word it (inferred: the tool sees Node's error, not Go's).
 * Node says `connect ECONNREFUSED 127.0.0.1:4566`; Go says `dial tcp 127.0.0.1:4566: connect: connection refused`.
 */
export function goTransportCause(failure: SecretsManagerFailure): string {
  const text = `${failure.code} ${failure.message}`;
  const refused = /ECONNREFUSED\s+(\S+:\d+)/.exec(text);
  if (refused?.[1]) return SDK.goConnectionRefused(refused[1]);
  if (/ECONNREFUSED|connection refused/i.test(text)) return SDK.goConnectionRefused("secretsmanager:443");
  if (/timeout|timed out|ETIMEDOUT|deadline/i.test(text)) return SDK.goClientTimeout;
  if (/ECONNRESET|socket hang up|connection reset/i.test(text)) return SDK.goConnectionReset;
  return failure.message;
}

export function sdkV1ErrorText(failure: SecretsManagerFailure, region: string): string {
  if (failure.kind === "network") {
    return SDK.v1SendRequestFailed(SDK.goUrlError(secretsManagerUrl(region), goTransportCause(failure)));
  }
  return SDK.v1RequestFailure(failure.code, failure.message, failure.httpStatusCode ?? 400, failure.requestId ?? "");
}

export function sdkV2ErrorText(failure: SecretsManagerFailure, region: string): string {
  let inner: string;
  if (failure.kind === "network") {
    // aws-sdk-go-v2 wraps transport failures in a ResponseError with status 0 and no request id.
    inner = SDK.v2ResponseError(0, "", SDK.v2RequestSendFailed(SDK.goUrlError(secretsManagerUrl(region), goTransportCause(failure))));
  } else {
    const apiError = SDK_V2_MODELLED_ERRORS.has(failure.code)
      ? SDK.v2ModelledError(failure.code, failure.message)
      : SDK.v2GenericApiError(failure.code, failure.message);
    inner = SDK.v2ResponseError(failure.httpStatusCode ?? 400, failure.requestId ?? "", apiError);
  }
  if (failure.attempts >= SDK_MAX_ATTEMPTS) inner = SDK.v2MaxAttempts(SDK_MAX_ATTEMPTS, inner);
  return SDK.v2OperationError(inner);
}

/** A call that the SDK retried to exhaustion (throttling, 5xx, timeouts, connection errors). */
export const wasRetried = (failure: SecretsManagerFailure) => failure.kind === "network" || failure.attempts > 1;

/**
 * The Fargate agent's "service call has been retried <n> time(s)": 1 for an error it does not retry, 5 for one
 * it does (inferred from posted task reasons; the Fargate agent is not public).
 */
export const fargateRetryCount = (failure: SecretsManagerFailure) => (wasRetried(failure) ? 5 : 1);

/** The agent's error for a failed GetSecretValue, before it becomes a task reason. */
export function asmCallErrorText(
  secretId: string,
  region: string,
  failure: SecretsManagerFailure,
  dialect: ErrorDialect,
): string {
  if (dialect.kind === "fargate-agent") {
    // Posted Fargate reasons show aws-sdk-go v1 texts (inferred for current platforms).
    const wrapped = ASM.fetchFromService(secretId, sdkV1ErrorText(failure, region));
    const text = FARGATE.resourceInitialization(FARGATE.serviceCallRetried(fargateRetryCount(failure), wrapped));
    return failure.kind === "network" ? text + FARGATE.networkHint : text;
  }
  const sdkText = dialect.sdk === "v2" ? sdkV2ErrorText(failure, region) : sdkV1ErrorText(failure, region);
  return ASM.fetchFromService(secretId, sdkText);
}

/** The agent's error for a secret value it could not use (the §4 texts). */
export function asmParseErrorText(message: string, dialect: ErrorDialect): string {
  // The Fargate wrapping of parse errors has no public capture: same prefix, no retry clause (inferred).
  return dialect.kind === "fargate-agent" ? FARGATE.resourceInitialization(message) : message;
}

/** Cut to at most `limit` UTF-8 bytes without splitting a character. */
export function cutUtf8(text: string, limit: number): string {
  if (Buffer.byteLength(text, "utf8") <= limit) return text;
  let bytes = 0;
  let out = "";
  for (const ch of text) {
    const size = Buffer.byteLength(ch, "utf8");
    if (bytes + size > limit) break;
    bytes += size;
    out += ch;
  }
  return out;
}

/**
 * An agent error as the task's stoppedReason: Task.SetTerminalReason (agent/api/task/task.go) splits it with
 * strings.Fields, title-cases the first word with strings.Title and joins with one space; the ECS client's
 * trimString (ecs-agent/api/ecs/client/ecs_client.go) then cuts it at 1024 bytes.
 */
export function toTaskReason(errorText: string): string {
  const words = goFields(errorText);
  if (words.length === 0) return "";
  words[0] = goTitle(words[0]!);
  return goTrimString(words.join(" "), TASK_REASON_LIMIT_BYTES);
}
