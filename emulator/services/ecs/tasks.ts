// DescribeTasks (unknown ids → failures MISSING), ListTasks (desiredStatus, family, launch type, instance,
// startedBy; creation order), StopTask (stopCode UserInitiated, the caller's reason or ECS's default).
import type { RequestContext } from "../../context.ts";
import { EcsText } from "../../../aws/texts.ts";
import { type Input, optionalInteger, optionalString, optionalStringList, requiredString } from "../../protocol/input.ts";
import type { EcsState, EcsTaskShape, TaskRecord } from "../../state/ecs.ts";
import { resourceId, taskArn } from "./arns.ts";
import { requireCluster } from "./clusters.ts";
import { invalidParameter } from "./errors.ts";
import { STOP_CODE_USER_INITIATED } from "./task-shape.ts";

function taskShape(task: EcsTaskShape, withTags: boolean) {
  const { tags, ...rest } = structuredClone(task);
  return withTags ? { ...rest, tags } : rest;
}

function findTask(state: EcsState, cluster: string, reference: string): TaskRecord | undefined {
  const record = state.tasks.get(resourceId(reference));
  return record !== undefined && record.cluster === cluster ? record : undefined;
}

export function DescribeTasks(state: EcsState, input: Input) {
  const cluster = requireCluster(state, optionalString(input, "cluster"));
  const references = optionalStringList(input, "tasks", { max: 100 }) ?? [];
  if (references.length === 0) throw invalidParameter(EcsText.tasksEmpty);
  const withTags = (optionalStringList(input, "include") ?? []).includes("TAGS");
  const tasks = [];
  const failures = [];
  for (const reference of references) {
    const record = findTask(state, cluster.clusterName, reference);
    if (record === undefined) {
      const arn = reference.startsWith("arn:") ? reference : taskArn(state.region, state.account, cluster.clusterName, reference);
      failures.push({ arn, reason: "MISSING" });
    } else tasks.push(taskShape(record.task, withTags));
  }
  return { tasks, failures };
}

export function ListTasks(state: EcsState, input: Input) {
  const cluster = requireCluster(state, optionalString(input, "cluster"));
  const family = optionalString(input, "family");
  const desiredStatus = optionalString(input, "desiredStatus") ?? "RUNNING";
  const launchType = optionalString(input, "launchType");
  const instance = optionalString(input, "containerInstance");
  const startedBy = optionalString(input, "startedBy");
  const maxResults = optionalInteger(input, "maxResults", { min: 1, max: 100 }) ?? 100;
  const from = Number.parseInt(optionalString(input, "nextToken") ?? "0", 10) || 0;
  const matching = [...state.tasks.values()]
    .filter((r) => r.cluster === cluster.clusterName)
    .filter((r) => family === undefined || r.family === family)
    .filter((r) => r.task.desiredStatus === desiredStatus)
    .filter((r) => launchType === undefined || r.task.launchType === launchType)
    .filter((r) => instance === undefined || (r.task.containerInstanceArn !== undefined && resourceId(r.task.containerInstanceArn) === resourceId(instance)))
    .filter((r) => startedBy === undefined || r.task.startedBy === startedBy)
    .sort((a, b) => a.seq - b.seq)
    .map((r) => r.task.taskArn);
  const page = matching.slice(from, from + maxResults);
  return { taskArns: page, ...(from + maxResults < matching.length ? { nextToken: String(from + maxResults) } : {}) };
}

export function StopTask(state: EcsState, input: Input, ctx: RequestContext) {
  const cluster = requireCluster(state, optionalString(input, "cluster"));
  const record = findTask(state, cluster.clusterName, requiredString(input, "task"));
  if (record === undefined) throw invalidParameter(EcsText.taskNotFound);
  const task = record.task;
  if (task.desiredStatus !== "STOPPED" || task.lastStatus !== "STOPPED") {
    const now = ctx.now / 1000;
    task.desiredStatus = "STOPPED";
    task.stopCode = STOP_CODE_USER_INITIATED;
    task.stoppedReason = optionalString(input, "reason") ?? EcsText.taskStoppedByUser;
    // The simulated containers have nothing to wind down: the task stops at once.
    task.lastStatus = "STOPPED";
    task.stoppingAt = now;
    task.stoppedAt = now;
    task.executionStoppedAt = now;
    for (const c of task.containers) c.lastStatus = "STOPPED";
    task.version++;
  }
  return { task: taskShape(task, false) };
}
