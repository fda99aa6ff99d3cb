// RunTask: resolve the cluster and task definition, validate launch type / platform version / count / overrides,
// place by attribute (no instance → InvalidParameterException; none fits → 200 with failures ATTRIBUTE), assume the
// execution role as ecs-tasks.amazonaws.com (refused → ClientException, no task), then create the tasks
// PROVISIONING and hand each to the background runner.
import { LaunchContextError, checkGates, expandRoleArn, resolveLaunchContext, texts } from "../../../agent-sim/index.ts";
import type { LaunchContext } from "../../../agent-sim/index.ts";
import type { RequestContext } from "../../context.ts";
import { AwsError } from "../../protocol/aws-error.ts";
import { EcsText } from "../../../aws/texts.ts";
import { type Input, optionalInteger, optionalObjectList, optionalString } from "../../protocol/input.ts";
import type { ContainerInstanceRecord, EcsAttribute, EcsState, TaskRecord } from "../../state/ecs.ts";
import { ECS_TASKS_SERVICE, assumeRoleAsService } from "../sts/assume-role-as-service.ts";
import { newId } from "./arns.ts";
import { satisfies } from "./attributes.ts";
import { requireCluster } from "./clusters.ts";
import { EcsErrorCode, clientException, invalidParameter } from "./errors.ts";
import type { TaskSession } from "./options.ts";
import { agentTaskDefinition, findTaskDefinition } from "./task-definitions.ts";
import type { EcsTaskRunner } from "./task-runner.ts";
import { provisioningTask } from "./task-shape.ts";
import { randomUUID } from "node:crypto";

const LAUNCH_TYPES = ["EC2", "FARGATE", "EXTERNAL"];
const { RUN_TASK } = texts;

export function RunTask(state: EcsState, input: Input, ctx: RequestContext, runner: EcsTaskRunner) {
  const cluster = requireCluster(state, optionalString(input, "cluster"));
  const record = findTaskDefinition(state, optionalString(input, "taskDefinition") ?? "");
  if (record === undefined) throw clientException(EcsText.taskDefinitionNotFound);
  if (record.status !== "ACTIVE") throw clientException(EcsText.taskDefinitionInactive);

  const launchType = optionalString(input, "launchType") ?? "EC2";
  if (!LAUNCH_TYPES.includes(launchType)) throw invalidParameter(EcsText.launchTypeInvalid(launchType));
  const platformVersion = optionalString(input, "platformVersion");
  if (platformVersion !== undefined && launchType !== "FARGATE") throw invalidParameter(EcsText.platformVersionWithEc2);
  const count = optionalInteger(input, "count") ?? 1;
  if (count < 1 || count > 10) throw invalidParameter(EcsText.countRange);
  const td = agentTaskDefinition(record);
  const containerOverrides = readOverrides(input, td.containerDefinitions.map((c) => c.name));

  // Placement.
  let hosts: ContainerInstanceRecord[] = [];
  // Fargate: the launch context RunTask validated is the one each task runs with (resolved once per call).
  let fargateLaunch: LaunchContext | undefined;
  if (launchType === "FARGATE") {
    fargateLaunch = fargatePlacement(td, platformVersion, state, cluster.clusterName);
  } else {
    const candidates = state.instancesIn(cluster.clusterName).filter((i) => i.status === "ACTIVE" && i.external === (launchType === "EXTERNAL"));
    if (candidates.length === 0) throw invalidParameter(RUN_TASK.noContainerInstances);
    const required = (record.document.requiresAttributes ?? []) as EcsAttribute[];
    hosts = candidates.filter((i) => satisfies(i.attributes, required));
    if (hosts.length === 0) {
      return { tasks: [], failures: candidates.map((i) => ({ arn: i.containerInstanceArn, reason: RUN_TASK.placementAttribute })) };
    }
  }

  // ECS assumes the execution role for each task before creating any; a refusal fails the whole call.
  const taskIds = Array.from({ length: count }, () => newId());
  const sessions = new Map<string, TaskSession>();
  if (td.executionRoleArn !== undefined) {
    const roleArn = expandRoleArn(td.executionRoleArn, state.account);
    for (const id of taskIds) {
      try {
        const s = assumeRoleAsService(ctx, roleArn, ECS_TASKS_SERVICE, id);
        sessions.set(id, { roleArn, sessionArn: s.arn, credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey, sessionToken: s.sessionToken } });
      } catch (error) {
        if (error instanceof AwsError) throw clientException(RUN_TASK.unableToAssumeRole(roleArn));
        throw error;
      }
    }
  }

  const startedBy = optionalString(input, "startedBy");
  const group = optionalString(input, "group");
  const tags = (optionalObjectList(input, "tags") ?? []).map((t) => ({ key: String(t.key ?? ""), value: String(t.value ?? "") }));
  const tasks = taskIds.map((taskId, n) => {
    const host = hosts.length > 0 ? hosts[(state.tasks.size + n) % hosts.length] : undefined;
    const containerIds = td.containerDefinitions.map(() => randomUUID());
    const task = provisioningTask({
      state,
      cluster: cluster.clusterName,
      taskId,
      containerIds,
      record,
      taskDefinition: td,
      launchType,
      ...(fargateLaunch !== undefined ? { platformVersion: fargateLaunch.resolvedPlatformVersion! } : {}),
      ...(host !== undefined ? { containerInstanceArn: host.containerInstanceArn } : {}),
      containerOverrides,
      ...(startedBy !== undefined ? { startedBy } : {}),
      ...(group !== undefined ? { group } : {}),
      tags,
      now: ctx.now,
    });
    const entry: TaskRecord = { id: taskId, cluster: cluster.clusterName, family: record.family, seq: state.takeSeq(), task };
    state.tasks.set(taskId, entry);
    const session = sessions.get(taskId);
    runner.start({
      task,
      taskId,
      containerIds,
      taskDefinition: td,
      launch: fargateLaunch ?? resolveLaunchContext({ launchType, region: state.region, account: state.account, cluster: cluster.clusterName, agentVersion: host!.agentVersion }),
      ...(session !== undefined ? { session } : {}),
    });
    return structuredClone(task);
  });
  return { tasks, failures: [] };
}

function readOverrides(input: Input, names: readonly string[]): Record<string, unknown>[] {
  const overrides = input.overrides;
  if (overrides === undefined || overrides === null || typeof overrides !== "object") return [];
  const list = optionalObjectList(overrides as Input, "containerOverrides") ?? [];
  for (const o of list) {
    const name = typeof o.name === "string" ? o.name : "";
    if (!names.includes(name)) throw invalidParameter(EcsText.overrideNotInTaskDefinition(name));
  }
  return list;
}

/** Fargate: the platform version must exist and support repositoryCredentials (agent-sim's gate); → the launch context. */
function fargatePlacement(td: ReturnType<typeof agentTaskDefinition>, platformVersion: string | undefined, state: EcsState, cluster: string): LaunchContext {
  let launch;
  try {
    launch = resolveLaunchContext({ launchType: "FARGATE", platformVersion: platformVersion ?? "LATEST", region: state.region, account: state.account, cluster });
  } catch (error) {
    if (error instanceof LaunchContextError) throw new AwsError(EcsErrorCode.PlatformUnknownException, RUN_TASK.platformUnknown);
    throw error;
  }
  const gate = checkGates(td, launch);
  if (!gate.ok && gate.failure.kind === "exception") throw new AwsError(gate.failure.code, gate.failure.message);
  return launch;
}
