// CreateCluster, DescribeClusters, ListClusters. A `default` cluster exists in every account and region.
import { EcsText } from "../../../aws/texts.ts";
import { type Input, optionalObjectList, optionalString, optionalStringList } from "../../protocol/input.ts";
import type { ClusterRecord, EcsState } from "../../state/ecs.ts";
import { clusterName } from "./arns.ts";
import { clusterNotFound, invalidParameter } from "./errors.ts";
import { DEFAULT_CLUSTER } from "./options.ts";
import { ensureCluster } from "./state.ts";

const CLUSTER_NAME = /^[A-Za-z0-9_-]{1,255}$/;

/** The cluster a request names (default `default`), or ClusterNotFoundException. */
export function requireCluster(state: EcsState, reference: string | undefined): ClusterRecord {
  const cluster = state.clusters.get(clusterName(reference ?? DEFAULT_CLUSTER));
  if (cluster === undefined || cluster.status !== "ACTIVE") throw clusterNotFound();
  return cluster;
}

export function clusterShape(state: EcsState, cluster: ClusterRecord) {
  const instances = state.instancesIn(cluster.clusterName).filter((i) => i.status === "ACTIVE");
  let running = 0;
  let pending = 0;
  for (const { task, cluster: name } of state.tasks.values()) {
    if (name !== cluster.clusterName) continue;
    if (task.lastStatus === "RUNNING") running++;
    else if (task.lastStatus === "PROVISIONING" || task.lastStatus === "PENDING") pending++;
  }
  return {
    clusterArn: cluster.clusterArn,
    clusterName: cluster.clusterName,
    status: cluster.status,
    registeredContainerInstancesCount: instances.length,
    runningTasksCount: running,
    pendingTasksCount: pending,
    activeServicesCount: 0,
    statistics: [],
    tags: cluster.tags,
    settings: [{ name: "containerInsights", value: "disabled" }],
    capacityProviders: [],
    defaultCapacityProviderStrategy: [],
  };
}

export function CreateCluster(state: EcsState, input: Input) {
  const name = optionalString(input, "clusterName") ?? DEFAULT_CLUSTER;
  if (!CLUSTER_NAME.test(name)) throw invalidParameter(EcsText.clusterNameInvalid);
  const tags = (optionalObjectList(input, "tags") ?? []).map((t) => ({ key: String(t.key ?? ""), value: String(t.value ?? "") }));
  const existing = state.clusters.get(name);
  // CreateCluster is idempotent for an active cluster of the same name.
  const cluster = ensureCluster(state, name);
  if (existing === undefined) cluster.tags = tags;
  cluster.status = "ACTIVE";
  return { cluster: clusterShape(state, cluster) };
}

export function DescribeClusters(state: EcsState, input: Input) {
  const references = optionalStringList(input, "clusters", { max: 100 }) ?? [DEFAULT_CLUSTER];
  const clusters = [];
  const failures = [];
  for (const reference of references) {
    const cluster = state.clusters.get(clusterName(reference));
    if (cluster === undefined) failures.push({ arn: reference.startsWith("arn:") ? reference : `arn:aws:ecs:${state.region}:${state.account}:cluster/${reference}`, reason: "MISSING" });
    else clusters.push(clusterShape(state, cluster));
  }
  return { clusters, failures };
}

export function ListClusters(state: EcsState, _input: Input) {
  return { clusterArns: [...state.clusters.values()].filter((c) => c.status === "ACTIVE").map((c) => c.clusterArn) };
}

