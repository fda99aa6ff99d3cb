// RegisterTaskDefinition (agent-sim's register rules and ClientException texts, revisions per family,
// requiresAttributes), DescribeTaskDefinition, ListTaskDefinitions, DeregisterTaskDefinition.
import { registerTaskDefinition, supportsLaunchType } from "../../../agent-sim/index.ts";
import type { TaskDefinition } from "../../../agent-sim/index.ts";
import { principalOf } from "../../auth/principal.ts";
import type { RequestContext } from "../../context.ts";
import { EcsText } from "../../../aws/texts.ts";
import { type Input, optionalString, optionalStringList, requiredString } from "../../protocol/input.ts";
import type { EcsState, TaskDefinitionRecord } from "../../state/ecs.ts";
import { parseTaskDefinitionReference, taskDefinitionArn } from "./arns.ts";
import { requiredAttributes } from "./attributes.ts";
import { clientException } from "./errors.ts";

/** Members of RegisterTaskDefinition's input that are not part of the stored task definition. */
const NOT_STORED = new Set(["tags", "revision", "taskDefinition", "taskDefinitionArn", "status", "requiresAttributes", "compatibilities", "registeredAt", "registeredBy", "deregisteredAt"]);

export function taskDefinitionShape(record: TaskDefinitionRecord) {
  return {
    ...record.document,
    status: record.status,
    ...(record.deregisteredAt !== undefined ? { deregisteredAt: record.deregisteredAt / 1000 } : {}),
  };
}

/** The container definitions as ECS returns them: its defaults filled in. */
function withContainerDefaults(containers: readonly Record<string, unknown>[]) {
  return containers.map((c) => ({
    cpu: 0,
    portMappings: [],
    essential: true,
    environment: [],
    mountPoints: [],
    volumesFrom: [],
    ...c,
  }));
}

/**
 * `compatibilities` as ECS fills it on register: EC2 and EXTERNAL always; FARGATE only when requiresCompatibilities
 * asks for it (Fargate's requirements are checked then). A definition that names none is EC2's, whatever its
 * network mode and size (agent-sim supportsLaunchType; RunTask refuses it on FARGATE).
 */
function compatibilities(td: TaskDefinition): string[] {
  return supportsLaunchType(td, "FARGATE") ? ["EC2", "EXTERNAL", "FARGATE"] : ["EC2", "EXTERNAL"];
}

export function RegisterTaskDefinition(state: EcsState, input: Input, ctx: RequestContext) {
  const body = Object.fromEntries(Object.entries(input).filter(([key, value]) => !NOT_STORED.has(key) && value !== null));
  const registered = registerTaskDefinition(body);
  if (!registered.ok) throw clientException(registered.error.message);
  const family = registered.taskDefinition.family;
  const revisions = state.families.get(family) ?? [];
  const revision = revisions.length + 1;
  const arn = taskDefinitionArn(state.region, state.account, family, revision);
  const containers = withContainerDefaults(body.containerDefinitions as Record<string, unknown>[]);
  const executionRoleArn = registered.taskDefinition.executionRoleArn;
  const document: Record<string, unknown> = {
    taskDefinitionArn: arn,
    ...body,
    containerDefinitions: containers,
    family,
    revision,
    volumes: body.volumes ?? [],
    requiresAttributes: requiredAttributes(containers, executionRoleArn),
    placementConstraints: body.placementConstraints ?? [],
    compatibilities: compatibilities(registered.taskDefinition),
    registeredAt: ctx.now / 1000,
    registeredBy: principalOf(ctx).arn,
  };
  const record: TaskDefinitionRecord = { family, revision, taskDefinitionArn: arn, status: "ACTIVE", document, registeredAt: ctx.now };
  revisions.push(record);
  state.families.set(family, revisions);
  const tags = Array.isArray(input.tags) ? input.tags : [];
  return { taskDefinition: taskDefinitionShape(record), tags };
}

/** `family` → its latest ACTIVE revision; `family:n` or an ARN → that revision, whatever its status. */
export function findTaskDefinition(state: EcsState, reference: string): TaskDefinitionRecord | undefined {
  const ref = parseTaskDefinitionReference(reference);
  if (ref === undefined) return undefined;
  return ref.revision === undefined ? state.latestActive(ref.family) : state.revision(ref.family, ref.revision);
}

/** The task definition as agent-sim reads it: the stored document, revision included. */
export function agentTaskDefinition(record: TaskDefinitionRecord): TaskDefinition {
  const registered = registerTaskDefinition(record.document);
  if (!registered.ok) throw new Error(`stored task definition ${record.taskDefinitionArn} no longer registers: ${registered.error.message}`);
  return registered.taskDefinition;
}

export function DescribeTaskDefinition(state: EcsState, input: Input) {
  const record = findTaskDefinition(state, requiredString(input, "taskDefinition"));
  if (record === undefined) throw clientException(EcsText.unableToDescribeTaskDefinition);
  const include = optionalStringList(input, "include") ?? [];
  return { taskDefinition: taskDefinitionShape(record), ...(include.includes("TAGS") ? { tags: [] } : {}) };
}

export function ListTaskDefinitions(state: EcsState, input: Input) {
  const prefix = optionalString(input, "familyPrefix");
  const status = optionalString(input, "status") ?? "ACTIVE";
  const sort = optionalString(input, "sort") ?? "ASC";
  const arns: string[] = [];
  for (const family of [...state.families.keys()].sort()) {
    if (prefix !== undefined && !family.startsWith(prefix)) continue;
    for (const record of state.families.get(family)!) if (record.status === status) arns.push(record.taskDefinitionArn);
  }
  return { taskDefinitionArns: sort === "DESC" ? arns.reverse() : arns };
}

export function DeregisterTaskDefinition(state: EcsState, input: Input, ctx: RequestContext) {
  const reference = requiredString(input, "taskDefinition");
  const ref = parseTaskDefinitionReference(reference);
  if (ref !== undefined && ref.revision === undefined) throw clientException(EcsText.revisionRequired);
  const record = ref === undefined ? undefined : state.revision(ref.family, ref.revision!);
  if (record === undefined) throw clientException(EcsText.taskDefinitionDoesNotExist);
  if (record.status === "ACTIVE") {
    record.status = "INACTIVE";
    record.deregisteredAt = ctx.now;
  }
  return { taskDefinition: taskDefinitionShape(record) };
}
