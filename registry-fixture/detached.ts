// A registry that outlives the command that started it (`ecs-pull registry up` / `registry down`): Debian's native
// `docker-registry` binary as a detached process on 127.0.0.1, htpasswd users (or token auth: the fixture's token
// service, detached beside it, the users handed over on its stdin), holding the user's own images (from the local
// Docker engine through `docker save`, from a docker-save tarball, or synthetic). What `down` needs to stop it — pids,
// port, config path, dirs — is in a state file; passwords are only in the bcrypt hashes (or the token service's memory).
//
// Unlike native.ts (a test's registry, killed with the test process) nothing here ties the registry to our life.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, createReadStream, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { homedir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import Docker from "dockerode";
import { renderRegistryConfig } from "./config.ts";
import { dockerodeOptions, findDockerHost, SYSTEM_DOCKER_SOCKET } from "./engine.ts";
import { DEFAULT_BCRYPT_COST, HtpasswdError, renderHtpasswd, type HtpasswdUser } from "./htpasswd.ts";
import { ImageArchiveError, readImageArchive, type ImageArchive } from "./image-archive.ts";
import { findRegistryBinary, RegistryStartError, REGISTRY_BINARY_ENV } from "./native.ts";
import { findFreePort, LOOPBACK, waitForRegistry } from "./probe.ts";
import { pushImage, pushImageParts, SeedInputError, type PushedImage, type RegistryCredentials } from "./seed.ts";
import { startTokenServer, TOKEN_ISSUER, TOKEN_SERVICE, type StartedTokenServer } from "./token-server.ts";
import { createTokenSigner } from "./token-signer.ts";

/** The port `registry up` uses unless told: the one examples/taskdef.json and the README's walkthrough pull from. */
export const DEFAULT_DETACHED_PORT = 5000;
export const DEFAULT_REGISTRY_NAME = "default";
const NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const STARTUP_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 5_000;
/** `docker save` of a large image takes a while; the engine.ts default (2 s) is for pings. */
const SAVE_TIMEOUT_MS = 10 * 60_000;
const SYNTHETIC_LAYERS = 2;
const SYNTHETIC_LAYER_SIZE = 64 * 1024;
/** Token auth: the issuer certificate and the "ready" note (realm, pid) the token service writes into the dir. */
const TOKEN_CERT = "token-issuer.pem";
const TOKEN_READY = "token-service.json";

/** Where the image comes from; `target` is `repository[:tag]` in the registry (default: the source's own name). */
export type RegistryImageSource =
  | { kind: "engine"; reference: string; target?: string }
  | { kind: "tar"; file: string; target?: string }
  | { kind: "synthetic"; target: string; layers?: number; layerSize?: number };

export interface RegistryState {
  name: string;
  mode: "native";
  pid: number;
  port: number;
  /** `127.0.0.1:<port>`, the registry part of an image reference. */
  address: string;
  dir: string;
  configPath: string;
  logPath: string;
  binary: string;
  /** User names only. */
  users: string[];
  auth: "htpasswd" | "token";
  /** Token auth: the token service's process and realm. */
  tokenPid?: number;
  tokenRealm?: string;
  images: Array<{ reference: string; digest: string; source: string }>;
  startedAt: string;
}

export interface RegistryUpOptions {
  name?: string;
  users: HtpasswdUser[];
  /** Default 5000; 0 picks a free port. */
  port?: number;
  images?: RegistryImageSource[];
  /** Where state files live (default registryStateRoot()). */
  stateRoot?: string;
  /** Engine for `kind: "engine"` images (default: DOCKER_HOST, the system socket, .runtime/env). */
  dockerHost?: string;
  binary?: string;
  /** htpasswd (default), or a token service (Docker's token auth) granting each user every repository. */
  auth?: "htpasswd" | "token";
  /**
   * Token auth: how to run the token service as its own detached process — a command that ends up in
   * serveTokenService(dir, users read from stdin), e.g. `ecs-pull registry token-service`; the dir is appended.
   */
  tokenService?: { command: string; args: string[] };
  bcryptCost?: number;
  startupTimeoutMs?: number;
}

/** A registry with that name is up already. */
export class RegistryAlreadyUpError extends Error {
  override readonly name = "RegistryAlreadyUpError";
  constructor(readonly state: RegistryState) {
    super(`a registry named "${state.name}" is already up at ${state.address} (pid ${state.pid})`);
  }
}

/** `$XDG_RUNTIME_DIR/ecs-pull/registry`, else `$XDG_CACHE_HOME/ecs-pull/registry`, else `~/.cache/ecs-pull/registry`. */
export function registryStateRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env["XDG_RUNTIME_DIR"]) return join(env["XDG_RUNTIME_DIR"], "ecs-pull", "registry");
  return join(env["XDG_CACHE_HOME"] || join(homedir(), ".cache"), "ecs-pull", "registry");
}

export function checkRegistryName(name: string): string {
  if (!NAME_PATTERN.test(name)) throw new SeedInputError(`--name must be lowercase letters, digits, - and _ (up to 63), got ${JSON.stringify(name)}`);
  return name;
}

function paths(root: string, name: string) {
  return { stateFile: join(root, `${name}.json`), dir: join(root, name) };
}

export function readRegistryState(name: string, root = registryStateRoot()): RegistryState | undefined {
  const { stateFile } = paths(root, checkRegistryName(name));
  try {
    return JSON.parse(readFileSync(stateFile, "utf8")) as RegistryState;
  } catch {
    return undefined;
  }
}

/** True when the state's pid is alive and is that registry (its command line names the config), not a reused pid. */
export function registryProcessAlive(state: Pick<RegistryState, "pid" | "configPath">): boolean {
  return processAlive(state.pid, state.configPath);
}

/** `pid` is alive and its command line has `marker` as one argument (so a reused pid is not taken for ours). */
function processAlive(pid: number | undefined, marker: string): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // A zombie's cmdline is empty: it has exited, only its parent has not reaped it yet.
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").includes(marker);
  } catch {
    return !existsSync("/proc/self"); // no /proc (not Linux): the pid alone has to do
  }
}

/** Starts a detached registry, pushes the images, writes the state file. On any failure nothing is left behind. */
export async function registryUp(options: RegistryUpOptions): Promise<RegistryState> {
  const name = checkRegistryName(options.name ?? DEFAULT_REGISTRY_NAME);
  const root = options.stateRoot ?? registryStateRoot();
  if (options.users.length === 0) throw new HtpasswdError("at least one --user <name>:<password> is needed");
  const auth = options.auth ?? "htpasswd";
  if (auth === "token" && !options.tokenService) throw new RegistryStartError("token auth needs tokenService: the command that runs the token service");
  // Also for token auth: the same checks of names and passwords, and the hashes are never written then.
  const htpasswd = renderHtpasswd(options.users, options.bcryptCost ?? DEFAULT_BCRYPT_COST);
  const images = options.images ?? [];
  images.forEach(checkSource);
  const engineImages = new Map<RegistryImageSource, Docker.Image>();
  for (const source of images) if (source.kind === "engine") engineImages.set(source, await engineImage(source.reference, options.dockerHost));
  const existing = readRegistryState(name, root);
  if (existing) {
    if (registryProcessAlive(existing)) throw new RegistryAlreadyUpError(existing);
    removeFiles(root, name); // left by a registry that died or a machine that rebooted
  }
  const binary = options.binary ?? findRegistryBinary();
  if (!binary) {
    throw new RegistryStartError(
      `no registry binary: install Debian's package with \`apt-get install docker-registry\` (or set ${REGISTRY_BINARY_ENV} to a distribution registry 2.x binary)`,
    );
  }
  const port = options.port === 0 ? await findFreePort() : (options.port ?? DEFAULT_DETACHED_PORT);
  if (!(await portFree(port))) throw new RegistryStartError(`${LOOPBACK}:${port} is in use (--port 0 picks a free port)`);

  const { stateFile, dir } = paths(root, name);
  try {
    mkdirSync(join(dir, "data"), { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new RegistryStartError(`cannot create the registry's state dir ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message} (it lives under $XDG_RUNTIME_DIR, else ~/.cache)`);
  }
  const state: RegistryState = {
    name,
    mode: "native",
    pid: 0,
    port,
    address: `${LOOPBACK}:${port}`,
    dir,
    configPath: join(dir, "config.yml"),
    logPath: join(dir, "registry.log"),
    binary,
    users: options.users.map((u) => u.username),
    auth,
    images: [],
    startedAt: new Date().toISOString(),
  };
  try {
    if (auth === "token") {
      state.tokenRealm = await startTokenService(state, options.users, options.tokenService!, stateFile, options.startupTimeoutMs ?? STARTUP_TIMEOUT_MS);
    } else writeFileSync(join(dir, "htpasswd"), htpasswd, { mode: 0o600 });
    writeFileSync(
      state.configPath,
      renderRegistryConfig({
        rootDirectory: join(dir, "data"),
        addr: state.address,
        httpSecret: randomBytes(16).toString("hex"),
        ...(state.tokenRealm
          ? { token: { realm: state.tokenRealm, service: TOKEN_SERVICE, issuer: TOKEN_ISSUER, rootCertBundle: join(dir, TOKEN_CERT) } }
          : { htpasswd: { path: join(dir, "htpasswd") } }),
      }),
      { mode: 0o600 },
    );
    const log = openSync(state.logPath, "a", 0o600);
    let exited: string | undefined;
    try {
      // Detached: its own session, no pipe to us; it runs on after this process exits.
      const child = spawn(binary, ["serve", state.configPath], { detached: true, stdio: ["ignore", log, log], cwd: dir });
      child.once("exit", (code, signal) => (exited = signal ? `signal ${signal}` : `code ${String(code)}`));
      child.once("error", (error) => (exited = `could not run ${binary}: ${error.message}`));
      child.unref();
      state.pid = child.pid ?? 0;
    } finally {
      closeSync(log);
    }
    writeState(stateFile, state);
    const notReady = await waitForRegistry({
      url: `http://${state.address}`,
      expectStatus: 401,
      timeoutMs: options.startupTimeoutMs ?? STARTUP_TIMEOUT_MS,
      gaveUp: () => (exited ? `the registry exited (${exited})` : undefined),
    });
    if (notReady) {
      const tail = readFileSync(state.logPath, "utf8").trimEnd().split("\n").slice(-10).join("\n");
      throw new RegistryStartError(`the registry on ${state.address} did not start: ${notReady}\n--- registry log (last lines) ---\n${tail || "(empty)"}`);
    }
    const pushAs = options.users[0]!;
    for (const source of images) {
      for (const pushed of await pushSource(source, `http://${state.address}`, pushAs, engineImages.get(source))) {
        state.images.push({ reference: pushed.reference, digest: pushed.digest, source: describeSource(source) });
      }
    }
    writeState(stateFile, state);
    return state;
  } catch (error) {
    await stopProcess(state);
    removeFiles(root, name);
    throw error;
  }
}

export interface RegistryDownResult {
  /** What the state file said (undefined: no registry by that name). */
  state?: RegistryState;
  /** True when a running registry was stopped; false when it had died already (its files are removed either way). */
  stopped: boolean;
}

/** Stops the named registry (SIGTERM, then SIGKILL) and removes its state file and dirs (storage included). */
export async function registryDown(options: { name?: string; stateRoot?: string } = {}): Promise<RegistryDownResult> {
  const name = checkRegistryName(options.name ?? DEFAULT_REGISTRY_NAME);
  const root = options.stateRoot ?? registryStateRoot();
  const state = readRegistryState(name, root);
  if (!state) {
    removeFiles(root, name);
    return { stopped: false };
  }
  const stopped = await stopProcess(state);
  removeFiles(root, name);
  return { state, stopped };
}

/** Stops the registry and, with token auth, its token service. True when the registry was running. */
async function stopProcess(state: RegistryState): Promise<boolean> {
  const stopped = await stopOne(state.pid, state.configPath);
  await stopOne(state.tokenPid, state.dir);
  return stopped;
}

async function stopOne(pid: number | undefined, marker: string): Promise<boolean> {
  if (!pid || !processAlive(pid, marker)) return false;
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + STOP_GRACE_MS;
  while (processAlive(pid, marker)) {
    if (Date.now() > deadline) {
      process.kill(pid, "SIGKILL");
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  for (let i = 0; i < 40 && processAlive(pid, marker); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  return true;
}

/**
 * Starts the token service detached (the users go to it on stdin, never to a file), waits until it has written its
 * certificate and realm into the dir, and returns the realm.
 */
async function startTokenService(state: RegistryState, users: HtpasswdUser[], launcher: { command: string; args: string[] }, stateFile: string, timeoutMs: number): Promise<string> {
  const log = openSync(join(state.dir, "token-service.log"), "a", 0o600);
  let exited: string | undefined;
  try {
    const child = spawn(launcher.command, [...launcher.args, state.dir], { detached: true, stdio: ["pipe", log, log] });
    child.once("exit", (code, signal) => (exited = signal ? `signal ${signal}` : `code ${String(code)}`));
    child.once("error", (error) => (exited = `could not run ${launcher.command}: ${error.message}`));
    child.stdin?.on("error", () => undefined);
    child.stdin?.end(JSON.stringify({ users: users.map((u) => ({ username: u.username, password: u.password })) }));
    child.unref();
    state.tokenPid = child.pid;
  } finally {
    closeSync(log);
  }
  writeState(stateFile, state);
  const ready = join(state.dir, TOKEN_READY);
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(ready)) {
    if (exited || Date.now() > deadline) {
      const tail = readFileSync(join(state.dir, "token-service.log"), "utf8").trimEnd().split("\n").slice(-10).join("\n");
      throw new RegistryStartError(`the token service did not start: ${exited ? `it exited (${exited})` : `not ready after ${timeoutMs} ms`}\n--- token service log ---\n${tail || "(empty)"}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return (JSON.parse(readFileSync(ready, "utf8")) as { realm: string }).realm;
}

/**
 * The token service of a `registry up --auth token` registry, run in this process (by `ecs-pull registry
 * token-service DIR`, users on stdin): a fresh signing key whose certificate goes to DIR for the registry, each user
 * granted pull and push on every repository, and DIR/token-service.json written once it listens.
 */
export async function serveTokenService(dir: string, users: HtpasswdUser[]): Promise<StartedTokenServer> {
  const signer = createTokenSigner(TOKEN_ISSUER);
  const server = await startTokenServer({
    signer,
    service: TOKEN_SERVICE,
    issuer: TOKEN_ISSUER,
    users,
    acl: Object.fromEntries(users.map((u) => [u.username, ["*"]])),
  });
  writeFileSync(join(dir, TOKEN_CERT), signer.certificatePem, { mode: 0o600 });
  writeFileSync(join(dir, TOKEN_READY), JSON.stringify({ realm: server.realm, pid: process.pid }) + "\n", { mode: 0o600 });
  return server;
}

function writeState(stateFile: string, state: RegistryState): void {
  writeFileSync(stateFile, JSON.stringify(state, null, 2) + "\n", { mode: 0o600 });
}

function removeFiles(root: string, name: string): void {
  const { stateFile, dir } = paths(root, name);
  rmSync(dir, { recursive: true, force: true });
  rmSync(stateFile, { force: true });
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, LOOPBACK, () => server.close(() => resolve(true)));
  });
}

/** `[host/]repository[:tag][@digest]` → repository and tag in our registry (tag default `latest`). */
export function imageTarget(reference: string): { repository: string; tag: string } {
  let rest = reference.split("@")[0]!;
  const parts = rest.split("/");
  if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0]!)) rest = parts.slice(1).join("/");
  const slash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  const [repository, tag] = colon > slash ? [rest.slice(0, colon), rest.slice(colon + 1)] : [rest, "latest"];
  if (!repository) throw new SeedInputError(`not an image reference: ${JSON.stringify(reference)}`);
  return { repository, tag };
}

function checkSource(source: RegistryImageSource): void {
  if (source.kind === "synthetic") imageTarget(source.target);
  else if (source.target !== undefined) imageTarget(source.target);
  if (source.kind === "tar" && !existsSync(source.file)) throw new SeedInputError(`--image-tar ${source.file}: no such file`);
}

function describeSource(source: RegistryImageSource): string {
  if (source.kind === "engine") return `docker engine: ${source.reference}`;
  if (source.kind === "tar") return `tarball: ${source.file}`;
  return "synthetic";
}

async function pushSource(source: RegistryImageSource, registryUrl: string, auth: RegistryCredentials, saved?: Docker.Image): Promise<PushedImage[]> {
  if (source.kind === "synthetic") {
    const { repository, tag } = imageTarget(source.target);
    return [await pushImage({ registryUrl, auth, repository, tag, layers: source.layers ?? SYNTHETIC_LAYERS, layerSize: source.layerSize ?? SYNTHETIC_LAYER_SIZE, seed: source.target })];
  }
  const archive = source.kind === "engine" ? await saveFromEngine(saved!, source.reference) : await readImageArchive(createReadStream(source.file), source.file);
  try {
    const label = source.kind === "engine" ? source.reference : source.file;
    if (source.target !== undefined && archive.images.length > 1) {
      throw new ImageArchiveError(`${label}: holds ${archive.images.length} images; name one target per image file, or leave out =REPOSITORY:TAG to keep their own tags`);
    }
    const pushed: PushedImage[] = [];
    for (const image of archive.images) {
      const name = source.target ?? (source.kind === "engine" ? source.reference : image.repoTags[0]);
      if (!name) throw new ImageArchiveError(`${label}: an image without a tag (RepoTags is empty): name it with ${label}=REPOSITORY:TAG`);
      const { repository, tag } = imageTarget(name);
      pushed.push(await pushImageParts({ registryUrl, auth, repository, tag, config: image.config, layers: image.layers }));
    }
    return pushed;
  } finally {
    archive.dispose();
  }
}

/** The engine's image, checked to exist (so that a typo fails before the registry starts). */
async function engineImage(reference: string, dockerHost = findDockerHost()): Promise<Docker.Image> {
  const options = dockerHost ? dockerodeOptions(dockerHost) : undefined;
  if (!options) {
    throw new RegistryStartError(`--image ${reference}: needs a Docker engine: ${dockerHost ? `cannot use DOCKER_HOST=${dockerHost}` : `none found (DOCKER_HOST, ${SYSTEM_DOCKER_SOCKET})`}`);
  }
  const image = new Docker({ ...options, timeout: SAVE_TIMEOUT_MS }).getImage(reference);
  try {
    await image.inspect();
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 404) throw new ImageArchiveError(`--image ${reference}: the Docker engine at ${dockerHost} has no such image (docker images lists what it has)`);
    throw new RegistryStartError(`--image ${reference}: the Docker engine at ${dockerHost} does not answer: ${(error as Error).message}`);
  }
  return image;
}

/** `docker save REF` through dockerode (GET /images/{name}/get), unpacked. */
async function saveFromEngine(image: Docker.Image, reference: string): Promise<ImageArchive> {
  return readImageArchive((await image.get()) as unknown as Readable, reference);
}
