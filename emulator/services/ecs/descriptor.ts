// What the emulator registers for ECS before its handlers (and agent-sim behind them) are loaded: see
// protocol/lazy-service.ts. index.ts builds the service from these same names.
import type { JsonServiceDescriptor } from "../../protocol/lazy-service.ts";

export const ECS_TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113";

export const ECS_DESCRIPTOR: JsonServiceDescriptor = {
  name: "ecs",
  signingName: "ecs",
  targetPrefix: ECS_TARGET_PREFIX,
  messageKey: "message",
  operationNames: [
    "CreateCluster",
    "DescribeClusters",
    "ListClusters",
    "RegisterContainerInstance",
    "DeregisterContainerInstance",
    "ListContainerInstances",
    "DescribeContainerInstances",
    "RegisterTaskDefinition",
    "DescribeTaskDefinition",
    "ListTaskDefinitions",
    "DeregisterTaskDefinition",
    "RunTask",
    "DescribeTasks",
    "ListTasks",
    "StopTask",
  ],
};
