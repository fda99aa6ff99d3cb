// `ecs-pull run TASKDEF.json --via-server`: the launch runs inside the `ecs-pull serve` at the endpoint
// (EcsPullInternal.RunAgentTask: the same library path as a local `ecs-pull run --endpoint <it>`), which answers the
// document a local run makes; printed as a local run prints it, with its exit code. Thin on purpose: node builtins,
// the SigV4 signer and small agent-sim modules only (no AWS SDK client, dockerode, zod or express), so that a run
// costs the server's work and not this process's start-up. test/unit/cli-run-via-server-thin.test.ts keeps it so.
import {
  environmentCredentials,
  localEndpointCredentials,
  InternalErrorCode,
  internalTarget,
  EnvironmentError,
  type JsonAnswer,
  answersAsEmulator,
  awsErrorOf,
  signedJsonPost,
} from "../../agent-sim/client.ts";
import type { AwsCredentials, RunAgentTaskInput, TaskRunResult } from "../../agent-sim/client.ts";
import { UsageError } from "../exit-codes.ts";
import { ansiStyle, launchLine, outcomeLines, plainStyle, stepLine } from "../render/human.ts";
import { checkClockFlags, endpointOverride, launchInput, pullTimeoutOptions, readTaskDefinitionFile } from "./run-input.ts";
import type { RunOptions } from "./run-input.ts";

export async function runViaServerCommand(file: string, opts: RunOptions): Promise<number> {
  checkFlags(opts);
  const taskDefinition = await readTaskDefinitionFile(file);
  const timeouts = pullTimeoutOptions(opts);
  const endpoint = serverEndpoint(opts);
  const credentials = callerCredentials();
  const launch = launchInput(opts);
  const input: RunAgentTaskInput = {
    TaskDefinition: taskDefinition,
    Launch: launch,
    Options: {
      ...(opts.realTime && { RealTime: true }),
      ...(timeouts.pullInactivityTimeoutMs !== undefined && { PullInactivityTimeoutMs: timeouts.pullInactivityTimeoutMs }),
      ...(timeouts.pullTimeoutMs !== undefined && { PullTimeoutMs: timeouts.pullTimeoutMs }),
      ...(timeouts.manifestPullTimeoutMs !== undefined && { ManifestPullTimeoutMs: timeouts.manifestPullTimeoutMs }),
      ...((opts.iamCheck === "server" || opts.iamCheck === "off") && { IamCheck: opts.iamCheck }),
    },
  };
  const answer = await signedJsonPost({
    endpoint,
    region: launch.region ?? "us-east-1",
    service: "ecs",
    credentials,
    target: internalTarget("RunAgentTask"),
    body: input,
  });
  const result = await resultOf(answer, endpoint);

  // What a local run prints as the steps end, all at once: the trace holds the same steps in the same order.
  if (opts.json) {
    process.stdout.write(JSON.stringify(result, null, 2) + "\n");
  } else {
    const style = process.stdout.isTTY ? ansiStyle : plainStyle;
    const lines = [`ecs-pull run ${file} — ${launchLine(result)}`, ...result.trace.map((step) => stepLine(step, style)), "", ...outcomeLines(result, style)];
    process.stdout.write(lines.join("\n") + "\n");
  }
  return result.exitCode;
}

/** The server assumes the execution role as ECS does and decides IAM itself: flags that say otherwise are refused. */
function checkFlags(opts: RunOptions): void {
  checkClockFlags(opts);
  if (opts.assumeRole !== undefined && opts.assumeRole !== "emulator") {
    throw new UsageError(`--assume-role ${opts.assumeRole} cannot be used with --via-server: the server assumes the execution role as ECS does (as ecs-tasks.amazonaws.com)`);
  }
  if (opts.iamCheck === "client") {
    throw new UsageError("--iam-check client cannot be used with --via-server: the server decides IAM itself (server), or no policies are read (off)");
  }
}

function serverEndpoint(opts: RunOptions): string {
  const flag = endpointOverride(opts);
  if (flag !== undefined) return flag;
  const env = process.env.AWS_ENDPOINT_URL;
  if (env === undefined || env === "") throw new UsageError("--via-server needs --endpoint (or AWS_ENDPOINT_URL) pointing at `ecs-pull serve`");
  if (!/^https?:\/\/[^/]/.test(env) || !URL.canParse(env)) {
    throw new UsageError(`AWS_ENDPOINT_URL must be an http(s) URL such as http://127.0.0.1:4566, got "${env}"`);
  }
  return env;
}

/** The caller's key from the environment, else the emulator's `test`/`test` (local run's rule for a local endpoint). */
function callerCredentials(): AwsCredentials {
  const credentials = environmentCredentials() ?? localEndpointCredentials();
  if (credentials === undefined) {
    throw new UsageError(
      "--via-server signs with the key in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or, with none configured, the emulator's test/test); " +
        "it does not read profiles or other credential sources",
    );
  }
  return credentials;
}

/** The run's result, or the error a local run would have ended with; an endpoint that is not ours is said so. */
async function resultOf(answer: JsonAnswer, endpoint: string): Promise<TaskRunResult> {
  if (answer.status >= 200 && answer.status < 300) {
    const result = answer.json?.Result;
    if (isRunResult(result)) return result;
    throw new EnvironmentError(notTheEmulator(endpoint, answer));
  }
  const { code, message } = awsErrorOf(answer);
  if (code === InternalErrorCode.launchContext) throw new UsageError(message);
  if (code === InternalErrorCode.environment) throw new EnvironmentError(message);
  if (code !== "" && (await answersAsEmulator(endpoint))) {
    throw new EnvironmentError(`the ecs-pull emulator at ${endpoint} refused the run: ${code}: ${message}`);
  }
  throw new EnvironmentError(notTheEmulator(endpoint, answer));
}

function isRunResult(value: unknown): value is TaskRunResult {
  if (value === null || typeof value !== "object") return false;
  const r = value as Partial<Record<keyof TaskRunResult, unknown>>;
  return typeof r.exitCode === "number" && typeof r.result === "string" && Array.isArray(r.trace) && typeof r.launch === "object" && r.launch !== null;
}

function notTheEmulator(endpoint: string, answer: JsonAnswer): string {
  const what = awsErrorOf(answer).code || answer.text.replace(/\s+/g, " ").trim().slice(0, 80);
  return `the endpoint ${endpoint} is not an ecs-pull emulator (it answered HTTP ${answer.status}${what ? ` ${what}` : ""}); --via-server needs \`ecs-pull serve\` there`;
}
