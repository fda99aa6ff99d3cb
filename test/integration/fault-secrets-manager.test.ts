// Secrets Manager faults: the fault proxy in front of the emulator, the real SDK port (3 attempts, a small
// per-attempt timeout instead of the agent's 5 s) in front of the proxy. Throttled twice then recovered on
// attempt 3 → the secret; throttled 3× → `exceeded maximum number of attempts, 3, `; InternalServiceError then
// recovery; unreachable → 3 timed-out attempts, each ended by the client's timeout, not by the proxy's cap.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { type StartedEmulator, startEmulator } from "../../emulator/index.ts";
import { SecretsManagerCallError, createSecretsManagerSdkPort } from "../../agent-sim/index.ts";
import { asmCallErrorText, toTaskReason } from "../../agent-sim/texts/sdk-error.ts";
import { FaultProxy, faults, type FaultRule } from "../../registry-fixture/fault-proxy.ts";
import { THROTTLING } from "../../registry-fixture/fault-bodies.ts";

const credentials = { accessKeyId: "test", secretAccessKey: "test" };
const REGION = "us-east-1";
const NAME = "faults/registry";
let emulator: StartedEmulator;
let arn: string;
const proxies: FaultProxy[] = [];

before(async () => {
  emulator = await startEmulator({ port: 0 });
  const client = new SecretsManagerClient({ endpoint: emulator.url, region: REGION, credentials });
  try {
    arn = (await client.send(new CreateSecretCommand({ Name: NAME, SecretString: JSON.stringify({ username: "u", password: "p" }) }))).ARN!;
  } finally {
    client.destroy();
  }
});
after(async () => {
  for (const proxy of proxies) await proxy.stop();
  await emulator?.close();
});

/** GetSecretValue through a proxy with `rules`: the secret, or the SecretsManagerCallError; and the time it took. */
async function call(rules: FaultRule[], requestTimeoutMs = 5000) {
  const proxy = await FaultProxy.start({ target: emulator.url, faults: rules });
  proxies.push(proxy);
  const port = createSecretsManagerSdkPort({ endpoint: proxy.url, credentials, requestTimeoutMs, unreachable: "task" });
  const started = Date.now();
  try {
    const value = await port.getSecretValue({ secretId: arn, region: REGION }).catch((e: unknown) => e);
    return { value, ms: Date.now() - started, proxy };
  } finally {
    port.destroy();
  }
}

describe("Secrets Manager faults through the real SDK", { timeout: 60_000 }, () => {
  it("throttled twice, recovered on attempt 3: the SDK retried and the call succeeds", async () => {
    const { value, ms, proxy } = await call([faults.awsThrottling(2)]);
    assert.ok(!(value instanceof Error), String(value));
    assert.equal(JSON.parse((value as { SecretString: string }).SecretString).username, "u");
    assert.deepEqual(proxy.stats().rules[0], { name: "throttling", matched: 3, applied: 2 });
    assert.ok(ms < 15_000, `took ${ms} ms`);
  });

  it("throttled 3×: ThrottlingException after 3 attempts; SDK v2 agents say `exceeded maximum number of attempts, 3, `", async () => {
    const { value, ms, proxy } = await call([faults.awsThrottling()]);
    assert.ok(value instanceof SecretsManagerCallError);
    const f = value.failure;
    assert.deepEqual([f.code, f.message, f.httpStatusCode, f.attempts, f.kind], [THROTTLING.type, THROTTLING.message, 400, 3, "service"]);
    assert.equal(proxy.stats().requests, 3);
    assert.ok(ms < 15_000, `took ${ms} ms`);
    const reason = toTaskReason(asmCallErrorText(arn, REGION, f, { kind: "ecs-agent", sdk: "v2" }));
    assert.equal(
      reason,
      `Asm fetching secret from the service for ${arn}: operation error Secrets Manager: GetSecretValue, exceeded maximum number of attempts, 3, https response error StatusCode: 400, RequestID: ${f.requestId}, api error ThrottlingException: Rate exceeded`,
    );
  });

  it("InternalServiceError (500) once, then the service answers: retried, succeeds", async () => {
    const { value, proxy } = await call([faults.awsInternalError(1)]);
    assert.ok(!(value instanceof Error), String(value));
    assert.equal(proxy.stats().rules[0]?.applied, 1);
  });

  it("unreachable: each of 3 attempts ends at the client's timeout (300 ms), well before the proxy's 10 s cap", async () => {
    const { value, ms, proxy } = await call([faults.awsUnreachable(10_000)], 300);
    assert.ok(value instanceof SecretsManagerCallError);
    assert.equal(value.failure.kind, "network");
    assert.equal(value.failure.code, "TimeoutError");
    assert.equal(proxy.stats().requests, 3);
    assert.ok(ms >= 900 && ms < 8000, `took ${ms} ms`);
    const reason = toTaskReason(asmCallErrorText(arn, REGION, value.failure, { kind: "ecs-agent", sdk: "v1" }));
    assert.equal(
      reason,
      `Asm fetching secret from the service for ${arn}: RequestError: send request failed caused by: Post "https://secretsmanager.${REGION}.amazonaws.com/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
    );
  });
});
