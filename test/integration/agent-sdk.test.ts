// The production SecretsManagerPort (agent-sim/adapters/secrets-manager-sdk.ts) against the emulator: success, not found,
// region choice, a whole runTask through it, and an endpoint nobody listens on (EnvironmentError).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { type StartedEmulator, startEmulator } from "../../emulator/index.ts";
import { EnvironmentError, SecretsManagerCallError, createSecretsManagerSdkPort, fastRetryPolicies, runTask, resolveLaunchContext } from "../../agent-sim/index.ts";
import { FakeClock, FakeEngine } from "../unit/agent-fakes.ts";

const credentials = { accessKeyId: "test", secretAccessKey: "test" };
const CANARY = "canary-integration-7c1d";
let emulator: StartedEmulator;
let usArn: string;
let euArn: string;

async function create(region: string, name: string, value: string): Promise<string> {
  const client = new SecretsManagerClient({ endpoint: emulator.url, region, credentials });
  try {
    const out = await client.send(new CreateSecretCommand({ Name: name, SecretString: value }));
    return out.ARN!;
  } finally {
    client.destroy();
  }
}

before(async () => {
  emulator = await startEmulator({ port: 0 });
  const value = JSON.stringify({ username: "alice", password: CANARY });
  usArn = await create("us-east-1", "agent/registry", value);
  euArn = await create("eu-west-1", "agent/eu-registry", value);
});

after(async () => {
  await emulator.close();
});

describe("SecretsManagerPort over the AWS SDK", () => {
  it("reads a secret by name in its region", async () => {
    const port = createSecretsManagerSdkPort({ endpoint: emulator.url, credentials });
    try {
      const out = await port.getSecretValue({ secretId: "agent/registry", region: "us-east-1" });
      assert.equal(JSON.parse(out?.SecretString ?? "{}").username, "alice");
    } finally {
      port.destroy();
    }
  });

  it("maps ResourceNotFoundException with status, request id and attempts", async () => {
    const port = createSecretsManagerSdkPort({ endpoint: emulator.url, credentials });
    try {
      const error = await port.getSecretValue({ secretId: "agent/typo", region: "us-east-1" }).then(
        () => assert.fail("expected a failure"),
        (e: unknown) => e,
      );
      assert.ok(error instanceof SecretsManagerCallError);
      assert.equal(error.failure.code, "ResourceNotFoundException");
      assert.equal(error.failure.message, "Secrets Manager can't find the specified secret.");
      assert.equal(error.failure.httpStatusCode, 400);
      assert.match(error.failure.requestId ?? "", /\S/);
      assert.equal(error.failure.attempts, 1);
      assert.equal(error.failure.kind, "service");
    } finally {
      port.destroy();
    }
  });

  it("a bare name is looked up in the given region only", async () => {
    const port = createSecretsManagerSdkPort({ endpoint: emulator.url, credentials });
    try {
      await assert.rejects(port.getSecretValue({ secretId: "agent/eu-registry", region: "us-east-1" }), SecretsManagerCallError);
      assert.ok(await port.getSecretValue({ secretId: "agent/eu-registry", region: "eu-west-1" }));
    } finally {
      port.destroy();
    }
  });

  it("runTask: the ARN's region is used, one call per distinct credentialsParameter, no password in the result", async () => {
    const port = createSecretsManagerSdkPort({ endpoint: emulator.url, credentials });
    const before = emulator.emulator.stats.count("GetSecretValue", { secretId: euArn, region: "eu-west-1" });
    try {
      const result = await runTask({
        taskDefinition: {
          family: "web",
          executionRoleArn: "arn:aws:iam::000000000000:role/ecsTaskExecutionRole",
          containerDefinitions: [
            { name: "a", image: "127.0.0.1:5000/a", repositoryCredentials: { credentialsParameter: euArn } },
            { name: "b", image: "127.0.0.1:5000/b", repositoryCredentials: { credentialsParameter: euArn } },
          ],
        },
        launch: resolveLaunchContext({ region: "us-east-1" }),
        ports: { secretsManager: port, engine: new FakeEngine(), clock: new FakeClock() },
        options: fastRetryPolicies,
      });
      assert.equal(result.result, "RUNNING");
      assert.equal(emulator.emulator.stats.count("GetSecretValue", { secretId: euArn, region: "eu-west-1" }) - before, 1);
      assert.ok(!JSON.stringify(result).includes(CANARY));
      assert.ok(usArn);
    } finally {
      port.destroy();
    }
  });

  it("runTask: a typo stops the task with the SDK v2 text", async () => {
    const port = createSecretsManagerSdkPort({ endpoint: emulator.url, credentials });
    try {
      const result = await runTask({
        taskDefinition: {
          family: "web",
          executionRoleArn: "arn:aws:iam::000000000000:role/ecsTaskExecutionRole",
          containerDefinitions: [{ name: "a", image: "127.0.0.1:5000/a", repositoryCredentials: { credentialsParameter: "agent/registyr" } }],
        },
        ports: { secretsManager: port, engine: new FakeEngine(), clock: new FakeClock() },
        options: fastRetryPolicies,
      });
      assert.equal(result.exitCode, 5);
      assert.match(
        result.task?.stoppedReason ?? "",
        /^Asm fetching secret from the service for agent\/registyr: operation error Secrets Manager: GetSecretValue, https response error StatusCode: 400, RequestID: \S+, ResourceNotFoundException: Secrets Manager can't find the specified secret\.$/,
      );
    } finally {
      port.destroy();
    }
  });

  it("an endpoint nobody listens on is an EnvironmentError", async () => {
    const closed = await startEmulator({ port: 0 });
    const url = closed.url;
    await closed.close();
    const port = createSecretsManagerSdkPort({ endpoint: url, credentials, maxAttempts: 1 });
    try {
      await assert.rejects(port.getSecretValue({ secretId: "x", region: "us-east-1" }), EnvironmentError);
    } finally {
      port.destroy();
    }
  });

  it("unreachable as the task's failure: a network SecretsManagerFailure", async () => {
    const closed = await startEmulator({ port: 0 });
    const url = closed.url;
    await closed.close();
    const port = createSecretsManagerSdkPort({ endpoint: url, credentials, unreachable: "task" });
    try {
      const error = await port.getSecretValue({ secretId: "x", region: "us-east-1" }).then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof SecretsManagerCallError);
      assert.equal(error.failure.kind, "network");
      assert.equal(error.failure.attempts, 3);
    } finally {
      port.destroy();
    }
  });

  it("no AWS credentials is an EnvironmentError with a clear message", async () => {
    const missing = async () => {
      throw Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" });
    };
    const port = createSecretsManagerSdkPort({ endpoint: emulator.url, credentials: missing });
    try {
      await assert.rejects(port.getSecretValue({ secretId: "agent/registry", region: "us-east-1" }), (e: unknown) => e instanceof EnvironmentError && /no AWS credentials found/.test(e.message));
    } finally {
      port.destroy();
    }
  });
});
