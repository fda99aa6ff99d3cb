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

export function writeRegistryFiles(users: HtpasswdUser[], dir: string = DEFAULT_REGISTRY_FILES_DIR, realm?: string): RegistryFilesResult {
  if (users.length === 0) throw new HtpasswdError("at least one --user <name>:<password> is needed");
  const htpasswd = renderHtpasswd(users);
  const config = renderRegistryConfig({
    rootDirectory: COMPOSE_REGISTRY_PATHS.storage,
    addr: COMPOSE_REGISTRY_PATHS.addr,
    htpasswd: { path: COMPOSE_REGISTRY_PATHS.htpasswd, ...(realm && { realm }) },
    httpSecret: randomBytes(16).toString("hex"),
  });
  const out = resolve(dir);
  mkdirSync(out, { recursive: true });
  const files = { config: join(out, "config.yml"), htpasswd: join(out, "htpasswd") };
  // The registry runs as root in registry:2 but the files may be read by any user in other setups: 0644 is enough
  // for bcrypt hashes; the config holds only the upload-signing secret.
  writeFileSync(files.htpasswd, htpasswd, { mode: 0o644 });
  writeFileSync(files.config, config, { mode: 0o644 });
  return { dir: out, files, usernames: users.map((u) => u.username) };
}
