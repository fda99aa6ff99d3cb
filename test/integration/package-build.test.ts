// The published form of the package: scripts/build.mjs compiles to JavaScript + declarations that plain Node runs
// (no tsx), with the data files the modules read beside themselves, and bundles the command (dist/ecs-pull.cjs,
// dist/commands/*.cjs). What `npm pack` ships, laid out as `npm install` lays it out.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

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
  assert.deepEqual(readdirSync(`${DIST}/commands`).sort(), ["agent.cjs", "serve.cjs", "world.cjs"]);
  // One character past Latin-1 and V8 holds the whole bundle's source as two-byte text (serve: 10.8 MB, not 5.4).
  for (const bundle of ["ecs-pull.cjs", ...readdirSync(`${DIST}/commands`).map((f) => `commands/${f}`)]) {
    const nonAscii = /[\u0080-\uffff]/.exec(readFileSync(`${DIST}/${bundle}`, "utf8"));
    assert.equal(nonAscii, null, `${bundle} is ASCII`);
  }
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
