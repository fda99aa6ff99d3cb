// The published form of the package: scripts/build.mjs compiles to JavaScript + declarations that plain Node runs
// (no tsx), with the data files the modules read beside themselves, and bundles the command (dist/ecs-pull.cjs,
// dist/commands/*.cjs). What `npm pack` ships, laid out as `npm install` lays it out.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { CreateClusterCommand, ECSClient, RegisterTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import { ListSecretsCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const OUT = `${ROOT}/.runtime/build-test`;
const DIST = `${OUT}/dist`;
const CACHE = `${OUT}/compile-cache`;
// A child without tsx and without the source condition: exactly what a user of the package gets.
const env = { ...process.env, NODE_OPTIONS: "", ECS_PULL_COMPILE_CACHE: CACHE };

function installed(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [`${OUT}/bin/ecs-pull.cjs`, ...args], { env: { ...env, ...extraEnv }, encoding: "utf8", cwd: OUT });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(() => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  execFileSync(process.execPath, ["scripts/build.mjs", ".runtime/build-test/dist"], { cwd: ROOT, stdio: "pipe" });
  cpSync(`${ROOT}/bin`, `${OUT}/bin`, { recursive: true });
  cpSync(`${ROOT}/package.json`, `${OUT}/package.json`);
  symlinkSync(`${ROOT}/node_modules`, `${OUT}/node_modules`);
});
after(() => rmSync(OUT, { recursive: true, force: true }));

test("build: plain Node imports the library entry and runs the unbundled CLI from the compiled output", { timeout: 60_000 }, () => {
  assert.ok(existsSync(`${DIST}/index.d.ts`), "type declarations are emitted");
  const exported = execFileSync(
    process.execPath,
    ["--input-type=module", "-e", `const m = await import(${JSON.stringify(`${DIST}/index.js`)}); console.log(Object.keys(m).sort().join(","));`],
    { env, encoding: "utf8" },
  ).trim().split(",");
  for (const name of ["PullAuthStack", "runTask", "startEmulator", "createEmulator", "RegistryFixture", "doctor"]) assert.ok(exported.includes(name), name);
  const shown = execFileSync(process.execPath, [`${DIST}/cli/main.js`, "scenario", "show", "ok-basic"], { env, encoding: "utf8" });
  assert.match(shown, /ok-basic/);
});

test("installed bin runs the bundles: --version and --help from the main bundle, scenario show from the world bundle", { timeout: 60_000 }, () => {
  assert.deepEqual(readdirSync(`${DIST}/commands`).sort(), ["agent.cjs", "serve-later.cjs", "serve.cjs", "world.cjs"]);
  // One character past Latin-1 and V8 holds the whole bundle's source as two-byte text (serve: 10.8 MB, not 5.4).
  for (const bundle of ["ecs-pull.cjs", ...readdirSync(`${DIST}/commands`).map((f) => `commands/${f}`)]) {
    const nonAscii = /[\u0080-\uffff]/.exec(readFileSync(`${DIST}/${bundle}`, "utf8"));
    assert.equal(nonAscii, null, `${bundle} is ASCII`);
  }
  // The Go duration units µs and μs (the one regular expression that had them) stay, escaped.
  assert.match(readFileSync(`${DIST}/commands/agent.cjs`, "latin1"), /\(ns\|us\|\\u00b5s\|\\u03bcs\|ms\|s\|m\|h\)/);
  const version = installed(["--version"]);
  assert.equal(version.code, 0);
  assert.equal(version.stdout.trim(), "0.1.0");
  const help = installed(["run", "--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Exit codes:/);
  // The catalogue is a data file the world bundle finds beside itself in dist/.
  const shown = installed(["scenario", "show", "ok-basic"]);
  assert.equal(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, /^id: ok-basic$/m);
});

test("the agent bundle loads without the IAM, KMS and STS clients, node:http2 or docker-modem's debug rendering; each still works when asked for", { timeout: 60_000 }, () => {
  const probe = `
    const before = new Set(process.moduleLoadList);
    const { runBundle } = require(${JSON.stringify(`${OUT}/bin/compile-cache.cjs`)});
    runBundle(${JSON.stringify(`${DIST}/commands/agent.cjs`)});
    const builtins = process.moduleLoadList.filter((m) => !before.has(m) && m.startsWith("NativeModule ")).map((m) => m.slice(13));
    const fromNodeModules = Object.keys(require.cache).filter((f) => /@aws-sdk[\\/]client-(iam|kms|sts)[\\/]/.test(f));
    console.log(JSON.stringify({ http2: builtins.includes("http2"), https: builtins.includes("https"), fromNodeModules }));`;
  const loaded = JSON.parse(execFileSync(process.execPath, ["-e", probe], { env, encoding: "utf8" }));
  assert.deepEqual(loaded, { http2: false, https: true, fromNodeModules: [] });
  const agent = readFileSync(`${DIST}/commands/agent.cjs`, "latin1");
  for (const client of ["iam", "kms", "sts"]) assert.match(agent, new RegExp(`require\\("@aws-sdk/client-${client}"\\)`), `client-${client} is required from node_modules, on first use`);
  assert.match(agent, /debug\.enabled&&debug\("Sending: %s",util\.inspect\(/);
  // What was left out still resolves from where the bundle is, as its `require` does it on first use.
  const lazy = `
    const { runBundle } = require(${JSON.stringify(`${OUT}/bin/compile-cache.cjs`)});
    runBundle(${JSON.stringify(`${DIST}/commands/agent.cjs`)});
    const viaBundle = require("node:module").createRequire(${JSON.stringify(`${DIST}/commands/agent.cjs`)});
    console.log(typeof viaBundle("@aws-sdk/client-sts").STSClient);`;
  assert.equal(execFileSync(process.execPath, ["-e", lazy], { env, encoding: "utf8" }).trim(), "function");
});

test("installed bin: errors thrown in the agent bundle keep their exit codes (2 usage, 3 rejected, 1 environment)", { timeout: 60_000 }, async () => {
  const missing = installed(["run", `${OUT}/no-such.json`]);
  assert.equal(missing.code, 2, missing.stderr);
  assert.equal(missing.stderr.trim(), `ecs-pull: cannot read task definition ${OUT}/no-such.json: no such file`);

  writeFileSync(`${OUT}/no-containers.json`, JSON.stringify({ family: "x", containerDefinitions: [] }));
  const rejected = installed(["run", `${OUT}/no-containers.json`, "--json"]);
  assert.equal(rejected.code, 3, rejected.stderr);
  assert.equal(JSON.parse(rejected.stdout).result, "REJECTED");

  // An endpoint nobody listens on: the execution role cannot be assumed, the tool's environment failed.
  const port = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port: p } = server.address() as { port: number };
      server.close(() => resolve(p));
    });
  });
  writeFileSync(`${OUT}/ok.json`, JSON.stringify({
    family: "x",
    executionRoleArn: "arn:aws:iam::000000000000:role/r",
    containerDefinitions: [{ name: "app", image: "127.0.0.1:5000/app:1", essential: true, repositoryCredentials: { credentialsParameter: "arn:aws:secretsmanager:us-east-1:000000000000:secret:s-AbCdEf" } }],
  }));
  const down = installed(["run", `${OUT}/ok.json`, "--endpoint", `http://127.0.0.1:${port}`]);
  assert.equal(down.code, 1, down.stderr);
  assert.match(down.stderr, new RegExp(`^ecs-pull: the emulator at http://127.0.0.1:${port} is unreachable \\(ECONNREFUSED\\)`, "m"));
});

test("installed bin keeps V8's compiled code per bundle and subcommand, reuses it, and runs without it", { timeout: 60_000 }, () => {
  rmSync(CACHE, { recursive: true, force: true });
  const first = installed(["run", `${OUT}/no-containers.json`, "--json"]);
  const cached = readdirSync(CACHE).sort();
  assert.deepEqual(cached.map((f) => f.slice(0, f.indexOf("."))), ["agent-run", "ecs-pull-run"]);
  for (const f of cached) assert.match(f, new RegExp(`\\.${process.version}-${process.arch}-\\d+-\\d+\\.v8cache$`));
  const second = installed(["run", `${OUT}/no-containers.json`, "--json"]);
  assert.equal(second.code, first.code);
  assert.deepEqual(readdirSync(CACHE).sort(), cached, "a cache that V8 accepted is not rewritten or duplicated");
  // A damaged cache is rejected by V8 and replaced; turned off, nothing is written.
  writeFileSync(`${CACHE}/${cached[0]}`, "not a code cache");
  assert.equal(installed(["run", `${OUT}/no-containers.json`, "--json"]).code, 3);
  assert.ok(statSync(`${CACHE}/${cached[0]}`).size > 1000, "the damaged cache was replaced");
  rmSync(CACHE, { recursive: true, force: true });
  assert.equal(installed(["run", `${OUT}/no-containers.json`, "--json"], { ECS_PULL_COMPILE_CACHE: "0" }).code, 3);
  assert.ok(!existsSync(CACHE), "ECS_PULL_COMPILE_CACHE=0 writes no cache");
});

test("installed serve reads serve-later.cjs (ECS, agent-sim, the page) only on the first ECS call, and answers through it", { timeout: 60_000 }, async () => {
  const cache = `${OUT}/serve-cache`;
  const serve = async (body: (endpoint: string) => Promise<void>) => {
    const child = spawn(process.execPath, [`${OUT}/bin/ecs-pull.cjs`, "serve", "--port", "0", "--no-ui"], {
      env: { ...env, ECS_PULL_COMPILE_CACHE: cache },
      cwd: OUT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      let out = "";
      const endpoint = await new Promise<string>((resolve, reject) => {
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.once("exit", (code) => reject(new Error(`serve exited (${code}): ${out}`)));
      });
      await body(endpoint);
    } finally {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
  };
  const client = <T>(Client: new (c: object) => T, endpoint: string) => new Client({ endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  // The compile cache names each bundle the process loaded (bin/compile-cache.cjs writes one file per bundle at exit).
  const loaded = () => readdirSync(cache).map((f) => f.slice(0, f.indexOf("."))).sort();
  rmSync(cache, { recursive: true, force: true });
  await serve(async (endpoint) => {
    const listed = await client(SecretsManagerClient, endpoint).send(new ListSecretsCommand({}));
    assert.deepEqual(listed.SecretList, []);
  });
  assert.deepEqual(loaded(), ["ecs-pull-serve", "serve-serve"], "a Secrets Manager call does not load serve-later.cjs");
  await serve(async (endpoint) => {
    const ecs = client(ECSClient, endpoint);
    const created = await ecs.send(new CreateClusterCommand({ clusterName: "split" }));
    assert.equal(created.cluster?.clusterArn, "arn:aws:ecs:us-east-1:000000000000:cluster/split");
    // An error thrown behind the split is still the emulator's AWS error (one AwsError class for both bundles).
    await assert.rejects(ecs.send(new RegisterTaskDefinitionCommand({ family: "", containerDefinitions: [] })), { name: "ClientException" });
  });
  assert.deepEqual(loaded(), ["ecs-pull-serve", "serve-later-serve", "serve-serve"]);
});
