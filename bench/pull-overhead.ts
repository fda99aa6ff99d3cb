// How much `ecs-pull run` costs on top of a plain `docker pull` of the same image with the same credentials:
// a 20 MB image in 4 layers from the real registry through the real Docker engine, the image removed before every
// run, the commands interleaved, medians of several runs. Prints the ratios (target: at most 1.3): for the command
// alone (Node, the SDK and dockerode start for every run) and with --via-server (the launch runs in the warm
// `ecs-pull serve`, here this process, and the command is a thin client of it, as the docker CLI is of dockerd).
//
// The command is measured as users get it: the package built (scripts/build.mjs) and laid out as npm installs it
// (bin/, dist/, package.json, node_modules) in .runtime/bench-package, so `bin/ecs-pull.cjs` runs the bundled
// dist/ rather than the TypeScript sources through tsx, which is how a checkout runs it.
// Run: npx tsx bench/pull-overhead.ts [--runs 9] [--no-build]
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { installPackage } from "./installed-package.ts";
import { connectDocker, createDockerEngine, runTask, createAgentPorts, resolveLaunchContext } from "../agent-sim/index.ts";
import { startEmulator } from "../emulator/server.ts";
import { RegistryFixture } from "../registry-fixture/index.ts";

const runsArg = process.argv.indexOf("--runs");
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7;
const PASSWORD = `bench-${process.pid}-pw`;
const REGION = "us-east-1";
const admin = { accessKeyId: "test", secretAccessKey: "test" };
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PACKAGE = join(ROOT, ".runtime/bench-package");

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (xs: number[]) => `median ${median(xs).toFixed(0).padStart(4)} ms   [${xs.map((x) => x.toFixed(0)).join(", ")}]`;

const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");
const BIN = installPackage();
const loadBefore = load();
const engine = createDockerEngine(await connectDocker());
await using emulator = await startEmulator({ port: 0 });
await using registry = await new RegistryFixture().withUser("bench", PASSWORD).start();
const pushed = await registry.pushImage({ repository: "bench/app", tag: "20mb", layers: 4, layerSize: 5 * 1024 * 1024, seed: `bench-${process.pid}` });  // layers no other image on the engine shares
const image = registry.imageReference("bench/app", "20mb");

const sm = new SecretsManagerClient({ endpoint: emulator.url, region: REGION, credentials: admin });
const secretArn = (await sm.send(new CreateSecretCommand({ Name: "bench/registry", SecretString: JSON.stringify({ username: "bench", password: PASSWORD }) }))).ARN!;
sm.destroy();
const iam = new IAMClient({ endpoint: emulator.url, region: REGION, credentials: admin });
const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }] };
const role = await iam.send(new CreateRoleCommand({ RoleName: "benchExecutionRole", AssumeRolePolicyDocument: JSON.stringify(trust) }));
await iam.send(new PutRolePolicyCommand({
  RoleName: "benchExecutionRole",
  PolicyName: "registry-creds",
  PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secretArn }] }),
}));
iam.destroy();

const dir = mkdtempSync(join(tmpdir(), "ecs-pull-bench-"));
const taskdef = join(dir, "taskdef.json");
writeFileSync(taskdef, JSON.stringify({
  family: "bench",
  executionRoleArn: role.Role!.Arn,
  containerDefinitions: [{ name: "app", image, essential: true, repositoryCredentials: { credentialsParameter: secretArn } }],
}));
// The docker CLI logs in once into a private config folder; only the pull is timed.
const dockerConfig = join(dir, "docker-config");
execFileSync("docker", ["--config", dockerConfig, "login", "--username", "bench", "--password-stdin", registry.address], { input: PASSWORD, stdio: ["pipe", "ignore", "ignore"] });

// Asynchronous on purpose: the emulator and the registry answer from this very process while the command runs.
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv, stdout?: (out: string, spawnedAt: number, closedAt: number) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const spawnedAt = Date.now();
    const start = performance.now();
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const took = performance.now() - start;
      stdout?.(out, spawnedAt, spawnedAt + took);
      out += err;
      if (code === 0) resolve(took);
      else reject(new Error(`${cmd} ${args.join(" ")} failed (${code}): ${out.slice(0, 3000)}`));
    });
  });
}

// This machine sets NODE_EXTRA_CA_CERTS to the whole system bundle, which every Node process parses before running
// any code (~70 ms here); a user's machine usually does not, and only loopback is used. Both commands run without it;
// what it costs is printed below.
const { NODE_EXTRA_CA_CERTS: extraCaCerts, ...baseEnv } = process.env;
const env = {
  ...baseEnv,
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
  AWS_REGION: REGION,
  ECS_PULL_COMPILE_CACHE: join(PACKAGE, "compile-cache"),
};
const samples = { docker: [] as number[], run: [] as number[], viaServer: [] as number[], library: [] as number[] };
// The launch itself as the run's trace times it (register starts → RUNNING), to tell it from the command around it.
// Around it: spawn → the launch's first step (Node's start, loading the command, reading the task definition), and
// RUNNING → the process gone (printing, closing connections, exit).
const launched = { run: [] as number[], viaServer: [] as number[] };
const around = { before: [] as number[], after: [] as number[] };
const launchOf = (into: number[], edges?: typeof around) => (out: string, spawnedAt: number, closedAt: number) => {
  const trace = (JSON.parse(out) as { trace: { startedAt: string; durationMs: number }[] }).trace;
  const last = trace[trace.length - 1]!;
  const first = Date.parse(trace[0]!.startedAt);
  const running = Date.parse(last.startedAt) + last.durationMs;
  into.push(running - first);
  edges?.before.push(first - spawnedAt);
  edges?.after.push(closedAt - running);
};
const taskDefinition = JSON.parse(readFileSync(taskdef, "utf8"));
// The library path of the same launch, in this process: what a test using runTask() pays, without process start.
async function libraryRun(): Promise<number> {
  const ports = createAgentPorts({ endpoint: emulator.url, credentials: admin });
  const start = performance.now();
  const result = await runTask({ taskDefinition, launch: resolveLaunchContext({ region: REGION }), ports });
  const took = performance.now() - start;
  ports.close();
  if (result.result !== "RUNNING") throw new Error(`library run ended ${result.result}: ${result.diagnosis?.cause}`);
  return took;
}
try {
  // One warm-up round, not counted: the engine's first contact with the registry, the command's compile cache.
  for (let i = -1; i < RUNS; i++) {
    const round = {
      docker: async () => timed("docker", ["--config", dockerConfig, "pull", "--quiet", image], env),
      run: async () => timed(process.execPath, [BIN, "run", taskdef, "--endpoint", emulator.url, "--json"], env, launchOf(launched.run, around)),
      // The same launch handed to the agent inside the running emulator (this process): a thin client, as docker is.
      viaServer: async () => timed(process.execPath, [BIN, "run", taskdef, "--endpoint", emulator.url, "--via-server", "--json"], env, launchOf(launched.viaServer)),
      library: libraryRun,
    };
    for (const [name, measure] of Object.entries(round)) {
      await engine.removeImage(image);
      const took = await measure();
      if (i >= 0) samples[name as keyof typeof samples].push(took);
    }
  }
} finally {
  await engine.removeImage(image).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}

const startup = async (extra: NodeJS.ProcessEnv) => {
  const xs: number[] = [];
  for (let i = 0; i < 7; i++) xs.push(await timed(process.execPath, [BIN, "--version"], { ...env, ...extra }));
  return median(xs);
};
const started = await startup({});
const startedWithCa = extraCaCerts === undefined ? undefined : await startup({ NODE_EXTRA_CA_CERTS: extraCaCerts });
const d = median(samples.docker);
console.log(`image: ${pushed.totalSize} bytes in 4 layers; ${RUNS} runs each, interleaved, image removed before every run`);
console.log(`command: ${BIN} (the built package, as installed)`);
console.log(`docker pull (docker CLI, logged in):   ${ms(samples.docker)}`);
console.log(`ecs-pull run (whole command):          ${ms(samples.run)}`);
console.log(`  of which the launch (its trace):     ${ms(launched.run.slice(1))}`);
console.log(`  before the launch (spawn → 1st step): ${ms(around.before.slice(1))}`);
console.log(`  after it (RUNNING → process gone):    ${ms(around.after.slice(1))}`);
console.log(`ecs-pull run --via-server:             ${ms(samples.viaServer)}`);
console.log(`  of which the launch (its trace):     ${ms(launched.viaServer.slice(1))}`);
console.log(`runTask() in-process (library):        ${ms(samples.library)}`);
console.log(`process start (ecs-pull --version):    ${started.toFixed(0)} ms`);
if (startedWithCa !== undefined) console.log(`  with this machine's NODE_EXTRA_CA_CERTS: ${startedWithCa.toFixed(0)} ms (not used for the runs above)`);
// The ratio of the medians, and the median of each round's own ratio: the commands of one round run seconds apart,
// so the second is less moved by this machine drifting between faster and slower minutes.
const ratios = (xs: number[]) => `${(median(xs) / d).toFixed(2)}   (per round: ${median(xs.map((x, i) => x / samples.docker[i]!)).toFixed(2)})`;
console.log(`ratio ecs-pull run / docker pull:              ${ratios(samples.run)} (target <= 1.3)`);
console.log(`ratio ecs-pull run --via-server / docker pull: ${ratios(samples.viaServer)} (target <= 1.3)`);
console.log(`ratio runTask() / docker pull:                 ${ratios(samples.library)}`);
console.log(`load average before ${loadBefore}, after ${load()}`);
