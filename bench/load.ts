// Load bench (issue 16): 1,000 concurrent clients for 30 s against `ecs-pull serve` in its own process, each with
// its own keep-alive connection, sending signed requests back to back — GetSecretValue from an assumed role's
// session (IAM enforced) and, one in ten, DescribeSecret with the admin key. Counts errors (anything but 200, or a
// dropped connection), req/s, p50/p99/max latency, and samples the server's RSS and open file descriptors: idle
// before, during the load, and idle again after it (keep-alive sockets close after 5 s), so a leak shows as growth.
// Requests are signed once per client and replayed (SigV4 allows that for 15 minutes), so the driver's CPU goes to
// HTTP, not to signing. Run: npx tsx bench/load.ts [--clients 1000] [--seconds 30]. 127.0.0.1 only.
import { Agent, request } from "node:http";
import { loadavg } from "node:os";
import { SignatureV4 } from "@smithy/signature-v4";
import { NodeSha256 } from "../emulator/auth/sha256.ts";
import { FUZZ_ADMIN, send } from "./fuzz-requests.ts";
import { startServe } from "./serve-process.ts";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const value = i < 0 ? Number.NaN : Number(process.argv[i + 1]);
  return Number.isFinite(value) ? value : fallback;
}

interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

interface Prepared {
  headers: Record<string, string>;
  body: Buffer;
}

async function sign(url: URL, creds: Creds, service: string, target: string | undefined, body: string): Promise<Prepared> {
  const signer = new SignatureV4({ credentials: creds, region: "us-east-1", service, sha256: NodeSha256 });
  const headers: Record<string, string> = target === undefined
    ? { host: url.host, "content-type": "application/x-www-form-urlencoded; charset=utf-8" }
    : { host: url.host, "content-type": "application/x-amz-json-1.1", "x-amz-target": target };
  const signed = await signer.sign({ method: "POST", protocol: "http:", hostname: url.hostname, port: Number(url.port), path: "/", headers, body });
  return { headers: signed.headers as Record<string, string>, body: Buffer.from(body) };
}

async function call(url: URL, p: Prepared): Promise<string> {
  const answer = await send(url, { method: "POST", path: "/", headers: p.headers, body: p.body });
  if (answer.status !== 200) throw new Error(`${answer.status} ${answer.text}`);
  return answer.text;
}

const clients = arg("--clients", 1000);
const seconds = arg("--seconds", 30);
/** Rounds of load with an idle pause between: memory that keeps growing round after round is a leak. */
const rounds = arg("--rounds", 2);
/** Clients join over this many milliseconds at the start of a round. */
const rampMs = arg("--ramp-ms", 1000);
const server = await startServe();
const url = new URL(server.url);
try {
  // A secret, a role allowed to read it, a session of the role.
  await call(url, await sign(url, FUZZ_ADMIN, "secretsmanager", "secretsmanager.CreateSecret", JSON.stringify({ Name: "load/creds", SecretString: '{"username":"u","password":"p"}', ClientRequestToken: "00000000-0000-4000-8000-000000000002" })));
  const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::000000000000:root" }, Action: "sts:AssumeRole" }] });
  const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "arn:aws:secretsmanager:us-east-1:000000000000:secret:load/creds-??????" }] });
  await call(url, await sign(url, FUZZ_ADMIN, "iam", undefined, new URLSearchParams({ Action: "CreateRole", Version: "2010-05-08", RoleName: "load", AssumeRolePolicyDocument: trust }).toString()));
  await call(url, await sign(url, FUZZ_ADMIN, "iam", undefined, new URLSearchParams({ Action: "PutRolePolicy", Version: "2010-05-08", RoleName: "load", PolicyName: "read", PolicyDocument: policy }).toString()));
  const xml = await call(url, await sign(url, FUZZ_ADMIN, "sts", undefined, new URLSearchParams({ Action: "AssumeRole", Version: "2011-06-15", RoleArn: "arn:aws:iam::000000000000:role/load", RoleSessionName: "load" }).toString()));
  const pick = (tag: string) => new RegExp(`<${tag}>([^<]+)</${tag}>`).exec(xml)![1]!;
  const session: Creds = { accessKeyId: pick("AccessKeyId"), secretAccessKey: pick("SecretAccessKey"), sessionToken: pick("SessionToken") };
  const get = await sign(url, session, "secretsmanager", "secretsmanager.GetSecretValue", JSON.stringify({ SecretId: "load/creds" }));
  const describe = await sign(url, FUZZ_ADMIN, "secretsmanager", "secretsmanager.DescribeSecret", JSON.stringify({ SecretId: "load/creds" }));
  await call(url, get);

  await new Promise((r) => setTimeout(r, 2_000));
  let errors = 0;
  for (let round = 1; round <= rounds; round++) errors += await loadRound(round);
  async function loadRound(round: number): Promise<number> {
    const idle = { rss: server.rssMb(), fds: server.fds() };
    // One connection per client: an agent per client with one socket.
    const latencies: number[] = [];
    let errors = 0;
    const errorSamples: string[] = [];
    let stop = false;
    const samples: { t: number; rss: number; fds: number }[] = [];
    // Phase 1: every client connects and sends one request (clients join over --ramp-ms); phase 2, timed: all of
    // them send back to back on their connections for --seconds. Errors count in both phases.
    let connected = 0;
    let allConnected!: () => void;
    const barrier = new Promise<void>((resolve) => (allConnected = resolve));
    const connectStarted = performance.now();
    let started = connectStarted;
    const sampler = setInterval(() => samples.push({ t: (performance.now() - started) / 1000, rss: server.rssMb(), fds: server.fds() }), 1_000);
    const once = async (agent: Agent, p: Prepared, timed: boolean) => {
      const t = performance.now();
      try {
        const status = await new Promise<number>((resolve, reject) => {
          const req = request({ host: url.hostname, port: url.port, method: "POST", path: "/", headers: { ...p.headers, "content-length": String(p.body.length) }, agent, timeout: 60_000 }, (res) => {
            res.resume();
            res.on("end", () => resolve(res.statusCode ?? 0));
          });
          req.on("timeout", () => req.destroy(new Error("timeout")));
          req.on("error", reject);
          req.end(p.body);
        });
        if (status !== 200) {
          errors++;
          if (errorSamples.length < 5) errorSamples.push(String(status));
        }
      } catch (error) {
        errors++;
        if (errorSamples.length < 5) errorSamples.push((error as Error).message);
      }
      if (timed) latencies.push(performance.now() - t);
    };
    const client = async (n: number) => {
      await new Promise((r) => setTimeout(r, n * (rampMs / clients)));
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      await once(agent, get, false);
      if (++connected === clients) allConnected();
      await barrier;
      for (let i = 0; !stop; i++) await once(agent, (n + i) % 10 === 0 ? describe : get, true);
      agent.destroy();
    };
    const running = Promise.all(Array.from({ length: clients }, (_, n) => client(n)));
    await barrier;
    const connectSeconds = (performance.now() - connectStarted) / 1000;
    started = performance.now();
    samples.length = 0;
    const timer = setTimeout(() => (stop = true), seconds * 1000);
    await running;
    clearTimeout(timer);
    const elapsed = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const load = loadavg();
    await new Promise((r) => setTimeout(r, 7_000));
    const after = { rss: server.rssMb(), fds: server.fds() };
    latencies.sort((a, b) => a - b);
    const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
    const during = samples.filter((s) => s.t > 2);
    const peak = { rss: Math.max(...during.map((s) => s.rss)), fds: Math.max(...during.map((s) => s.fds)) };
    const firstHalf = during.slice(0, Math.floor(during.length / 2));
    const secondHalf = during.slice(Math.floor(during.length / 2));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    console.log(`round ${round}: ${clients} clients connected in ${connectSeconds.toFixed(1)} s; then ${clients} clients × ${elapsed.toFixed(1)} s: ${latencies.length} requests, ${Math.round(latencies.length / elapsed)}/s, errors ${errors}${errorSamples.length ? ` (${errorSamples.join("; ")})` : ""}`);
    console.log(`latency p50 ${q(0.5).toFixed(1)} ms, p99 ${q(0.99).toFixed(1)} ms, max ${latencies[latencies.length - 1]!.toFixed(1)} ms`);
    console.log(`server RSS idle ${idle.rss.toFixed(1)} MB, loaded mean ${mean(firstHalf.map((s) => s.rss)).toFixed(1)} → ${mean(secondHalf.map((s) => s.rss)).toFixed(1)} MB (first/second half), peak ${peak.rss.toFixed(1)}, idle after ${after.rss.toFixed(1)} MB`);
    console.log(`server fds idle ${idle.fds}, loaded ${mean(firstHalf.map((s) => s.fds)).toFixed(0)} → ${mean(secondHalf.map((s) => s.fds)).toFixed(0)}, peak ${peak.fds}, idle after ${after.fds}`);
    console.log(`load average at the end of the load ${load.map((l) => l.toFixed(2)).join(" ")}`);
    return errors;
  }
  process.exitCode = errors === 0 ? 0 : 1;
} finally {
  await server.stop();
}
