// Container instances: RegisterContainerInstance (the agent's own call, and the emulator's documented way to add an
// instance with a given agent version: `versionInfo.agentVersion`), DeregisterContainerInstance,
// ListContainerInstances, DescribeContainerInstances. The attributes follow the agent version (attributes.ts).
import { CURRENT_AGENT_VERSION, versions } from "../../../agent-sim/index.ts";
import { EcsText } from "../../../aws/texts.ts";
import { type Input, optionalBoolean, optionalObjectList, optionalString, optionalStringList } from "../../protocol/input.ts";
import type { ContainerInstanceRecord, EcsAttribute, EcsState } from "../../state/ecs.ts";
import { containerInstanceArn, resourceId } from "./arns.ts";
import { requireCluster } from "./clusters.ts";
import { clientException, invalidParameter } from "./errors.ts";
import { addInstance } from "./state.ts";

export function containerInstanceShape(state: EcsState, i: ContainerInstanceRecord) {
  let running = 0;
  let pending = 0;
  for (const { task } of state.tasks.values()) {
    if (task.containerInstanceArn !== i.containerInstanceArn) continue;
    if (task.lastStatus === "RUNNING") running++;
    else if (task.lastStatus === "PROVISIONING" || task.lastStatus === "PENDING") pending++;
  }
  return {
    containerInstanceArn: i.containerInstanceArn,
    ec2InstanceId: i.ec2InstanceId,
    version: i.version,
    versionInfo: { agentVersion: i.agentVersion, agentHash: "ecs-pull", dockerVersion: "DockerVersion: 20.10.24" },
    remainingResources: resources(),
    registeredResources: resources(),
    status: i.status,
    agentConnected: i.agentConnected,
    runningTasksCount: running,
    pendingTasksCount: pending,
    attributes: i.attributes,
    registeredAt: i.registeredAt / 1000,
    attachments: [],
    tags: [],
  };
}

function resources() {
  return [
    { name: "CPU", type: "INTEGER", doubleValue: 0, longValue: 0, integerValue: 2048 },
    { name: "MEMORY", type: "INTEGER", doubleValue: 0, longValue: 0, integerValue: 3904 },
  ];
}

export function RegisterContainerInstance(state: EcsState, input: Input, now: number) {
  const cluster = requireCluster(state, optionalString(input, "cluster"));
  const versionInfo = (input.versionInfo ?? {}) as { agentVersion?: unknown };
  const given = typeof versionInfo.agentVersion === "string" ? versionInfo.agentVersion : CURRENT_AGENT_VERSION;
  const agentVersion = versions.parseVersion(given);
  if (agentVersion === undefined) throw clientException(EcsText.agentVersionInvalid(given));
  const external = optionalBoolean(input, "external") ?? false;
  const extra: EcsAttribute[] = (optionalObjectList(input, "attributes") ?? []).map((a) => ({
    name: String(a.name ?? ""),
    ...(typeof a.value === "string" ? { value: a.value } : {}),
  }));
  const record = addInstance(state, cluster.clusterName, agentVersion, external, now);
  for (const a of extra) if (a.name !== "" && !record.attributes.some((b) => b.name === a.name)) record.attributes.push(a);
  return { containerInstance: containerInstanceShape(state, record) };
}

function findInstance(state: EcsState, cluster: string, reference: string): ContainerInstanceRecord | undefined {
  return state.instances.get(containerInstanceArn(state.region, state.account, cluster, resourceId(reference)));
}

export function DeregisterContainerInstance(state: EcsState, input: Input) {
  const cluster = requireCluster(state, optionalString(input, "cluster"));
  const reference = optionalString(input, "containerInstance") ?? "";
  const record = findInstance(state, cluster.clusterName, reference);
  if (record === undefined) throw invalidParameter(EcsText.containerInstanceNotFound);
  state.instances.delete(record.containerInstanceArn);
  record.status = "INACTIVE";
  record.agentConnected = false;
  return { containerInstance: containerInstanceShape(state, record) };
}

export function ListContainerInstances(state: EcsState, input: Input) {
  const cluster = requireCluster(state, optionalString(input, "cluster"));
  const status = optionalString(input, "status");
  return {
    containerInstanceArns: state
      .instancesIn(cluster.clusterName)
      .filter((i) => status === undefined || i.status === status)
      .map((i) => i.containerInstanceArn),
  };
}

export function DescribeContainerInstances(state: EcsState, input: Input) {
  const cluster = requireCluster(state, optionalString(input, "cluster"));
  const references = optionalStringList(input, "containerInstances", { max: 100 }) ?? [];
  const containerInstances = [];
  const failures = [];
  for (const reference of references) {
    const record = findInstance(state, cluster.clusterName, reference);
    if (record === undefined) {
      failures.push({ arn: reference.startsWith("arn:") ? reference : containerInstanceArn(state.region, state.account, cluster.clusterName, reference), reason: "MISSING" });
    } else containerInstances.push(containerInstanceShape(state, record));
  }
  return { containerInstances, failures };
}
