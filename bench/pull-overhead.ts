// How much `ecs-pull run` costs on top of a plain `docker pull` of the same image with the same credentials:
// a 20 MB image in 4 layers from the real registry through the real Docker engine, the image removed before every
// run, the two commands interleaved, medians of several runs. Prints the ratio (target: at most 1.3).
// Run: npx tsx bench/pull-overhead.ts [--runs 7]
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { connectDocker, createDockerEngine } from "../agent-sim/engine/index.ts";
import { runTask } from "../agent-sim/index.ts";
import { createLocalPorts } from "../agent-sim/local-ports.ts";
import { CURRENT_AGENT_VERSION } from "../agent-sim/versions.ts";
import { startEmulator } from "../emulator/server.ts";
import { RegistryFixture } from "../registry-fixture/index.ts";

const runsArg = process.argv.indexOf("--runs");
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7;
const PASSWORD = `bench-${process.pid}-pw`;
const REGION = "us-east-1";
const admin = { accessKeyId: "test", secretAccessKey: "test" };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const BIN = new URL("../bin/ecs-pull.mjs", import.meta.url).pathname;

const engine = createDockerEngine(await connectDocker());
await using emulator = await startEmulator({ port: 0 });
await using registry = await new RegistryFixture().withUser("bench", PASSWORD).start();
const pushed = await registry.pushImage({ repository: "bench/app", tag: "20mb", layers: 4, layerSize: 5 * 1024 * 1024, seed: "bench" });
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
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = performance.now() - start;
      if (code === 0) resolve(ms);
      else reject(new Error(`${cmd} ${args[0]} failed (${code}): ${out.slice(0, 3000)}`));
    });
  });
}

const cliEnv = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_REGION: REGION };
const docker: number[] = [];
const ecsPull: number[] = [];
const library: number[] = [];
const taskDefinition = JSON.parse(readFileSync(taskdef, "utf8"));
// The library path of the same launch, in this process: what a test using runTask() pays, without process start.
async function libraryRun(): Promise<number> {
  const ports = createLocalPorts({ endpoint: emulator.url, credentials: admin, agentVersion: CURRENT_AGENT_VERSION });
  const start = performance.now();
  const result = await runTask({ taskDefinition, launch: { region: REGION }, ports });
  const ms = performance.now() - start;
  ports.close();
  if (result.result !== "RUNNING") throw new Error(`library run ended ${result.result}: ${result.diagnosis?.cause}`);
  return ms;
}
try {
  // One warm-up of each (tsx's compile cache, the engine's first contact with the registry), not counted.
  for (let i = -1; i < RUNS; i++) {
    await engine.removeImage(image);
    const d = await timed("docker", ["--config", dockerConfig, "pull", "--quiet", image]);
    await engine.removeImage(image);
    const e = await timed(process.execPath, [BIN, "run", taskdef, "--endpoint", emulator.url, "--json"], cliEnv);
    await engine.removeImage(image);
    const l = await libraryRun();
    if (i >= 0) {
      docker.push(d);
      ecsPull.push(e);
      library.push(l);
    }
  }
} finally {
  await engine.removeImage(image).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}

const d = median(docker);
const e = median(ecsPull);
const l = median(library);
const started = await timed(process.execPath, [BIN, "--version"], cliEnv);
console.log(`image: ${pushed.totalSize} bytes in 4 layers; ${RUNS} runs each, interleaved, image removed before every run`);
console.log(`docker pull (docker CLI, logged in):   median ${d.toFixed(0)} ms   [${docker.map((x) => x.toFixed(0)).join(", ")}]`);
console.log(`ecs-pull run (whole command):          median ${e.toFixed(0)} ms   [${ecsPull.map((x) => x.toFixed(0)).join(", ")}]`);
console.log(`runTask() in-process (library):        median ${l.toFixed(0)} ms   [${library.map((x) => x.toFixed(0)).join(", ")}]`);
console.log(`process start (ecs-pull --version):    ${started.toFixed(0)} ms`);
console.log(`ratio ecs-pull run / docker pull: ${(e / d).toFixed(2)} (target <= 1.3)`);
console.log(`ratio runTask() / docker pull:    ${(l / d).toFixed(2)}`);
