// Simulated agent time: runTask's default clock skips the agent's backoff (same attempts, delays and jitter),
// reports it in the trace as agent time, and prints it; realTime sleeps it. Engine work keeps real time.
import assert from "node:assert/strict";
import { test } from "node:test";
import { agentRetryPolicies, runTask, simulatedClock } from "../../agent-sim/index.ts";
import type { TaskRunResult } from "../../agent-sim/index.ts";
import { plainStyle, stepLine } from "../../cli/render/human.ts";
import { FakeEngine, FakeSecretsManager, SECRET_ARN, engineError, privateContainer, taskDef } from "./agent-fakes.ts";

const GOOD = { SecretString: JSON.stringify({ username: "alice", password: "canary-pw-0192" }) };
const IMAGE = "registry.example.com:5000/team/app:1.0";

test("simulatedClock: sleep moves now() by the wait without waiting it; real time still counts", async () => {
  const clock = simulatedClock();
  const wall = Date.now();
  const before = clock.now();
  await clock.sleep(60_000);
  await clock.sleep(-5);
  assert.equal(clock.skippedMs, 60_000);
  assert.ok(Date.now() - wall < 5_000, "a minute of backoff must not be slept");
  assert.ok(clock.now() - before >= 60_000);
  await new Promise((r) => setTimeout(r, 30));
  assert.ok(clock.now() - before >= 60_030 - 5, "wall time passes on top of the skipped waits");
});

test("simulatedClock: a sleep lets timers and I/O that are due run (it resolves on a later turn)", async () => {
  const clock = simulatedClock();
  let ran = false;
  setImmediate(() => (ran = true));
  await clock.sleep(1000);
  assert.equal(ran, true);
});

async function failingManifest(realTime: boolean | undefined): Promise<{ result: TaskRunResult; wallMs: number }> {
  // 9 failed manifest checks: the agent's 10 ms ×3 backoff, capped at 5 s: ~13.6 s of waits between them.
  const engine = new FakeEngine({}, { [IMAGE]: [engineError("manifest unknown")] });
  const started = Date.now();
  const result = await runTask({
    taskDefinition: taskDef([privateContainer()]),
    ports: { secretsManager: new FakeSecretsManager({ [SECRET_ARN]: GOOD }), engine },
    options: { ids: { taskId: "0123456789abcdef0123456789abcdef" }, random: () => 0.5, ...(realTime !== undefined && { realTime }) },
  });
  return { result, wallMs: Date.now() - started };
}

test("runTask's default: the agent's 9 manifest attempts and their backoff as agent time, not slept", async () => {
  const { result, wallMs } = await failingManifest(undefined);
  const manifest = result.trace.find((s) => s.step === "manifest")!;
  const p = agentRetryPolicies.manifestRetry;
  const expected = Array.from({ length: p.maxAttempts - 1 }, (_, i) => Math.min(p.initialDelayMs * p.multiplier ** i, p.maxDelayMs)).reduce((a, b) => a + b, 0);
  assert.deepEqual(manifest.backoff, { waits: 8, ms: expected, simulated: true });
  assert.ok(manifest.durationMs >= expected, `the step lasted ${manifest.durationMs} ms of agent time`);
  assert.ok(wallMs < expected / 2, `wall ${wallMs} ms: the backoff was slept`);
  assert.match(manifest.detail, /9 attempt\(s\) failed/);
  assert.equal(result.task?.containers[0]?.reason?.startsWith("CannotPullImageManifestError"), true);
  const line = stepLine(manifest, plainStyle);
  assert.match(line, /over ~13\.\d\d s of agent time \(8 backoff waits, simulated\)$/);
  // A step without retries shows its time alone.
  assert.doesNotMatch(stepLine(result.trace.find((s) => s.step === "credentials")!, plainStyle), /agent time/);
});

test("realTime sleeps the backoff and ends the same (a short policy keeps the test short)", async () => {
  const policy = { maxAttempts: 4, initialDelayMs: 40, maxDelayMs: 100, multiplier: 2, jitter: 0 };
  const outcome = async (realTime: boolean) => {
    const engine = new FakeEngine({ [IMAGE]: [engineError("toomanyrequests: slow down")] });
    const started = Date.now();
    const result = await runTask({
      taskDefinition: taskDef([privateContainer()]),
      ports: { secretsManager: new FakeSecretsManager({ [SECRET_ARN]: GOOD }), engine },
      options: { ids: { taskId: "0123456789abcdef0123456789abcdef", containerIds: ["c0ffee00-0000-4000-8000-000000000001"] }, pullRetry: policy, realTime },
    });
    return { result, wallMs: Date.now() - started, calls: engine.calls.length };
  };
  const real = await outcome(true);
  const simulated = await outcome(false);
  const pullOf = (r: TaskRunResult) => r.trace.find((s) => s.step === "pull")!;
  assert.deepEqual(pullOf(real.result).backoff, { waits: 3, ms: 220, simulated: false });
  assert.deepEqual(pullOf(simulated.result).backoff, { waits: 3, ms: 220, simulated: true });
  assert.ok(real.wallMs >= 220, `real time: ${real.wallMs} ms`);
  assert.equal(real.calls, simulated.calls);
  assert.deepEqual(
    { ...real.result.task, createdAt: 0, startedAt: 0, pullStartedAt: 0, pullStoppedAt: 0, stoppedAt: 0, stoppingAt: 0, executionStoppedAt: 0 },
    { ...simulated.result.task, createdAt: 0, startedAt: 0, pullStartedAt: 0, pullStoppedAt: 0, stoppedAt: 0, stoppingAt: 0, executionStoppedAt: 0 },
  );
  assert.deepEqual(
    real.result.trace.map((s) => [s.step, s.status, s.detail]),
    simulated.result.trace.map((s) => [s.step, s.status, s.detail]),
  );
  assert.deepEqual(real.result.diagnosis, simulated.result.diagnosis);
});
