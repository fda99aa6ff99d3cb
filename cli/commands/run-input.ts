// The flags `run` and `explain` share, read into the library's inputs: the task definition file's text, the launch
// context as given, the endpoint override and the pull time limits. Light on purpose (no AWS SDK, dockerode or
// zod): `ecs-pull run --via-server` reads the same flags with the same rules.
import { readFile } from "node:fs/promises";
import type { RunTaskOptions, AssumeRoleMode, IamCheckMode } from "../../agent-sim/client.ts";
import { readEngineAuthEnv, parseGoDuration, IMAGE_PULL_BEHAVIOR } from "../../agent-sim/client.ts";
import { UsageError } from "../exit-codes.ts";

export interface RunOptions {
  launchType: string;
  agentVersion?: string;
  platformVersion?: string;
  region?: string;
  account?: string;
  cluster?: string;
  endpoint?: string;
  engineAuthType?: string;
  engineAuthData?: string;
  /** Alias of the default (simulated agent time), kept for old scripts. */
  fast?: boolean;
  /** Wait out the agent's backoff in real time. */
  realTime?: boolean;
  json?: boolean;
  /** Who decides IAM: the backend (server), ecs-pull itself (client, for LocalStack), or no explanation (off). */
  iamCheck?: IamCheckMode;
  /** How the execution role is assumed (default: emulator with an endpoint, else sts). */
  assumeRole?: AssumeRoleMode;
  /** ECS_IMAGE_PULL_INACTIVITY_TIMEOUT, a Go duration (run only). */
  pullInactivityTimeout?: string;
  /** ECS_IMAGE_PULL_TIMEOUT, a Go duration (run only). */
  pullTimeout?: string;
  /** ECS_MANIFEST_PULL_TIMEOUT, a Go duration (run only). */
  manifestPullTimeout?: string;
  /** ECS_IMAGE_PULL_BEHAVIOR of the instance (default: $ECS_IMAGE_PULL_BEHAVIOR, else the agent's `default`). */
  imagePullBehavior?: string;
  /** The instance's OS: linux or windows. */
  osType?: string;
  /** Hand the launch to the agent inside the `ecs-pull serve` at the endpoint (run only). */
  viaServer?: boolean;
}

/** The pull time limits from --pull-inactivity-timeout / --pull-timeout (Go durations); bad values are UsageErrors. */
export function pullTimeoutOptions(opts: Pick<RunOptions, "pullInactivityTimeout" | "pullTimeout" | "manifestPullTimeout">): Pick<RunTaskOptions, "pullInactivityTimeoutMs" | "pullTimeoutMs" | "manifestPullTimeoutMs"> {
  const parse = (flag: string, value: string, min: number) => {
    let ms: number;
    try {
      ms = parseGoDuration(value);
    } catch {
      throw new UsageError(`${flag} must be a Go duration such as 90s, 2m or 1h30m, got "${value}"`);
    }
    if (ms < min) throw new UsageError(`${flag} must be longer than 0, got "${value}"`);
    return ms;
  };
  return {
    ...(opts.pullInactivityTimeout !== undefined && { pullInactivityTimeoutMs: parse("--pull-inactivity-timeout", opts.pullInactivityTimeout, 0) }),
    ...(opts.pullTimeout !== undefined && { pullTimeoutMs: parse("--pull-timeout", opts.pullTimeout, 1) }),
    ...(opts.manifestPullTimeout !== undefined && { manifestPullTimeoutMs: parse("--manifest-pull-timeout", opts.manifestPullTimeout, 0) }),
  };
}

/** --fast (the default, simulated agent time) and --real-time contradict each other. */
export function checkClockFlags(opts: { fast?: boolean; realTime?: boolean }): void {
  if (opts.fast && opts.realTime) throw new UsageError("--fast and --real-time contradict each other: --fast is the default (simulated agent time), --real-time waits out the agent's backoff");
}

export async function readTaskDefinitionFile(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code === "EACCES" ? "permission denied" : String(code);
    throw new UsageError(`cannot read task definition ${file}: ${why}`);
  }
}

/** The launch context from the flags; only what the user gave is passed, the library fills the defaults. */
export function launchInput(opts: RunOptions) {
  const region = opts.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  const fromEnv = readEngineAuthEnv(process.env);
  const engineAuth =
    opts.engineAuthType !== undefined || opts.engineAuthData !== undefined
      ? { type: opts.engineAuthType ?? fromEnv?.type ?? "", data: opts.engineAuthData ?? fromEnv?.data ?? "" }
      : fromEnv;
  // Read from the instance's environment like ECS_ENGINE_AUTH_*; Fargate has no such setting, so it is not read there.
  const fromEnvBehavior = opts.launchType.toUpperCase() === "FARGATE" ? undefined : process.env[IMAGE_PULL_BEHAVIOR.env];
  const imagePullBehavior = opts.imagePullBehavior ?? (fromEnvBehavior === "" ? undefined : fromEnvBehavior);
  return {
    launchType: opts.launchType,
    ...(opts.agentVersion !== undefined && { agentVersion: opts.agentVersion }),
    ...(opts.platformVersion !== undefined && { platformVersion: opts.platformVersion }),
    ...(region !== undefined && { region }),
    ...(opts.account !== undefined && { account: opts.account }),
    ...(opts.cluster !== undefined && { cluster: opts.cluster }),
    ...(engineAuth !== undefined && { engineAuth }),
    ...(imagePullBehavior !== undefined && { imagePullBehavior }),
    ...(opts.osType !== undefined && { osType: opts.osType }),
  };
}

export function endpointOverride(opts: { endpoint?: string }): string | undefined {
  if (opts.endpoint === undefined) return undefined;
  try {
    const url = new URL(opts.endpoint);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("scheme");
  } catch {
    throw new UsageError(`--endpoint must be an http(s) URL such as http://127.0.0.1:4566, got "${opts.endpoint}"`);
  }
  return opts.endpoint;
}
