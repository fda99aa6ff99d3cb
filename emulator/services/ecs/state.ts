// The ECS partition of the caller's account and region, created on first use with its `default` cluster and the
// configured container instances (EcsOptions.instances), so every partition starts the way the options describe.
import { containerInstanceId, CURRENT_AGENT_VERSION } from "../../../agent-sim/index.ts";
import type { RequestContext } from "../../context.ts";
import type { EmulatorStore } from "../../state/store.ts";
import { type ContainerInstanceRecord, EcsState } from "../../state/ecs.ts";
import { clusterArn, containerInstanceArn, newId } from "./arns.ts";
import { instanceAttributes } from "./attributes.ts";
import { DEFAULT_CLUSTER, type EcsInstanceConfig } from "./options.ts";

export function ecsStateOf(store: EmulatorStore, account: string, region: string, instances: readonly EcsInstanceConfig[] | undefined, now: number): EcsState {
  return store.regional("ecs", account, region, () => {
    const state = new EcsState(account, region);
    ensureCluster(state, DEFAULT_CLUSTER);
    const configured = instances ?? [{ cluster: DEFAULT_CLUSTER }];
    for (const config of configured) {
      if ((config.account ?? account) !== account || (config.region ?? region) !== region) continue;
      addInstance(state, config.cluster, config.agentVersion ?? CURRENT_AGENT_VERSION, config.external ?? false, now);
    }
    return state;
  });
}

export const ecsState = (ctx: RequestContext, instances: readonly EcsInstanceConfig[] | undefined) =>
  ecsStateOf(ctx.store, ctx.account, ctx.region, instances, ctx.now);

export function ensureCluster(state: EcsState, name: string) {
  let cluster = state.clusters.get(name);
  if (cluster === undefined) {
    cluster = { clusterArn: clusterArn(state.region, state.account, name), clusterName: name, status: "ACTIVE", tags: [] };
    state.clusters.set(name, cluster);
  }
  return cluster;
}

/**
 * A new ACTIVE, connected instance. The first instance of a cluster gets agent-sim's stable id for that cluster, so
 * that the ARNs in agent-sim's own placement failures and the emulator's agree.
 */
export function addInstance(state: EcsState, cluster: string, agentVersion: string, external: boolean, now: number): ContainerInstanceRecord {
  ensureCluster(state, cluster);
  const first = state.instancesIn(cluster).length === 0;
  const id = first ? containerInstanceId(cluster) : newId();
  const record: ContainerInstanceRecord = {
    containerInstanceArn: containerInstanceArn(state.region, state.account, cluster, id),
    id,
    cluster,
    ec2InstanceId: external ? `mi-${id.slice(0, 17)}` : `i-${id.slice(0, 17)}`,
    agentVersion,
    external,
    attributes: instanceAttributes(agentVersion),
    status: "ACTIVE",
    agentConnected: true,
    registeredAt: now,
    version: 1,
  };
  state.instances.set(record.containerInstanceArn, record);
  return record;
}
