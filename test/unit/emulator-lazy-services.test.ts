// Issue 17: ECS and the internal service are registered by descriptors and loaded (with agent-sim behind them) on
// their first call. Each descriptor must say what the service it loads says: name, target prefix, signing name,
// message key and exactly its operations; and an emulator answers ECS calls through the loaded handlers.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createAgentBackedServices } from "../../emulator/services/agent-backed.ts";
import { ECS_DESCRIPTOR } from "../../emulator/services/ecs/descriptor.ts";
import { INTERNAL_DESCRIPTOR } from "../../emulator/services/internal/descriptor.ts";
import type { JsonServiceDescriptor } from "../../emulator/protocol/lazy-service.ts";
import type { JsonService } from "../../emulator/protocol/service.ts";
import { createEmulator } from "../../emulator/index.ts";
import type { ImageEngine } from "../../agent-sim/index.ts";

function describes(descriptor: JsonServiceDescriptor, service: JsonService): void {
  assert.equal(descriptor.name, service.name);
  assert.equal(descriptor.targetPrefix, service.targetPrefix);
  assert.equal(descriptor.signingName, service.signingName);
  assert.equal(descriptor.messageKey, service.messageKey);
  assert.equal(service.resourceMember, undefined, "a lazy service carries no resourceMember");
  assert.deepEqual([...descriptor.operationNames].sort(), Object.keys(service.operations).sort());
}

describe("emulator: lazily loaded services", () => {
  const engine = {} as ImageEngine;
  const loaded = createAgentBackedServices({ engine }, () => undefined);

  it("the ECS descriptor matches the ECS service", () => describes(ECS_DESCRIPTOR, loaded.ecs.service));
  it("the internal descriptor matches the internal service", () => describes(INTERNAL_DESCRIPTOR, loaded.internal));

  it("an emulator registers them by descriptor and answers through the loaded handlers", async () => {
    const emulator = createEmulator({ ecs: { engine } });
    const ecs = emulator.registry.serviceForTarget(`${ECS_DESCRIPTOR.targetPrefix}.ListClusters`)!;
    describes(ECS_DESCRIPTOR, ecs);
    await emulator.ecs.idle();
    const call = emulator.registry.route(`${ECS_DESCRIPTOR.targetPrefix}.CreateCluster`);
    const ctx = { account: "000000000000", region: "us-east-1", requestId: "r", now: Date.now(), store: emulator.store, principal: undefined } as never;
    const created = (await call.handler(ctx, { clusterName: "lazy" })) as { cluster: { clusterName: string } };
    assert.equal(created.cluster.clusterName, "lazy");
    const listed = (await emulator.registry.route(`${ECS_DESCRIPTOR.targetPrefix}.ListClusters`).handler(ctx, {})) as { clusterArns: string[] };
    assert.ok(listed.clusterArns.some((arn) => arn.endsWith(":cluster/lazy")));
    await emulator.ecs.idle();
  });
});
