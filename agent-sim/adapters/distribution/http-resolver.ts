// The production DistributionPort: resolves a manifest over the registry's HTTP API the way containerd 1.4's
// remotes/docker resolver does. HEAD manifests/<tag> with the manifest media types in Accept and no auth; on a
// 401 the authorizer reads WWW-Authenticate: Basic → resend with the credentials (none: give the 401 back),
// Bearer → fetch a token (POST the realm with the password, falling back to GET with Basic auth; anonymous GET
// without credentials) and resend. At most 6 requests per resolve (containerd's retryRequest limit); 405 on HEAD
// → GET; 408/429 → resend. Credentials go only into Authorization headers and the token POST body.
import { createHash } from "node:crypto";
import type { RegistryAuth } from "../../ports.ts";
import { parseChallenges } from "./challenge.ts";
import type { Challenge } from "./challenge.ts";
import type { DistributionPort, HttpExchange, ResolveFailure, ResolveResult, TokenFailure, TransportFailure } from "./port.ts";
import { defaultScheme, parseImageReference } from "./reference.ts";

/** containerd's resolver Accept (the four manifest types and a wildcard). */
export const MANIFEST_ACCEPT = [
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.oci.image.index.v1+json",
  "*/*",
].join(", ");

/** containerd stops resending once it holds more than 5 responses. */
const MAX_RESPONSES = 6;
/** No public number for the Fargate agent; long enough for a slow registry, short enough that no run hangs. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const OAUTH_CLIENT_ID = "containerd-client";

export interface HttpDistributionOptions {
  /** Per HTTP request. */
  requestTimeoutMs?: number;
  /** http or https per registry host; default: http for loopback hosts, https otherwise. */
  scheme?: (endpointHost: string) => "http" | "https";
  fetch?: typeof fetch;
}

/** Go's http.StatusText for the codes a registry answers with (used when the answer has no reason phrase). */
const GO_STATUS_TEXT: Record<number, string> = {
  400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
  408: "Request Timeout", 429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
  503: "Service Unavailable", 504: "Gateway Timeout",
};
const statusText = (r: Response) => r.statusText || GO_STATUS_TEXT[r.status] || "";

type Method = "HEAD" | "GET" | "POST";
type Handler = { scheme: "basic" } | { scheme: "bearer"; realm: string; service?: string; scopes: string[]; token?: string };

class TransportError extends Error {
  constructor(readonly transport: TransportFailure) {
    super(transport.message);
  }
}
class TokenError extends Error {
  constructor(readonly token: TokenFailure) {
    super(token.kind);
  }
}

export function createHttpDistribution(options: HttpDistributionOptions = {}): DistributionPort {
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const schemeOf = options.scheme ?? defaultScheme;
  const doFetch = options.fetch ?? fetch;

  async function send(method: Method, url: string, headers: Record<string, string>, body?: string): Promise<Response> {
    try {
      return await doFetch(url, { method, headers, ...(body !== undefined ? { body } : {}), redirect: "follow", signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw new TransportError(transportFailure(method, url, error));
    }
  }

  async function fetchToken(handler: Extract<Handler, { scheme: "bearer" }>, auth: RegistryAuth | undefined, exchanges: HttpExchange[]): Promise<string> {
    const scope = handler.scopes;
    const getToken = async (basic: RegistryAuth | undefined) => {
      const url = new URL(handler.realm);
      if (handler.service) url.searchParams.set("service", handler.service);
      for (const s of scope) url.searchParams.append("scope", s);
      const headers: Record<string, string> = basic ? { Authorization: basicHeader(basic) } : {};
      const r = await send("GET", url.toString(), headers);
      exchanges.push({ method: "GET", url: url.toString(), status: r.status, note: basic ? "token, basic" : "token, anonymous" });
      if (r.status < 200 || r.status >= 400) throw new TokenError({ kind: "status", status: r.status, statusText: statusText(r) });
      const json = (await r.json().catch(() => ({}))) as { token?: string; access_token?: string };
      const token = json.token || json.access_token;
      if (!token) throw new TokenError({ kind: "no-token" });
      return token;
    };
    if (!auth || auth.password === "") return getToken(undefined);
    const form = new URLSearchParams({ scope: scope.join(" "), service: handler.service ?? "", client_id: OAUTH_CLIENT_ID });
    if (auth.username === "") {
      form.set("grant_type", "refresh_token");
      form.set("refresh_token", auth.password);
    } else {
      form.set("grant_type", "password");
      form.set("username", auth.username);
      form.set("password", auth.password);
    }
    const r = await send("POST", handler.realm, { "Content-Type": "application/x-www-form-urlencoded; charset=utf-8" }, form.toString());
    exchanges.push({ method: "POST", url: handler.realm, status: r.status, note: "oauth token" });
    if (r.status >= 200 && r.status < 400) {
      const json = (await r.json().catch(() => ({}))) as { access_token?: string };
      if (!json.access_token) throw new TokenError({ kind: "no-token" });
      return json.access_token;
    }
    // Registries without the POST endpoint: containerd 1.4 falls back to GET with Basic auth on these.
    if ((r.status === 405 && auth.username !== "") || r.status === 404 || r.status === 401) return getToken(auth);
    throw new TokenError({ kind: "status", status: r.status, statusText: statusText(r) });
  }

  return {
    async resolve(image, auth) {
      const reference = parseImageReference(image);
      const exchanges: HttpExchange[] = [];
      const ref = reference.ref;
      const base = `${schemeOf(reference.endpointHost)}://${reference.endpointHost}/v2/${reference.repository}`;
      const paths = reference.digest ? [["manifests", reference.digest], ["blobs", reference.digest]] : [["manifests", reference.object]];
      const repoScope = `repository:${reference.repository}:pull`;
      const fail = (failure: ResolveFailure): ResolveResult => ({ ok: false, ref, failure, exchanges });
      let handler: Handler | undefined;
      let lastError: ResolveFailure | undefined;

      for (const pathParts of paths) {
        const url = `${base}/${pathParts.join("/")}`;
        let method: Method = "HEAD";
        const responses: { method: Method; url: string }[] = [];
        let response: Response | undefined;
        let failed: ResolveFailure | undefined;
        for (;;) {
          const headers: Record<string, string> = { Accept: MANIFEST_ACCEPT };
          try {
            if (handler?.scheme === "basic" && auth) headers.Authorization = basicHeader(auth);
            if (handler?.scheme === "bearer") {
              handler.token ??= await fetchToken(handler, auth, exchanges);
              headers.Authorization = `Bearer ${handler.token}`;
            }
          } catch (error) {
            if (error instanceof TokenError) failed = { kind: "token", anonymous: !auth || auth.password === "", token: error.token };
            else if (error instanceof TransportError) failed = { kind: "token", anonymous: !auth || auth.password === "", token: { kind: "transport", transport: error.transport } };
            else throw error;
            handler = undefined;
            break;
          }
          try {
            response = await send(method, url, headers);
          } catch (error) {
            if (!(error instanceof TransportError)) throw error;
            exchanges.push({ method, url });
            failed = { kind: "transport", transport: error.transport };
            break;
          }
          await response.body?.cancel().catch(() => undefined);
          const challenges = response.status === 401 ? parseChallenges(wwwAuthenticate(response)) : [];
          exchanges.push({ method, url, status: response.status, note: headers.Authorization ? headers.Authorization.split(" ")[0]?.toLowerCase() : "anonymous" });
          responses.push({ method, url });
          if (responses.length >= MAX_RESPONSES) break;
          if (response.status === 401) {
            const next = addResponses(challenges, handler, auth, responses, repoScope);
            if (next.kind === "invalid") {
              handler = undefined;
              failed = { kind: "invalid-authorization", error: next.error };
              break;
            }
            if (next.kind === "no-realm") {
              failed = { kind: "no-realm" };
              break;
            }
            if (next.kind === "retry") {
              handler = next.handler;
              continue;
            }
            break;
          }
          if (response.status === 405 && method === "HEAD") {
            method = "GET";
            continue;
          }
          if (response.status === 408 || response.status === 429) continue;
          break;
        }
        if (failed) {
          lastError ??= failed;
          continue;
        }
        if (!response) continue;
        if (response.status === 404) continue;
        if (response.status > 299) {
          return fail({ kind: "status", pathParts, status: response.status, statusText: statusText(response) });
        }
        let digest = reference.digest ?? response.headers.get("docker-content-digest") ?? "";
        const length = response.headers.get("content-length");
        let size = length !== null ? Number(length) : -1;
        let mediaType = (response.headers.get("content-type") ?? "").split(";")[0] ?? "";
        if (digest === "" || size < 0) {
          const getHeaders: Record<string, string> = { Accept: MANIFEST_ACCEPT };
          if (handler?.scheme === "basic" && auth) getHeaders.Authorization = basicHeader(auth);
          if (handler?.scheme === "bearer" && handler.token) getHeaders.Authorization = `Bearer ${handler.token}`;
          let body: Buffer;
          try {
            const r = await send("GET", url, getHeaders);
            exchanges.push({ method: "GET", url, status: r.status });
            body = Buffer.from(await r.arrayBuffer());
            mediaType = (r.headers.get("content-type") ?? mediaType).split(";")[0] ?? mediaType;
          } catch (error) {
            if (!(error instanceof TransportError)) throw error;
            return fail({ kind: "transport", transport: error.transport });
          }
          if (digest === "") digest = `sha256:${createHash("sha256").update(body).digest("hex")}`;
          size = body.length;
        }
        return { ok: true, ref, digest, mediaType, size, exchanges };
      }
      return fail(lastError ?? { kind: "not-found" });
    },
  };
}

type AddResult =
  | { kind: "retry"; handler: Handler }
  | { kind: "invalid"; error: string }
  | { kind: "no-realm" }
  | { kind: "give-up" };

/** containerd's dockerAuthorizer.AddResponses for one host, with credentials from repositoryCredentials. */
function addResponses(
  challenges: Challenge[],
  current: Handler | undefined,
  auth: RegistryAuth | undefined,
  responses: { method: Method; url: string }[],
  repoScope: string,
): AddResult {
  for (const c of challenges) {
    if (c.scheme === "bearer") {
      let handler = current?.scheme === "bearer" ? current : undefined;
      const error = c.parameters["error"];
      if (error) {
        const n = responses.length;
        const prev = responses[n - 2];
        const last = responses[n - 1];
        const sameAsBefore = prev !== undefined && last !== undefined && prev.method === last.method && prev.url === last.url;
        if (!sameAsBefore) handler = undefined;
        else return { kind: "invalid", error };
      }
      if (handler) return { kind: "retry", handler };
      const realm = c.parameters["realm"];
      if (!realm) return { kind: "no-realm" };
      const scopes = [...new Set([repoScope, ...(c.parameters["scope"] ? [c.parameters["scope"]] : [])])].sort();
      return { kind: "retry", handler: { scheme: "bearer", realm, scopes, ...(c.parameters["service"] ? { service: c.parameters["service"] } : {}) } };
    }
    if (c.scheme === "basic" && auth && auth.username !== "" && auth.password !== "") {
      return { kind: "retry", handler: { scheme: "basic" } };
    }
  }
  // errdefs.ErrNotImplemented: containerd gives the 401 back as the answer.
  return { kind: "give-up" };
}

function basicHeader(auth: RegistryAuth): string {
  return `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}`;
}

function wwwAuthenticate(response: Response): string[] {
  const value = response.headers.get("www-authenticate");
  return value ? [value] : [];
}

/** Node's fetch failure → what Go's dialer would have said (inferred wording where Node and Go differ). */
export function transportFailure(method: Method, url: string, error: unknown): TransportFailure {
  const u = new URL(url);
  const port = u.port || (u.protocol === "https:" ? "443" : "80");
  const cause = (error as { cause?: { code?: string; message?: string; address?: string; port?: number } })?.cause;
  const code = cause?.code ?? (error as { code?: string })?.code ?? "";
  const name = (error as { name?: string })?.name ?? "";
  const hostPort = cause?.address && cause.port ? `${cause.address}:${cause.port}` : `${u.hostname}:${port}`;
  const message = cause?.message ?? (error as Error)?.message ?? String(error);
  const base = { method, url, hostPort, message };
  if (code === "ECONNREFUSED") return { ...base, code: "refused" };
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return { ...base, code: "no-such-host", hostPort: u.hostname };
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return { ...base, code: "reset" };
  if (name === "TimeoutError" || name === "AbortError" || code === "UND_ERR_CONNECT_TIMEOUT" || code === "ETIMEDOUT") {
    return { ...base, code: "timeout" };
  }
  return { ...base, code: "other" };
}
