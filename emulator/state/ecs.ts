// ECS's state in one account and region: clusters, container instances, task definitions (revisions per family)
// and tasks. Plain data and lookups; the rules live in services/ecs. Tasks are stored DescribeTasks-shaped and
// mutated in place by the background runner as agent-sim moves them along.

export interface EcsAttribute {
  name: string;
  value?: string;
}

export interface ClusterRecord {
  readonly clusterArn: string;
  readonly clusterName: string;
  status: "ACTIVE" | "INACTIVE";
  tags: { key: string; value: string }[];
}

export interface ContainerInstanceRecord {
  readonly containerInstanceArn: string;
  readonly id: string;
  readonly cluster: string;
  readonly ec2InstanceId: string;
  readonly agentVersion: string;
  /** An ECS Anywhere instance: takes EXTERNAL tasks only (EC2 instances take EC2 tasks only). */
  readonly external: boolean;
  attributes: EcsAttribute[];
  status: "ACTIVE" | "DRAINING" | "INACTIVE";
  agentConnected: boolean;
  /** Epoch milliseconds. */
  readonly registeredAt: number;
  version: number;
}

export interface TaskDefinitionRecord {
  readonly family: string;
  readonly revision: number;
  readonly taskDefinitionArn: string;
  status: "ACTIVE" | "INACTIVE";
  /** The DescribeTaskDefinition `taskDefinition` member (without status, which is read from the record). */
  readonly document: Record<string, unknown>;
  readonly registeredAt: number;
  deregisteredAt?: number;
}

/** One container of a task, as DescribeTasks shows it. */
export interface EcsTaskContainer {
  containerArn: string;
  taskArn: string;
  name: string;
  image: string;
  lastStatus: string;
  reason?: string;
  /** The manifest digest the agent pulled by (agent-sim's outcome). */
  imageDigest?: string;
  exitCode?: number;
  networkInterfaces: unknown[];
  healthStatus: "UNKNOWN";
  cpu: string;
}

/** DescribeTasks' task shape; timestamps are epoch seconds (AWS JSON). */
export interface EcsTaskShape {
  taskArn: string;
  clusterArn: string;
  taskDefinitionArn: string;
  containerInstanceArn?: string;
  launchType: string;
  platformVersion?: string;
  lastStatus: string;
  desiredStatus: string;
  stopCode?: string;
  stoppedReason?: string;
  createdAt: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  stoppingAt?: number;
  stoppedAt?: number;
  executionStoppedAt?: number;
  startedBy?: string;
  group: string;
  version: number;
  attachments: unknown[];
  attributes: EcsAttribute[];
  availabilityZone: string;
  containers: EcsTaskContainer[];
  overrides: { containerOverrides: Record<string, unknown>[]; inferenceAcceleratorOverrides: unknown[] };
  healthStatus: "UNKNOWN";
  enableExecuteCommand: boolean;
  tags: { key: string; value: string }[];
  cpu?: string;
  memory?: string;
}

export interface TaskRecord {
  readonly id: string;
  readonly cluster: string;
  readonly family: string;
  /** Creation order: ListTasks answers in it. */
  readonly seq: number;
  readonly task: EcsTaskShape;
}

export class EcsState {
  readonly clusters = new Map<string, ClusterRecord>();
  /** By container instance ARN, in registration order. */
  readonly instances = new Map<string, ContainerInstanceRecord>();
  /** Family → its revisions, index = revision - 1. */
  readonly families = new Map<string, TaskDefinitionRecord[]>();
  readonly tasks = new Map<string, TaskRecord>();
  private nextSeq = 1;

  constructor(
    readonly account: string,
    readonly region: string,
  ) {}

  takeSeq(): number {
    return this.nextSeq++;
  }

  instancesIn(cluster: string): ContainerInstanceRecord[] {
    return [...this.instances.values()].filter((i) => i.cluster === cluster);
  }

  revision(family: string, revision: number): TaskDefinitionRecord | undefined {
    return this.families.get(family)?.[revision - 1];
  }

  latestActive(family: string): TaskDefinitionRecord | undefined {
    const revisions = this.families.get(family) ?? [];
    for (let i = revisions.length - 1; i >= 0; i--) if (revisions[i]!.status === "ACTIVE") return revisions[i];
    return undefined;
  }
}
