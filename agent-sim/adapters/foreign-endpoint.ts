// An endpoint that answers HTTP but is not an AWS service (a web server, a proxy's error page, the wrong port): the
// tool's environment, not the simulated task's. AWS services answer JSON (application/x-amz-json-1.1,
// application/json) or XML (text/xml, application/xml), errors included; anything else is named here — the endpoint,
// the status, the content type and the first bytes of the body, with every secret the caller knows removed.
import type { STSClient } from "@aws-sdk/client-sts";
import { EnvironmentError } from "../ports.ts";

export interface ForeignAnswer {
  status: number;
  contentType?: string | undefined;
  /** The body, or its first bytes; undefined when they are no longer readable. */
  body?: string | undefined;
}

const EXCERPT_CHARS = 80;

/** JSON or XML: what an AWS service (the emulator, LocalStack, AWS) answers, errors included. */
export function isAwsContentType(contentType: string | undefined): boolean {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  return type === "application/json" || type.startsWith("application/x-amz-json") || type === "text/xml" || type === "application/xml";
}

/** Shorter "secrets" are the public test/test dummies; masking them would only garble the excerpt. */
const MIN_SECRET_CHARS = 8;

/** The first bytes of a body on one line, printable characters only, without any of `secrets`. */
export function bodyExcerpt(body: string, secrets: readonly string[] = []): string {
  let text = body;
  for (const secret of secrets) if (secret.length >= MIN_SECRET_CHARS) text = text.split(secret).join("***");
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}…` : flat;
}

export function describeAnswer(answer: ForeignAnswer, secrets: readonly string[] = []): string {
  const parts = [`HTTP ${answer.status}`, answer.contentType ? `content type ${answer.contentType}` : "no content type"];
  if (answer.body !== undefined) parts.push(answer.body.trim() === "" ? "an empty body" : `body ${JSON.stringify(bodyExcerpt(answer.body, secrets))}`);
  return parts.join(", ");
}

/**
 * The error for an answer that is not an AWS service's. Masked in the excerpt: `secrets` and the credentials the AWS
 * SDK's default chain takes from the environment (AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN).
 */
export function notAnAwsServiceError(endpoint: string, answer: ForeignAnswer, secrets: readonly string[] = [], env: NodeJS.ProcessEnv = process.env): EnvironmentError {
  const masked = [...secrets, env["AWS_SECRET_ACCESS_KEY"] ?? "", env["AWS_SESSION_TOKEN"] ?? ""];
  return new EnvironmentError(
    `the endpoint ${endpoint} answered, but not as an AWS service (${describeAnswer(answer, masked)}); ` +
      "point --endpoint (or AWS_ENDPOINT_URL) at `ecs-pull serve`, a LocalStack, or leave it unset for AWS",
  );
}

/**
 * An AWS SDK v3 error caused by an answer that is not an AWS service's: the SDK keeps the HTTP response in the
 * hidden `$response`; its body is already consumed, so the first bytes come from the JSON parser's excerpt when
 * there is one. Undefined for every other error (AWS errors, network errors).
 */
export function foreignAnswerOfSdkError(error: unknown): ForeignAnswer | undefined {
  const response = (error as { $response?: { statusCode?: number; headers?: Record<string, string | undefined> } } | null)?.$response;
  if (!response || typeof response.statusCode !== "number") return undefined;
  const contentType = response.headers?.["content-type"];
  if (isAwsContentType(contentType)) return undefined;
  return { status: response.statusCode, contentType, body: parserExcerpt((error as Error).message ?? "") };
}

/** `Unexpected token '<', "<!doctype "... is not valid JSON` → `<!doctype ` (V8's quote of the input). */
function parserExcerpt(message: string): string | undefined {
  const open = message.indexOf(', "');
  const close = message.indexOf('" is not valid JSON') >= 0 ? message.indexOf('" is not valid JSON') : message.indexOf('"... is not valid JSON');
  return open >= 0 && close > open ? message.slice(open + 3, close) : undefined;
}

/**
 * For a query-protocol client (STS) whose XML parser accepts any body: a successful answer that is not JSON or XML
 * becomes an error carrying `$response`, which foreignAnswerOfSdkError then names. Without it a web page's 200
 * would read as "STS returned no credentials".
 */
export function rejectForeignAnswers(client: Pick<STSClient, "middlewareStack">): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const response = result.response as { statusCode?: number; headers?: Record<string, string | undefined> } | undefined;
      if (response && typeof response.statusCode === "number" && !isAwsContentType(response.headers?.["content-type"])) {
        throw Object.assign(new Error("not an AWS service's answer"), { $response: response });
      }
      return result;
    },
    { step: "deserialize", priority: "high", name: "ecsPullRejectForeignAnswers" },
  );
}
