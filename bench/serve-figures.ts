// The figures of issue 17's table for `ecs-pull serve`, each printed side by side with a bare Node server measured
// in the same run (bench/bare-server.mjs: answers every POST with one fixed GetSecretValue body; no parsing, auth or
// state) — the machine is shared, so the ratio to that ceiling is the figure to compare between runs:
//   - cold start: spawn → first signed call answered (installed package; and from the checkout, bin/ecs-pull.cjs)
//   - idle RSS after start, RSS after 10 s each of c=1, 8, 32 GetSecretValue (and the peak, VmHWM), RSS 30 s after the load
//   - GetSecretValue/s at c=1, 8, 32 with a raw client, both servers loaded in alternating half-second slices (so
//     that a slow minute of the shared machine falls on both), and the CPU time (user + system) each server and the
//     client spent per answer: on 2 shared cores the rates move with where the scheduler puts the processes; CPU per
//     answer moves less
// The raw client sends one request, SigV4-signed once with an execution role's session (the signature stays valid
// for minutes), as bytes over kept-alive sockets, and reads each answer's Content-Length: its own cost per request
// is as small as it can be, so the server is what is measured. Every request is still verified by the emulator
// (signature, then IAM on the role's policy) and must answer 200; the run first shows that a wrongly signed copy
// and a secret the role may not read are refused by the same server.
// Run: npx tsx bench/serve-figures.ts [--seconds 10] [--starts 5] [--no-build] [--no-clone] [--memory-detail].
// 127.0.0.1 only. --memory-detail loads bench/memory-probe.cjs into the measured `serve` and prints its heap spaces
// and resident memory by mapping at each memory figure (idle, after the load, 30 s after).
// BENCH_SERVE_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/prof" adds Node flags to the measured `ecs-pull serve`
// of the memory and throughput phase (a CPU profile of the load).
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, type AddressInfo, connect, type Socket } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import aws4 from "aws4";
import { installPackage } from "./installed-package.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BARE = join(ROOT, "bench/bare-server.mjs");
const MEMORY_PROBE = join(ROOT, "bench/memory-probe.cjs");
const MEMORY_DETAIL = process.argv.includes("--memory-detail");
const CLONE_BIN = join(ROOT, "bin/ecs-pull.cjs");
const REGION = "us-east-1";
const ADMIN = { accessKeyId: "test", secretAccessKey: "test" };

const flag = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  const v = i < 0 ? Number.NaN : Number(process.argv[i + 1]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const SECONDS = flag("--seconds", 10);
const STARTS = flag("--starts", 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Server {
  name: string;
  child: ChildProcess;
  port: number;
  rssMiB(): number;
  /** CPU seconds used so far, user and system. */
  cpuSeconds(): { user: number; system: number };
  /** The highest RSS so far (VmHWM). */
  peakRssMiB(): number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** CPU seconds a process has used so far in user and in system mode, from /proc (10 ms ticks). */
function cpuSecondsOf(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100 };  // utime, stime: fields 14 and 15 of stat(5)
}

function rssOf(pid: number, field: "VmRSS" | "VmHWM" = "VmRSS"): number {
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
}

/** A request as raw HTTP/1.1 bytes, signed by aws4 (now, or at a fixed date). */
function signedRequest(port: number, target: string, body: string, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): Buffer {
  const opts = {
    host: `127.0.0.1:${port}`,
    method: "POST",
    path: "/",
    service: target.startsWith("secretsmanager") ? "secretsmanager" : "sts",
    region: REGION,
    headers: { "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": target },
    body,
  };
  aws4.sign(opts, credentials);
  const headers = Object.entries(opts.headers as Record<string, string | number>)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("");
  return Buffer.from(`POST / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: keep-alive\r\n${headers}\r\n${body}`);
}

/** One kept-alive connection that sends `request` and resolves with each answer's status code. */
class RawConnection {
  private buffer: Buffer = Buffer.alloc(0);
  /** The last answer's body (for the enforcement check). */
  lastBody = "";
  private waiting?: { resolve(status: number): void; reject(e: Error): void };
  private constructor(private readonly socket: Socket) {
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("error", (e) => this.fail(e));
    socket.on("close", () => this.fail(new Error("connection closed")));
  }
  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host: "127.0.0.1" }, () => {
        socket.off("error", reject);
        socket.setNoDelay(true);
        resolve(new RawConnection(socket));
      });
      socket.once("error", reject);
    });
  }
  send(request: Buffer): Promise<number> {
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.write(request);
    });
  }
  close(): void {
    this.socket.destroy();
  }
  private fail(e: Error) {
    const w = this.waiting;
    this.waiting = undefined;
    w?.reject(e);
  }
  private onData(chunk: Buffer) {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const end = this.buffer.indexOf("\r\n\r\n");
    if (end < 0) return;
    const head = this.buffer.subarray(0, end).toString("latin1");
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
    if (this.buffer.length < end + 4 + length) return;
    this.lastBody = length < 4096 ? this.buffer.subarray(end + 4, end + 4 + length).toString("utf8") : "";
    this.buffer = this.buffer.subarray(end + 4 + length);
    const status = Number(head.slice(9, 12));
    const w = this.waiting;
    this.waiting = undefined;
    w?.resolve(status);
  }
}

/** Spawns `args`, then sends `probe()` until one is answered: spawn → first answer, in ms. */
async function coldStart(name: string, args: string[], port: number, probe: () => Buffer, env: NodeJS.ProcessEnv = process.env): Promise<{ ms: number; server: Server }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "inherit"], env: { ...env, PORT: String(port) } });
  let exited = false;
  child.once("exit", () => (exited = true));
  for (;;) {
    if (exited) throw new Error(`${name} exited before answering`);
    if (performance.now() - t0 > 60_000) throw new Error(`${name}: no answer within 60 s`);
    try {
      const c = await RawConnection.open(port);
      try {
        const status = await c.send(probe());
        if (status >= 500) throw new Error(`${name}: HTTP ${status}`);
      } finally {
        c.close();
      }
      break;
    } catch (e) {
      if ((e as Error).message.startsWith(name)) throw e;
      await new Promise((r) => setTimeout(r, 2));
    }
  }
  const ms = performance.now() - t0;
  const pid = child.pid!;
  return {
    ms,
    server: {
      name,
      child,
      port,
      rssMiB: () => rssOf(pid),
      cpuSeconds: () => cpuSecondsOf(pid),
      peakRssMiB: () => rssOf(pid, "VmHWM"),
      stop: () => new Promise<void>((done) => (exited ? done() : (child.once("exit", () => done()), child.kill("SIGTERM")))),
    },
  };
}

/** With --memory-detail: the measured server prints its heap spaces and resident memory by mapping (stderr). */
async function memoryDetail(server: Server, when: string): Promise<void> {
  if (!MEMORY_DETAIL) return;
  console.error(`--- ${when}`);
  server.child.kill("SIGUSR2");
  await new Promise((r) => setTimeout(r, 200));
}

/** CPU time per answer, in µs. */
interface Micros {
  user: number;
  system: number;
}
const total = (m: Micros) => m.user + m.system;

/** What one server answered over the slices of one concurrency level. */
interface Tally {
  ok: number;
  bad: number;
  seconds: number;
  server: Micros;
  client: Micros;
}

/** `concurrency` kept-alive connections to one server, sending `request` for a slice of time when asked. */
class Load {
  readonly tally: Tally = { ok: 0, bad: 0, seconds: 0, server: { user: 0, system: 0 }, client: { user: 0, system: 0 } };
  private constructor(
    private readonly server: Server,
    private readonly request: Buffer,
    private readonly conns: RawConnection[],
  ) {}
  static async open(server: Server, request: Buffer, concurrency: number): Promise<Load> {
    return new Load(server, request, await Promise.all(Array.from({ length: concurrency }, () => RawConnection.open(server.port))));
  }
  /** Sends for `seconds`; adds the answers, the time and both sides' CPU seconds to the tally. */
  async slice(seconds: number): Promise<void> {
    const t = this.tally;
    const until = performance.now() + seconds * 1000;
    const cpu0 = this.server.cpuSeconds();
    const client0 = process.cpuUsage();
    const t0 = performance.now();
    await Promise.all(
      this.conns.map(async (c) => {
        while (performance.now() < until) {
          const status = await c.send(this.request);
          if (status === 200) t.ok++;
          else t.bad++;
        }
      }),
    );
    t.seconds += (performance.now() - t0) / 1000;
    const cpu1 = this.server.cpuSeconds();
    const client = process.cpuUsage(client0);
    t.server.user += cpu1.user - cpu0.user;
    t.server.system += cpu1.system - cpu0.system;
    t.client.user += client.user / 1e6;
    t.client.system += client.system / 1e6;
  }
  close(): void {
    for (const c of this.conns) c.close();
  }
}

const perSecond = (t: Tally) => Math.round((t.ok + t.bad) / t.seconds);
const perAnswer = (cpu: Micros, t: Tally): Micros => ({ user: (cpu.user * 1e6) / (t.ok + t.bad), system: (cpu.system * 1e6) / (t.ok + t.bad) });

/**
 * Both servers under the same load, in alternating half-second slices (`seconds` each in all), ours first in every
 * other round: a slower or faster minute on this shared machine then falls on both alike. Half a second of quiet
 * is less than what starts `serve`'s idle collection (1 s, emulator/idle-collect.ts).
 */
async function alternate(ours: Server, oursRequest: Buffer, bare: Server, bareRequest: Buffer, concurrency: number, seconds: number): Promise<[Tally, Tally]> {
  const o = await Load.open(ours, oursRequest, concurrency);
  const b = await Load.open(bare, bareRequest, concurrency);
  try {
    for (let round = 0; round < seconds * 2; round++) {
      const [first, second] = round % 2 === 0 ? [o, b] : [b, o];
      await first.slice(0.5);
      await second.slice(0.5);
    }
  } finally {
    o.close();
    b.close();
  }
  return [o.tally, b.tally];
}

/** The emulator's world: a secret, an execution role allowed to read it only, a session of that role. */
async function world(port: number) {
  const endpoint = `http://127.0.0.1:${port}`;
  const sm = new SecretsManagerClient({ endpoint, region: REGION, credentials: ADMIN });
  const iam = new IAMClient({ endpoint, region: REGION, credentials: ADMIN });
  const sts = new STSClient({ endpoint, region: REGION, credentials: ADMIN });
  try {
    const secretArn = (await sm.send(new CreateSecretCommand({ Name: "registry-creds", SecretString: JSON.stringify({ username: "ci", password: "bench" }) }))).ARN!;
    const otherArn = (await sm.send(new CreateSecretCommand({ Name: "other", SecretString: "not yours" }))).ARN!;
    const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::000000000000:root" }, Action: "sts:AssumeRole" }] };
    const role = await iam.send(new CreateRoleCommand({ RoleName: "benchExecutionRole", AssumeRolePolicyDocument: JSON.stringify(trust) }));
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: "benchExecutionRole",
        PolicyName: "creds",
        PolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Sid: "Ecr", Effect: "Allow", Action: ["ecr:GetAuthorizationToken", "ecr:BatchGetImage"], Resource: "*" },
            { Sid: "Creds", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secretArn, Condition: { StringEquals: { "aws:RequestedRegion": REGION } } },
            { Sid: "NoWrites", Effect: "Deny", Action: ["secretsmanager:Put*", "secretsmanager:Delete*"], Resource: "*" },
          ],
        }),
      }),
    );
    const { Credentials: c } = await sts.send(new AssumeRoleCommand({ RoleArn: role.Role!.Arn!, RoleSessionName: "bench", DurationSeconds: 3600 }));
    return { secretArn, otherArn, session: { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! } };
  } finally {
    sm.destroy();
    iam.destroy();
    sts.destroy();
  }
}

const pad = (s: string | number, n: number) => String(s).padStart(n);
const row = (label: string, ours: string, bare: string, ratio: string) => console.log(`${label.padEnd(46)} ${pad(ours, 16)} ${pad(bare, 16)} ${pad(ratio, 8)}`);

async function main(): Promise<void> {
  const bin = installPackage();
  console.log(`load average at start: ${readFileSync("/proc/loadavg", "utf8").trim()}`);
  const listProbe = (port: number) => () => signedRequest(port, "secretsmanager.ListSecrets", "{}", ADMIN);
  // Each command keeps its compile cache apart: the installed package in its own folder (not the shared
  // ~/.cache/ecs-pull, where another install's `serve` bundle of another size evicts it), the clone in its
  // .runtime/compile-cache (bin/ecs-pull.cjs) — one folder for both would make them evict each other at every start.
  const { ECS_PULL_COMPILE_CACHE: _unused, ...baseEnv } = process.env;
  const installedEnv = { ...baseEnv, ECS_PULL_COMPILE_CACHE: join(ROOT, ".runtime/bench-package/compile-cache") };

  // Cold starts, alternating, medians of STARTS (the first clone start may build; it is not counted).
  const ours: number[] = [];
  const bare: number[] = [];
  const clone: number[] = [];
  const withClone = !process.argv.includes("--no-clone");
  if (withClone) {
    const port = await freePort();
    const first = await coldStart("clone serve", [CLONE_BIN, "serve", "--port", String(port)], port, listProbe(port), baseEnv);
    console.log(`clone: first start ${first.ms.toFixed(0)} ms (may build; not counted)`);
    await first.server.stop();
  }
  for (let i = 0; i < STARTS; i++) {
    let port = await freePort();
    const b = await coldStart("bare server", [BARE], port, listProbe(port));
    bare.push(b.ms);
    await b.server.stop();
    port = await freePort();
    const o = await coldStart("ecs-pull serve", [bin, "serve", "--port", String(port)], port, listProbe(port), installedEnv);
    ours.push(o.ms);
    await o.server.stop();
    if (withClone) {
      port = await freePort();
      const c = await coldStart("clone serve", [CLONE_BIN, "serve", "--port", String(port)], port, listProbe(port), baseEnv);
      clone.push(c.ms);
      await c.server.stop();
    }
  }

  // Memory and throughput: both servers up, one at a time under load.
  let port = await freePort();
  const nodeFlags = [...(process.env.BENCH_SERVE_NODE_OPTIONS?.split(" ").filter(Boolean) ?? []), ...(MEMORY_DETAIL ? ["--require", MEMORY_PROBE] : [])];
  const o = (await coldStart("ecs-pull serve", [...nodeFlags, bin, "serve", "--port", String(port)], port, listProbe(port), installedEnv)).server;
  port = await freePort();
  const b = (await coldStart("bare server", [BARE], port, listProbe(port))).server;
  const results: string[] = [];
  try {
    const w = await world(o.port);
    const getOurs = signedRequest(o.port, "secretsmanager.GetSecretValue", JSON.stringify({ SecretId: w.secretArn }), w.session);
    const getBare = signedRequest(b.port, "secretsmanager.GetSecretValue", JSON.stringify({ SecretId: w.secretArn }), w.session);
    // The checks are on in the server measured: a changed signature and a secret the role may not read are refused.
    const check = await RawConnection.open(o.port);
    const forged = Buffer.from(getOurs.toString("latin1").replace(/Signature=([0-9a-f])/, (_m, c: string) => `Signature=${c === "0" ? "1" : "0"}`), "latin1");
    const denied = signedRequest(o.port, "secretsmanager.GetSecretValue", JSON.stringify({ SecretId: w.otherArn }), w.session);
    const answer = async (request: Buffer) => `${await check.send(request)} ${/"__type":"([^"]+)"/.exec(check.lastBody)?.[1] ?? ""}`.trim();
    const statuses = [await answer(getOurs), await answer(forged), await answer(denied)];
    check.close();
    const expected = ["200", "400 InvalidSignatureException", "400 AccessDeniedException"];
    if (statuses.join() !== expected.join()) throw new Error(`enforcement check: expected ${expected.join(", ")}, got ${statuses.join(", ")}`);
    console.log(`enforcement on: the role's own secret ${statuses[0]}, a changed signature ${statuses[1]}, a secret the role may not read ${statuses[2]}`);

    await new Promise((r) => setTimeout(r, 2000));
    const idle = [o.rssMiB(), b.rssMiB()];
    await memoryDetail(o, "idle");
    const rates: [number, number, number, number][] = [];
    const cpu: [number, Micros, Micros, Micros, Micros][] = [];
    for (const c of [1, 8, 32]) {
      const [r0, r1] = await alternate(o, getOurs, b, getBare, c, SECONDS);
      if (r0.bad) throw new Error(`ecs-pull serve: ${r0.bad} GetSecretValue answers were not 200 at c=${c}`);
      rates.push([c, perSecond(r0), perSecond(r1), r0.ok]);
      cpu.push([c, perAnswer(r0.server, r0), perAnswer(r1.server, r1), perAnswer(r0.client, r0), perAnswer(r1.client, r1)]);
    }
    // Taken right after the load (the last slice may be either server's); the peak during the load is the high-water
    // mark. `serve` collects its heap once calls stop (emulator/idle-collect.ts): the 30 s figure shows that.
    const loaded = [o.rssMiB(), b.rssMiB()];
    const peak = [o.peakRssMiB(), b.peakRssMiB()];
    await memoryDetail(o, "after the load");
    await new Promise((r) => setTimeout(r, 30_000));
    const after = [o.rssMiB(), b.rssMiB()];
    await memoryDetail(o, "30 s after the load");

    console.log(`\nload average at end: ${readFileSync("/proc/loadavg", "utf8").trim()}`);
    row("figure", "ecs-pull", "bare Node", "ratio");
    row(`serve cold start, installed (median of ${STARTS})`, `${median(ours).toFixed(0)} ms`, `${median(bare).toFixed(0)} ms`, (median(ours) / median(bare)).toFixed(2));
    if (withClone) row(`serve cold start, clone (median of ${STARTS})`, `${median(clone).toFixed(0)} ms`, `${median(bare).toFixed(0)} ms`, `${(median(clone) / median(ours)).toFixed(2)}×inst`);
    row("idle RSS (2 s after the first call)", `${idle[0]!.toFixed(0)} MiB`, `${idle[1]!.toFixed(0)} MiB`, (idle[0]! / idle[1]!).toFixed(2));
    for (const [c, ourRate, bareRate, ok] of rates) {
      row(`GetSecretValue/s, SigV4 + IAM, raw client, c=${c}`, `${ourRate}`, `${bareRate}`, `${((ourRate / bareRate) * 100).toFixed(0)} %`);
      results.push(`c=${c}: ${ok} × 200`);
    }
    // CPU per answer (user + system, from /proc; includes the kernel's loopback work of each write) is less moved
    // than the rates by where the scheduler puts the client and the server on a shared machine.
    const micros = (m: Micros) => `${total(m).toFixed(0)} µs (${m.user.toFixed(0)}+${m.system.toFixed(0)})`;
    for (const [c, ours, bare] of cpu) row(`server CPU per answer (user+sys), c=${c}`, micros(ours), micros(bare), (total(ours) / total(bare)).toFixed(2));
    for (const [c, , , ours, bare] of cpu) row(`client CPU per answer (user+sys), c=${c}`, micros(ours), micros(bare), (total(ours) / total(bare)).toFixed(2));
    row(`RSS after ${SECONDS} s each of c=1/8/32`, `${loaded[0]!.toFixed(0)} MiB`, `${loaded[1]!.toFixed(0)} MiB`, (loaded[0]! / loaded[1]!).toFixed(2));
    row("peak RSS during the load (VmHWM)", `${peak[0]!.toFixed(0)} MiB`, `${peak[1]!.toFixed(0)} MiB`, (peak[0]! / peak[1]!).toFixed(2));
    row("RSS 30 s after the load", `${after[0]!.toFixed(0)} MiB`, `${after[1]!.toFixed(0)} MiB`, `${(after[0]! - idle[0]!).toFixed(0)} MiB>idle`);
    console.log(`cold starts (ms): ecs-pull [${ours.map((x) => x.toFixed(0)).join(", ")}], bare [${bare.map((x) => x.toFixed(0)).join(", ")}]${withClone ? `, clone [${clone.map((x) => x.toFixed(0)).join(", ")}]` : ""}`);
    console.log(`ecs-pull answers: ${results.join(", ")}`);
  } finally {
    await o.stop();
    await b.stop();
  }
}

await main();
