// The whole catalogue, fast mode, one test per scenario: each builds its world in a fresh emulator and registry,
// runs its task(s) with the real SDK and Docker engine, and must match its expected texts byte for byte.
// Pending scenarios are skipped with what they wait for.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { findRegistryBinary } from "../../registry-fixture/native.ts";
import { loadCatalogue } from "../../scenarios/load.ts";
import { runScenario } from "../../scenarios/runner.ts";

const skip = findRegistryBinary() || process.env.ECS_PULL_REGISTRY_MODE === "container" ? false : "no registry (apt-get install docker-registry)";

describe("scenario catalogue (fast)", { skip, timeout: 300_000 }, () => {
  for (const scenario of loadCatalogue()) {
    it(`${scenario.id}: ${scenario.title}`, { ...(scenario.pending && { skip: `pending: ${scenario.pending}` }), timeout: 60_000 }, async () => {
      const report = await runScenario(scenario, { fast: true });
      assert.equal(report.status, "passed", JSON.stringify(report, null, 2));
    });
  }
});
