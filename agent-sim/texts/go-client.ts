// The texts the ECS agent's Go Docker client (github.com/docker/docker/client, as vendored by amazon-ecs-agent)
// puts in its errors, rebuilt from what the engine answered. Pure: no I/O, so each rule is a one-line test.
//
// - An HTTP answer outside 200..399 (client/request.go checkResponseErr):
//     `Error response from daemon: <message>`: <message> is the trimmed `message` of the JSON body when the
//     Content-Type is exactly application/json, else the trimmed body; an empty body gives
//     `request returned <Status Text> for API route and version <url>, check if ...`.
// - An error inside the pull's JSON stream (agent dockerapi pullImage): the bare `error` field of the first
//   message that has one, via errors.New(data.Error).
import { AUTH_CONFIG_EXTRA_FIELDS } from "../ports.ts";
import type { RegistryAuth } from "../ports.ts";

export const DAEMON_ERROR_PREFIX = "Error response from daemon: ";

/** Go's net/http StatusText for the codes an engine answers with. */
const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

export interface EngineHttpAnswer {
  statusCode: number;
  /** The Content-Type header as sent. */
  contentType: string | undefined;
  body: string;
  /** The request URL, for the empty-body text. */
  requestUrl: string;
}

/** The Go client's error text for a non-2xx/3xx engine answer. */
export function daemonErrorText(answer: EngineHttpAnswer): string {
  if (answer.body.length === 0) {
    const status = STATUS_TEXT[answer.statusCode] ?? "";
    return `request returned ${status} for API route and version ${answer.requestUrl}, check if the server supports the requested API version`;
  }
  if (answer.contentType === "application/json") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(answer.body);
    } catch (err) {
      return `Error reading JSON: ${(err as Error).message}`;
    }
    const message = parsed !== null && typeof parsed === "object" ? (parsed as { message?: unknown }).message : undefined;
    return DAEMON_ERROR_PREFIX + (typeof message === "string" ? message : "").trim();
  }
  return DAEMON_ERROR_PREFIX + answer.body.trim();
}

/** One message of the ImagePull JSON stream, as the agent's ImagePullResponse reads it. */
export interface PullStreamMessage {
  id?: string;
  status?: string;
  progressDetail?: { current?: number; total?: number };
  progress?: string;
  error?: string;
}

/**
 * Splits stream text into complete JSON messages; the tail after the last newline is returned to be completed
 * by the next chunk. Docker writes one message per line (`\r\n`).
 */
export function splitPullStream(pending: string): { messages: string[]; rest: string } {
  const lines = pending.split("\n");
  const rest = lines.pop() ?? "";
  return { messages: lines.map((line) => line.trim()).filter((line) => line.length > 0), rest };
}

/** Parses one stream line; a line that is not a JSON object is a decode failure (the agent fails the pull). */
export function parsePullMessage(line: string): PullStreamMessage | { decodeError: string } {
  try {
    const value: unknown = JSON.parse(line);
    if (value !== null && typeof value === "object" && !Array.isArray(value)) return value as PullStreamMessage;
    return { decodeError: `json: cannot unmarshal ${Array.isArray(value) ? "array" : typeof value} into Go value of type dockerapi.ImagePullResponse` };
  } catch {
    // Go's json.Decoder wording differs by the offending byte; the one that matters (a cut stream) is this.
    return { decodeError: "unexpected EOF" };
  }
}

/**
 * The X-Registry-Auth header: the JSON of exactly {username,password} in Go's base64.URLEncoding (URL alphabet,
 * with `=` padding, which the daemon's decoder expects). No credentials: `{}`, as the agent sends for an
 * image without any.
 */
export function registryAuthHeader(auth: RegistryAuth | undefined): string {
  // Go's json encoding of registry.AuthConfig: fields in struct order, empty ones omitted (omitempty).
  const fields: Record<string, string> = {};
  if (auth) {
    for (const name of ["username", "password", ...AUTH_CONFIG_EXTRA_FIELDS] as const) {
      const value = auth[name];
      if (value) fields[name] = value;
    }
  }
  const json = JSON.stringify(fields);
  return Buffer.from(json, "utf8").toString("base64").replace(/\+/g, "-").replace(/\//g, "_");
}

/** The daemon's fromImage/tag for a reference: a digest or tag when present, else `latest` (agent getRepository). */
export function splitImageReference(image: string): { fromImage: string; tag: string } {
  const at = image.indexOf("@");
  if (at >= 0) return { fromImage: image.slice(0, at), tag: image.slice(at + 1) };
  const colon = image.lastIndexOf(":");
  if (colon > image.lastIndexOf("/")) return { fromImage: image.slice(0, colon), tag: image.slice(colon + 1) };
  return { fromImage: image, tag: "latest" };
}
