// Simulated agent time against the real Docker engine and registry: the same outcomes as real time, the agent's
// attempt counts and backoff in the trace, no sleeping. Real time is run on a bounded variant only (a registry that
// answers 429 a few times, then recovers); the catalogue's unbounded retry scenarios run on simulated time only.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { TaskRunResult } from "../../agent-sim/index.ts";
import { findRegistryBinary } from "../../registry-fixture/native.ts";
import { loadScenario, type LoadedScenario } from "../../scenarios/load.ts";
import { runScenario, runScenarios, type RunScenarioOptions } from "../../scenarios/runner.ts";

const skip = findRegistryBinary() || process.env.ECS_PULL_REGISTRY_MODE === "container" ? false : "no registry (apt-get install docker-registry)";

async function run(scenario: LoadedScenario, options: RunScenarioOptions) {
  const results: TaskRunResult[] = [];
  const report = await runScenario(scenario, { ...options, onResult: (_label, r) => results.push(r) });
  return { report, results };
}

/** What a run's trace says apart from time and its world's names: steps, statuses, details, backoff waits. */
const traceShape = (r: TaskRunResult) =>
  r.trace.map((s) => [s.step, s.container, s.status, s.detail.replace(/127\.0\.0\.1:\d+/g, "{registry}").replace(/sha256:[0-9a-f]{64}/g, "{digest}").replace(/-[A-Za-z0-9]{6}\b/g, "-{suffix}").replace(/\b[0-9a-f]{32}\b/g, "{session}"), s.backoff?.waits ?? 0]);

describe("simulated agent time (real engine and registry)", { skip, timeout: 120_000 }, () => {
  it("a bounded retry (429 twice on the manifest and on the pull, then recovery): identical outcomes in real and simulated time", async () => {
    const base = loadScenario("pull-rate-limited");
    const bounded: LoadedScenario = {
      ...base,
      id: "pull-rate-limited-bounded",
      runs: [
        // Current agent: the manifest check meets the 429s (10 ms, 30 ms of backoff).
        { ...base.runs[0]!, faults: [{ kind: "registry-429", times: 2 }] },
        // Agent 1.19.0 has no manifest check: the pull meets them (1.1 s, then 2.2 s ±20 % of backoff).
        { ...base.runs[1]!, faults: [{ kind: "registry-429", times: 2 }] },
      ],
    };
    const real = await run(bounded, { realTime: true });
    const simulated = await run(bounded, {});
    assert.equal(real.results.length, 2);
    assert.equal(simulated.results.length, 2);
    assert.deepEqual(
      simulated.report.runs.map((r) => r.actual),
      real.report.runs.map((r) => r.actual),
    );
    for (let i = 0; i < 2; i++) {
      assert.deepEqual(traceShape(simulated.results[i]!), traceShape(real.results[i]!));
      const retried = real.results[i]!.trace.filter((s) => s.backoff);
      assert.ok(retried.length > 0, `run ${i}: the 429s were retried`);
      for (const s of retried) assert.equal(s.backoff!.simulated, false);
      for (const s of simulated.results[i]!.trace.filter((s) => s.backoff)) assert.equal(s.backoff!.simulated, true);
    }
    // Both end RUNNING: the agent's retries outlast two 429s.
    assert.deepEqual(
      real.report.runs.map((r) => r.actual?.result),
      ["RUNNING", "RUNNING"],
    );
    // The 1.19.0 pull's backoff (>= 880 + 1,760 ms) is slept in real time only.
    const pullBackoff = (r: TaskRunResult) => r.trace.find((s) => s.step === "pull")!.backoff!.ms;
    assert.ok(real.report.runs[1]!.durationMs >= pullBackoff(real.results[1]!));
    assert.ok(simulated.report.runs[1]!.durationMs < pullBackoff(simulated.results[1]!), "simulated time slept the backoff");
  });

  it("the catalogue's retry scenarios pass on simulated time with the agent's attempts and backoff, in parallel", async () => {
    const scenarios = ["pull-registry-down", "pull-rate-limited"].map((id) => loadScenario(id));
    const results = new Map<string, TaskRunResult[]>();
    const reports = await runScenarios(scenarios, { concurrency: 2, onResult: (label, r) => results.set(label, [...(results.get(label) ?? []), r]) });
    for (const report of reports) assert.equal(report.status, "passed", JSON.stringify(report, null, 2));
    const all = [...results.values()].flat();
    // The EC2 agent's DistributionInspect (Fargate's containerd path has retries of its own).
    const manifestSteps = all.filter((r) => r.launch.launchType !== "FARGATE").flatMap((r) => r.trace.filter((s) => s.step === "manifest" && s.status === "failed"));
    assert.ok(manifestSteps.length >= 2);
    for (const step of manifestSteps) {
      // 9 attempts, 8 waits: 10 ms ×3 capped at 5 s, ±20 % → at least 0.8 × 13,640 ms of agent time.
      assert.equal(step.backoff?.waits, 8);
      assert.equal(step.backoff?.simulated, true);
      assert.ok(step.backoff!.ms >= 0.8 * 13_640 && step.backoff!.ms <= 1.2 * 13_640, String(step.backoff!.ms));
      assert.ok(step.durationMs >= step.backoff!.ms);
    }
    for (const report of reports) {
      const backoff = Math.max(...(results.get(report.runs[0]!.label) ?? []).flatMap((r) => r.trace.map((s) => s.backoff?.ms ?? 0)));
      assert.ok(report.runs[0]!.durationMs < backoff, `${report.id}: ${report.runs[0]!.durationMs} ms of wall time for ${backoff} ms of backoff`);
    }
  });
});
