// The services that run the simulated agent — ECS (RunTask's tasks) and the internal RunAgentTask — built together
// on the first call to either (app.ts loads this module then), so that both pull through one Docker engine
// connection and `serve` starts without agent-sim.
import { lazyEngine } from "../../agent-sim/index.ts";
import { type EcsOptions, type EcsRuntime, createEcsService } from "./ecs/index.ts";
import { createEcsPullInternalService } from "./internal/index.ts";
import type { JsonService } from "../protocol/service.ts";

export interface AgentBackedServices {
  ecs: EcsRuntime;
  internal: JsonService;
}

export function createAgentBackedServices(options: EcsOptions, selfUrl: () => string | undefined): AgentBackedServices {
  const engine = options.engine ?? lazyEngine();
  const ecs = createEcsService({ ...options, engine }, selfUrl);
  const internal = createEcsPullInternalService({ selfUrl, engine });
  return { ecs, internal };
}
