// `ecs-pull registry up` / `registry down` as a user runs them, with the real native registry and the real engine:
// an image of the user's own (made here: a fixture image pulled into the engine and tagged), the same image as a
// docker-save tarball, and a synthetic one go into a registry that outlives the command; the real engine pulls each
// with credentials (dockerode's authconfig, no docker login) and gets the very same image id; without credentials
// it is refused. With --auth token the same through a token service that runs detached beside the registry. A
// second `up` says one is up; `down` leaves no process and no file. The canary password is in no output and no
// file, and appears only with --print-secret.
import assert from "node:assert/strict";
import { createWriteStream, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { after, before, describe, it } from "node:test";
import { pack as tarPack } from "tar-stream";
import { RegistryFixture } from "../../registry-fixture/index.ts";
import { findDockerHost } from "../../registry-fixture/engine.ts";
import { findRegistryBinary } from "../../registry-fixture/native.ts";
import { runCli, type CliResult } from "../support/cli.ts";
import { reachableEngine } from "../support/docker.ts";

const CANARY = "canary-Up-pw-91c4e";

const docker = await reachableEngine();
const skip = !docker ? "no Docker engine answers" : !findRegistryBinary() ? "no docker-registry binary" : false;

function pull(reference: string, auth?: { username: string; password: string }): Promise<void> {
  return (async () => {
    const stream = await docker!.pull(reference, auth ? { authconfig: auth } : {});
    await new Promise<void>((resolve, reject) =>
      docker!.modem.followProgress(stream, (error: Error | null, events: { error?: string }[]) => {
        const failed = error ?? events.find((event) => event.error);
        if (failed) reject(failed instanceof Error ? failed : new Error(String(failed.error)));
        else resolve();
      }),
    );
  })();
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").length > 0;
  } catch {
    return false;
  }
}

describe("ecs-pull registry up / down", { skip, timeout: 240_000 }, () => {
  const runtime = mkdtempSync(join(tmpdir(), "ecs-pull-registry-up-"));
  const stateRoot = join(runtime, "ecs-pull", "registry");
  const env = { XDG_RUNTIME_DIR: runtime, DOCKER_HOST: findDockerHost() ?? "", ECS_PULL_REGISTRY_BIN: process.env.ECS_PULL_REGISTRY_BIN ?? "" };
  const cli = (args: string[]) => runCli(["registry", ...args], env).then((r) => (outputs.push(r), r));
  const outputs: CliResult[] = [];
  const own = `ecs-pull-test/own-app:t${process.pid}`;
  const tarball = join(runtime, "own-app.tar");
  const removeAfter: string[] = [own];
  let ownId: string;
  let up: { name: string; address: string; pid: number; dir: string; images: { reference: string; digest: string; source: string }[]; secrets: unknown[]; stop: string };

  before(async () => {
    // The user's own image: one the engine holds under a local name (pulled from a throwaway fixture, then tagged).
    const fixture = await new RegistryFixture().withMode("native").withBcryptCost(4).withUser("seed", "seed-pw").start();
    try {
      const pushed = await fixture.pushImage({ repository: "seed/app", tag: "v1", layers: 2, layerSize: 8192, seed: `own-${process.pid}` });
      await pull(pushed.reference, { username: "seed", password: "seed-pw" });
      const [repo, tag] = own.split(":") as [string, string];
      await docker!.getImage(pushed.reference).tag({ repo, tag });
      await docker!.getImage(pushed.reference).remove();
    } finally {
      await fixture.stop();
    }
    ownId = (await docker!.getImage(own).inspect()).Id;
    // The same image as a docker-save tarball (what `docker save own -o own-app.tar` writes).
    await pipeline((await docker!.getImage(own).get()) as unknown as NodeJS.ReadableStream, createWriteStream(tarball));
  });

  after(async () => {
    await runCli(["registry", "down"], env);
    await runCli(["registry", "down", "--name", "printed"], env);
    await runCli(["registry", "down", "--name", "token"], env);
    for (const reference of removeAfter) await docker?.getImage(reference).remove({ force: true }).catch(() => undefined);
  });

  it("up: the engine's image, the tarball and a synthetic one, on 127.0.0.1; the command returns, the registry stays", async () => {
    const r = await cli(["up", "--user", `alice:${CANARY}`, "--user", "bob:bob-pw", "--image", `${own}=team/app:v1`, "--image-tar", `${tarball}=team/from-tar:v1`, "--synthetic", "team/syn:v1", "--port", "0", "--json"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    up = JSON.parse(r.stdout);
    assert.equal(up.name, "default");
    assert.match(up.address, /^127\.0\.0\.1:\d+$/);
    assert.deepEqual(up.images.map((i) => i.reference), [`${up.address}/team/app:v1`, `${up.address}/team/from-tar:v1`, `${up.address}/team/syn:v1`]);
    assert.deepEqual(up.secrets, [
      { username: "alice", password: "<the password you gave --user alice:…>" },
      { username: "bob", password: "<the password you gave --user bob:…>" },
    ]);
    assert.equal(up.stop, "ecs-pull registry down");
    assert.ok(alive(up.pid), "the registry outlives the command");
    const state = JSON.parse(readFileSync(join(stateRoot, "default.json"), "utf8"));
    assert.equal(state.pid, up.pid);
    for (const file of filesUnder(stateRoot)) {
      if (file.includes("/data/")) continue; // image blobs
      assert.ok(!readFileSync(file, "utf8").includes(CANARY), `${file} holds the password`);
    }
  });

  it("the real engine pulls each image with the user's credentials: the same image id as the source", async () => {
    for (const image of up.images) {
      removeAfter.push(image.reference);
      await pull(image.reference, { username: "alice", password: CANARY });
      const inspected = await docker!.getImage(image.reference).inspect();
      assert.ok(inspected.RepoDigests.some((d) => d.endsWith(`@${image.digest}`)), inspected.RepoDigests.join(", "));
      if (image.source !== "synthetic") assert.equal(inspected.Id, ownId, image.reference);
    }
  });

  it("without credentials, or with a wrong password, the registry refuses the pull", async () => {
    await assert.rejects(pull(up.images[0]!.reference), /no basic auth credentials/);
    await assert.rejects(pull(up.images[0]!.reference, { username: "alice", password: "wrong" }), /unauthorized|401/i);
  });

  it("a second up by the same name says one is up (exit 2); --name runs another; --print-secret prints what was typed", async () => {
    const again = await cli(["up", "--user", "carol:carol-pw", "--port", "0"]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, new RegExp(`a registry named "default" is already up at ${up.address.replaceAll(".", "\\.")} \\(pid ${up.pid}\\): stop it with \`ecs-pull registry down\``));
    const json = await cli(["up", "--user", "carol:carol-pw", "--port", "0", "--json"]);
    assert.equal(JSON.parse(json.stdout).error.code, "USAGE");
    const printed = await runCli(["registry", "up", "--name", "printed", "--user", "dave:dave-typed-pw", "--synthetic", "x/y:z", "--port", "0", "--print-secret"], env);
    assert.equal(printed.code, 0, printed.stderr);
    assert.ok(printed.stdout.includes('{"username":"dave","password":"dave-typed-pw"}'), printed.stdout);
    assert.match(printed.stdout, /stop it: ecs-pull registry down --name printed/);
    assert.equal((await cli(["down", "--name", "printed"])).code, 0);
  });

  it("--auth token: a token service of its own (detached too) authenticates the pull; down stops both", async () => {
    const r = await cli(["up", "--name", "token", "--auth", "token", "--user", `alice:${CANARY}`, "--image-tar", tarball, "--port", "0", "--json"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const token = JSON.parse(r.stdout) as typeof up & { auth: string; tokenPid: number; tokenRealm: string };
    assert.equal(token.auth, "token");
    assert.match(token.tokenRealm, /^http:\/\/127\.0\.0\.1:\d+\/token$/);
    assert.ok(alive(token.pid) && alive(token.tokenPid));
    // The image's own tag from the tarball's manifest.json.
    assert.deepEqual(token.images.map((i) => i.reference), [`${token.address}/${own}`]);
    const challenge = await fetch(`http://${token.address}/v2/`);
    assert.match(challenge.headers.get("www-authenticate") ?? "", /^Bearer realm="http:\/\/127\.0\.0\.1:\d+\/token"/);
    const reference = token.images[0]!.reference;
    removeAfter.push(reference);
    await pull(reference, { username: "alice", password: CANARY });
    assert.equal((await docker!.getImage(reference).inspect()).Id, ownId);
    await assert.rejects(pull(reference, { username: "alice", password: "wrong" }), /unauthorized|incorrect username or password/i);
    for (const file of filesUnder(join(stateRoot, "token"))) {
      if (file.includes("/data/")) continue;
      assert.ok(!readFileSync(file, "utf8").includes(CANARY), `${file} holds the password`);
    }
    const down = await cli(["down", "--name", "token"]);
    assert.equal(down.code, 0, down.stderr);
    assert.ok(!alive(token.pid) && !alive(token.tokenPid), "the registry and its token service are gone");
    assert.ok(!readdirSync(stateRoot).some((f) => f.startsWith("token")));
  });

  it("bad input exits 2 with the reason and leaves nothing behind", async () => {
    const notTar = join(runtime, "not-a-tar.tar");
    writeFileSync(notTar, JSON.stringify({ hello: "world" }));
    const noManifest = join(runtime, "not-an-image.tar");
    const pack = tarPack();
    pack.entry({ name: "hello.txt" }, "a tar, but not an image");
    pack.finalize();
    await pipeline(pack, createWriteStream(noManifest));
    const cases: Array<[string[], RegExp]> = [
      [["up", "--name", "bad", "--user", "nocolon", "--port", "0"], /--user must be <name>:<password>/],
      [["up", "--name", "bad", "--user", "a:b", "--image-tar", notTar, "--port", "0"], /not-a-tar\.tar: not a docker-save archive: not a readable tar/],
      [["up", "--name", "bad", "--user", "a:b", "--image-tar", noManifest, "--port", "0"], /not-an-image\.tar: not a docker-save archive: it has no manifest\.json/],
      [["up", "--name", "bad", "--user", "a:b", "--image-tar", join(runtime, "missing.tar"), "--port", "0"], /--image-tar .*missing\.tar: no such file/],
      [["up", "--name", "bad", "--user", "a:b", "--image", "no-such/image:v9", "--port", "0"], /--image no-such\/image:v9: the Docker engine at .* has no such image/],
      [["up", "--name", "bad", "--user", "a:b", "--synthetic", "Bad Name:v1", "--port", "0"], /invalid repository name/],
      [["up", "--name", "Bad/Name", "--user", "a:b"], /--name must be/],
      [["up", "--user", "a:b", "--port", "70000"], /--port must be 0\.\.65535/],
      [["up", "--name", "bad", "--user", "a:b", "--auth", "ldap", "--port", "0"], /--auth must be htpasswd or token/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
    assert.deepEqual(readdirSync(stateRoot).sort(), ["default", "default.json"]);
    // The machine's problem, not the input's: a state dir that cannot be made is exit 1, named.
    const blocked = mkdtempSync(join(tmpdir(), "ecs-pull-registry-blocked-"));
    writeFileSync(join(blocked, "ecs-pull"), "a file where the state dir should go");
    const r = await runCli(["registry", "up", "--user", "a:b", "--port", "0", "--json"], { ...env, XDG_RUNTIME_DIR: blocked });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).error.code, "ENVIRONMENT");
    assert.match(JSON.parse(r.stdout).error.message, /cannot create the registry's state dir .*: ENOTDIR/);
  });

  it("--help shows examples and exit codes; the README's commands table and docs/reproduce.md name the command", async () => {
    const help = (await cli(["up", "--help"])).stdout;
    assert.match(help, /Examples:\n {2}ecs-pull registry up --user alice:correct-horse --image team\/app:v1/);
    assert.match(help, /ecs-pull registry down/);
    assert.match(help, /2 {2}usage: a bad --user, an image the engine does not have/);
    assert.match((await cli(["down", "--help"])).stdout, /ecs-pull registry down --name repro/);
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    assert.match(readme, /^\| `registry up --user N:PW .*`registry down` stops it/m);
    assert.match(readFileSync(new URL("../../docs/reproduce.md", import.meta.url), "utf8"), /## Your own image: `ecs-pull registry up`/);
  });

  it("down stops it and removes its files; a second down has nothing to stop", async () => {
    const r = await cli(["down"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`stopped registry "default" at ${up.address.replaceAll(".", "\\.")} \\(pid ${up.pid}\\)`));
    assert.ok(!alive(up.pid), "the registry process is gone");
    assert.deepEqual(readdirSync(stateRoot), []);
    const again = await cli(["down", "--json"]);
    assert.deepEqual(JSON.parse(again.stdout), { name: "default", found: false, stopped: false, address: null });
    for (const o of outputs) assert.ok(!o.stdout.includes(CANARY) && !o.stderr.includes(CANARY), "the canary is in an output");
  });
});
