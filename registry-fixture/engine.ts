// Is there a Docker engine here, and does it already hold the registry image? Decides "auto" mode. Every
// failure means "no": a missing or broken engine is normal on this project's machines, not an error.
import Docker from "dockerode";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const SYSTEM_DOCKER_SOCKET = "/var/run/docker.sock";
/** The image container mode runs; auto mode uses it only when the engine already has it. */
export const REGISTRY_IMAGE = "registry:2";
/** Written by `scripts/env.sh up`: KEY=value lines, among them the DOCKER_HOST of the engine it found or started. */
export const RUNTIME_ENV_FILE = fileURLToPath(new URL("../.runtime/env", import.meta.url));
const ENGINE_TIMEOUT_MS = 2_000;

/** The engine to try, in the order the project documents: $DOCKER_HOST, the system socket, .runtime/env. */
export function findDockerHost(env: NodeJS.ProcessEnv = process.env, runtimeEnvFile = RUNTIME_ENV_FILE): string | undefined {
  if (env["DOCKER_HOST"]) return env["DOCKER_HOST"];
  if (existsSync(SYSTEM_DOCKER_SOCKET)) return `unix://${SYSTEM_DOCKER_SOCKET}`;
  try {
    const match = /^(?:export\s+)?DOCKER_HOST=["']?([^"'\s]+)/m.exec(readFileSync(runtimeEnvFile, "utf8"));
    return match?.[1];
  } catch {
    return undefined;
  }
}

/** dockerode options for a DOCKER_HOST value (unix:// or tcp://), or undefined for a form we do not handle. */
export function dockerodeOptions(dockerHost: string): Docker.DockerOptions | undefined {
  if (dockerHost.startsWith("unix://")) return { socketPath: dockerHost.slice("unix://".length), timeout: ENGINE_TIMEOUT_MS };
  if (dockerHost.startsWith("tcp://")) {
    const url = new URL(dockerHost.replace(/^tcp:/, "http:"));
    return { host: url.hostname, port: Number(url.port || 2375), protocol: "http", timeout: ENGINE_TIMEOUT_MS };
  }
  return undefined;
}

/** True when the engine at dockerHost answers and has `image` locally (it will not be pulled: no Docker Hub). */
export async function engineHasImage(dockerHost: string, image: string): Promise<boolean> {
  const options = dockerodeOptions(dockerHost);
  if (!options) return false;
  try {
    await new Docker(options).getImage(image).inspect();
    return true;
  } catch {
    return false;
  }
}
