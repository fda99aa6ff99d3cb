// A JSON 1.1 service whose handlers load on its first call (issue 17): the emulator registers ECS and its own
// internal service by what routing and error rendering need (name, target prefix, signing name, message key, the
// operation names), and the modules behind them — agent-sim with its AWS SDK clients, dockerode and zod — are loaded
// by the first call to any of their operations, not when `serve` starts. test/unit/emulator-lazy-services.test.ts
// checks each descriptor against the service it loads.
import type { JsonService, Operation } from "./service.ts";

export interface JsonServiceDescriptor {
  readonly name: string;
  readonly targetPrefix: string;
  readonly signingName?: string;
  readonly messageKey: "Message" | "message";
  readonly operationNames: readonly string[];
}

export function lazyJsonService(descriptor: JsonServiceDescriptor, load: () => Promise<JsonService>): JsonService {
  const operations: Record<string, Operation> = Object.create(null) as Record<string, Operation>;
  for (const name of descriptor.operationNames) {
    operations[name] = async (ctx, input) => {
      const service = await load();
      return service.operations[name]!(ctx, input);
    };
  }
  return {
    name: descriptor.name,
    targetPrefix: descriptor.targetPrefix,
    ...(descriptor.signingName !== undefined && { signingName: descriptor.signingName }),
    messageKey: descriptor.messageKey,
    operations,
  };
}
