// ECS as a JSON 1.1 service: target prefix `AmazonEC2ContainerServiceV20141113`, error key `message`. One handler
// per operation (clusters, container instances, task definitions, RunTask, tasks), each acting on the caller's
// account/region partition (state.ts). RunTask's tasks run in the background (task-runner.ts). Any signed caller
// may call ECS: IAM is not enforced on ECS actions (iam:PassRole neither).
import type { RequestContext } from "../../context.ts";
import type { Input } from "../../protocol/input.ts";
import type { JsonService, Operation } from "../../protocol/service.ts";
import type { EcsState } from "../../state/ecs.ts";
import { CreateCluster, DescribeClusters, ListClusters } from "./clusters.ts";
import { DeregisterContainerInstance, DescribeContainerInstances, ListContainerInstances, RegisterContainerInstance } from "./container-instances.ts";
import type { EcsOptions } from "./options.ts";
import { RunTask } from "./run-task.ts";
import { ecsState } from "./state.ts";
import { DeregisterTaskDefinition, DescribeTaskDefinition, ListTaskDefinitions, RegisterTaskDefinition } from "./task-definitions.ts";
import { ECS_DESCRIPTOR } from "./descriptor.ts";
import { EcsTaskRunner } from "./task-runner.ts";
import { DescribeTasks, ListTasks, StopTask } from "./tasks.ts";

export type { EcsInstanceConfig, EcsOptions, EcsSecretsManagerRequest, TaskSessionCredentials } from "./options.ts";
export { ecsStateOf } from "./state.ts";

export { ECS_TARGET_PREFIX } from "./descriptor.ts";

export interface EcsRuntime {
  service: JsonService;
  runner: EcsTaskRunner;
  /** Resolves when no task is queued or running in the background. */
  idle(): Promise<void>;
}

/** `selfUrl`: the emulator's own URL once known (the default Secrets Manager endpoint of the tasks' agent). */
export function createEcsService(options: EcsOptions = {}, selfUrl: () => string | undefined = () => undefined): EcsRuntime {
  const runner = new EcsTaskRunner(options, selfUrl);
  const on = (handler: (state: EcsState, input: Input, ctx: RequestContext) => unknown): Operation => (ctx, input) =>
    handler(ecsState(ctx, options.instances), input, ctx);
  const service: JsonService = {
    name: ECS_DESCRIPTOR.name,
    signingName: ECS_DESCRIPTOR.signingName!,
    targetPrefix: ECS_DESCRIPTOR.targetPrefix,
    messageKey: ECS_DESCRIPTOR.messageKey,
    operations: {
      CreateCluster: on(CreateCluster),
      DescribeClusters: on(DescribeClusters),
      ListClusters: on(ListClusters),
      RegisterContainerInstance: on((state, input, ctx) => RegisterContainerInstance(state, input, ctx.now)),
      DeregisterContainerInstance: on(DeregisterContainerInstance),
      ListContainerInstances: on(ListContainerInstances),
      DescribeContainerInstances: on(DescribeContainerInstances),
      RegisterTaskDefinition: on(RegisterTaskDefinition),
      DescribeTaskDefinition: on(DescribeTaskDefinition),
      ListTaskDefinitions: on(ListTaskDefinitions),
      DeregisterTaskDefinition: on(DeregisterTaskDefinition),
      RunTask: on((state, input, ctx) => RunTask(state, input, ctx, runner)),
      DescribeTasks: on(DescribeTasks),
      ListTasks: on(ListTasks),
      StopTask: on(StopTask),
    },
  };
  return { service, runner, idle: () => runner.idle() };
}
