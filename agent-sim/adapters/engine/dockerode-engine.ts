// The production ImageEngine: the real Docker engine through dockerode's connection (socket or TCP), one attempt
// per call. Requests are made the way the ECS agent's Go client makes them (same endpoints, same X-Registry-Auth),
// and failures carry the exact text that client would put in its error (see go-client-text.ts). An engine that
// stops answering is an EnvironmentError: the tool's machine is broken, not the simulated task.
import type Docker from "dockerode";
import type { IncomingMessage } from "node:http";
import { inspect } from "node:util";
import { EngineError, EnvironmentError, type DistributionDescriptor, type ImageEngine, type PullProgress, type RegistryAuth } from "../../ports.ts";
import { describeDocker } from "./docker-host.ts";
import {
  daemonErrorText,
  parsePullMessage,
  registryAuthHeader,
  splitImageReference,
  splitPullStream,
  type PullStreamMessage,
} from "../../texts/go-client.ts";

export interface DockerEngine extends ImageEngine {
  /** Removes a local image (forced, so tags on the same id go too); a missing image is not an error. */
  removeImage(image: string): Promise<void>;
}

/** Every status reaches our own handling: docker-modem would otherwise fold the body into its own message. */
const ANY_STATUS: Record<number, true> = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [i + 100, true]));

interface EngineRequest {
  method: "GET" | "POST" | "DELETE";
  /** API path without version prefix, e.g. /images/create. */
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
}

export function createDockerEngine(docker: Docker): DockerEngine {
  const where = describeDocker(docker);

  /** One HTTP exchange with the engine; resolves with the response whatever its status. */
  function send(request: EngineRequest): Promise<IncomingMessage> {
    const hasQuery = request.query !== undefined;
    return new Promise((resolve, reject) => {
      docker.modem.dial(
        {
          method: request.method,
          path: hasQuery ? `${request.path}?` : request.path,
          // _query/_body: keep docker-modem from also sending the query as a JSON body.
          options: hasQuery ? { _query: request.query, _body: {} } : {},
          headers: redactedWhenInspected({ ...request.headers }),
          isStream: true,
          statusCodes: ANY_STATUS,
        },
        (err: unknown, res: unknown) => (err ? reject(unreachable(err)) : resolve(res as IncomingMessage)),
      );
    });
  }

  function unreachable(err: unknown): EnvironmentError {
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    const detail = code ?? (err instanceof Error ? err.message : String(err));
    return new EnvironmentError(
      `The Docker engine at ${where} stopped answering (${detail}): run \`npm run env:up\` or set DOCKER_HOST`,
    );
  }

  function readBody(res: IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      res.on("error", (err) => reject(unreachable(err)));
      res.on("aborted", () => reject(unreachable(new Error("connection closed mid-answer"))));
    });
  }

  /** Rejects with the Go client's EngineError text when the engine answered outside 200..399. */
  async function failIfHttpError(res: IncomingMessage, request: EngineRequest): Promise<void> {
    const status = res.statusCode ?? 0;
    if (status >= 200 && status < 400) return;
    const body = await readBody(res);
    const header = res.headers["content-type"];
    const query = request.query ? `?${new URLSearchParams(request.query).toString()}` : "";
    throw new EngineError(
      daemonErrorText({ statusCode: status, contentType: header, body, requestUrl: `${where}${request.path}${query}` }),
      status,
    );
  }

  async function inspectDistribution(image: string, auth: RegistryAuth | undefined): Promise<DistributionDescriptor | undefined> {
    const request: EngineRequest = {
      method: "GET",
      path: `/distribution/${image}/json`,
      headers: { "X-Registry-Auth": registryAuthHeader(auth) },
    };
    const res = await send(request);
    await failIfHttpError(res, request);
    return parseDistributionInspect(await readBody(res));
  }

  /**
   * The Go client's ImageTag (github.com/docker/docker client/image_tag.go): the target's repository and tag (a
   * reference without a tag is tagged `latest`) as the query, the source in the path. The agent retries it
   * (agent/dockerclient/dockerapi/docker_client.go TagImage); this is one attempt.
   */
  async function tagImage(source: string, target: string): Promise<void> {
    const { fromImage, tag } = splitImageReference(target);
    const request: EngineRequest = { method: "POST", path: `/images/${source}/tag`, query: { repo: fromImage, tag } };
    const res = await send(request);
    await failIfHttpError(res, request);
    await readBody(res);
  }

  async function pullImage(
    image: string,
    auth: RegistryAuth | undefined,
    onProgress?: (p: PullProgress) => void,
  ): Promise<void> {
    const request: EngineRequest = {
      method: "POST",
      path: "/images/create",
      query: splitImageReference(image),
      headers: { "X-Registry-Auth": registryAuthHeader(auth) },
    };
    const res = await send(request);
    await failIfHttpError(res, request);
    const firstError = await consumePullStream(res, onProgress);
    if (firstError !== undefined) throw new EngineError(firstError);
  }

  /** Reads the pull's JSON stream to its end; returns the first error the stream carried, as the agent keeps it. */
  function consumePullStream(res: IncomingMessage, onProgress?: (p: PullProgress) => void): Promise<string | undefined> {
    return new Promise((resolve, reject) => {
      let pending = "";
      let firstError: string | undefined;
      let settled = false;
      const finish = (fn: () => void) => {
        if (!settled) {
          settled = true;
          fn();
        }
      };
      const handle = (line: string) => {
        const message = parsePullMessage(line);
        if ("decodeError" in message) {
          firstError ??= message.decodeError;
          return;
        }
        if (message.error !== undefined && message.error !== "") firstError ??= message.error;
        else if (onProgress && message.status !== undefined) onProgress(toProgress(message));
      };
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        const split = splitPullStream(pending + chunk);
        pending = split.rest;
        split.messages.forEach(handle);
      });
      res.on("end", () => {
        if (pending.trim() !== "") handle(pending.trim());
        finish(() => resolve(firstError));
      });
      res.on("error", (err) => finish(() => reject(unreachable(err))));
      res.on("aborted", () => finish(() => reject(unreachable(new Error("connection closed mid-pull")))));
    });
  }

  async function hasImage(image: string): Promise<boolean> {
    const request: EngineRequest = { method: "GET", path: `/images/${image}/json` };
    const res = await send(request);
    if (res.statusCode === 404) {
      await readBody(res);
      return false;
    }
    await failIfHttpError(res, request);
    await readBody(res);
    return true;
  }

  async function createContainer(image: string): Promise<void> {
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      docker.modem.dial(
        {
          method: "POST",
          path: "/containers/create",
          options: { Image: image, Labels: { "ecs-pull": "create-probe" } },
          isStream: true,
          statusCodes: ANY_STATUS,
        },
        (err: unknown, r: unknown) => (err ? reject(unreachable(err)) : resolve(r as IncomingMessage)),
      );
    });
    const request: EngineRequest = { method: "POST", path: "/containers/create" };
    await failIfHttpError(res, request);
    const body = JSON.parse((await readBody(res)) || "{}") as { Id?: string };
    if (body.Id) {
      const removed = await send({ method: "DELETE", path: `/containers/${body.Id}`, query: { force: "true" } });
      await failIfHttpError(removed, { method: "DELETE", path: `/containers/${body.Id}` });
      await readBody(removed);
    }
  }

  async function removeImage(image: string): Promise<void> {
    const request: EngineRequest = { method: "DELETE", path: `/images/${image}`, query: { force: "true" } };
    const res = await send(request);
    if (res.statusCode === 404) {
      await readBody(res);
      return;
    }
    await failIfHttpError(res, request);
    await readBody(res);
  }

  return { inspectDistribution, pullImage, hasImage, createContainer, tagImage, removeImage };
}

/** DistributionInspect's answer (`{"Descriptor":{"mediaType","digest","size"},"Platforms":[…]}`); nothing if it has no digest. */
export function parseDistributionInspect(body: string): DistributionDescriptor | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const descriptor = (parsed as { Descriptor?: { digest?: unknown; mediaType?: unknown } } | null)?.Descriptor;
  if (typeof descriptor?.digest !== "string" || descriptor.digest === "") return undefined;
  return { digest: descriptor.digest, mediaType: typeof descriptor.mediaType === "string" ? descriptor.mediaType : "" };
}

/**
 * docker-modem logs every request with util.inspect when DEBUG=modem is set; X-Registry-Auth holds the password
 * (base64 is not a secret), so the headers object prints redacted. http.request reads it with Object.keys and is
 * unaffected.
 */
function redactedWhenInspected(headers: Record<string, string>): Record<string, string> {
  const shown = Object.keys(headers).map((name) => (name.toLowerCase() === "x-registry-auth" ? `${name}: <redacted>` : `${name}: ${headers[name]}`));
  Object.defineProperty(headers, inspect.custom, { value: () => `{ ${shown.join(", ")} }`, enumerable: false });
  return headers;
}

function toProgress(message: PullStreamMessage): PullProgress {
  const progress: PullProgress = { id: message.id ?? "", status: message.status ?? "" };
  if (message.progressDetail?.current !== undefined) progress.current = message.progressDetail.current;
  if (message.progressDetail?.total !== undefined) progress.total = message.progressDetail.total;
  return progress;
}
