// docker-compose.yml is accepted by `docker-compose config` (Debian's docker-compose v1), publishes every port on
// 127.0.0.1 only, builds the emulator from ./Dockerfile and mounts the registry files where `ecs-pull
// registry-files` writes them, with the paths its config.yml names. The files themselves: bcrypt htpasswd that
// accepts the password, no password in the command's output, a bad --user is a usage error; with --native, Debian's
// docker-registry binary starts with them and serves an authenticated /v2/.
import assert from "node:assert/strict";
import { execFile, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { promisify } from "node:util";
import bcrypt from "bcryptjs";
import { parse } from "yaml";
import { PROJECT_ROOT } from "../../agent-sim/adapters/engine/index.ts";
import { findRegistryBinary } from "../../registry-fixture/native.ts";
import { findFreePort, waitForRegistry } from "../../registry-fixture/probe.ts";
import { pushImage } from "../../registry-fixture/seed.ts";
import { COMPOSE_REGISTRY_PATHS, DEFAULT_REGISTRY_FILES_DIR } from "../../stack/compose-files.ts";
import { runCli } from "../support/cli.ts";

const run = promisify(execFile);
const hasCompose = spawnSync("docker-compose", ["version", "--short"]).status === 0;
const PASSWORD = "compose-canary-pw:with-colon";

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  ports?: Array<string | { host_ip?: string; published?: number | string; target: number }>;
  volumes?: string[];
  environment?: Record<string, string>;
  network_mode?: string;
}

describe("docker-compose.yml", { skip: hasCompose ? false : "docker-compose is not installed (scripts/env.sh up installs it on Debian as root)" }, () => {
  let services: Record<string, ComposeService>;

  it("docker-compose config accepts it", async () => {
    const { stdout } = await run("docker-compose", ["-f", "docker-compose.yml", "config"], { cwd: PROJECT_ROOT, timeout: 60_000 });
    services = (parse(stdout) as { services: Record<string, ComposeService> }).services;
    assert.deepEqual(Object.keys(services).sort(), ["emulator", "localstack", "registry"]);
  });

  it("publishes every port on 127.0.0.1 only (or uses the host network)", () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.network_mode === "host") continue;
      assert.ok(service.ports && service.ports.length > 0, `${name} publishes no port`);
      for (const port of service.ports) {
        const hostIp = typeof port === "string" ? port.split(":")[0] : port.host_ip;
        assert.equal(hostIp, "127.0.0.1", `${name}: ${JSON.stringify(port)}`);
      }
    }
  });

  it("registry:2 with the files of `ecs-pull registry-files`; LocalStack with the pull's services; the emulator from ./Dockerfile", () => {
    assert.equal(services["registry"]!.image, "registry:2");
    const mounts = services["registry"]!.volumes!.map((v) => v.split(":").slice(0, 2));
    assert.deepEqual(mounts.find(([, to]) => to === COMPOSE_REGISTRY_PATHS.config), [join(PROJECT_ROOT, DEFAULT_REGISTRY_FILES_DIR, "config.yml"), COMPOSE_REGISTRY_PATHS.config]);
    assert.deepEqual(mounts.find(([, to]) => to === COMPOSE_REGISTRY_PATHS.htpasswd), [join(PROJECT_ROOT, DEFAULT_REGISTRY_FILES_DIR, "htpasswd"), COMPOSE_REGISTRY_PATHS.htpasswd]);
    assert.match(services["localstack"]!.image!, /^localstack\/localstack/);
    for (const service of ["secretsmanager", "iam", "sts", "kms"]) assert.ok(services["localstack"]!.environment!["SERVICES"]!.split(",").includes(service));
    assert.equal(services["emulator"]!.build!.context.replace(/\/$/, ""), PROJECT_ROOT.replace(/\/$/, ""));
    assert.equal(services["emulator"]!.build!.dockerfile, "Dockerfile");
  });
});

describe("ecs-pull registry-files", { timeout: 60_000 }, () => {
  const out = mkdtempSync(join(tmpdir(), "ecs-pull-registry-files-"));
  after(() => rmSync(out, { recursive: true, force: true }));

  it("writes a bcrypt htpasswd and a config.yml naming the compose mount paths; never prints the password", async () => {
    const { code, stdout, stderr } = await runCli(["registry-files", "--user", `alice:${PASSWORD}`, "--user", "bob:pw2", "--out", out]);
    assert.equal(code, 0, stderr);
    assert.ok(!(stdout + stderr).includes(PASSWORD));
    assert.match(stdout, /users: alice, bob/);
    const lines = readFileSync(join(out, "htpasswd"), "utf8").trim().split("\n");
    assert.equal(lines.length, 2);
    const [user, hash] = [lines[0]!.slice(0, lines[0]!.indexOf(":")), lines[0]!.slice(lines[0]!.indexOf(":") + 1)];
    assert.equal(user, "alice");
    assert.ok(await bcrypt.compare(PASSWORD, hash));
    const config = parse(readFileSync(join(out, "config.yml"), "utf8"));
    assert.equal(config.auth.htpasswd.path, COMPOSE_REGISTRY_PATHS.htpasswd);
    assert.equal(config.http.addr, COMPOSE_REGISTRY_PATHS.addr);
    assert.equal(config.storage.filesystem.rootdirectory, COMPOSE_REGISTRY_PATHS.storage);
  });

  it("--native: Debian's docker-registry starts with the files and serves an authenticated /v2/ and a push", { skip: findRegistryBinary() ? false : "no docker-registry binary" }, async () => {
    const dir = join(out, "native");
    const port = await findFreePort();
    const { code, stdout, stderr } = await runCli(["registry-files", "--native", "--port", String(port), "--user", `alice:${PASSWORD}`, "--out", dir]);
    assert.equal(code, 0, stderr);
    assert.ok(!(stdout + stderr).includes(PASSWORD));
    assert.match(stdout, new RegExp(`run it: docker-registry serve ${join(dir, "config.yml")}`));
    const config = parse(readFileSync(join(dir, "config.yml"), "utf8"));
    assert.equal(config.auth.htpasswd.path, join(dir, "htpasswd"));
    assert.equal(config.storage.filesystem.rootdirectory, join(dir, "data"));
    assert.equal(config.http.addr, `127.0.0.1:${port}`);
    const registry = spawn(findRegistryBinary()!, ["serve", join(dir, "config.yml")], { stdio: "ignore" });
    try {
      const url = `http://127.0.0.1:${port}`;
      assert.equal(await waitForRegistry({ url, expectStatus: 401, timeoutMs: 15_000 }), undefined);
      const basic = (pw: string) => ({ authorization: `Basic ${Buffer.from(`alice:${pw}`).toString("base64")}` });
      assert.equal((await fetch(`${url}/v2/`, { headers: basic(PASSWORD) })).status, 200);
      assert.equal((await fetch(`${url}/v2/`, { headers: basic("wrong") })).status, 401);
      const image = await pushImage({ registryUrl: url, auth: { username: "alice", password: PASSWORD }, repository: "team/app", tag: "v1", layers: 1, layerSize: 256 });
      assert.equal(image.reference, `127.0.0.1:${port}/team/app:v1`);
      assert.ok(readdirSync(join(dir, "data"), { recursive: true }).some((f) => String(f).endsWith("team/app/_manifests/tags/v1/current/link")));
    } finally {
      registry.kill("SIGKILL");
    }
  });

  it("--port without --native is a usage error", async () => {
    const { code, stderr } = await runCli(["registry-files", "--user", "alice:pw", "--port", "5001", "--out", out]);
    assert.equal(code, 2);
    assert.match(stderr, /--port goes with --native/);
  });

  it("a --user without a password is a usage error (exit 2), and does not echo what follows a colon", async () => {
    const { code, stderr } = await runCli(["registry-files", "--user", "alice", "--out", out]);
    assert.equal(code, 2);
    assert.match(stderr, /--user must be <name>:<password>, got "alice"/);
  });
});
