// runScenarios starts scenarios longest first (scenarios/schedule.ts) and still reports them in the order given:
// three worlds without a registry (the real emulator and engine, a few ms each), one worker.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadScenario } from "../../scenarios/load.ts";
import { runScenarios } from "../../scenarios/runner.ts";

describe("scenario start order", { timeout: 60_000 }, () => {
  it("the scenario with more runs starts first; reports come back in the order given", async () => {
    // reg-too-large: 1 run, gate-fargate-old: 2, reg-invalid: 4 (estimated 10, 20, 40 ms).
    const scenarios = ["reg-too-large", "gate-fargate-old", "reg-invalid"].map((id) => loadScenario(id));
    const started: string[] = [];
    const reports = await runScenarios(scenarios, { concurrency: 1, onScenarioEnd: (r) => started.push(r.id) });
    assert.deepEqual(started, ["reg-invalid", "gate-fargate-old", "reg-too-large"]);
    assert.deepEqual(reports.map((r) => [r.id, r.status]), [["reg-too-large", "passed"], ["gate-fargate-old", "passed"], ["reg-invalid", "passed"]]);
  });
});
