// registry-fixture/engine + mode choice: where "auto" looks for a Docker engine, and the env override.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SYSTEM_DOCKER_SOCKET, dockerodeOptions, engineHasImage, findDockerHost } from "../../registry-fixture/engine.ts";
import { findRegistryBinary } from "../../registry-fixture/native.ts";
import { RegistryFixture, REGISTRY_MODE_ENV } from "../../registry-fixture/index.ts";

describe("registry engine detection", () => {
  const dir = mkdtempSync(join(tmpdir(), "ecs-pull-engine-test-"));
  const envFile = join(dir, "env");
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("DOCKER_HOST wins", () => {
    assert.equal(findDockerHost({ DOCKER_HOST: "tcp://127.0.0.1:2375" }, envFile), "tcp://127.0.0.1:2375");
  });

  it("else the project's .runtime/env DOCKER_HOST line (when there is no system socket)", { skip: existsSync(SYSTEM_DOCKER_SOCKET) ? "this machine has the system socket" : false }, () => {
    writeFileSync(envFile, "ECS_PULL_REGISTRY_MODE=native\nDOCKER_HOST=unix:///run/ecs-pull-x/docker.sock\n");
    assert.equal(findDockerHost({}, envFile), "unix:///run/ecs-pull-x/docker.sock");
    writeFileSync(envFile, "export DOCKER_HOST='unix:///run/y.sock'\n");
    assert.equal(findDockerHost({}, envFile), "unix:///run/y.sock");
    rmSync(envFile);
    assert.equal(findDockerHost({}, envFile), undefined);
  });

  it("dockerode options for unix:// and tcp:// hosts; other forms are not handled", () => {
    assert.deepEqual(dockerodeOptions("unix:///run/d.sock"), { socketPath: "/run/d.sock", timeout: 2000 });
    assert.deepEqual(dockerodeOptions("tcp://127.0.0.1:2376"), { host: "127.0.0.1", port: 2376, protocol: "http", timeout: 2000 });
    assert.equal(dockerodeOptions("ssh://me@host"), undefined);
  });

  it("no engine at the address means no image, not an error", async () => {
    assert.equal(await engineHasImage(`unix://${join(dir, "absent.sock")}`, "registry:2"), false);
  });

  it("the registry binary can be named by ECS_PULL_REGISTRY_BIN", () => {
    assert.equal(findRegistryBinary({ ECS_PULL_REGISTRY_BIN: "/bin/sh" }), "/bin/sh");
    assert.equal(findRegistryBinary({ ECS_PULL_REGISTRY_BIN: join(dir, "nope") }), undefined);
    assert.equal(findRegistryBinary({ PATH: dir }), undefined);
  });

  it(`a bad ${REGISTRY_MODE_ENV} is a clear error`, async () => {
    const saved = process.env[REGISTRY_MODE_ENV];
    process.env[REGISTRY_MODE_ENV] = "docker";
    try {
      await assert.rejects(new RegistryFixture().withUser("a", "b").start(), {
        name: "RegistryStartError",
        message: `registry fixture: ${REGISTRY_MODE_ENV} must be auto, native or container, got "docker"`,
      });
    } finally {
      if (saved === undefined) delete process.env[REGISTRY_MODE_ENV];
      else process.env[REGISTRY_MODE_ENV] = saved;
    }
  });

  it("a bad withMode() is a clear error", () => {
    assert.throws(() => new RegistryFixture().withMode("podman" as "native"), {
      message: 'registry fixture: withMode() must be auto, native or container, got "podman"',
    });
  });
});
