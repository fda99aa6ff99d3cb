// Finds the service and operation a request is for. JSON 1.1 services are keyed by the `X-Amz-Target` prefix
// (`secretsmanager.GetSecretValue`, later `TrentService.Decrypt`, `AmazonEC2ContainerServiceV20141113.RunTask`).
// Query services (IAM, STS: form bodies with `Action=`) will register here too; until one exists such requests
// are answered as unknown operations.
import { AwsError, AwsErrorCode } from "./aws-error.ts";
import { unknownOperationText } from "../../aws/texts.ts";
import type { JsonService, Operation } from "./service.ts";

export interface RoutedCall {
  service: JsonService;
  operation: string;
  handler: Operation;
}

export class ServiceRegistry {
  private readonly byTargetPrefix = new Map<string, JsonService>();
  private readonly routed = new Map<string, RoutedCall>();

  addJson(service: JsonService): this {
    if (this.byTargetPrefix.has(service.targetPrefix)) throw new Error(`duplicate service target prefix ${service.targetPrefix}`);
    this.byTargetPrefix.set(service.targetPrefix, service);
    return this;
  }

  /** The service a target prefix names, even when the operation is unknown (so errors use its message key). */
  serviceForTarget(target: string | undefined): JsonService | undefined {
    if (target === undefined) return undefined;
    const dot = target.lastIndexOf(".");
    return dot < 0 ? undefined : this.byTargetPrefix.get(target.slice(0, dot));
  }

  /**
   * Throws UnknownOperationException when nothing serves `target`. Routed targets are remembered (one entry per
   * operation that exists, so the map is bounded by the services' tables; unknown targets are never kept).
   */
  route(target: string | undefined): RoutedCall {
    const known = target === undefined ? undefined : this.routed.get(target);
    if (known !== undefined) return known;
    const service = this.serviceForTarget(target);
    if (service !== undefined && target !== undefined) {
      const operation = target.slice(target.lastIndexOf(".") + 1);
      // Own properties only: `secretsmanager.constructor` must not find Object's.
      if (Object.hasOwn(service.operations, operation)) {
        const call: RoutedCall = { service, operation, handler: service.operations[operation]! };
        this.routed.set(target, call);
        return call;
      }
    }
    throw new AwsError(AwsErrorCode.UnknownOperationException, unknownOperationText(target));
  }
}
