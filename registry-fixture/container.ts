// Runs the registry as the `registry:2` image with testcontainers, on the host network at 127.0.0.1:<free port>.
// Chosen only when the image is already local (this machine cannot pull from Docker Hub).
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { GenericContainer, Wait, type StartedTestContainer } from "testcontainers";
import { renderRegistryConfig, type RegistryConfigOptions } from "./config.ts";
import { LOOPBACK, findFreePort, waitForRegistry } from "./probe.ts";
import { DEFAULT_STARTUP_TIMEOUT_MS, RegistryStartError } from "./native.ts";
import { REGISTRY_IMAGE } from "./engine.ts";

// Paths the registry:2 image uses; the config is passed in place of its default one.
const CONFIG_PATH = "/etc/docker/registry/config.yml";
const HTPASSWD_PATH = "/auth/htpasswd";
const DATA_DIR = "/var/lib/registry";
const PORT_ATTEMPTS = 3;

export interface ContainerRegistryOptions {
  htpasswd?: string;
  realm?: string;
  logLevel?: RegistryConfigOptions["logLevel"];
  startupTimeoutMs?: number;
  image?: string;
  /** Engine to use; testcontainers reads DOCKER_HOST, so it is set for this process when not set already. */
  dockerHost?: string;
}

export interface ContainerRegistry {
  port: number;
  containerId: string;
  stop(): Promise<void>;
}

/** Containers to remove if the process exits without stopping them (testcontainers' reaper may be disabled). */
const live = new Set<string>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    // Best effort and synchronous (exit handlers cannot wait): the docker CLI, if there is one.
    for (const id of live) spawnSync("docker", ["rm", "-f", id], { stdio: "ignore", timeout: 5_000 });
  });
}

export async function startContainerRegistry(options: ContainerRegistryOptions = {}): Promise<ContainerRegistry> {
  if (options.dockerHost && !process.env["DOCKER_HOST"]) process.env["DOCKER_HOST"] = options.dockerHost;
  installExitHook();
  const image = options.image ?? REGISTRY_IMAGE;
  let lastError = "";
  for (let attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
    const port = await findFreePort();
    const addr = `${LOOPBACK}:${port}`;
    const config = renderRegistryConfig({
      rootDirectory: DATA_DIR,
      addr,
      httpSecret: randomBytes(16).toString("hex"),
      logLevel: options.logLevel ?? "info", // `listening on` is an info line
      htpasswd: options.htpasswd !== undefined ? { path: HTPASSWD_PATH, realm: options.realm } : undefined,
    });
    const files = [{ content: config, target: CONFIG_PATH }];
    if (options.htpasswd !== undefined) files.push({ content: options.htpasswd, target: HTPASSWD_PATH });
    let container: StartedTestContainer;
    try {
      container = await new GenericContainer(image)
        .withNetworkMode("host")
        .withEnvironment({ REGISTRY_HTTP_ADDR: addr })
        .withCopyContentToContainer(files)
        .withWaitStrategy(Wait.forLogMessage(/listening on/))
        .withStartupTimeout(options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS)
        .start();
    } catch (error) {
      // Most likely the port was taken between our check and the registry's bind: try another one.
      lastError = (error as Error).message;
      continue;
    }
    const id = container.getId();
    live.add(id);
    const stop = async (): Promise<void> => {
      await container.stop({ timeout: 5_000, remove: true });
      live.delete(id);
    };
    const notReady = await waitForRegistry({
      url: `http://${addr}`,
      expectStatus: options.htpasswd !== undefined ? 401 : 200,
      timeoutMs: options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS,
    });
    if (notReady) {
      await stop();
      throw new RegistryStartError(`registry fixture: ${image} container on ${addr} did not answer: ${notReady}`);
    }
    return { port, containerId: id, stop };
  }
  throw new RegistryStartError(`registry fixture: ${image} container did not start: ${lastError}`);
}
