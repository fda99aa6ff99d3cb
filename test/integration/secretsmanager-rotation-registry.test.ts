// The built-in registry rotation against the real registry fixture (native distribution registry, htpasswd auth):
// with the registry wired in, RotateSecret changes the password in the secret AND in the registry (the old one is
// refused, the new one accepted); without it, only in the secret — the registry still wants the old one.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CreateSecretCommand, GetSecretValueCommand, RotateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { type StartedEmulator, startEmulator } from "../../emulator/index.ts";
import { registryRotationFunction } from "../../emulator/services/secretsmanager/registry-rotation.ts";
import { RegistryFixture, type StartedRegistry } from "../../registry-fixture/index.ts";
import { findRegistryBinary } from "../../registry-fixture/native.ts";

const skip = findRegistryBinary() ? false : "no registry binary (apt-get install docker-registry)";
const PROPAGATED = "arn:aws:lambda:us-east-1:000000000000:function:rotate";
const STALE = "arn:aws:lambda:us-east-1:000000000000:function:rotate-stale";

describe("built-in registry rotation with the real registry", { skip }, () => {
  let registry: StartedRegistry;
  let emulator: StartedEmulator;
  let sm: SecretsManagerClient;

  before(async () => {
    registry = await new RegistryFixture().withUser("alice", "first-password").withUser("bob", "bob-password").withBcryptCost(4).withMode("native").withLogLevel("error").start();
    emulator = await startEmulator({
      port: 0,
      rotationFunctions: new Map([
        [PROPAGATED, registryRotationFunction({ setPassword: (u, p) => registry.setPassword(u, p) })],
        [STALE, registryRotationFunction()],
      ]),
    });
    sm = new SecretsManagerClient({ endpoint: emulator.url, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  });

  after(async () => {
    sm.destroy();
    await emulator.close();
    await registry.stop();
  });

  /** The registry's answer to `GET /v2/` with these credentials (200 accepted, 401 refused). */
  const login = async (username: string, password: string) =>
    (await fetch(`${registry.url}/v2/`, { headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}` } })).status;
  const current = async (name: string) => JSON.parse((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString!) as { username: string; password: string };

  it("propagated: the registry accepts the new password and refuses the old", async () => {
    await sm.send(new CreateSecretCommand({ Name: "reg/alice", SecretString: JSON.stringify({ username: "alice", password: "first-password" }) }));
    assert.equal(await login("alice", "first-password"), 200);
    await sm.send(new RotateSecretCommand({ SecretId: "reg/alice", RotationLambdaARN: PROPAGATED, RotationRules: { AutomaticallyAfterDays: 7 } }));
    const { password } = await current("reg/alice");
    assert.notEqual(password, "first-password");
    assert.equal(await login("alice", password), 200);
    assert.equal(await login("alice", "first-password"), 401);
    assert.equal(await login("bob", "bob-password"), 200, "other users keep their passwords");
  });

  it("not propagated: the secret has a new password the registry refuses", async () => {
    await sm.send(new CreateSecretCommand({ Name: "reg/bob", SecretString: JSON.stringify({ username: "bob", password: "bob-password" }) }));
    await sm.send(new RotateSecretCommand({ SecretId: "reg/bob", RotationLambdaARN: STALE, RotationRules: { AutomaticallyAfterDays: 7 } }));
    const { password } = await current("reg/bob");
    assert.equal(await login("bob", password), 401);
    assert.equal(await login("bob", "bob-password"), 200);
  });
});
