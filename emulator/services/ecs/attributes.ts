// Attributes: what a container instance advertises for its agent version (agent_capability.go's names; which ones
// a version has is read from the agent profile, whose gates are the table in agent-sim/profile/versions.ts), and what a
// task definition requires (DescribeTaskDefinition's `requiresAttributes`, derived the way ECS derives them).
// Placement matches the two by name.
import { PRIVATE_REGISTRY_ATTRIBUTE, ecsAgentProfile } from "../../../agent-sim/index.ts";
import type { EcsAttribute } from "../../state/ecs.ts";

const CAPABILITY = "com.amazonaws.ecs.capability.";
export const EXECUTION_ROLE_AWSLOGS = "ecs.capability.execution-role-awslogs";
export const SECRETS_ASM_ENV = "ecs.capability.secrets.asm.environment-variables";
export const AWSLOGS_DRIVER = `${CAPABILITY}logging-driver.awslogs`;

export function instanceAttributes(agentVersion: string): EcsAttribute[] {
  const profile = ecsAgentProfile(agentVersion);
  const attributes: EcsAttribute[] = [
    { name: "ecs.os-type", value: "linux" },
    { name: "ecs.cpu-architecture", value: "x86_64" },
    { name: `${CAPABILITY}docker-remote-api.1.17` },
    { name: `${CAPABILITY}docker-remote-api.1.18` },
    { name: `${CAPABILITY}docker-remote-api.1.19` },
    { name: `${CAPABILITY}logging-driver.json-file` },
    { name: AWSLOGS_DRIVER },
    { name: `${CAPABILITY}ecr-auth` },
    { name: `${CAPABILITY}task-iam-role` },
  ];
  if (profile.executionRoleAwslogs) attributes.push({ name: EXECUTION_ROLE_AWSLOGS });
  if (profile.privateRegistryAuth) attributes.push({ name: PRIVATE_REGISTRY_ATTRIBUTE });
  if (profile.secretsAsmEnv) attributes.push({ name: SECRETS_ASM_ENV });
  return attributes;
}

type Container = Record<string, unknown>;

const logDriver = (c: Container) => (c.logConfiguration as { logDriver?: unknown } | undefined)?.logDriver;

/** What RegisterTaskDefinition puts in `requiresAttributes`, in a stable order. */
export function requiredAttributes(containers: readonly Container[], executionRoleArn: string | undefined): EcsAttribute[] {
  const names: string[] = [];
  const add = (name: string) => {
    if (!names.includes(name)) names.push(name);
  };
  for (const c of containers) {
    if (logDriver(c) === "awslogs") {
      add(AWSLOGS_DRIVER);
      if (executionRoleArn) add(EXECUTION_ROLE_AWSLOGS);
    }
    if (c.repositoryCredentials) add(PRIVATE_REGISTRY_ATTRIBUTE);
    if (Array.isArray(c.secrets) && c.secrets.some((s) => /^arn:aws[a-z-]*:secretsmanager:/.test(String((s as { valueFrom?: unknown }).valueFrom ?? "")))) {
      add(SECRETS_ASM_ENV);
    }
  }
  return names.map((name) => ({ name }));
}

/** Whether an instance has every required attribute (by name; a required value must match too). */
export function satisfies(instance: readonly EcsAttribute[], required: readonly EcsAttribute[]): boolean {
  return required.every((r) => instance.some((a) => a.name === r.name && (r.value === undefined || a.value === r.value)));
}
