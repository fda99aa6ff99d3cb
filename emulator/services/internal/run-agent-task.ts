// EcsPullInternal.RunAgentTask: a whole `ecs-pull run` inside the emulator's process, for the thin client
// `ecs-pull run --via-server`. The same library path as `ecs-pull run --endpoint <this emulator>`: agent-sim's launch
// context, createAgentPorts against this emulator's own URL signed with the caller's admin key, runTask. The answer
// is the run's result, redacted as `run --json` prints it; the input (task definition, engine auth) is neither
// logged nor echoed.
import {
  EnvironmentError,
  LaunchContextError,
  resolveLaunchContext,
  runTask,
  INTERNAL_TARGET_PREFIX,
  InternalErrorCode,
  RUN_AGENT_TASK_IAM_CHECKS,
  createAgentPorts,
} from "../../../agent-sim/index.ts";
import type { ImageEngine, RunTaskOptions, TaskRunResult, RunAgentTaskInput, RunAgentTaskOutput } from "../../../agent-sim/index.ts";
import { accessKeys } from "../../auth/access-keys.ts";
import { principalOf } from "../../auth/principal.ts";
import type { RequestContext } from "../../context.ts";
import { accessDeniedMessage } from "../../../aws/iam/index.ts";
import { AwsError } from "../../protocol/aws-error.ts";
import { InternalText } from "../../../aws/texts.ts";
import {
  type Input,
  optionalBoolean,
  optionalEnum,
  optionalNumber,
  optionalObject,
  optionalString,
  requiredObject,
  requiredString,
} from "../../protocol/input.ts";
import type { Operation } from "../../protocol/service.ts";
import { clusterArn } from "../ecs/arns.ts";

export interface RunAgentTaskDeps {
  /** This emulator's own URL, learned from the first request it served. */
  selfUrl(): string | undefined;
  /** The Docker engine every run pulls with: one connection for the emulator's lifetime, shared by its runs. */
  engine: ImageEngine;
}

/** The signing secret for a key the emulator does not know: only with signature checking off, which then checks nothing. */
const UNCHECKED_SECRET = "unchecked";

export function runAgentTaskOperation(deps: RunAgentTaskDeps): Operation {
  return async (ctx: RequestContext, input: Input): Promise<RunAgentTaskOutput> => {
    const request = readInput(input);
    const caller = principalOf(ctx);
    if (!caller.admin) {
      const cluster = clusterArn(ctx.region, ctx.account, request.Launch.cluster ?? "default");
      throw new AwsError("AccessDeniedException", accessDeniedMessage(caller.arn, `${INTERNAL_TARGET_PREFIX}:RunAgentTask`, cluster));
    }
    const endpoint = deps.selfUrl();
    if (endpoint === undefined) throw new AwsError(InternalErrorCode.environment, InternalText.selfUrlUnknown);
    // The caller's own key, as `ecs-pull run --endpoint` would sign with it.
    const credentials = { accessKeyId: caller.accessKeyId, secretAccessKey: accessKeys(ctx.store).get(caller.accessKeyId)?.secretAccessKey ?? UNCHECKED_SECRET };
    // Fast is the default (simulated agent time) and needs nothing; RealTime sleeps through the agent's backoff.
    const { RealTime, PullInactivityTimeoutMs, PullTimeoutMs, ManifestPullTimeoutMs, IamCheck } = request.Options ?? {};
    const ports = createAgentPorts({ endpoint, credentials, engine: deps.engine, ...(IamCheck !== undefined && { iamCheck: IamCheck }) });
    const options: RunTaskOptions = {
      ...(RealTime && { realTime: true }),
      ...(PullInactivityTimeoutMs !== undefined && { pullInactivityTimeoutMs: PullInactivityTimeoutMs }),
      ...(PullTimeoutMs !== undefined && { pullTimeoutMs: PullTimeoutMs }),
      ...(ManifestPullTimeoutMs !== undefined && { manifestPullTimeoutMs: ManifestPullTimeoutMs }),
    };
    let result: TaskRunResult;
    try {
      result = await runTask({ taskDefinition: request.TaskDefinition, launch: resolveLaunchContext(request.Launch), ports, options });
    } catch (error) {
      throw internalError(error);
    } finally {
      ports.close();
    }
    return { Result: result };
  };
}

/** The input's shape, checked member by member (AWS's SerializationException / ValidationException texts). */
function readInput(input: Input): RunAgentTaskInput {
  const TaskDefinition = requiredString(input, "TaskDefinition");
  const launch = requiredObject(input, "Launch");
  const text = (member: string) => optionalString(launch, member, {}, `launch.${member}`);
  const engineAuth = optionalObject(launch, "engineAuth");
  const Launch: RunAgentTaskInput["Launch"] = {
    launchType: requiredString(launch, "launchType", {}, "launch.launchType"),
    ...defined({ agentVersion: text("agentVersion"), platformVersion: text("platformVersion"), region: text("region"), account: text("account"), cluster: text("cluster"), imagePullBehavior: text("imagePullBehavior"), osType: text("osType") }),
    ...(engineAuth !== undefined && {
      engineAuth: {
        type: requiredString(engineAuth, "type", {}, "launch.engineAuth.type"),
        data: requiredString(engineAuth, "data", { sensitive: true }, "launch.engineAuth.data"),
      },
    }),
  };
  const options = optionalObject(input, "Options");
  if (options === undefined) return { TaskDefinition, Launch };
  const Options = defined({
    Fast: optionalBoolean(options, "Fast"),
    RealTime: optionalBoolean(options, "RealTime"),
    PullInactivityTimeoutMs: optionalNumber(options, "PullInactivityTimeoutMs", { min: 0 }, "options.pullInactivityTimeoutMs"),
    PullTimeoutMs: optionalNumber(options, "PullTimeoutMs", { min: 1 }, "options.pullTimeoutMs"),
    ManifestPullTimeoutMs: optionalNumber(options, "ManifestPullTimeoutMs", { min: 0 }, "options.manifestPullTimeoutMs"),
    IamCheck: optionalEnum(options, "IamCheck", RUN_AGENT_TASK_IAM_CHECKS, "options.iamCheck"),
  });
  return { TaskDefinition, Launch, Options };
}

function defined<T extends Record<string, unknown>>(members: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(members).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

/** agent-sim's two non-outcome failures in the emulator's own codes, which the CLI maps as it maps them locally. */
function internalError(error: unknown): unknown {
  if (error instanceof LaunchContextError) return new AwsError(InternalErrorCode.launchContext, error.message);
  if (error instanceof EnvironmentError) return new AwsError(InternalErrorCode.environment, error.message);
  return error;
}
