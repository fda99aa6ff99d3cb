// The credentials fetch plan of one task (ECS-BEHAVIOR.md §3), pure: which GetSecretValue calls the agent makes,
// in which order and region. Containers are visited in task-definition order; calls are deduplicated by the exact
// credentialsParameter string (a name and the ARN of the same secret are two calls).
import type { TaskDefinition } from "./task-definition.ts";

export interface SecretFetch {
  /** GetSecretValue SecretId: credentialsParameter verbatim. */
  secretId: string;
  region: string;
  /** Names of the containers that use this secret, in task-definition order. */
  containers: string[];
}

/**
 * The region the control plane hands the agent: an ARN's own region, else the task's region (inferred for bare
 * names, which therefore only resolve in the task's region).
 */
export function secretRegion(credentialsParameter: string, taskRegion: string): string {
  if (!credentialsParameter.startsWith("arn:")) return taskRegion;
  const region = credentialsParameter.split(":")[3];
  return region !== undefined && region !== "" ? region : taskRegion;
}

export function planCredentialFetches(td: TaskDefinition, taskRegion: string): SecretFetch[] {
  const plan: SecretFetch[] = [];
  const byId = new Map<string, SecretFetch>();
  for (const container of td.containerDefinitions) {
    const id = container.repositoryCredentials?.credentialsParameter;
    if (id === undefined) continue;
    const existing = byId.get(id);
    if (existing) {
      existing.containers.push(container.name);
      continue;
    }
    const fetch: SecretFetch = { secretId: id, region: secretRegion(id, taskRegion), containers: [container.name] };
    byId.set(id, fetch);
    plan.push(fetch);
  }
  return plan;
}
