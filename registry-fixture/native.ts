// Runs the registry as Debian's native binary (`docker-registry serve config.yml`, package docker-registry) in a
// temp dir on a free 127.0.0.1 port. The process never outlives ours: an exit hook kills it, and a tiny shell
// watchdog reading our pipe kills it if we die by a signal (the test runner's timeout, SIGKILL).
import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants, mkdtempSync, mkdirSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { renderRegistryConfig, type RegistryConfigOptions, type RegistryTokenConfig } from "./config.ts";
import { LOOPBACK, findFreePort, waitForRegistry } from "./probe.ts";

/** Names the registry binary (as `scripts/env.sh` records it); else `docker-registry` on PATH. */
export const REGISTRY_BINARY_ENV = "ECS_PULL_REGISTRY_BIN";
export const DEFAULT_STARTUP_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 5_000;
const PORT_ATTEMPTS = 5;
const LOG_TAIL_LINES = 20;

export class RegistryStartError extends Error {
  override readonly name = "RegistryStartError";
}

export interface NativeRegistryOptions {
  /** htpasswd file content; omit for an anonymous registry. */
  htpasswd?: string;
  /** Token auth: the issuer certificate's PEM is written next to the config. */
  token?: Omit<RegistryTokenConfig, "rootCertBundle"> & { certificatePem: string };
  realm?: string;
  logLevel?: RegistryConfigOptions["logLevel"];
  accessLog?: boolean;
  startupTimeoutMs?: number;
  /** Path of the registry binary; default: $ECS_PULL_REGISTRY_BIN, else `docker-registry` on PATH. */
  binary?: string;
}

export interface NativeRegistry {
  port: number;
  pid: number;
  /** The registry's combined stdout/stderr. */
  logPath: string;
  /** Last lines of the registry's log, for error messages. */
  logTail(lines?: number): string;
  /** htpasswd mode: the file the registry reads (it re-reads it when the file changes). */
  htpasswdPath?: string;
  /** SIGTERM, then SIGKILL after a grace period; removes the temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

/** The registry binary to run, or undefined when none is installed. */
export function findRegistryBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = env[REGISTRY_BINARY_ENV]
    ? [env[REGISTRY_BINARY_ENV]]
    : (env["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(delimiter).filter(Boolean).map((dir) => join(dir, "docker-registry"));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not there; try the next one
    }
  }
  return undefined;
}

/** Live registries, killed synchronously if the process exits without stopping them. */
const live = new Set<{ child: ChildProcess; dir: string }>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const entry of live) {
      entry.child.kill("SIGKILL");
      rmSync(entry.dir, { recursive: true, force: true });
    }
  });
}

// Reads our pipe until it closes (we died), then stops the registry and removes its temp dir.
const WATCHDOG_SCRIPT = 'while read -r _; do :; done; kill -TERM "$1" 2>/dev/null; sleep 2; kill -KILL "$1" 2>/dev/null; rm -rf "$2"';

export async function startNativeRegistry(options: NativeRegistryOptions = {}): Promise<NativeRegistry> {
  const binary = options.binary ?? findRegistryBinary();
  if (!binary) {
    throw new RegistryStartError(
      "registry fixture: no registry binary: install Debian's package with `apt-get install docker-registry` " +
        `(or set ${REGISTRY_BINARY_ENV} to a distribution registry 2.x binary)`,
    );
  }
  installExitHook();
  const dir = mkdtempSync(join(tmpdir(), "ecs-pull-registry-"));
  try {
    mkdirSync(join(dir, "data"));
    const htpasswdPath = join(dir, "htpasswd");
    if (options.htpasswd !== undefined) writeFileSync(htpasswdPath, options.htpasswd, { mode: 0o600 });
    if (options.token) writeFileSync(join(dir, "token-issuer.pem"), options.token.certificatePem);
    const httpSecret = randomBytes(16).toString("hex");
    let lastReason = "";
    for (let attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
      const port = await findFreePort();
      const result = await startOnPort({ binary, dir, port, httpSecret, htpasswdPath, options });
      if ("registry" in result) return result.registry;
      lastReason = result.reason;
      if (!result.portTaken) break;
    }
    throw new RegistryStartError(lastReason);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

interface Attempt {
  binary: string;
  dir: string;
  port: number;
  httpSecret: string;
  htpasswdPath: string;
  options: NativeRegistryOptions;
}

async function startOnPort(a: Attempt): Promise<{ registry: NativeRegistry } | { reason: string; portTaken: boolean }> {
  const configPath = join(a.dir, "config.yml");
  const logPath = join(a.dir, "registry.log");
  writeFileSync(
    configPath,
    renderRegistryConfig({
      rootDirectory: join(a.dir, "data"),
      addr: `${LOOPBACK}:${a.port}`,
      httpSecret: a.httpSecret,
      logLevel: a.options.logLevel,
      accessLog: a.options.accessLog,
      htpasswd: a.options.htpasswd !== undefined ? { path: a.htpasswdPath, realm: a.options.realm } : undefined,
      token: a.options.token
        ? { realm: a.options.token.realm, service: a.options.token.service, issuer: a.options.token.issuer, rootCertBundle: join(a.dir, "token-issuer.pem") }
        : undefined,
    }),
  );
  writeFileSync(logPath, "");
  const logFd = openSync(logPath, "a");
  let child: ChildProcess;
  try {
    child = spawn(a.binary, ["serve", configPath], { stdio: ["ignore", logFd, logFd], cwd: a.dir });
  } finally {
    closeSync(logFd);
  }
  let exited: string | undefined;
  let spawnError: string | undefined;
  const exitedPromise = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      exited = signal ? `signal ${signal}` : `code ${String(code)}`;
      resolve();
    });
    child.once("error", (error) => {
      spawnError = error.message;
      exited ??= "spawn failed";
      resolve();
    });
  });
  child.unref();
  const entry = { child, dir: a.dir };
  live.add(entry);

  const watchdog = child.pid
    ? spawn("/bin/sh", ["-c", WATCHDOG_SCRIPT, "ecs-pull-registry-watchdog", String(child.pid), a.dir], {
        stdio: ["pipe", "ignore", "ignore"],
        // Its own process group: a runner that kills our whole group must not take the watchdog with it, or
        // nothing would remove the temp dir.
        detached: true,
      })
    : undefined;
  watchdog?.unref();
  (watchdog?.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  watchdog?.on("error", () => undefined);

  const logTail = (lines = LOG_TAIL_LINES): string => tailOf(logPath, lines);
  const url = `http://${LOOPBACK}:${a.port}`;
  const notReady = await waitForRegistry({
    url,
    expectStatus: a.options.htpasswd !== undefined || a.options.token ? 401 : 200,
    timeoutMs: a.options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS,
    gaveUp: () => (exited ? `the registry exited (${exited})` : undefined),
  });

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      watchdog?.kill("SIGKILL");
      if (!exited) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
        await exitedPromise;
        clearTimeout(timer);
      }
      live.delete(entry);
    })());

  if (notReady) {
    const tail = logTail();
    await stop();
    const portTaken = /address already in use/i.test(tail);
    const what = spawnError ? `could not run ${a.binary}: ${spawnError}` : notReady;
    return {
      portTaken,
      reason: `registry fixture: native registry on ${LOOPBACK}:${a.port} did not start: ${what}\n--- registry log (last lines) ---\n${tail || "(empty)"}`,
    };
  }

  return {
    registry: {
      port: a.port,
      pid: child.pid ?? 0,
      logPath,
      logTail,
      ...(a.options.htpasswd !== undefined && { htpasswdPath: a.htpasswdPath }),
      stop: async () => {
        await stop();
        // Not rmSync: the registry's storage is hundreds of small files and folders, ~60 ms of blocked event loop
        // for every world a scenario run stops while others run.
        await rm(a.dir, { recursive: true, force: true });
      },
    },
  };
}

function tailOf(path: string, lines: number): string {
  try {
    return readFileSync(path, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}
