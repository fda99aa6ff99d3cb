// Registry faults through the fault proxy, seen by the real Docker engine (20.10) and the real registry: each ends
// within its bound with the daemon's own text, and the agent pipeline turns the slow one into the agent's timeout.
// Observed: 429 → `toomanyrequests: <Hub message>`; 503 on the manifest → `received unexpected HTTP status: 503
// Service Unavailable`; connection dropped → `Head "<url>": EOF`; refused → `Get "<url>/v2/": dial tcp …: connection
// refused`; a 404 layer → `unknown blob` (stream error, not retried); a layer cut once → the daemon retries
// ("Retrying in 5 seconds") with a Range request and succeeds.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { connectDocker, createDockerEngine, type DockerEngine } from "../../agent-sim/adapters/engine/index.ts";
import { withPullTimeouts } from "../../agent-sim/steps/pull-timeouts.ts";
import { fastRetryPolicies, runTask, resolveLaunchContext } from "../../agent-sim/index.ts";
import { DAEMON_ERROR_PREFIX } from "../../agent-sim/texts/go-client.ts";
import { DOCKER, PULL, PULL_TIMEOUT } from "../../agent-sim/texts/agent.ts";
import { RegistryFixture, type PushedImage, type StartedRegistry } from "../../registry-fixture/index.ts";
import { findRegistryBinary } from "../../registry-fixture/native.ts";
import { FaultProxy, faults, type FaultRule } from "../../registry-fixture/fault-proxy.ts";
import { DOCKER_HUB_RATE_LIMIT_MESSAGE } from "../../registry-fixture/fault-bodies.ts";
import { FakeClock, FakeSecretsManager, ROLE_ARN } from "../unit/agent-fakes.ts";

const skip = findRegistryBinary() ? false : "no docker-registry binary (apt-get install docker-registry)";
const AUTH = { username: "alice", password: "alice-fault-pw" };
const SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:registry-AbCdEf";

describe("registry faults, pulled by the real Docker engine", { skip, timeout: 120_000 }, () => {
  let registry: StartedRegistry;
  let engine: DockerEngine;
  let image: PushedImage;
  const proxies: FaultProxy[] = [];

  before(async () => {
    engine = createDockerEngine(await connectDocker());
    registry = await new RegistryFixture().withUser(AUTH.username, AUTH.password).start();
    image = await registry.pushImage({ repository: "team/faults", tag: "v1", layers: 2, layerSize: 64 * 1024, seed: `faults-${process.pid}` });
  });
  after(async () => {
    for (const proxy of proxies) {
      await proxy.stop();
      // Pulled images would outlive the registry they came from.
      await engine?.removeImage(proxy.imageReference("team/faults", "v1")).catch(() => undefined);
    }
    await registry?.stop();
  });

  async function through(rules: FaultRule[], refuseConnections = false): Promise<{ proxy: FaultProxy; ref: string }> {
    const proxy = await FaultProxy.start({ target: registry.url, faults: rules, refuseConnections });
    proxies.push(proxy);
    const ref = proxy.imageReference("team/faults", "v1");
    await engine.removeImage(ref);
    return { proxy, ref };
  }

  /** The engine's error for one pull (and for the manifest check when `inspect`), within `boundMs`. */
  async function failure(run: () => Promise<unknown>, boundMs: number): Promise<string> {
    const started = Date.now();
    const error = await run().then(() => assert.fail("expected the pull to fail"), (e: unknown) => e as Error);
    assert.ok(Date.now() - started < boundMs, `took ${Date.now() - started} ms`);
    return error.message;
  }

  it("429: the daemon reports Docker Hub's toomanyrequests text, manifest check and pull alike", async () => {
    const { ref } = await through([faults.rateLimited()]);
    const expected = `${DAEMON_ERROR_PREFIX}toomanyrequests: ${DOCKER_HUB_RATE_LIMIT_MESSAGE}`;
    assert.equal(await failure(() => engine.inspectDistribution(ref, AUTH), 5000), expected);
    assert.equal(await failure(() => engine.pullImage(ref, AUTH), 5000), expected);
    assert.ok(expected.includes(DOCKER.tooManyRequests));
  });

  it("503 on the manifest: received unexpected HTTP status", async () => {
    const { ref } = await through([faults.status(503, "down for maintenance", { path: /manifests/ })]);
    assert.equal(await failure(() => engine.pullImage(ref, AUTH), 5000), DAEMON_ERROR_PREFIX + DOCKER.unexpectedHttpStatus("503 Service Unavailable"));
  });

  it("connection dropped without an answer: EOF; listener closed: connection refused", async () => {
    const dropped = await through([faults.destroy({ path: /manifests/ })]);
    assert.equal(
      await failure(() => engine.pullImage(dropped.ref, AUTH), 5000),
      DAEMON_ERROR_PREFIX + DOCKER.connectionEof("Head", `${dropped.proxy.url}/v2/team/faults/manifests/v1`),
    );
    const refused = await through([], true);
    assert.equal(
      await failure(() => engine.pullImage(refused.ref, AUTH), 5000),
      DAEMON_ERROR_PREFIX + DOCKER.dialRefused(`${refused.proxy.url}/v2/`, refused.proxy.address),
    );
  });

  it("a dropped layer (404 BLOB_UNKNOWN): the stream's `unknown blob`, not retried by the daemon", async () => {
    const layer = image.manifest.layers[1]!.digest;
    const { proxy, ref } = await through([faults.dropBlob(layer)]);
    assert.equal(await failure(() => engine.pullImage(ref, AUTH), 5000), DOCKER.unknownBlob);
    assert.ok((proxy.stats().rules[0]?.applied ?? 0) >= 1);
  });

  it("a layer cut mid-transfer once: the daemon retries after 5 s with a Range request and the pull succeeds", async () => {
    const layer = image.manifest.layers[0]!.digest;
    const { proxy, ref } = await through([faults.resetBlob(layer, 4096, 1)]);
    const statuses: string[] = [];
    const started = Date.now();
    try {
      await engine.pullImage(ref, AUTH, (p) => statuses.push(p.status));
      assert.ok(Date.now() - started < 15_000);
      // The daemon counts down from 5 s once a second; which of its lines reach the stream depends on timing.
      const countdown = [5, 4, 3, 2, 1].map((n) => DOCKER.retryingIn(n));
      assert.ok(statuses.some((s) => countdown.includes(s)), statuses.join(" | "));
      assert.ok(await engine.hasImage(ref));
      const blobGets = proxy.stats().log.filter((l) => l.path.endsWith(layer));
      assert.deepEqual(blobGets.map((l) => l.status), [200, 206]);
    } finally {
      // Its layers must not stay behind: the next test pulls the same layers and must really download them.
      await engine.removeImage(ref);
    }
  });

  it("slow registry: the agent's inactivity timeout ends each pull attempt; the task stops with `context canceled`", async () => {
    const layer = image.manifest.layers[0]!.digest;
    const { proxy, ref } = await through([faults.slowBody(1024, 10_000, { path: layer })]);
    const started = Date.now();
    const result = await runTask({
      taskDefinition: {
        family: "slow",
        executionRoleArn: ROLE_ARN,
        containerDefinitions: [{ name: "app", image: ref, essential: true, repositoryCredentials: { credentialsParameter: SECRET } }],
      },
      launch: resolveLaunchContext({ agentVersion: "1.19.0" }),
      ports: {
        secretsManager: new FakeSecretsManager({ [SECRET]: { SecretString: JSON.stringify(AUTH) } }),
        engine: withPullTimeouts(engine, { inactivityMs: 800 }),
        clock: new FakeClock(),
      },
      options: fastRetryPolicies,
    });
    const took = Date.now() - started;
    assert.ok(took < 20_000, `took ${took} ms`);
    assert.equal(result.result, "STOPPED");
    assert.equal(result.task?.stoppedReason, PULL.named(PULL.cannotPullContainer, PULL_TIMEOUT.contextCanceled));
    assert.equal(result.diagnosis?.failureCode, "pull-slow");
    // The daemon is still pulling for the abandoned attempts (the ImageEngine port has no cancel): let the
    // registry recover and cut the trickle, so the daemon's own retry (after 5 s) finishes and the streams end.
    proxy.setFaults([]);
    proxy.dropConnections();
    await engine.pullImage(ref, AUTH);
    await engine.removeImage(ref);
  });
});
