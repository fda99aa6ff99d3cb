// ECS resource names: ARNs the control plane hands out, and the references callers may give instead (a cluster's
// name or ARN, a task definition's `family`, `family:revision` or ARN, a task's id or ARN).
import { randomBytes } from "node:crypto";

export const clusterArn = (region: string, account: string, name: string) => `arn:aws:ecs:${region}:${account}:cluster/${name}`;
export const taskArn = (region: string, account: string, cluster: string, id: string) => `arn:aws:ecs:${region}:${account}:task/${cluster}/${id}`;
export const containerInstanceArn = (region: string, account: string, cluster: string, id: string) =>
  `arn:aws:ecs:${region}:${account}:container-instance/${cluster}/${id}`;
export const taskDefinitionArn = (region: string, account: string, family: string, revision: number) =>
  `arn:aws:ecs:${region}:${account}:task-definition/${family}:${revision}`;
export const containerArn = (region: string, account: string, cluster: string, taskId: string, containerId: string) =>
  `arn:aws:ecs:${region}:${account}:container/${cluster}/${taskId}/${containerId}`;

/** 32 lowercase hex digits, like real task and container-instance ids. */
export const newId = () => randomBytes(16).toString("hex");

/** A cluster name from a name or a cluster ARN (any account/region: the caller's partition is what counts). */
export function clusterName(reference: string): string {
  const m = /^arn:aws[a-z-]*:ecs:[^:]*:\d*:cluster\/(.+)$/.exec(reference);
  return m ? m[1]! : reference;
}

/** The last path segment of a task or container-instance ARN, or the reference itself when it is an id. */
export function resourceId(reference: string): string {
  if (!reference.startsWith("arn:")) return reference;
  return reference.slice(reference.lastIndexOf("/") + 1);
}

export interface TaskDefinitionReference {
  family: string;
  revision?: number;
}

/** `family`, `family:revision` or a task-definition ARN; undefined when it is none of them. */
export function parseTaskDefinitionReference(reference: string): TaskDefinitionReference | undefined {
  const arn = /^arn:aws[a-z-]*:ecs:[^:]*:\d*:task-definition\/(.+)$/.exec(reference);
  const body = arn ? arn[1]! : reference;
  const m = /^([A-Za-z0-9_-]{1,255})(?::(\d+))?$/.exec(body);
  if (!m) return undefined;
  return m[2] === undefined ? { family: m[1]! } : { family: m[1]!, revision: Number(m[2]) };
}
