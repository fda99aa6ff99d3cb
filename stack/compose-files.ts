// The registry's files for docker-compose.yml (registry:2 with htpasswd), written with the registry fixture's own
// renderers so that compose and the tests run the very same configuration. Passwords go into the bcrypt hashes
// only; nothing returned or printed carries one.
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { renderRegistryConfig } from "../registry-fixture/config.ts";
import { HtpasswdError, renderHtpasswd, type HtpasswdUser } from "../registry-fixture/htpasswd.ts";

/** Where docker-compose.yml mounts the files inside the registry:2 container. */
export const COMPOSE_REGISTRY_PATHS = {
  config: "/etc/docker/registry/config.yml",
  htpasswd: "/auth/htpasswd",
  storage: "/var/lib/registry",
  /** Inside the container; compose publishes it on 127.0.0.1:5000. */
  addr: "0.0.0.0:5000",
} as const;

export const DEFAULT_REGISTRY_FILES_DIR = "compose/registry";

export interface RegistryFilesResult {
  dir: string;
  files: { config: string; htpasswd: string };
  usernames: string[];
}

/** `user:password` → a user; the password may itself contain ":" (only the first one splits). */
export function parseUserSpec(spec: string): HtpasswdUser {
  const colon = spec.indexOf(":");
  if (colon <= 0 || colon === spec.length - 1) {
    throw new HtpasswdError(`--user must be <name>:<password>, got ${JSON.stringify(colon <= 0 ? spec : `${spec.slice(0, colon)}:…`)}`);
  }
  return { username: spec.slice(0, colon), password: spec.slice(colon + 1) };
}

/** The native binary's files: where `registry-files --native` puts storage and which address it listens on. */
export interface NativeRegistryFilesOptions {
  /** Port on 127.0.0.1 (default 5000, what examples/taskdef.json pulls from). */
  port?: number;
}

export const DEFAULT_NATIVE_REGISTRY_PORT = 5000;

/**
 * Without `native`: the files docker-compose.yml mounts into registry:2 (paths inside the container). With it: a
 * config for Debian's `docker-registry serve <dir>/config.yml` on the host — absolute paths to `<dir>/htpasswd` and
 * `<dir>/data`, listening on 127.0.0.1:<port>.
 */
export function writeRegistryFiles(users: HtpasswdUser[], dir: string = DEFAULT_REGISTRY_FILES_DIR, realm?: string, native?: NativeRegistryFilesOptions): RegistryFilesResult {
  if (users.length === 0) throw new HtpasswdError("at least one --user <name>:<password> is needed");
  const port = native?.port ?? DEFAULT_NATIVE_REGISTRY_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new HtpasswdError(`--port must be 1..65535, got ${String(port)}`);
  const htpasswd = renderHtpasswd(users);
  const out = resolve(dir);
  const files = { config: join(out, "config.yml"), htpasswd: join(out, "htpasswd") };
  const config = renderRegistryConfig({
    rootDirectory: native ? join(out, "data") : COMPOSE_REGISTRY_PATHS.storage,
    addr: native ? `127.0.0.1:${port}` : COMPOSE_REGISTRY_PATHS.addr,
    htpasswd: { path: native ? files.htpasswd : COMPOSE_REGISTRY_PATHS.htpasswd, ...(realm && { realm }) },
    httpSecret: randomBytes(16).toString("hex"),
  });
  mkdirSync(out, { recursive: true });
  if (native) mkdirSync(join(out, "data"), { recursive: true });
  // The registry runs as root in registry:2 but the files may be read by any user in other setups: 0644 is enough
  // for bcrypt hashes; the config holds only the upload-signing secret.
  writeFileSync(files.htpasswd, htpasswd, { mode: 0o644 });
  writeFileSync(files.config, config, { mode: 0o644 });
  return { dir: out, files, usernames: users.map((u) => u.username) };
}
