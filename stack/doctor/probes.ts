// The checks `ecs-pull doctor` makes, each bounded in time and each answering plain data (never throwing):
// TCP to an endpoint, STS GetCallerIdentity (who the credentials are), the Docker engine, the registry's two
// ways to run, and a command-line tool's version.
import { spawn } from "node:child_process";
import { createConnection } from "node:net";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { connectDocker, describeAnswer, describeDocker, foreignAnswerOfSdkError, rejectForeignAnswers } from "../../agent-sim/index.ts";
import { REGISTRY_IMAGE } from "../../registry-fixture/index.ts";
import { engineHasImage, findDockerHost } from "../../registry-fixture/engine.ts";
import { findRegistryBinary } from "../../registry-fixture/native.ts";

export const PROBE_TIMEOUT_MS = 3_000;

/** True when something accepts a TCP connection at the URL's host and port. */
export function tcpAnswers(url: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<{ answers: boolean; detail: string }> {
  const u = new URL(url);
  const port = Number(u.port || (u.protocol === "https:" ? 443 : 80));
  const host = u.hostname.replace(/^\[|\]$/g, "");
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (answers: boolean, detail: string) => {
      socket.destroy();
      resolve({ answers, detail });
    };
    socket.setTimeout(timeoutMs, () => done(false, `no answer within ${timeoutMs} ms`));
    socket.once("connect", () => done(true, `TCP ${host}:${port} accepts connections`));
    socket.once("error", (error: NodeJS.ErrnoException) => done(false, `${error.code ?? error.message} at ${host}:${port}`));
  });
}

/** STS GetCallerIdentity: the cheapest signed call there is; tells who the credentials make us. */
export async function callerIdentity(
  endpoint: string | undefined,
  region: string,
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined,
): Promise<{ ok: true; account: string; arn: string } | { ok: false; error: string; notAService?: true }> {
  const client = new STSClient({
    region,
    maxAttempts: 1,
    ...(endpoint && { endpoint }),
    ...(credentials && { credentials: { ...credentials } }),
  });
  if (endpoint) rejectForeignAnswers(client);
  try {
    const out = await client.send(new GetCallerIdentityCommand({}), { abortSignal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return { ok: true, account: out.Account ?? "?", arn: out.Arn ?? "?" };
  } catch (caught) {
    const foreign = foreignAnswerOfSdkError(caught);
    if (foreign) return { ok: false, error: `the endpoint answered, but not as an AWS service (${describeAnswer(foreign)})`, notAService: true };
    const error = caught as { name?: string; message?: string };
    return { ok: false, error: `${error.name ?? "Error"}: ${(error.message ?? "").split("\n")[0]}` };
  } finally {
    client.destroy();
  }
}

export interface DockerProbe {
  ok: boolean;
  host?: string;
  version?: string;
  apiVersion?: string;
  storageDriver?: string;
  detail: string;
}

export async function probeDocker(env: NodeJS.ProcessEnv): Promise<DockerProbe> {
  try {
    const docker = await connectDocker({ env, pingTimeoutMs: PROBE_TIMEOUT_MS });
    const host = describeDocker(docker);
    const [version, info] = await Promise.all([docker.version(), docker.info() as Promise<{ Driver?: string }>]);
    return {
      ok: true,
      host,
      version: version.Version,
      apiVersion: version.ApiVersion,
      ...(info.Driver && { storageDriver: info.Driver }),
      detail: `Docker ${version.Version} at ${host}${info.Driver ? `, storage driver ${info.Driver}` : ""}`,
    };
  } catch (caught) {
    return { ok: false, detail: (caught as Error).message };
  }
}

export interface RegistryProbe {
  ok: boolean;
  /** What the registry fixture would run: the image when the engine has it, else the binary. */
  mode: "container" | "native" | "none";
  image: boolean;
  binary?: string;
  detail: string;
}

export async function probeRegistry(env: NodeJS.ProcessEnv): Promise<RegistryProbe> {
  const dockerHost = findDockerHost(env);
  const image = dockerHost ? await engineHasImage(dockerHost, REGISTRY_IMAGE) : false;
  const binary = findRegistryBinary(env);
  const forced = env["ECS_PULL_REGISTRY_MODE"];
  const mode = forced === "native" ? (binary ? "native" : "none") : image ? "container" : binary ? "native" : "none";
  const parts = [`${REGISTRY_IMAGE} image ${image ? "in the engine" : "not in the engine"}`, binary ? `binary ${binary}` : "no docker-registry binary"];
  return { ok: mode !== "none", mode, image, ...(binary && { binary }), detail: parts.join("; ") };
}

/** Runs `<command> <args>` (bounded); its first output line, or undefined when it does not run. */
export function toolVersion(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 15_000): Promise<string | undefined> {
  return new Promise((resolve) => {
    let out = "";
    let child;
    try {
      child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    } catch {
      resolve(undefined);
      return;
    }
    // Our own timer: spawn's `timeout` option keeps the event loop alive for its whole length.
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.once("error", () => {
      clearTimeout(timer);
      resolve(undefined);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve(code === 0 ? out.trim().split("\n")[0] : undefined);
    });
  });
}
