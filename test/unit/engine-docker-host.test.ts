// Finding the Docker engine like scripts/env.sh (agent-sim/adapters/engine/docker-host.ts): order, .runtime/env parsing,
// and the EnvironmentError when nothing answers.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  connectDocker,
  dockerHostCandidates,
  dockerodeOptions,
  readRuntimeEnv,
  SYSTEM_DOCKER_SOCKET,
} from "../../agent-sim/adapters/engine/index.ts";
import { EnvironmentError } from "../../agent-sim/ports.ts";

const root = mkdtempSync(join(tmpdir(), "ecs-pull-docker-host-"));
const emptyRoot = mkdtempSync(join(tmpdir(), "ecs-pull-docker-host-empty-"));
mkdirSync(join(root, ".runtime"));
writeFileSync(
  join(root, ".runtime/env"),
  "DOCKER_HOST=unix:///tmp/ecs-pull-test-nothing/docker.sock\nECS_PULL_REGISTRY_MODE='native'\nECS_PULL_AWS_CLI=/usr/bin/aws\n",
);
after(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(emptyRoot, { recursive: true, force: true });
});
const systemSocket = existsSync(SYSTEM_DOCKER_SOCKET) ? [`unix://${SYSTEM_DOCKER_SOCKET}`] : [];

describe("docker host resolution", () => {
  it("reads .runtime/env KEY=value lines, quotes removed", () => {
    assert.deepEqual(readRuntimeEnv(root), {
      DOCKER_HOST: "unix:///tmp/ecs-pull-test-nothing/docker.sock",
      ECS_PULL_REGISTRY_MODE: "native",
      ECS_PULL_AWS_CLI: "/usr/bin/aws",
    });
    assert.deepEqual(readRuntimeEnv(emptyRoot), {});
  });

  it("tries DOCKER_HOST, then the system socket, then .runtime/env, without duplicates", () => {
    const hosts = dockerHostCandidates({ DOCKER_HOST: "tcp://127.0.0.1:1" }, root).map((c) => c.dockerHost);
    assert.deepEqual(hosts, ["tcp://127.0.0.1:1", ...systemSocket, "unix:///tmp/ecs-pull-test-nothing/docker.sock"]);
    const same = dockerHostCandidates({ DOCKER_HOST: "unix:///tmp/ecs-pull-test-nothing/docker.sock" }, root);
    assert.equal(same.filter((c) => c.dockerHost === "unix:///tmp/ecs-pull-test-nothing/docker.sock").length, 1);
  });

  it("maps unix:// and tcp:// to dockerode options; other forms are not spoken", () => {
    assert.deepEqual(dockerodeOptions("unix:///a/b.sock"), { socketPath: "/a/b.sock" });
    assert.deepEqual(dockerodeOptions("tcp://127.0.0.1:2375"), { host: "127.0.0.1", port: 2375, protocol: "http" });
    assert.equal(dockerodeOptions("npipe:////./pipe/docker_engine"), undefined);
  });

  it("nothing answers → EnvironmentError naming every place tried and the fix", { skip: systemSocket.length > 0 && "a system Docker socket exists" }, async () => {
    await assert.rejects(
      connectDocker({ env: { DOCKER_HOST: "unix:///tmp/ecs-pull-test-none.sock" }, projectRoot: root, pingTimeoutMs: 500 }),
      (error: unknown) =>
        error instanceof EnvironmentError &&
        error.message ===
          "No Docker engine answered at unix:///tmp/ecs-pull-test-none.sock, unix:///tmp/ecs-pull-test-nothing/docker.sock: " +
            "run `npm run env:up` or set DOCKER_HOST",
    );
  });
});
