// Benchmark of the emulator's ECS: RunTask → RUNNING latency (median of several runs, each a real pull of a small
// image from the real htpasswd registry through the real Docker engine, the image removed before each cold run),
// and the throughput of 100 concurrent tasks (2 containers each, both with the same repositoryCredentials secret)
// with the GetSecretValue count per task (the agent dedupes by the exact credentialsParameter: expect 1).
// The emulator runs in this process (its background runner drives agent-sim); ECS calls are SigV4-signed JSON 1.1.
// Run: npx tsx bench/runtask.ts [--runs 5] [--tasks 100]. Needs a Docker engine (`npm run env:up`); 127.0.0.1 only.
import { Sha256 } from "@aws-crypto/sha256-js";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { SignatureV4 } from "@smithy/signature-v4";
import { connectDocker, createDockerEngine } from "../agent-sim/index.ts";
import { startEmulator } from "../emulator/index.ts";
import { RegistryFixture } from "../registry-fixture/index.ts";

const REGION = "us-east-1";
const ACCOUNT = "000000000000";
const ADMIN = { accessKeyId: "test", secretAccessKey: "test" };
const USER = { username: "bench-user", password: "bench-Pull-pw-77" };
const DEADLINE_MS = 180_000;

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

const runs = flag("runs", 5);
const taskCount = flag("tasks", 100);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const docker = await connectDocker();
const engine = createDockerEngine(docker);
const registry = await new RegistryFixture().withUser(USER.username, USER.password).start();
const emulator = await startEmulator({ port: 0 });
const signer = new SignatureV4({ service: "ecs", region: REGION, credentials: ADMIN, sha256: Sha256 });
const url = new URL(emulator.url);

async function ecs<T = Record<string, unknown>>(operation: string, input: unknown): Promise<T> {
  const body = JSON.stringify(input);
  const signed = await signer.sign({
    method: "POST",
    protocol: "http:",
    hostname: url.hostname,
    port: Number(url.port),
    path: "/",
    query: {},
    headers: { host: url.host, "content-type": "application/x-amz-json-1.1", "x-amz-target": `AmazonEC2ContainerServiceV20141113.${operation}` },
    body,
  });
  const res = await fetch(emulator.url, { method: "POST", headers: signed.headers, body });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`${operation}: ${JSON.stringify(json)}`);
  return json;
}

interface Task {
  taskArn: string;
  lastStatus: string;
  stoppedReason?: string;
}

/** Polls DescribeTasks (100 ARNs a call) until every task is RUNNING or STOPPED; → ms from `since` per task. */
async function untilSettled(arns: string[], since: number): Promise<Map<string, { status: string; ms: number; reason?: string }>> {
  const settled = new Map<string, { status: string; ms: number; reason?: string }>();
  while (settled.size < arns.length) {
    if (performance.now() - since > DEADLINE_MS) throw new Error(`not settled within ${DEADLINE_MS} ms: ${arns.length - settled.size} task(s)`);
    const open = arns.filter((a) => !settled.has(a));
    for (let i = 0; i < open.length; i += 100) {
      const { tasks } = await ecs<{ tasks: Task[] }>("DescribeTasks", { tasks: open.slice(i, i + 100) });
      for (const t of tasks) {
        if (t.lastStatus === "RUNNING" || t.lastStatus === "STOPPED") {
          settled.set(t.taskArn, { status: t.lastStatus, ms: performance.now() - since, ...(t.stoppedReason ? { reason: t.stoppedReason } : {}) });
        }
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return settled;
}

try {
  const image = (await registry.pushImage({ repository: "bench/runtask", tag: "v1", layers: 1, layerSize: 32 * 1024, seed: 7 })).reference;
  const endpoint = { endpoint: emulator.url, region: REGION, credentials: ADMIN };
  const sm = new SecretsManagerClient(endpoint);
  const iam = new IAMClient(endpoint);
  await sm.send(new CreateSecretCommand({ Name: "registry-creds", SecretString: JSON.stringify(USER) }));
  const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }] };
  await iam.send(new CreateRoleCommand({ RoleName: "exec", AssumeRolePolicyDocument: JSON.stringify(trust) }));
  const policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" }] };
  await iam.send(new PutRolePolicyCommand({ RoleName: "exec", PolicyName: "read", PolicyDocument: JSON.stringify(policy) }));
  sm.destroy();
  iam.destroy();

  const container = (name: string) => ({ name, image, essential: true, memory: 32, repositoryCredentials: { credentialsParameter: "registry-creds" } });
  const executionRoleArn = `arn:aws:iam::${ACCOUNT}:role/exec`;
  await ecs("RegisterTaskDefinition", { family: "one", executionRoleArn, containerDefinitions: [container("app")] });
  await ecs("RegisterTaskDefinition", { family: "two", executionRoleArn, containerDefinitions: [container("app"), container("sidecar")] });

  // 1. Latency: one task at a time; cold = the image removed first (a real pull), warm = already present.
  const latency = async (cold: boolean) => {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      if (cold) {
        await engine.removeImage(image);
        if (await engine.hasImage(image)) throw new Error(`${image} is still present after removal`);
      }
      const t0 = performance.now();
      const { tasks } = await ecs<{ tasks: Task[] }>("RunTask", { taskDefinition: "one" });
      const [end] = [...(await untilSettled([tasks[0]!.taskArn], t0)).values()];
      if (end!.status !== "RUNNING") throw new Error(`latency task stopped: ${end!.reason}`);
      times.push(end!.ms);
    }
    return times;
  };
  const cold = await latency(true);
  const warm = await latency(false);

  // 2. Throughput: `taskCount` tasks started at once (RunTask count ≤ 10 per call), 2 containers, one secret.
  const before = emulator.emulator.stats.count("GetSecretValue");
  const t0 = performance.now();
  const calls = [];
  for (let left = taskCount; left > 0; left -= 10) calls.push(ecs<{ tasks: Task[] }>("RunTask", { taskDefinition: "two", count: Math.min(10, left) }));
  const arns = (await Promise.all(calls)).flatMap((r) => r.tasks.map((t) => t.taskArn));
  const accepted = performance.now() - t0;
  const settled = await untilSettled(arns, t0);
  const wall = Math.max(...[...settled.values()].map((s) => s.ms));
  const running = [...settled.values()].filter((s) => s.status === "RUNNING").length;
  const gets = emulator.emulator.stats.count("GetSecretValue") - before;
  const perTask = [...settled.values()].map((s) => s.ms);

  const f = (ms: number) => `${ms.toFixed(0)} ms`;
  console.log(`ecs-pull bench/runtask — emulator in-process, real registry (${registry.mode}) and Docker engine, image ${image} (1 layer, 32 KiB)`);
  console.log(`RunTask → RUNNING, 1 container, cold pull (image removed first): median ${f(median(cold))} over ${runs} (min ${f(Math.min(...cold))}, max ${f(Math.max(...cold))})`);
  console.log(`RunTask → RUNNING, 1 container, image present:                  median ${f(median(warm))} over ${runs} (min ${f(Math.min(...warm))}, max ${f(Math.max(...warm))})`);
  console.log(`${taskCount} concurrent tasks × 2 containers, one shared secret: ${running}/${taskCount} RUNNING in ${f(wall)} → ${(taskCount / (wall / 1000)).toFixed(1)} tasks/s`);
  console.log(`  RunTask calls answered after ${f(accepted)}; per-task RUNNING latency median ${f(median(perTask))}, max ${f(Math.max(...perTask))}`);
  console.log(`  GetSecretValue calls: ${gets} → ${(gets / taskCount).toFixed(2)} per task (expected 1: the agent dedupes by credentialsParameter)`);
} finally {
  await emulator.emulator.ecs.idle();
  await emulator.close();
  await registry.stop();
}
