// The agent's pull time limits with fake ports: ECS_IMAGE_PULL_INACTIVITY_TIMEOUT (one quiet attempt → `context
// canceled`, retried as any pull error) and ECS_IMAGE_PULL_TIMEOUT (one limit across all attempts and the waits
// between them → `DockerTimeoutError: Could not transition to pulled; timed out after waiting <Go duration>`);
// Go durations as the agent's config reads them.
import { ecsAgentProfile } from "../../agent-sim/profile/agent-profile.ts";
import assert from "node:assert/strict";
import { test } from "node:test";
import { agentRetryPolicies, fastRetryPolicies, runTask, resolveLaunchContext } from "../../agent-sim/index.ts";
import type { ImageEngine, PullProgress, RegistryAuth } from "../../agent-sim/index.ts";
import { goDuration, parseGoDuration } from "../../agent-sim/steps/pull-timeouts.ts";
import { pullContainerImage } from "../../agent-sim/steps/pull.ts";
import { PULL, PULL_TIMEOUT } from "../../agent-sim/texts/agent.ts";
import { FakeClock, FakeEngine, FakeSecretsManager, SECRET_ARN, engineError, privateContainer, taskDef } from "./agent-fakes.ts";

const IMAGE = "r.example.com/app:1";
const GOOD = { SecretString: JSON.stringify({ username: "alice", password: "timeouts-canary-pw" }) };

/** An engine whose pulls send one progress line, then stay quiet until `quietMs` (then succeed) — or forever. */
class QuietEngine implements ImageEngine {
  pulls = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  constructor(private readonly quietMs = Infinity) {}
  async inspectDistribution(_image: string, _auth: RegistryAuth | undefined) {}
  async tagImage(_source: string, _target: string) {}
  async hasImage(_image: string) {
    return false;
  }
  async createContainer(image: string) {
    throw engineError(`Error response from daemon: No such image: ${image}`, 404);
  }
  pullImage(_image: string, _auth: RegistryAuth | undefined, onProgress?: (p: PullProgress) => void): Promise<void> {
    this.pulls++;
    onProgress?.({ id: "abc123", status: "Pulling fs layer" });
    if (this.quietMs === Infinity) return new Promise<void>(() => undefined);
    return new Promise<void>((resolve) => {
      const t = setTimeout(() => (this.timers.delete(t), resolve()), this.quietMs);
      this.timers.add(t);
    });
  }
  stop() {
    for (const t of this.timers) clearTimeout(t);
  }
}

function launch(engine: ImageEngine, options: Parameters<typeof runTask>[0]["options"] = {}) {
  return runTask({
    taskDefinition: taskDef([privateContainer()]),
    launch: resolveLaunchContext({ agentVersion: "1.19.0" }),
    ports: { secretsManager: new FakeSecretsManager({ [SECRET_ARN]: GOOD }), engine, clock: new FakeClock() },
    options: { ...fastRetryPolicies, ...options },
  });
}

test("Go durations: parse as the agent's config does, print as time.Duration.String()", () => {
  assert.equal(parseGoDuration("90s"), 90_000);
  assert.equal(parseGoDuration("2m"), 120_000);
  assert.equal(parseGoDuration("1h30m"), 5_400_000);
  assert.equal(parseGoDuration("1.5s"), 1500);
  assert.equal(parseGoDuration("500ms"), 500);
  assert.equal(parseGoDuration("0"), 0);
  for (const bad of ["", "90", "2 m", "1d", "-1s", "s", "1m x"]) assert.throws(() => parseGoDuration(bad), RangeError, bad);
  assert.deepEqual([goDuration(7_200_000), goDuration(90_000), goDuration(1500), goDuration(200)], ["2h0m0s", "1m30s", "1.5s", "200ms"]);
});

test("inactivity: every quiet attempt ends with `context canceled`, retried 5 times, then STOPPED (pull-slow)", async () => {
  const engine = new QuietEngine();
  const started = Date.now();
  const r = await launch(engine, { timerOverrides: { inactivityMs: 30 } });
  assert.ok(Date.now() - started < 5000);
  assert.equal(engine.pulls, 5);
  assert.equal(r.result, "STOPPED");
  assert.equal(r.task?.stoppedReason, PULL.named(PULL.cannotPullContainer, PULL_TIMEOUT.contextCanceled));
  assert.equal(r.diagnosis?.failureCode, "pull-slow");
});

test("inactivity: progress within the limit keeps the attempt alive; an override of 0 disables the timer", async () => {
  const engine = new QuietEngine(40);
  const r = await launch(engine, { timerOverrides: { inactivityMs: 500 } });
  assert.equal(r.result, "RUNNING");
  assert.equal(engine.pulls, 1);
  const slow = new QuietEngine(80);
  assert.equal((await launch(slow, { timerOverrides: { inactivityMs: 0 } })).result, "RUNNING");
});

test("pull timeout: one limit across attempts ends an attempt in flight with DockerTimeoutError", async () => {
  const engine = new QuietEngine();
  const started = Date.now();
  const r = await launch(engine, { timerOverrides: { inactivityMs: 0 }, pullTimeoutMs: 50 });
  assert.ok(Date.now() - started < 5000);
  assert.equal(engine.pulls, 1);
  assert.equal(r.result, "STOPPED");
  assert.equal(r.exitCode, 6);
  const reason = `${PULL_TIMEOUT.dockerTimeoutError}: ${PULL_TIMEOUT.transitionTimedOut("50ms")}`;
  assert.equal(reason, "DockerTimeoutError: Could not transition to pulled; timed out after waiting 50ms");
  assert.equal(r.task?.stoppedReason, reason);
  assert.equal(r.task?.containers[0]?.reason, reason);
  assert.equal(r.diagnosis?.failureCode, "pull-slow");
});

test("pull timeout: the waits between attempts count too (agent backoff 1.1 s, 2.2 s, … against 3s)", async () => {
  const clock = new FakeClock();
  const engine = new FakeEngine({ [IMAGE]: [engineError("Error response from daemon: received unexpected HTTP status: 503 Service Unavailable")] });
  const r = await pullContainerImage({
    container: "app", image: IMAGE, auth: undefined, profile: ecsAgentProfile("1.19.0"), policies: agentRetryPolicies, engine, clock, random: () => 0.5, pullTimeoutMs: 3000,
  });
  assert.ok(!r.ok);
  assert.equal(engine.calls.length, 2);
  assert.deepEqual(clock.sleeps, [1100, 1900]);
  assert.equal(r.errorName, "DockerTimeoutError");
  assert.equal(r.reason, "DockerTimeoutError: Could not transition to pulled; timed out after waiting 3s");
});

test("pull timeout: not reached → the last attempt's error (RetryNWithBackoffCtx); the manifest check is outside the limit", async () => {
  const clock = new FakeClock();
  const engine = new FakeEngine({ [IMAGE]: [engineError("first"), engineError("second")] }, { [IMAGE]: [engineError("m1"), null] });
  const r = await pullContainerImage({ container: "app", image: IMAGE, auth: undefined, profile: ecsAgentProfile("1.83.0"), policies: fastRetryPolicies, engine, clock, pullTimeoutMs: 7_200_000 });
  assert.ok(!r.ok && r.reason === "CannotPullContainerError: second");
  assert.equal(r.attempts.pull, 5);
  await assert.rejects(launch(new FakeEngine(), { pullTimeoutMs: 0 }), RangeError);
  await assert.rejects(launch(new FakeEngine(), { pullInactivityTimeoutMs: -1 }), RangeError);
});
