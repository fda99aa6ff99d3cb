// The older registry-auth method of the EC2/EXTERNAL agent: ECS_ENGINE_AUTH_TYPE / ECS_ENGINE_AUTH_DATA
// (ECS-BEHAVIOR.md §8, agent/dockerclient/dockerauth/dockerauth.go). Pure: parse the two formats the way Go's
// encoding/json would, normalise the keys, and pick the entry for an image with the agent's matching rules.
// Parse failures are silent in the agent (a log warning, then no auth); here they come back as `warnings`.
import { AUTH_CONFIG_EXTRA_FIELDS } from "../ports.ts";
import type { RegistryAuth } from "../ports.ts";
import { ENGINE_AUTH } from "../texts/agent.ts";

/** What the launch context carries: the two environment variables as the instance has them. */
export interface EngineAuthConfig {
  type: string;
  data: string;
}

export const ENGINE_AUTH_ENV = { type: "ECS_ENGINE_AUTH_TYPE", data: "ECS_ENGINE_AUTH_DATA" } as const;

/** Our own warning (not an ECS text): the settings exist on EC2/EXTERNAL instances only. */
export const ENGINE_AUTH_FARGATE_IGNORED =
  "ECS_ENGINE_AUTH_TYPE/ECS_ENGINE_AUTH_DATA are ECS agent settings of EC2 and EXTERNAL container instances; Fargate has no such setting, so they are ignored (gate-engine-auth-fargate).";

export interface EngineAuthEntry {
  /** The key with http:// or https:// removed, as the agent stores it. */
  key: string;
  auth: RegistryAuth;
}

export interface ParsedEngineAuth {
  type: string;
  /** In document order; a later key that normalises to the same string replaces the earlier one. */
  entries: EngineAuthEntry[];
  /** The agent's warning texts, byte for byte, in the order it would log them. */
  warnings: string[];
  /** The data could not be used at all (a parse failure or an unknown type): every pull goes anonymous. */
  unusable: boolean;
}

/** Reads the two variables the way the agent's config does; undefined when neither is set. */
export function readEngineAuthEnv(env: NodeJS.ProcessEnv = process.env): EngineAuthConfig | undefined {
  const type = env[ENGINE_AUTH_ENV.type];
  const data = env[ENGINE_AUTH_ENV.data];
  if (type === undefined && data === undefined) return undefined;
  return { type: type ?? "", data: data ?? "" };
}

/** The fields of Docker's types.AuthConfig; Go's decoder matches them case-insensitively and wants strings. */
const AUTH_CONFIG_FIELDS = ["username", "password", "auth", "email", "serveraddress", "identitytoken", "registrytoken"];
const DOCKERCFG_FIELDS = ["auth"];

class GoDecodeError extends Error {}

type JsonObject = Record<string, unknown>;
const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Decodes `{"<registry>": {<string fields>}}` like json.Unmarshal into map[string]struct: the top level may be
 * an object or null, each value an object or null, and a known field (any letter case) must be a string or null.
 * Unknown fields are ignored. Returns [key, fields] pairs in document order.
 */
function decodeRegistryMap(data: string, fields: readonly string[]): [string, Map<string, string>][] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    throw new GoDecodeError();
  }
  if (parsed === null) return [];
  if (!isObject(parsed)) throw new GoDecodeError();
  const out: [string, Map<string, string>][] = [];
  for (const [registry, value] of Object.entries(parsed)) {
    const decoded = new Map<string, string>();
    if (value !== null) {
      if (!isObject(value)) throw new GoDecodeError();
      for (const [name, v] of Object.entries(value)) {
        const field = fields.find((f) => f === name.toLowerCase());
        if (field === undefined || v === null) continue;
        if (typeof v !== "string") throw new GoDecodeError();
        decoded.set(field, v);
      }
    }
    out.push([registry, decoded]);
  }
  return out;
}

/** Go's base64.StdEncoding: padding required, alphabet strict; it skips \r and \n. */
export function decodeStdBase64(text: string): string | undefined {
  const clean = text.replace(/[\r\n]/g, "");
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(clean)) return undefined;
  return Buffer.from(clean, "base64").toString("utf8");
}

/** The agent's stripRegistrySchema: one leading http:// or https://, nothing else. */
export function normalizeRegistryKey(key: string): string {
  if (key.startsWith("http://")) return key.slice("http://".length);
  if (key.startsWith("https://")) return key.slice("https://".length);
  return key;
}

export function parseEngineAuth(config: EngineAuthConfig): ParsedEngineAuth {
  const { type, data } = config;
  const warnings: string[] = [];
  const raw: [string, RegistryAuth][] = [];
  const fail = (warning: string): ParsedEngineAuth => ({ type, entries: [], warnings: [warning], unusable: true });

  switch (type) {
    case "docker": {
      let decoded;
      try {
        decoded = decodeRegistryMap(data, AUTH_CONFIG_FIELDS);
      } catch {
        return fail(ENGINE_AUTH.cannotParseDocker);
      }
      // Every AuthConfig field goes to Docker as the agent passes it: identitytoken, registrytoken, auth too.
      for (const [registry, fields] of decoded) {
        const auth: RegistryAuth = { username: fields.get("username") ?? "", password: fields.get("password") ?? "" };
        for (const name of AUTH_CONFIG_EXTRA_FIELDS) {
          const value = fields.get(name);
          if (value) auth[name] = value;
        }
        raw.push([registry, auth]);
      }
      break;
    }
    case "dockercfg": {
      let decoded;
      try {
        decoded = decodeRegistryMap(data, DOCKERCFG_FIELDS);
      } catch {
        return fail(ENGINE_AUTH.cannotParseDockercfg);
      }
      for (const [registry, fields] of decoded) {
        const plain = decodeStdBase64(fields.get("auth") ?? "");
        if (plain === undefined) {
          warnings.push(ENGINE_AUTH.malformedAuthData(registry));
          continue;
        }
        const colon = plain.indexOf(":");
        if (colon < 0) {
          warnings.push(ENGINE_AUTH.malformedAuthDataNoColon(registry));
          continue;
        }
        raw.push([registry, { username: plain.slice(0, colon), password: plain.slice(colon + 1) }]);
      }
      break;
    }
    case "":
      // Not set: the agent says nothing.
      return { type, entries: [], warnings: [], unusable: false };
    default:
      return fail(ENGINE_AUTH.unknownType(type));
  }

  const byKey = new Map<string, RegistryAuth>();
  for (const [registry, auth] of raw) byKey.set(normalizeRegistryKey(registry), auth);
  const entries = [...byKey].map(([key, auth]) => ({ key, auth }));
  return { type, entries, warnings, unusable: false };
}

const DOCKER_HUB_HOSTS = new Set(["docker.io", "index.docker.io", "registry-1.docker.io"]);

/** The agent's utils.ParseRepositoryTag: the repository without `:tag` or `@digest`. */
export function repositoryOf(image: string): string {
  const at = image.indexOf("@");
  if (at >= 0) return image.slice(0, at);
  const colon = image.lastIndexOf(":");
  if (colon < 0) return image;
  return image.slice(colon + 1).includes("/") ? image : image.slice(0, colon);
}

/** Docker's splitReposName: the registry host when the first part has '.' or ':' or is localhost, else docker.io. */
export function registryHostOf(image: string): string {
  const repository = repositoryOf(image);
  const slash = repository.indexOf("/");
  if (slash < 0) return "docker.io";
  const first = repository.slice(0, slash);
  return first.includes(".") || first.includes(":") || first === "localhost" ? first : "docker.io";
}

export type EngineAuthMatchRule = "docker-hub" | "namespace" | "host" | "same-host" | "none";

export interface EngineAuthMatch {
  rule: EngineAuthMatchRule;
  /**
   * Set when the agent's pick depends on Go's map order (no exact host key, several keys on the host): every key
   * the agent could take, sorted. We take `key` (the longest key the image starts with, else the first in the
   * document; inferred).
   */
  mapOrderPicks?: string[];
  /** The normalised key that was used. */
  key?: string;
  /** Undefined: anonymous (no key, or a key whose username and password are both empty). */
  auth?: RegistryAuth;
  host: string;
}

/**
 * The agent's GetAuthconfig. Docker Hub images use only `index.docker.io/v1/`. Elsewhere a longer
 * `host/namespace` key wins when the image (as written, tag included) starts with it, else the exact host key,
 * else any key on the same host. The agent walks a Go map, so with several non-matching keys on one host its
 * pick varies; we take the first in the document (inferred).
 */
export function matchEngineAuth(image: string, parsed: ParsedEngineAuth): EngineAuthMatch {
  const host = registryHostOf(image);
  const found = (rule: EngineAuthMatchRule, entry: EngineAuthEntry | undefined, mapOrderPicks?: string[]): EngineAuthMatch => {
    if (!entry) return { rule: "none", host };
    const usable = entry.auth.username !== "" || entry.auth.password !== "" || AUTH_CONFIG_EXTRA_FIELDS.some((f) => entry.auth[f]);
    return { rule, key: entry.key, host, ...(usable ? { auth: entry.auth } : {}), ...(mapOrderPicks && { mapOrderPicks }) };
  };
  if (DOCKER_HUB_HOSTS.has(host)) {
    return found("docker-hub", parsed.entries.find((e) => e.key === ENGINE_AUTH.dockerHubKey));
  }
  const sameHost = parsed.entries.filter((e) => e.key.split("/", 1)[0] === host);
  const picks = agentPicks(image, host, sameHost.map((e) => e.key));
  const orderDependent = picks.length > 1 ? picks : undefined;
  const namespaced = sameHost
    .filter((e) => e.key.length > host.length && image.startsWith(e.key))
    .sort((a, b) => b.key.length - a.key.length)[0];
  if (namespaced) return found("namespace", namespaced, orderDependent);
  const exact = sameHost.find((e) => e.key === host);
  if (exact) return found("host", exact, orderDependent);
  return found("same-host", sameHost[0], orderDependent);
}

/**
 * Every key GetAuthconfig (agent/dockerclient/dockerauth/dockerauth.go) can end on, whatever order Go's map walk
 * takes: it starts from the exact host key if there is one, else from the first same-host key the walk meets, and
 * then moves only to a longer key the image starts with.
 */
function agentPicks(image: string, host: string, keys: string[]): string[] {
  const finish = (start: string) => keys.filter((k) => k.length > start.length && image.startsWith(k)).sort((a, b) => b.length - a.length)[0] ?? start;
  const starts = keys.includes(host) ? [host] : keys;
  return [...new Set(starts.map(finish))].sort();
}

/** Every password in the parsed data, for the result's redaction. */
export function engineAuthSecrets(parsed: ParsedEngineAuth): RegistryAuth[] {
  return parsed.entries.map((e) => e.auth);
}
