// A new task as DescribeTasks shows it the moment RunTask creates it (PROVISIONING), and the stop codes.
import type { TaskDefinition } from "../../../agent-sim/index.ts";
import type { EcsState, EcsTaskShape, TaskDefinitionRecord } from "../../state/ecs.ts";
import { clusterArn, containerArn, taskArn } from "./arns.ts";

export const STOP_CODE_USER_INITIATED = "UserInitiated";

export interface NewTask {
  state: EcsState;
  cluster: string;
  taskId: string;
  containerIds: string[];
  record: TaskDefinitionRecord;
  taskDefinition: TaskDefinition;
  launchType: string;
  platformVersion?: string;
  containerInstanceArn?: string;
  containerOverrides: Record<string, unknown>[];
  startedBy?: string;
  group?: string;
  tags: { key: string; value: string }[];
  now: number;
}

export function provisioningTask(t: NewTask): EcsTaskShape {
  const { state } = t;
  const arn = taskArn(state.region, state.account, t.cluster, t.taskId);
  const doc = t.record.document;
  return {
    taskArn: arn,
    clusterArn: clusterArn(state.region, state.account, t.cluster),
    taskDefinitionArn: t.record.taskDefinitionArn,
    ...(t.containerInstanceArn !== undefined ? { containerInstanceArn: t.containerInstanceArn } : {}),
    launchType: t.launchType,
    ...(t.platformVersion !== undefined ? { platformVersion: t.platformVersion } : {}),
    lastStatus: "PROVISIONING",
    desiredStatus: "RUNNING",
    createdAt: t.now / 1000,
    ...(t.startedBy !== undefined ? { startedBy: t.startedBy } : {}),
    group: t.group ?? `family:${t.record.family}`,
    version: 1,
    attachments: [],
    attributes: [{ name: "ecs.cpu-architecture", value: "x86_64" }],
    availabilityZone: `${state.region}a`,
    containers: t.taskDefinition.containerDefinitions.map((c, i) => ({
      containerArn: containerArn(state.region, state.account, t.cluster, t.taskId, t.containerIds[i]!),
      taskArn: arn,
      name: c.name,
      image: c.image,
      lastStatus: "PENDING",
      networkInterfaces: [],
      healthStatus: "UNKNOWN",
      cpu: "0",
    })),
    overrides: { containerOverrides: t.containerOverrides, inferenceAcceleratorOverrides: [] },
    healthStatus: "UNKNOWN",
    enableExecuteCommand: false,
    tags: t.tags,
    ...(typeof doc.cpu === "string" ? { cpu: doc.cpu } : {}),
    ...(typeof doc.memory === "string" ? { memory: doc.memory } : {}),
  };
}
