// The task as DescribeTasks would show it at the end of a simulated launch: ARNs, statuses, stopCode, stoppedReason,
// container reasons and the lifecycle timestamps. Pure: built from what the pipeline decided.
import type { LaunchContext, LaunchType } from "../profile/launch-context.ts";
import type { TaskDefinition } from "./task-definition.ts";
import { STOP_CODE_TASK_FAILED_TO_START } from "../texts/agent.ts";

export type TaskStatus = "RUNNING" | "STOPPED";

export interface EcsContainer {
  containerArn: string;
  taskArn: string;
  name: string;
  image: string;
  lastStatus: "RUNNING" | "STOPPED";
  reason?: string;
  /** The manifest digest the agent pulled by (the resolved one, or the reference's own); its ImageDigest. */
  imageDigest?: string;
  essential: boolean;
}

export interface EcsTask {
  taskArn: string;
  clusterArn: string;
  taskDefinitionArn: string;
  launchType: LaunchType;
  /** FARGATE only, resolved (LATEST → 1.4.0). */
  platformVersion?: string;
  lastStatus: TaskStatus;
  desiredStatus: TaskStatus;
  stopCode?: typeof STOP_CODE_TASK_FAILED_TO_START;
  stoppedReason?: string;
  createdAt: string;
  pullStartedAt?: string;
  pullStoppedAt?: string;
  startedAt?: string;
  stoppingAt?: string;
  stoppedAt?: string;
  containers: EcsContainer[];
}

export interface TaskIds {
  /** 32 lowercase hex digits, as in real task ARNs. */
  taskId: string;
  /** One UUID per container, in task-definition order. */
  containerIds: string[];
}

export interface TaskTimes {
  createdAt: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  /** RUNNING: when the task started; STOPPED: when it stopped. */
  endedAt: number;
}

export interface ContainerEnd {
  reason?: string;
  imageDigest?: string;
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

export const clusterArn = (launch: LaunchContext) =>
  `arn:aws:ecs:${launch.region}:${launch.account}:cluster/${launch.cluster}`;
export const taskArn = (launch: LaunchContext, taskId: string) =>
  `arn:aws:ecs:${launch.region}:${launch.account}:task/${launch.cluster}/${taskId}`;
export const taskDefinitionArn = (launch: LaunchContext, td: TaskDefinition) =>
  `arn:aws:ecs:${launch.region}:${launch.account}:task-definition/${td.family}:${td.revision}`;
export const containerArn = (launch: LaunchContext, taskId: string, containerId: string) =>
  `arn:aws:ecs:${launch.region}:${launch.account}:container/${launch.cluster}/${taskId}/${containerId}`;

export function buildTask(args: {
  launch: LaunchContext;
  taskDefinition: TaskDefinition;
  ids: TaskIds;
  status: TaskStatus;
  stoppedReason?: string;
  times: TaskTimes;
  /** Per container name: its reason, when it has one. */
  containerEnds?: ReadonlyMap<string, ContainerEnd>;
}): EcsTask {
  const { launch, taskDefinition: td, ids, status, times } = args;
  const arn = taskArn(launch, ids.taskId);
  const stopped = status === "STOPPED";
  const containers = td.containerDefinitions.map((c, i): EcsContainer => {
    const reason = args.containerEnds?.get(c.name)?.reason;
    const imageDigest = args.containerEnds?.get(c.name)?.imageDigest;
    return {
      containerArn: containerArn(launch, ids.taskId, ids.containerIds[i] ?? `container-${i}`),
      taskArn: arn,
      name: c.name,
      image: c.image,
      lastStatus: stopped || reason !== undefined ? "STOPPED" : "RUNNING",
      ...(reason !== undefined ? { reason } : {}),
      ...(imageDigest !== undefined ? { imageDigest } : {}),
      essential: c.essential,
    };
  });
  const task: EcsTask = {
    taskArn: arn,
    clusterArn: clusterArn(launch),
    taskDefinitionArn: taskDefinitionArn(launch, td),
    launchType: launch.launchType,
    ...(launch.launchType === "FARGATE" && launch.resolvedPlatformVersion
      ? { platformVersion: launch.resolvedPlatformVersion }
      : {}),
    lastStatus: status,
    desiredStatus: status,
    ...(stopped ? { stopCode: STOP_CODE_TASK_FAILED_TO_START } : {}),
    ...(stopped && args.stoppedReason !== undefined ? { stoppedReason: args.stoppedReason } : {}),
    createdAt: iso(times.createdAt) as string,
    ...(times.pullStartedAt !== undefined ? { pullStartedAt: iso(times.pullStartedAt) } : {}),
    ...(times.pullStoppedAt !== undefined ? { pullStoppedAt: iso(times.pullStoppedAt) } : {}),
    ...(stopped
      ? { stoppingAt: iso(times.endedAt), stoppedAt: iso(times.endedAt) }
      : { startedAt: iso(times.endedAt) }),
    containers,
  };
  return task;
}
