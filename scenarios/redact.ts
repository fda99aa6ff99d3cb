// A scenario as it may be shown (`scenario show`, docs): registry passwords, secret values and engine-auth data
// replaced by ********. Scenario files hold the world's passwords as test data; output never does.
import { REDACTED } from "../agent-sim/index.ts";
import type { LoadedScenario } from "./load.ts";

export function redactScenario(s: LoadedScenario): LoadedScenario {
  const world = s.world;
  return {
    ...s,
    world: {
      ...world,
      ...(world.registry && { registry: { ...world.registry, users: world.registry.users.map((u) => ({ ...u, password: REDACTED })) } }),
      secrets: world.secrets.map((secret) => ({
        ...secret,
        ...(secret.value !== undefined && { value: REDACTED }),
        ...(secret.binary !== undefined && { binary: REDACTED }),
        ...(secret.laterValues !== undefined && { laterValues: secret.laterValues.map(() => REDACTED) }),
        ...(secret.pendingValue !== undefined && { pendingValue: REDACTED }),
      })),
    },
    runs: s.runs.map((run) => (run.launch.engineAuth ? { ...run, launch: { ...run.launch, engineAuth: { type: run.launch.engineAuth.type, data: REDACTED } } } : run)),
  };
}
