// The README's walkthrough ("What it does"), run as written: the commands are read FROM README.md, so the README is
// what is tested. Against a started `ecs-pull serve` (its README line, on a free port instead of 4566 so that runs do
// not collide; every http://127.0.0.1:4566 is replaced by the server's URL), with the AWS CLI the project installs
// (/usr/bin/aws, Debian's 2.9, which ignores AWS_ENDPOINT_URL) and the files the README names in examples/. Each
// command that talks to AWS must show up in the server's request log (--log all): a call that went anywhere else
// (real AWS) would not. The registry the task pulls from (127.0.0.1:5000, alice with the README's password) is the
// project's registry fixture behind a proxy on that port.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { connectDocker, createDockerEngine } from "../../agent-sim/index.ts";
import { FaultProxy } from "../../registry-fixture/fault-proxy.ts";
import { RegistryFixture, type StartedRegistry } from "../../registry-fixture/index.ts";
import { loadCatalogue } from "../../scenarios/load.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const README = readFileSync(new URL("README.md", `file://${ROOT}`), "utf8");
const AWS_CLI = process.env.ECS_PULL_AWS_CLI || "/usr/bin/aws";
const README_ENDPOINT = "http://127.0.0.1:4566";

/** The first ```sh block after "## What it does", one command per non-empty line. */
function walkthrough(): string[] {
  const section = README.slice(README.indexOf("\n## What it does\n"));
  const open = section.indexOf("```sh\n");
  const close = section.indexOf("\n```", open + 6);
  assert.ok(open >= 0 && close > open, "README has no ```sh block under ## What it does");
  return section.slice(open + 6, close).split("\n").map((l) => l.trim()).filter((l) => l !== "");
}

/** A line without its trailing `# comment` (two spaces or more before the #). */
const withoutComment = (line: string) => line.replace(/ {2,}# .*$/, "").trim();

/** `export A=1 B=2` → { A: "1", B: "2" } (the README's values have no spaces or quotes). */
function exports(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const word of withoutComment(line).split(/\s+/).slice(1)) {
    const eq = word.indexOf("=");
    out[word.slice(0, eq)] = word.slice(eq + 1);
  }
  return out;
}

/** The test's own environment without the developer's AWS_* settings; the README's exports come on top. */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("AWS_")) env[k] = v;
  // No AWS config files of the machine; `npx ecs-pull` resolves this checkout's bin without the npm registry.
  return { ...env, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null", npm_config_offline: "true", npm_config_update_notifier: "false" };
}

function bash(command: string, env: NodeJS.ProcessEnv, timeoutMs = 180_000): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-c", command], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

let serve: ChildProcess;
let serverUrl = "";
let requestLog = "";
let registry: StartedRegistry;
let proxy: FaultProxy;
const lines = walkthrough();

before(async () => {
  // The registry the example task pulls from: alice with the password of the README's create-secret line.
  const secretLine = lines.find((l) => l.includes("secretsmanager create-secret"));
  assert.ok(secretLine, "the walkthrough creates no secret");
  const secret = JSON.parse(/--secret-string '([^']*)'/.exec(secretLine)![1]!) as { username: string; password: string };
  const taskdef = JSON.parse(readFileSync(`${ROOT}examples/taskdef.json`, "utf8"));
  const image: string = taskdef.containerDefinitions[0].image;
  const [, host, repository, tag] = /^([^/]+)\/(.+):([^:]+)$/.exec(image)!;
  assert.equal(host, "127.0.0.1:5000");
  registry = await new RegistryFixture().withUser(secret.username, secret.password).start();
  await registry.pushImage({ repository: repository!, tag: tag!, layers: 1, layerSize: 4096, seed: "readme" });
  proxy = await FaultProxy.start({ target: registry.url, port: 5000 });

  // The README's first line, `npx ecs-pull serve &`, on a free port with every request logged.
  const serveLine = withoutComment(lines[0]!);
  assert.match(serveLine, /^npx ecs-pull serve &$/);
  serve = spawn("bash", ["-c", `exec ${serveLine.replace(/ &$/, "")} --port 0 --log all`], { cwd: ROOT, env: baseEnv(), stdio: ["ignore", "pipe", "pipe"], detached: true });
  serve.stdout!.on("data", (d) => (requestLog += d));
  serve.stderr!.on("data", (d) => (requestLog += d));
  const deadline = Date.now() + 60_000;
  while (!/listening on (http:\/\/127\.0\.0\.1:\d+)/.test(requestLog)) {
    if (Date.now() > deadline || serve.exitCode !== null) throw new Error(`ecs-pull serve did not start:\n${requestLog}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  serverUrl = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(requestLog)![1]!;
});

after(async () => {
  if (serve?.pid !== undefined && serve.exitCode === null) process.kill(-serve.pid, "SIGTERM");
  await proxy?.stop();
  await registry?.stop();
  await createDockerEngine(await connectDocker()).removeImage("127.0.0.1:5000/team/app:v1").catch(() => undefined);
});

/** What each command must have asked the emulator (an operation in the request log), and its exit code. */
function expectationOf(command: string): { calls: string[]; exitCode: number } {
  if (command.startsWith("aws ")) {
    const op = /(create-secret|create-role|put-role-policy)/.exec(command)?.[1];
    const calls = { "create-secret": ["CreateSecret"], "create-role": ["CreateRole"], "put-role-policy": ["PutRolePolicy"] }[op ?? ""];
    assert.ok(calls, `no expectation for ${command}`);
    return { calls, exitCode: 0 };
  }
  if (/ecs-pull (run|explain) /.test(command)) return { calls: ["AssumeRoleAsService", "GetSecretValue"], exitCode: 0 };
  if (/ecs-pull doctor/.test(command)) return { calls: ["GetCallerIdentity"], exitCode: 0 };
  // `scenario run` builds its own world (a fresh emulator and registry): nothing reaches this server.
  if (/ecs-pull scenario run /.test(command)) return { calls: [], exitCode: 0 };
  throw new Error(`the walkthrough has a command this test does not know: ${command}`);
}

describe("the README walkthrough, as written", { timeout: 600_000 }, () => {
  test("every aws line passes --endpoint-url (the installed CLI ignores AWS_ENDPOINT_URL) and names a file in examples/", () => {
    for (const line of lines.filter((l) => l.startsWith("aws "))) {
      assert.match(line, new RegExp(`^aws --endpoint-url ${README_ENDPOINT} `));
      for (const [, file] of line.matchAll(/file:\/\/(\S+)/g)) assert.ok(readFileSync(`${ROOT}${file}`, "utf8").length > 0, file);
    }
    assert.match(README, /AWS_ENDPOINT_URL` only from version 2\.13\.0 \(v2\) and 1\.29\.0 \(v1\)/);
  });

  test("the catalogue count the README gives is the number of failures (scenarios that do not work)", () => {
    const failures = loadCatalogue().filter((s) => s.section !== "works").length;
    assert.match(README, new RegExp(`one of ${failures} catalogued failures`));
  });

  test("each command runs with /usr/bin/aws and reaches the emulator", async () => {
    let env: NodeJS.ProcessEnv = baseEnv();
    for (const line of lines.slice(1)) {
      const command = withoutComment(line).replaceAll(README_ENDPOINT, serverUrl);
      if (command.startsWith("export ")) {
        env = { ...env, ...exports(command) };
        continue;
      }
      const expected = expectationOf(command);
      const before = requestLog.length;
      const bin = command.startsWith("aws ") ? command.replace(/^aws /, `${AWS_CLI} `) : command;
      const { code, out } = await bash(bin, env);
      assert.equal(code, expected.exitCode, `${command}\n${out}`);
      const logged = requestLog.slice(before);
      for (const call of expected.calls) assert.match(logged, new RegExp(`\\.${call} us-east-1 .*→ 2\\d\\d`), `${command}: no ${call} in the emulator's log:\n${logged}`);
    }
  });
});
