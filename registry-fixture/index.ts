// The registry fixture, testcontainers-style: a builder that knows its defaults and a StartedRegistry that
// exposes what a test needs (address, users, image seeding, stop). Runs `registry:2` in a container when a
// Docker engine holds that image, else Debian's native `docker-registry` binary.
//
//   await using registry = await new RegistryFixture().withUser("alice", "pw").start();
//   const image = await registry.pushImage({ repository: "team/app", tag: "v1", layers: 3, layerSize: 65536 });
import { inspect } from "node:util";
import { writeFileSync } from "node:fs";
import { DEFAULT_BCRYPT_COST, HtpasswdError, passwordProblem, renderHtpasswd } from "./htpasswd.ts";
import type { RegistryConfigOptions } from "./config.ts";
import { DEFAULT_STARTUP_TIMEOUT_MS, RegistryStartError, findRegistryBinary, startNativeRegistry } from "./native.ts";
import { REGISTRY_IMAGE, SYSTEM_DOCKER_SOCKET, engineHasImage, findDockerHost } from "./engine.ts";
export { REGISTRY_IMAGE } from "./engine.ts";
import { LOOPBACK } from "./probe.ts";
import { createTokenSigner } from "./token-signer.ts";
import { startTokenServer, type BadCredentialsMode, type StartedTokenServer, type TokenAcl, type TokenLogEntry } from "./token-server.ts";
import {
  deleteBlob,
  deleteManifest,
  pushImage,
  type PushImageOptions,
  type PushedImage,
  type RegistryCredentials,
} from "./seed.ts";

export { RegistryStartError } from "./native.ts";
export { HtpasswdError } from "./htpasswd.ts";
export { RegistryApiError, SeedInputError, MANIFEST_V2, IMAGE_CONFIG_V1, LAYER_TAR_GZIP } from "./seed.ts";
export type { PushedImage, DockerManifestV2, DockerDescriptor, RegistryCredentials } from "./seed.ts";
export { BAD_CREDENTIALS_DETAILS } from "./token-server.ts";
export { registryUp, registryDown, readRegistryState, registryStateRoot, RegistryAlreadyUpError, DEFAULT_DETACHED_PORT } from "./detached.ts";
export type { RegistryUpOptions, RegistryState, RegistryImageSource, RegistryDownResult } from "./detached.ts";
export { readImageArchive, ImageArchiveError } from "./image-archive.ts";
export { pushImageParts } from "./seed.ts";
export type { BadCredentialsMode, TokenAcl, TokenLogEntry } from "./token-server.ts";

import { TOKEN_ISSUER, TOKEN_SERVICE } from "./token-server.ts";
export { TOKEN_ISSUER, TOKEN_SERVICE } from "./token-server.ts";

export interface TokenAuthOptions {
  /** user → repository patterns (`team/*`) the user may pull and push; users come from withUser(). */
  acl: TokenAcl;
  /** A wrong password: "401" (Docker Hub's answer, default) or an anonymous token that grants nothing. */
  badCredentials?: BadCredentialsMode;
  /** Repository patterns anyone may pull without credentials; default none. */
  anonymousPull?: string[];
  /** Identity (refresh) tokens the token service knows from the start: token → username (a withUser() account). */
  identityTokens?: Record<string, string>;
}

/** A registry token minted by the fixture's signer (what an AuthConfig's `registrytoken` carries). */
export interface RegistryTokenOptions {
  /** The token's `sub`; default the first user. */
  subject?: string;
  /** `repository:<name>:<actions>` grants; default none. */
  access?: Array<{ repository: string; actions: string[] }>;
  /** Lifetime in seconds (default 300). */
  ttlSeconds?: number;
  /** Issue time, seconds since the epoch (default now): an hour ago with the default lifetime is an expired token. */
  issuedAt?: number;
}

export type RegistryMode = "auto" | "native" | "container";
/** Overrides "auto" (set by `scripts/env.sh` for the whole test run); an explicit withMode() still wins. */
export const REGISTRY_MODE_ENV = "ECS_PULL_REGISTRY_MODE";

/** A registry account. Its password stays out of console.log / util.inspect and JSON.stringify output. */
export class RegistryUser implements RegistryCredentials {
  constructor(
    readonly username: string,
    readonly password: string,
  ) {}
  toJSON(): { username: string; password: string } {
    return { username: this.username, password: "<redacted>" };
  }
  [inspect.custom](): string {
    return `RegistryUser { username: ${JSON.stringify(this.username)}, password: <redacted> }`;
  }
}

export class RegistryFixture {
  // RegistryUser, not a plain object: an inspected or logged builder shows no password either.
  private readonly users: RegistryUser[] = [];
  private auth = true;
  private mode: RegistryMode | undefined;
  private bcryptCost = DEFAULT_BCRYPT_COST;
  private realm: string | undefined;
  private startupTimeoutMs = DEFAULT_STARTUP_TIMEOUT_MS;
  private logLevel: RegistryConfigOptions["logLevel"] = "info";
  private tokenAuth: TokenAuthOptions | undefined;

  /** Adds an htpasswd account. */
  withUser(username: string, password: string): this {
    if (this.users.some((user) => user.username === username)) {
      throw new HtpasswdError(`registry fixture: user ${JSON.stringify(username)} added twice`);
    }
    this.users.push(new RegistryUser(username, password));
    return this;
  }

  /** An anonymous registry: no auth section, `GET /v2/` answers 200. Users added are ignored. */
  withoutAuth(): this {
    this.auth = false;
    return this;
  }

  /**
   * Token auth instead of htpasswd: a token service in the fixture (127.0.0.1) authenticates the withUser()
   * accounts and grants repositories by `acl`, so a known user can still be refused a repository. Native only.
   */
  withTokenAuth(options: TokenAuthOptions): this {
    this.tokenAuth = options;
    this.auth = true;
    return this;
  }

  withMode(mode: RegistryMode): this {
    this.mode = parseMode(mode, "withMode()");
    return this;
  }

  /** bcrypt cost of the htpasswd hashes, 4..10 (default 5: the registry checks the hash on every request). */
  withBcryptCost(cost: number): this {
    this.bcryptCost = cost;
    return this;
  }

  /** The realm in `WWW-Authenticate: Basic realm="..."`. */
  withRealm(realm: string): this {
    this.realm = realm;
    return this;
  }

  withStartupTimeout(ms: number): this {
    this.startupTimeoutMs = ms;
    return this;
  }

  withLogLevel(level: NonNullable<RegistryConfigOptions["logLevel"]>): this {
    this.logLevel = level;
    return this;
  }

  async start(): Promise<StartedRegistry> {
    if (this.tokenAuth) return this.startWithTokenAuth(this.tokenAuth);
    const htpasswd = this.auth ? renderHtpasswd(this.users, this.bcryptCost) : undefined;
    const users = this.auth ? this.users.map((user) => new RegistryUser(user.username, user.password)) : [];
    const common = { htpasswd, realm: this.realm, logLevel: this.logLevel, startupTimeoutMs: this.startupTimeoutMs };
    const choice = await chooseMode(this.mode ?? envMode() ?? "auto");
    if (choice.mode === "container") {
      // Loaded only here: importing testcontainers swaps the process-wide fetch dispatcher (undici 7), which
      // changes global fetch for everyone (e.g. a manual Content-Length header becomes an error).
      const { startContainerRegistry } = await import("./container.ts");
      const started = await startContainerRegistry({ ...common, dockerHost: choice.dockerHost });
      return new StartedRegistry(started.port, "container", users, this.auth, started.stop, () => "");
    }
    const started = await startNativeRegistry(common);
    const registry = new StartedRegistry(started.port, "native", users, this.auth, started.stop, started.logTail);
    const path = started.htpasswdPath;
    if (path !== undefined) {
      const cost = this.bcryptCost;
      // distribution's htpasswd access controller re-reads the file when its modification time changes
      // (registry/auth/htpasswd/access.go, Authorized), so a rewrite is a password change without a restart.
      registry.rewriteUsers = (all) => writeFileSync(path, renderHtpasswd(all, cost), { mode: 0o600 });
    }
    return registry;
  }

  private async startWithTokenAuth(options: TokenAuthOptions): Promise<StartedRegistry> {
    if (this.mode === "container" || envMode() === "container") {
      throw new RegistryStartError("registry fixture: token auth runs the native registry only (withMode(\"native\"))");
    }
    const signer = createTokenSigner(TOKEN_ISSUER);
    const tokens = await startTokenServer({
      signer,
      service: TOKEN_SERVICE,
      issuer: TOKEN_ISSUER,
      users: this.users,
      acl: options.acl,
      anonymousPull: options.anonymousPull,
      badCredentials: options.badCredentials,
      refreshTokens: options.identityTokens,
    });
    try {
      const started = await startNativeRegistry({
        token: { realm: tokens.realm, service: TOKEN_SERVICE, issuer: TOKEN_ISSUER, certificatePem: signer.certificatePem },
        logLevel: this.logLevel,
        startupTimeoutMs: this.startupTimeoutMs,
      });
      const users = this.users.map((user) => new RegistryUser(user.username, user.password));
      const stop = async () => {
        await started.stop();
        await tokens.stop();
      };
      return new StartedRegistry(started.port, "native", users, true, stop, started.logTail, tokens);
    } catch (error) {
      await tokens.stop();
      throw error;
    }
  }
}

export type PushOptions = Omit<PushImageOptions, "registryUrl" | "auth"> & {
  /** Default: the first user (none on an anonymous registry). */
  auth?: RegistryCredentials;
};

export class StartedRegistry implements AsyncDisposable {
  readonly host = LOOPBACK;
  /** `127.0.0.1:<port>`: the registry part of an image reference. */
  readonly address: string;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  private stopping: Promise<void> | undefined;

  constructor(
    readonly port: number,
    readonly mode: "native" | "container",
    readonly users: readonly RegistryUser[],
    /** False for withoutAuth(). */
    readonly authEnabled: boolean,
    private readonly stopRegistry: () => Promise<void>,
    private readonly logTailOf: (lines?: number) => string,
    /** Token mode: the fixture's token service (seeding uses its admin identity). */
    private readonly tokens?: StartedTokenServer,
  ) {
    this.address = `${LOOPBACK}:${port}`;
    this.url = `http://${this.address}`;
  }

  /** Set for a native htpasswd registry: writes the users' htpasswd file. */
  rewriteUsers: ((users: readonly RegistryUser[]) => void) | undefined;

  /**
   * Changes a user's password while the registry runs (a native htpasswd registry only: the container's file and
   * the token service's users are fixed at start). What a rotation's setSecret step does to a real registry.
   */
  async setPassword(username: string, password: string): Promise<void> {
    const rewrite = this.rewriteUsers;
    if (rewrite === undefined) throw new HtpasswdError("registry fixture: setPassword needs a native registry with htpasswd auth");
    const index = this.users.findIndex((u) => u.username === username);
    if (index < 0) throw new HtpasswdError(`registry fixture: no user ${JSON.stringify(username)}`);
    const problem = passwordProblem(password);
    if (problem) throw new HtpasswdError(`registry fixture: the new password of user ${JSON.stringify(username)} ${problem}`);
    const users = [...this.users];
    users[index] = new RegistryUser(username, password);
    rewrite(users);
    (this.users as RegistryUser[])[index] = users[index]!;
    // The registry compares modification times: make sure the next request sees a different one.
    await new Promise((resolve) => setTimeout(resolve, 20));
  }

  /** The named user's credentials (default: the first user). */
  credentials(username?: string): RegistryCredentials {
    const user = username === undefined ? this.users[0] : this.users.find((u) => u.username === username);
    if (!user) {
      throw new HtpasswdError(
        username === undefined
          ? "registry fixture: the registry has no users (add one with withUser())"
          : `registry fixture: no user ${JSON.stringify(username)}`,
      );
    }
    return user;
  }

  /** `127.0.0.1:<port>/<repository>:<tag>` */
  imageReference(repository: string, tag: string): string {
    return `${this.address}/${repository}:${tag}`;
  }

  /** Pushes a deterministic synthetic image (see seed.ts). */
  pushImage(options: PushOptions): Promise<PushedImage> {
    return pushImage({ ...options, registryUrl: this.url, auth: this.authFor(options.auth) });
  }

  /** Deletes a manifest by tag or digest; returns the digest deleted. */
  deleteManifest(options: { repository: string; reference: string; auth?: RegistryCredentials }): Promise<string> {
    return deleteManifest({ ...options, registryUrl: this.url, auth: this.authFor(options.auth) });
  }

  /** Deletes one blob, leaving manifests that use it broken. */
  deleteBlob(options: { repository: string; digest: string; auth?: RegistryCredentials }): Promise<void> {
    return deleteBlob({ ...options, registryUrl: this.url, auth: this.authFor(options.auth) });
  }

  /** Token mode: the realm URL of the token service; undefined otherwise. */
  get tokenRealm(): string | undefined {
    return this.tokens?.realm;
  }

  /** Token mode: a new identity token (OAuth2 refresh token) for a user, as `docker login` would receive. */
  issueIdentityToken(username?: string): string {
    return this.tokenService("issueIdentityToken").issueRefreshToken(username ?? this.credentials().username);
  }

  /** Token mode: forgets an identity token (a later refresh-token grant with it is `invalid_grant`). */
  revokeIdentityToken(token: string): boolean {
    return this.tokenService("revokeIdentityToken").revokeRefreshToken(token);
  }

  /** Token mode: a registry token signed by the token service's key, never asked of the token endpoint. */
  mintRegistryToken(options: RegistryTokenOptions = {}): string {
    const tokens = this.tokenService("mintRegistryToken");
    return tokens.mint({
      subject: options.subject ?? this.users[0]?.username ?? "",
      access: (options.access ?? []).map((a) => ({ type: "repository", name: a.repository, actions: a.actions })),
      ttlSeconds: options.ttlSeconds,
      issuedAt: options.issuedAt,
    });
  }

  private tokenService(method: string): StartedTokenServer {
    if (!this.tokens) throw new RegistryStartError(`registry fixture: ${method}() needs a registry started withTokenAuth()`);
    return this.tokens;
  }

  /** Token mode: the token requests served (accounts, scopes asked and granted; never passwords). */
  tokenLog(): TokenLogEntry[] {
    return this.tokens?.log() ?? [];
  }

  /** Last lines of the registry's own log (native mode; empty for the container). */
  logTail(lines?: number): string {
    return this.logTailOf(lines);
  }

  /** Stops the registry and removes its storage. Safe to call more than once. */
  stop(): Promise<void> {
    return (this.stopping ??= this.stopRegistry());
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  private authFor(auth: RegistryCredentials | undefined): RegistryCredentials | undefined {
    if (auth) return auth;
    // Token mode seeds as the token service's admin, so that the ACL under test need not allow pushes.
    if (this.tokens) return this.tokens.admin;
    return this.authEnabled ? this.credentials() : undefined;
  }

  [inspect.custom](): string {
    return `StartedRegistry { url: ${this.url}, mode: ${this.mode}, users: [${this.users.map((u) => JSON.stringify(u.username)).join(", ")}] }`;
  }
}

function parseMode(value: string, source: string): RegistryMode {
  if (value === "auto" || value === "native" || value === "container") return value;
  throw new RegistryStartError(`registry fixture: ${source} must be auto, native or container, got ${JSON.stringify(value)}`);
}

function envMode(): RegistryMode | undefined {
  const value = process.env[REGISTRY_MODE_ENV];
  return value ? parseMode(value, REGISTRY_MODE_ENV) : undefined;
}

export type ModeChoice = { mode: "native" } | { mode: "container"; dockerHost: string };

/** auto: the container when an engine has registry:2 locally, else the native binary, else say what to install. */
export async function chooseMode(mode: RegistryMode): Promise<ModeChoice> {
  if (mode === "native") return { mode: "native" };
  const dockerHost = findDockerHost();
  if (mode === "container") {
    if (!dockerHost) {
      throw new RegistryStartError(
        `registry fixture: container mode needs a Docker engine: none found (DOCKER_HOST, ${SYSTEM_DOCKER_SOCKET}, .runtime/env)`,
      );
    }
    return { mode: "container", dockerHost };
  }
  if (dockerHost && (await engineHasImage(dockerHost, REGISTRY_IMAGE))) return { mode: "container", dockerHost };
  if (findRegistryBinary()) return { mode: "native" };
  throw new RegistryStartError(
    "registry fixture: no way to run a registry here: install Debian's registry with `apt-get install docker-registry`, " +
      `or provide a Docker engine (DOCKER_HOST or ${SYSTEM_DOCKER_SOCKET}) that has the ${REGISTRY_IMAGE} image`,
  );
}
