// The Dockerfile builds here and the image serves: a base image made from this machine's own Node (no Docker Hub
// here: `docker import` of node + the libraries ldd lists + /bin/sh), a build context holding the working tree and
// the production node_modules (NPM_INSTALL=0), `docker build --network host`, then `docker run --network host` on a
// free loopback port, a real SDK CreateSecret/GetSecretValue, and the HEALTHCHECK turning healthy. The emulator
// image and container are removed; the base image is kept (cached) for the next run. About 30-60 s on 2 cores.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { PROJECT_ROOT } from "../../agent-sim/adapters/engine/index.ts";
import { findFreePort } from "../../registry-fixture/probe.ts";
import { BASE_IMAGE, ensureBaseImage } from "../support/base-image.ts";

const run = promisify(execFile);
const id = randomBytes(4).toString("hex");
const IMAGE = `ecs-pull/emulator:test-${id}`;
const CONTAINER = `ecs-pull-emulator-test-${id}`;
const CANARY = "image-canary-5d0c";
const docker = (args: string[], timeout = 300_000) => run("docker", args, { cwd: PROJECT_ROOT, timeout, maxBuffer: 64 * 1024 * 1024 });

/** The working tree as `docker build .` would see it, minus .dockerignore's entries, plus production node_modules. */
async function buildContext(work: string): Promise<string> {
  const ctx = join(work, "context");
  const ignored = readFileSync(join(PROJECT_ROOT, ".dockerignore"), "utf8").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  const { stdout } = await run("git", ["ls-files", "-co", "--exclude-standard"], { cwd: PROJECT_ROOT, maxBuffer: 16 * 1024 * 1024 });
  for (const file of stdout.split("\n").filter(Boolean)) {
    const top = file.split("/")[0]!;
    if (ignored.includes(top) || ignored.includes(file) || !existsSync(join(PROJECT_ROOT, file))) continue;
    mkdirSync(dirname(join(ctx, file)), { recursive: true });
    copyFileSync(join(PROJECT_ROOT, file), join(ctx, file));
  }
  const { stdout: deps } = await run("npm", ["ls", "--omit=dev", "--all", "--parseable"], { cwd: PROJECT_ROOT, maxBuffer: 16 * 1024 * 1024 }).catch((e) => e);
  for (const dir of String(deps).split("\n").filter((d) => d.startsWith(join(PROJECT_ROOT, "node_modules")))) {
    cpSync(dir, join(ctx, dir.slice(PROJECT_ROOT.length)), { recursive: true });
  }
  writeFileSync(join(ctx, ".dockerignore"), "# this test's context: node_modules is wanted (NPM_INSTALL=0)\n");
  return ctx;
}

describe("the emulator image (Dockerfile)", { timeout: 600_000 }, () => {
  let work: string;
  let port: number;
  before(async () => {
    work = mkdtempSync(join(PROJECT_ROOT, ".runtime", "image-test-"));
  });
  after(async () => {
    await docker(["rm", "-f", CONTAINER]).catch(() => undefined);
    await docker(["rmi", "-f", IMAGE]).catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  });

  it("builds from a local base with --network host", async () => {
    await ensureBaseImage();
    const ctx = await buildContext(work);
    await docker(["build", "--network", "host", "--build-arg", `BASE=${BASE_IMAGE}`, "--build-arg", "NPM_INSTALL=0", "-t", IMAGE, ctx]);
    const { stdout } = await docker(["image", "inspect", IMAGE, "--format", "{{json .Config.Healthcheck.Test}}"]);
    assert.match(stdout, /_ecs-pull\/health/);
  });

  it("runs with --network host on a free loopback port and answers the real SDK", async () => {
    port = await findFreePort();
    await docker(["run", "-d", "--name", CONTAINER, "--network", "host", "-e", "ECS_PULL_HOST=127.0.0.1", "-e", `ECS_PULL_PORT=${port}`, IMAGE]);
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const ok = await fetch(`${url}/_ecs-pull/health`).then((r) => r.ok, () => false);
      if (ok) break;
      if (Date.now() > deadline) {
        const logs = await docker(["logs", CONTAINER]).then((r) => r.stdout + r.stderr, () => "");
        assert.fail(`the emulator container did not answer on ${url} within 60 s; its log:\n${logs}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const sm = new SecretsManagerClient({ endpoint: url, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    try {
      const created = await sm.send(new CreateSecretCommand({ Name: "image/creds", SecretString: JSON.stringify({ username: "u", password: CANARY }) }));
      assert.match(created.ARN!, /^arn:aws:secretsmanager:us-east-1:000000000000:secret:image\/creds-/);
      const got = await sm.send(new GetSecretValueCommand({ SecretId: "image/creds" }));
      assert.equal(JSON.parse(got.SecretString!).password, CANARY);
    } finally {
      sm.destroy();
    }
  });

  it("the HEALTHCHECK turns healthy", async () => {
    const deadline = Date.now() + 60_000;
    let status = "";
    while (Date.now() < deadline) {
      status = (await docker(["inspect", CONTAINER, "--format", "{{.State.Health.Status}}"])).stdout.trim();
      if (status === "healthy") break;
      await new Promise((r) => setTimeout(r, 1_000));
    }
    assert.equal(status, "healthy");
    const { stdout } = await docker(["logs", CONTAINER]);
    assert.ok(!stdout.includes(CANARY));
  });
});
