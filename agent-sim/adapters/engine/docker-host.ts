// Which Docker engine to talk to, found the way `scripts/env.sh` finds it: $DOCKER_HOST, then the system socket,
// then the project's private engine recorded in .runtime/env. The first one whose /_ping answers wins; none
// answering is an EnvironmentError (the tool's machine is broken, not the simulated task).
import Docker from "dockerode";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { EnvironmentError } from "../../ports.ts";

export const SYSTEM_DOCKER_SOCKET = "/var/run/docker.sock";
/** Project root: this file is agent-sim/adapters/engine/docker-host.ts. */
export const PROJECT_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
/** KEY=value lines written by `scripts/env.sh up`, relative to the project root. */
export const RUNTIME_ENV_PATH = ".runtime/env";
/** A live engine answers /_ping in milliseconds; a dead socket should not make a CLI run wait. */
export const DEFAULT_PING_TIMEOUT_MS = 3_000;

export interface DockerHostCandidate {
  /** A DOCKER_HOST value: unix:///path or tcp://host:port. */
  dockerHost: string;
  /** Where it came from, for messages. */
  source: "DOCKER_HOST" | "system socket" | ".runtime/env";
}

/** Parses `.runtime/env` (shell KEY=value lines, values possibly quoted); {} when it does not exist. */
export function readRuntimeEnv(projectRoot: string = PROJECT_ROOT): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(join(projectRoot, RUNTIME_ENV_PATH), "utf8");
  } catch {
    return {};
  }
  const values: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match) continue;
    values[match[1]!] = unquote(match[2]!.trim());
  }
  return values;
}

/** Undoes the quoting bash's printf %q or a human may have used (paths rarely need any). */
function unquote(value: string): string {
  if (value.length >= 2 && ((value.startsWith("'") && value.endsWith("'")) || (value.startsWith('"') && value.endsWith('"')))) {
    return value.slice(1, -1);
  }
  return value.replace(/\\(.)/g, "$1");
}

/** The engines to try, in order, without duplicates; nothing is contacted here. */
export function dockerHostCandidates(
  env: NodeJS.ProcessEnv = process.env,
  projectRoot: string = PROJECT_ROOT,
): DockerHostCandidate[] {
  const candidates: DockerHostCandidate[] = [];
  const add = (dockerHost: string | undefined, source: DockerHostCandidate["source"]) => {
    if (dockerHost && !candidates.some((c) => c.dockerHost === dockerHost)) candidates.push({ dockerHost, source });
  };
  add(env["DOCKER_HOST"], "DOCKER_HOST");
  if (existsSync(SYSTEM_DOCKER_SOCKET)) add(`unix://${SYSTEM_DOCKER_SOCKET}`, "system socket");
  add(readRuntimeEnv(projectRoot)["DOCKER_HOST"], ".runtime/env");
  return candidates;
}

/** dockerode options for a DOCKER_HOST value; undefined for forms this tool does not speak (npipe, ssh). */
export function dockerodeOptions(dockerHost: string): Docker.DockerOptions | undefined {
  if (dockerHost.startsWith("unix://")) return { socketPath: dockerHost.slice("unix://".length) };
  if (dockerHost.startsWith("tcp://") || dockerHost.startsWith("http://")) {
    const url = new URL(dockerHost.replace(/^tcp:/, "http:"));
    return { host: url.hostname, port: Number(url.port || 2375), protocol: "http" };
  }
  return undefined;
}

/** GET /_ping with a deadline; true when the engine says OK. */
export async function pingDocker(docker: Docker, timeoutMs: number = DEFAULT_PING_TIMEOUT_MS): Promise<boolean> {
  try {
    const answer: unknown = await new Promise((resolve, reject) => {
      docker.modem.dial(
        { path: "/_ping", method: "GET", statusCodes: { 200: true }, abortSignal: AbortSignal.timeout(timeoutMs) },
        (err: unknown, data: unknown) => (err ? reject(err) : resolve(data)),
      );
    });
    const text = Buffer.isBuffer(answer) ? answer.toString("utf8") : String(answer);
    return text.trim() === "OK";
  } catch {
    return false;
  }
}

/** What a dockerode client is connected to, as a DOCKER_HOST value (for messages). */
export function describeDocker(docker: Docker): string {
  const modem = docker.modem as { socketPath?: string; host?: string; port?: number | string };
  if (modem.socketPath) return `unix://${modem.socketPath}`;
  return `tcp://${modem.host ?? "localhost"}:${modem.port ?? 2375}`;
}

export interface ConnectDockerOptions {
  env?: NodeJS.ProcessEnv;
  projectRoot?: string;
  pingTimeoutMs?: number;
}

/** The first engine that answers /_ping, as a dockerode client. Throws EnvironmentError when none does. */
export async function connectDocker(options: ConnectDockerOptions = {}): Promise<Docker> {
  const candidates = dockerHostCandidates(options.env ?? process.env, options.projectRoot ?? PROJECT_ROOT);
  const tried: string[] = [];
  for (const candidate of candidates) {
    const dockerodeOpts = dockerodeOptions(candidate.dockerHost);
    if (!dockerodeOpts) {
      tried.push(`${candidate.dockerHost} (unsupported form)`);
      continue;
    }
    const docker = new Docker(dockerodeOpts);
    if (await pingDocker(docker, options.pingTimeoutMs)) return docker;
    tried.push(candidate.dockerHost);
  }
  const where = tried.length > 0 ? tried.join(", ") : `DOCKER_HOST (unset), ${SYSTEM_DOCKER_SOCKET} (absent), ${RUNTIME_ENV_PATH} (absent)`;
  throw new EnvironmentError(`No Docker engine answered at ${where}: run \`npm run env:up\` or set DOCKER_HOST`);
}
