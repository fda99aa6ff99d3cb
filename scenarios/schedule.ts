// The order `runScenarios` starts scenarios in: longest first, so that the workers do not end the catalogue waiting
// for one slow world started last (longest-processing-time-first scheduling). How long a scenario takes is
// estimated from what it declares, not measured: a world that waits in real time on purpose (a slow registry's
// inactivity timeouts and the settling of its abandoned downloads, the AWS SDK's own throttling backoff, a silent
// Secrets Manager's per-attempt timeouts, the engine's own retries of a broken layer, images pulled into the engine
// before a run) costs seconds; a world with a registry about a second and a half; one without, a few milliseconds.
// Pure: no clock, no file, no cache, so the first run on a machine and a CI run are ordered as every later one.
// The weights are milliseconds from `scenario run --all --json` on the 2-core development machine (bench/RESULTS.md,
// issue 17); only the order they give matters.
import { PROXY_FAULT_KINDS, type Scenario } from "./schema.ts";

type Fault = Scenario["world"]["faults"][number];

/** A world with a registry: its emulator, its registry process (bcrypt users), its pushes, stopping them. */
export const WORLD_COST_MS = 1200;
/** Each task run in such a world: the launch through the SDK and the engine, the images removed before it. */
export const RUN_COST_MS = 300;
/** A world without a registry (the register and gate rows): an in-process emulator, runs that pull nothing. */
export const RUN_WITHOUT_REGISTRY_MS = 10;
/** An image pulled into the engine before a run (cachedImages). */
export const CACHED_IMAGE_COST_MS = 1200;

/**
 * Real waits per run, by fault kind (without --real-time the agent's own backoff costs nothing, and the two
 * deliberately long timeouts are capped). registry-slow: 5 inactivity timeouts of 1 s, then the settling of the
 * downloads the agent abandoned. secrets-manager-throttle: the SDK's own retry backoff. secrets-manager-timeout:
 * 300 ms per attempt. delete-blob, registry-429, registry-reset-blob: the engine's own retries of the layer.
 */
export const FAULT_WAIT_MS: Partial<Record<Fault["kind"], number>> = {
  "registry-slow": 6000,
  "secrets-manager-throttle": 1500,
  "delete-blob": 1200,
  "registry-429": 1000,
  "registry-reset-blob": 1000,
  "secrets-manager-timeout": 500,
};

/** The estimated wall time of one scenario (ms); a pending one costs nothing. */
export function estimatedCostMs(scenario: Pick<Scenario, "world" | "runs"> & { pending?: string }): number {
  if (scenario.pending) return 0;
  if (!scenario.world.registry) return scenario.runs.length * RUN_WITHOUT_REGISTRY_MS;
  let cost = WORLD_COST_MS;
  for (const run of scenario.runs) {
    cost += RUN_COST_MS + (run.cachedImages?.length ?? 0) * CACHED_IMAGE_COST_MS;
    // A run's own proxy faults replace the world's proxy faults; the world's other faults hold for every run.
    const faults = run.faults ? [...scenario.world.faults.filter((f) => !isProxyFault(f)), ...run.faults] : scenario.world.faults;
    const kinds = new Set(faults.filter((f) => f.times !== 0).map((f) => f.kind));
    for (const kind of kinds) cost += FAULT_WAIT_MS[kind] ?? 0;
  }
  return cost;
}

const isProxyFault = (f: Fault) => (PROXY_FAULT_KINDS as readonly string[]).includes(f.kind);

/**
 * The indices of `scenarios` in the order to start them: by estimated cost, longest first; equal estimates keep
 * the order given. Reports are still returned in the order given (runScenarios).
 */
export function startOrder(scenarios: readonly (Pick<Scenario, "world" | "runs"> & { pending?: string })[]): number[] {
  const costs = scenarios.map(estimatedCostMs);
  return costs.map((_, i) => i).sort((a, b) => costs[b]! - costs[a]! || a - b);
}
