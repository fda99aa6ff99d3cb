// `ecs-pull run TASKDEF.json`: one simulated launch through the library, printed for a person or as JSON.
import { readFile } from "node:fs/promises";
import { LaunchContextError, fastRetryPolicies, runTask } from "../../agent-sim/index.ts";
import type { AgentEvent, RunTaskOptions, TaskRunResult } from "../../agent-sim/index.ts";
import { createLocalPorts, localEndpointCredentials } from "../../agent-sim/local-ports.ts";
import type { AssumeRoleMode, IamCheckMode } from "../../agent-sim/local-ports.ts";
import { resolveLaunchContext } from "../../agent-sim/launch-context.ts";
import { readEngineAuthEnv } from "../../agent-sim/engine-auth.ts";
import { parseGoDuration } from "../../agent-sim/engine/pull-timeouts.ts";
import { UsageError } from "../exit-codes.ts";
import { ansiStyle, launchLine, outcomeLines, plainStyle, stepLine } from "../render/human.ts";
import { PullProgressView } from "../render/progress.ts";

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
  fast?: boolean;
  json?: boolean;
  /** Who decides IAM: the backend (server), ecs-pull itself (client, for LocalStack), or no explanation (off). */
  iamCheck?: IamCheckMode;
  /** How the execution role is assumed (default: emulator with an endpoint, else sts). */
  assumeRole?: AssumeRoleMode;
  /** ECS_IMAGE_PULL_INACTIVITY_TIMEOUT, a Go duration (run only). */
  pullInactivityTimeout?: string;
  /** ECS_IMAGE_PULL_TIMEOUT, a Go duration (run only). */
  pullTimeout?: string;
}

/** The pull time limits from --pull-inactivity-timeout / --pull-timeout (Go durations); bad values are UsageErrors. */
export function pullTimeoutOptions(opts: Pick<RunOptions, "pullInactivityTimeout" | "pullTimeout">): Pick<RunTaskOptions, "pullInactivityTimeoutMs" | "pullTimeoutMs"> {
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
  };
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
  return {
    launchType: opts.launchType,
    ...(opts.agentVersion !== undefined && { agentVersion: opts.agentVersion }),
    ...(opts.platformVersion !== undefined && { platformVersion: opts.platformVersion }),
    ...(region !== undefined && { region }),
    ...(opts.account !== undefined && { account: opts.account }),
    ...(opts.cluster !== undefined && { cluster: opts.cluster }),
    ...(engineAuth !== undefined && { engineAuth }),
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

/** The launch context and the production ports for `run` and `explain` (the same flags). */
export function prepareLaunch(opts: RunOptions) {
  const input = launchInput(opts);
  let launch;
  try {
    launch = resolveLaunchContext(input);
  } catch (error) {
    if (error instanceof LaunchContextError) throw new UsageError(error.message);
    throw error;
  }
  const endpoint = endpointOverride(opts);
  const anyEndpoint = endpoint ?? process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER ?? process.env.AWS_ENDPOINT_URL;
  const credentials = anyEndpoint ? localEndpointCredentials() : undefined;
  if (opts.assumeRole === "emulator" && anyEndpoint === undefined) {
    throw new UsageError("--assume-role emulator needs --endpoint (or AWS_ENDPOINT_URL) pointing at `ecs-pull serve`");
  }
  const ports = createLocalPorts({
    agentVersion: launch.agentVersion,
    ...(endpoint !== undefined && { endpoint }),
    ...(anyEndpoint !== undefined && { resolvedEndpoint: anyEndpoint }),
    ...(credentials !== undefined && { credentials }),
    ...(opts.iamCheck !== undefined && { iamCheck: opts.iamCheck }),
    ...(opts.assumeRole !== undefined && { assumeRole: opts.assumeRole }),
  });
  return { input, launch, ports };
}

export async function runCommand(file: string, opts: RunOptions): Promise<number> {
  const taskDefinition = await readTaskDefinitionFile(file);
  const timeouts = pullTimeoutOptions(opts);
  const { input, launch, ports } = prepareLaunch(opts);

  const human = !opts.json;
  const tty = process.stderr.isTTY === true;
  const style = process.stdout.isTTY ? ansiStyle : plainStyle;
  const progress = human && tty ? new PullProgressView(process.stderr) : undefined;
  if (human) process.stdout.write(`ecs-pull run ${file} — ${launchLine({ launch } as TaskRunResult)}\n`);
  const onEvent = (event: AgentEvent) => {
    progress?.onEvent(event);
    if (human && event.type === "step-end") process.stdout.write(stepLine(event.trace, style) + "\n");
  };
  const options: RunTaskOptions = { onEvent, ...(opts.fast ? fastRetryPolicies : {}), ...timeouts };

  let result: TaskRunResult;
  try {
    result = await runTask({ taskDefinition, launch: input, ports, options });
  } finally {
    progress?.clear();
    ports.close();
  }
  if (human) process.stdout.write("\n" + outcomeLines(result, style).join("\n") + "\n");
  else process.stdout.write(JSON.stringify(result, null, 2) + "\n");
  return result.exitCode;
}
