// One SigV4-signed JSON 1.1 POST to the ecs-pull emulator's own operations (EcsPullInternal.*), with node:http(s):
// the execution-role port (AssumeRoleAsService) and `ecs-pull run --via-server` (RunAgentTask) send theirs here; and
// the health probe that tells the emulator from another endpoint. Light on purpose: the signer, node's HTTP client
// and nothing else, so a thin client can load it. The signer is aws4 (one file on node:crypto), not the SDK's
// @smithy/signature-v4, whose module graph costs `run --via-server` ~35 ms to load for one request.
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import aws4 from "aws4";
import type { AwsCredentials } from "../steps/execution-role.ts";
import { EMULATOR_HEALTH_PATH } from "./internal-api.ts";
import { EnvironmentError } from "../ports.ts";

const HEALTH_TIMEOUT_MS = 3_000;

export interface SignedJsonPostInput {
  endpoint: string;
  /** The SigV4 credential scope's region and service. */
  region: string;
  service: string;
  credentials: AwsCredentials;
  /** X-Amz-Target, e.g. `EcsPullInternal.AssumeRoleAsService`. */
  target: string;
  body: unknown;
}

export interface JsonAnswer {
  status: number;
  /** The Content-Type header, when there is one. */
  contentType?: string | undefined;
  text: string;
  /** The body as a JSON object; undefined when it is not one (an endpoint that is not the emulator). */
  json: Record<string, unknown> | undefined;
}

/** Signs and sends; an endpoint that does not answer is an EnvironmentError naming it. */
export async function signedJsonPost(input: SignedJsonPostInput): Promise<JsonAnswer> {
  const url = new URL(input.endpoint);
  const body = JSON.stringify(input.body);
  const request = aws4.sign(
    {
      method: "POST",
      host: url.host,
      path: url.pathname || "/",
      service: input.service,
      region: input.region,
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": input.target },
      body,
    },
    input.credentials,
  );
  let answer: { status: number; contentType?: string | undefined; text: string };
  try {
    answer = await send(url, "POST", request.headers as Record<string, string>, body);
  } catch (error) {
    const cause = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new EnvironmentError(`the emulator at ${input.endpoint} is unreachable (${cause}); start it with \`ecs-pull serve\` or check --endpoint`);
  }
  return { ...answer, json: parseObject(answer.text) };
}

/** Whether `GET /_ecs-pull/health` at the endpoint answers as an ecs-pull emulator does. */
export async function answersAsEmulator(endpoint: string): Promise<boolean> {
  try {
    const { status, text } = await send(new URL(EMULATOR_HEALTH_PATH, endpoint), "GET", {}, undefined, HEALTH_TIMEOUT_MS);
    return status === 200 && parseObject(text)?.status === "ok";
  } catch {
    return false;
  }
}

/** An AWS JSON error answer's code (without a `namespace#` prefix) and message; empty strings when absent. */
export function awsErrorOf(answer: JsonAnswer): { code: string; message: string } {
  const json = answer.json ?? {};
  return { code: String(json.__type ?? "").replace(/^.*#/, ""), message: String(json.message ?? json.Message ?? "") };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One request with node:http(s). Not fetch: its first use loads and compiles undici and its WebAssembly parser, ~30 ms
 * of every `ecs-pull run` for one request.
 */
function send(url: URL, method: string, headers: Record<string, string>, body?: string, timeoutMs?: number): Promise<{ status: number; contentType?: string | undefined; text: string }> {
  return new Promise((resolve, reject) => {
    const request = url.protocol === "https:" ? httpsRequest : httpRequest;
    const length = body === undefined ? {} : { "content-length": String(Buffer.byteLength(body)) };
    const req = request(url, { method, headers: { ...headers, ...length }, ...(timeoutMs !== undefined && { timeout: timeoutMs }) }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, contentType: res.headers["content-type"], text }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(Object.assign(new Error("timed out"), { code: "ETIMEDOUT" })));
    req.on("error", reject);
    req.end(body);
  });
}
