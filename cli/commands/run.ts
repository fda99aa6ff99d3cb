// `ecs-pull run TASKDEF.json`: one simulated launch through the library, printed for a person or as JSON.
import {
  LaunchContextError,
  runTask,
  createAgentPorts,
  lazyDockerEngine,
  localEndpointCredentials,
  resolveLaunchContext,
} from "../../agent-sim/index.ts";
import type { AgentEvent, ImageEngine, RunTaskOptions, TaskRunResult } from "../../agent-sim/index.ts";
import { UsageError } from "../exit-codes.ts";
import { ansiStyle, launchLine, outcomeLines, plainStyle, stepLine } from "../render/human.ts";
import { PullProgressView } from "../render/progress.ts";
import { checkClockFlags, endpointOverride, launchInput, pullTimeoutOptions, readTaskDefinitionFile } from "./run-input.ts";
import type { RunOptions } from "./run-input.ts";

/**
 * The launch context, resolved once for the whole run, and the production ports for `run` and `explain` (the same
 * flags). `engine`: the Docker engine to use (default: dockerode, connected on first use).
 */
export function prepareLaunch(opts: RunOptions, engine?: ImageEngine) {
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
  const ports = createAgentPorts({
    ...(endpoint !== undefined && { endpoint }),
    ...(anyEndpoint !== undefined && { resolvedEndpoint: anyEndpoint }),
    ...(credentials !== undefined && { credentials }),
    ...(opts.iamCheck !== undefined && { iamCheck: opts.iamCheck }),
    ...(opts.assumeRole !== undefined && { assumeRole: opts.assumeRole }),
    ...(engine !== undefined && { engine }),
  });
  return { launch, ports };
}

export async function runCommand(file: string, opts: RunOptions): Promise<number> {
  checkClockFlags(opts);
  const taskDefinition = await readTaskDefinitionFile(file);
  const timeouts = pullTimeoutOptions(opts);
  const docker = lazyDockerEngine();
  const { launch, ports } = prepareLaunch(opts, docker.engine);
  // Find the engine (its /_ping) while the launch talks to AWS, not after: the manifest check needs it a few round
  // trips later. Nothing waits for this: a task that stops before its pull never needs the engine, and an engine
  // that does not answer is reported by the step that calls it (lazyDockerEngine tries again then).
  docker.get().catch(() => undefined);

  const human = !opts.json;
  const tty = process.stderr.isTTY === true;
  const style = process.stdout.isTTY ? ansiStyle : plainStyle;
  const progress = human && tty ? new PullProgressView(process.stderr) : undefined;
  if (human) process.stdout.write(`ecs-pull run ${file} — ${launchLine({ launch } as TaskRunResult)}\n`);
  const onEvent = (event: AgentEvent) => {
    progress?.onEvent(event);
    if (human && event.type === "step-end") process.stdout.write(stepLine(event.trace, style) + "\n");
  };
  const options: RunTaskOptions = { onEvent, ...(opts.realTime && { realTime: true }), ...timeouts };

  let result: TaskRunResult;
  try {
    result = await runTask({ taskDefinition, launch, ports, options });
  } finally {
    progress?.clear();
    ports.close();
  }
  if (human) process.stdout.write("\n" + outcomeLines(result, style).join("\n") + "\n");
  else process.stdout.write(JSON.stringify(result, null, 2) + "\n");
  return result.exitCode;
}
