// Benchmark of the emulator's hot path: GetSecretValue requests per second through a keep-alive client that signs
// every request with SigV4, with IAM enforcement on (an assumed role whose policy has five statements; target
// >= 3,000/s on one core) and off (the admin key), and the ratio of the two.
// The emulator runs alone in a child process (one Node thread = one core); this process only drives it. The
// default client signs each request with the SDK's own signer (@smithy/signature-v4) over a keep-alive agent;
// `--client sdk` drives it with the full @aws-sdk/client-secrets-manager instead (its middleware stack costs the
// driver more CPU than the emulator spends, so on a small machine it measures the client).
// Run: npx tsx bench/emulator.ts [--seconds 10] [--concurrency 32] [--client lean|sdk]. 127.0.0.1 only.
import { spawn } from "node:child_process";
import { Agent, request } from "node:http";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { SignatureV4 } from "@smithy/signature-v4";
import { NodeSha256 } from "../emulator/auth/sha256.ts";
import { startEmulator } from "../emulator/index.ts";
import { iamState } from "../emulator/state/iam.ts";

const ACCOUNT = "111122223333";
const REGION = "us-east-1";
const ADMIN = { accessKeyId: "AKIABENCHADMIN000000", secretAccessKey: "bench-admin-secret" };
const SECRET_NAME = "registry-creds";

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

interface Setup {
  url: string;
  session: Credentials;
  secretArn: string;
}

/** An execution role policy of the usual kinds: five statements, the one that matters in the middle. */
function executionRolePolicy(): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "Ecr", Effect: "Allow", Action: ["ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], Resource: "*" },
      { Sid: "Logs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `arn:aws:logs:*:${ACCOUNT}:log-group:/ecs/*` },
      {
        Sid: "Creds",
        Effect: "Allow",
        Action: "secretsmanager:GetSecretValue",
        Resource: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${SECRET_NAME}-??????`,
        Condition: { StringEquals: { "aws:RequestedRegion": REGION } },
      },
      { Sid: "Kms", Effect: "Allow", Action: "kms:Decrypt", Resource: "*", Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com` } } },
      { Sid: "NoWrites", Effect: "Deny", Action: ["secretsmanager:Put*", "secretsmanager:Delete*"], Resource: "*" },
    ],
  });
}

/** Child: start the emulator, create the secret and the role, assume it, print what the driver needs. */
async function serve(): Promise<void> {
  const started = await startEmulator({ host: "127.0.0.1", accounts: [{ account: ACCOUNT, ...ADMIN }] });
  const roleName = "ecsTaskExecutionRole";
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/${roleName}`;
  iamState(started.emulator.store, ACCOUNT).roles.set(roleName.toLowerCase(), {
    roleName,
    roleId: "AROABENCH00000000000",
    arn: roleArn,
    path: "/",
    createDate: Date.now(),
    assumeRolePolicyDocument: JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "sts:AssumeRole" }],
    }),
    maxSessionDuration: 43200,
    tags: [],
    inlinePolicies: new Map([["execution", executionRolePolicy()]]),
    attachedPolicies: [],
  });
  const sm = new SecretsManagerClient({ endpoint: started.url, region: REGION, credentials: ADMIN });
  const sts = new STSClient({ endpoint: started.url, region: REGION, credentials: ADMIN });
  const { ARN } = await sm.send(new CreateSecretCommand({ Name: SECRET_NAME, SecretString: JSON.stringify({ username: "ci", password: "bench" }) }));
  const { Credentials: c } = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "bench", DurationSeconds: 3600 }));
  sm.destroy();
  sts.destroy();
  const setup: Setup = {
    url: started.url,
    session: { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! },
    secretArn: ARN!,
  };
  process.stdout.write(`${JSON.stringify(setup)}\n`);
  // The driver asks for this process's CPU time ("cpu") around each phase; stdin closes when the driver goes away.
  const lines = createInterface({ input: process.stdin });
  lines.on("line", (line) => {
    if (line === "cpu") {
      const { user, system } = process.cpuUsage();
      process.stdout.write(`${(user + system) / 1e6}\n`);
    }
  });
  lines.on("close", () => process.exit(0));
}

interface PhaseResult {
  /** Emulator CPU seconds spent in the phase. */
  cpu: number;
  latencies: number[];
  /** Requests per CPU-second of the emulator process: its capacity on one core, whatever else the machine runs. */
  perEmulatorCpuSecond: number;
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50ms: number;
  p99ms: number;
}

type Send = () => Promise<void>;

/** The full SDK client: serialisation, middleware, signing, parsing. */
function sdkClient(url: string, credentials: Credentials, secretId: string, agent: Agent): { send: Send; destroy(): void } {
  const client = new SecretsManagerClient({
    endpoint: url,
    region: REGION,
    credentials,
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent: agent }),
  });
  return {
    send: async () => {
      await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    },
    destroy: () => client.destroy(),
  };
}

/** A lean client: the same wire request, signed per request by @smithy/signature-v4, sent over `agent`. */
function leanClient(url: string, credentials: Credentials, secretId: string, agent: Agent): { send: Send; destroy(): void } {
  const { hostname, port } = new URL(url);
  const signer = new SignatureV4({ service: "secretsmanager", region: REGION, credentials, sha256: NodeSha256 });
  const body = JSON.stringify({ SecretId: secretId });
  const send: Send = async () => {
    const signed = await signer.sign({
      method: "POST",
      protocol: "http:",
      hostname,
      port: Number(port),
      path: "/",
      headers: {
        host: `${hostname}:${port}`,
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "secretsmanager.GetSecretValue",
        "content-length": String(Buffer.byteLength(body)),
      },
      body,
    });
    await new Promise<void>((resolve, reject) => {
      const req = request({ host: hostname, port: Number(port), path: "/", method: "POST", headers: signed.headers, agent }, (res) => {
        res.resume();
        res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
      });
      req.on("error", reject);
      req.end(body);
    });
  };
  return { send, destroy: () => undefined };
}

async function phase(url: string, credentials: Credentials, secretId: string, seconds: number, concurrency: number, kind: string, emulatorCpu: () => Promise<number>): Promise<PhaseResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const client = (kind === "sdk" ? sdkClient : leanClient)(url, credentials, secretId, agent);
  const run = async (until: number, latencies: number[] | undefined) => {
    let requests = 0;
    let errors = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < until) {
          const t0 = performance.now();
          try {
            await client.send();
            requests++;
          } catch {
            errors++;
          }
          latencies?.push(performance.now() - t0);
        }
      }),
    );
    return { requests, errors };
  };
  await run(performance.now() + 500, undefined); // warm-up: connections, JIT, policy cache
  const latencies: number[] = [];
  const cpu0 = await emulatorCpu();
  const t0 = performance.now();
  const { requests, errors } = await run(t0 + seconds * 1000, latencies);
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = (await emulatorCpu()) - cpu0;
  client.destroy();
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => percentile(latencies, p);
  return { cpu, latencies, perEmulatorCpuSecond: Math.round(requests / cpu), requests, errors, seconds: elapsed, perSecond: Math.round(requests / elapsed), p50ms: pct(0.5), p99ms: pct(0.99) };
}

function percentile(sorted: number[], p: number): number {
  return Math.round((sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0) * 100) / 100;
}

/** The rounds of one kind as one phase. */
function combine(parts: PhaseResult[]): PhaseResult {
  const sum = (f: (r: PhaseResult) => number) => parts.reduce((a, r) => a + f(r), 0);
  const latencies = parts.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const requests = sum((r) => r.requests);
  const seconds = sum((r) => r.seconds);
  const cpu = sum((r) => r.cpu);
  return {
    cpu,
    latencies,
    perEmulatorCpuSecond: Math.round(requests / cpu),
    requests,
    errors: sum((r) => r.errors),
    seconds: Math.round(seconds * 10) / 10,
    perSecond: Math.round(requests / seconds),
    p50ms: percentile(latencies, 0.5),
    p99ms: percentile(latencies, 0.99),
  };
}

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const value = i < 0 ? Number.NaN : Number(process.argv[i + 1]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

async function drive(): Promise<void> {
  const seconds = flag("--seconds", 10);
  const concurrency = flag("--concurrency", 32);
  const kind = process.argv.includes("sdk") ? "sdk" : "lean";
  const child = spawn(process.execPath, [...(process.env.BENCH_EMULATOR_NODE_OPTIONS?.split(" ").filter(Boolean) ?? []), "--import", "tsx", fileURLToPath(import.meta.url), "--serve"], { stdio: ["pipe", "pipe", "inherit"] });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once("line", resolve);
      child.once("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
    });
    const setup = JSON.parse(line) as Setup;
    const replies = createInterface({ input: child.stdout! });
    const emulatorCpu = () =>
      new Promise<number>((resolve) => {
        replies.once("line", (l) => resolve(Number(l)));
        child.stdin!.write("cpu\n");
      });
    console.log(`emulator ${setup.url} (child process ${child.pid}); ${seconds} s per phase, ${concurrency} concurrent keep-alive requests, each SigV4-signed (${kind === "sdk" ? "@aws-sdk/client-secrets-manager" : "@smithy/signature-v4"})`);
    const show = (label: string, r: PhaseResult) =>
      console.log(
        `${label} ${String(r.perSecond).padStart(6)} GetSecretValue/s wall, ${String(r.perEmulatorCpuSecond).padStart(6)} per emulator CPU-second; ` +
          `p50 ${r.p50ms} ms, p99 ${r.p99ms} ms (${r.requests} ok, ${r.errors} errors, ${r.seconds} s)`,
      );
    // Rounds alternate between the two so that a machine shared with other work slows both alike.
    const rounds = flag("--rounds", 4);
    const slice = seconds / rounds;
    const on: PhaseResult[] = [];
    const off: PhaseResult[] = [];
    for (let i = 0; i < rounds; i++) {
      on.push(await phase(setup.url, setup.session, SECRET_NAME, slice, concurrency, kind, emulatorCpu));
      off.push(await phase(setup.url, ADMIN, SECRET_NAME, slice, concurrency, kind, emulatorCpu));
    }
    const onTotal = combine(on);
    const offTotal = combine(off);
    show("enforcement on  (assumed role, 5-statement policy):", onTotal);
    show("enforcement off (admin key):                       ", offTotal);
    const ratio = (a: number, b: number) => (a / b).toFixed(3);
    console.log(`ratio on/off: ${ratio(onTotal.perSecond, offTotal.perSecond)} wall, ${ratio(onTotal.perEmulatorCpuSecond, offTotal.perEmulatorCpuSecond)} per emulator CPU-second`);
    console.log(`target >= 3000/s on one core with enforcement on: ${onTotal.perEmulatorCpuSecond >= 3000 ? "met" : "NOT met"} (${onTotal.perEmulatorCpuSecond} per emulator CPU-second)`);
  } finally {
    // A clean exit first (so that --cpu-prof can write its profile), then the hard way.
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.stdin!.end();
    const timer = setTimeout(() => child.kill(), 3000);
    await exited;
    clearTimeout(timer);
  }
}

if (process.argv.includes("--serve")) await serve();
else await drive();
