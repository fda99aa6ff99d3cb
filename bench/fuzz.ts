// The fuzz suite's long mode (issue 16): ≥ 100,000 generated requests (bench/fuzz-requests.ts: every operation of
// every service, malformed bodies, compressed garbage, hostile wildcards, bad signatures, foreign Hosts) against
// `ecs-pull serve` in its own process. Reports the outcome classes, any 5xx or dropped connection, the health
// checks, the slowest requests (target < 1 s) and the server's RSS and file descriptors before and after.
// Run: npx tsx bench/fuzz.ts [--count 100000] [--concurrency 16] [--seed 16]. 127.0.0.1 only.
import { loadavg } from "node:os";
import { runFuzz, seedFuzzWorld } from "./fuzz-requests.ts";
import { startServe } from "./serve-process.ts";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const value = i < 0 ? Number.NaN : Number(process.argv[i + 1]);
  return Number.isFinite(value) ? value : fallback;
}

const count = arg("--count", 100_000);
const concurrency = arg("--concurrency", 16);
const seed = arg("--seed", 16);
const server = await startServe();
try {
  await seedFuzzWorld(server.url);
  const before = { rss: server.rssMb(), fds: server.fds() };
  const started = performance.now();
  const report = await runFuzz({ url: server.url, count, concurrency, seed, healthEvery: 500, keepSlowest: 5 });
  const seconds = (performance.now() - started) / 1000;
  await new Promise((r) => setTimeout(r, 6_000)); // keep-alive sockets time out after 5 s
  const after = { rss: server.rssMb(), fds: server.fds() };
  console.log(`requests ${report.requests} in ${seconds.toFixed(1)} s (${Math.round(report.requests / seconds)}/s, ${concurrency} in flight), seed ${seed}`);
  console.log(`5xx or dropped: ${report.serverErrors.length}; health checks ${report.healthChecks}, failed ${report.healthFailures}`);
  console.log("outcome classes:");
  for (const [cls, n] of [...report.classes].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(7)}  ${cls}`);
  console.log("slowest:");
  for (const s of report.slowest) console.log(`  ${s.ms.toFixed(1).padStart(8)} ms  ${s.status} ${s.code}  ${s.label}`);
  console.log(`server RSS ${before.rss.toFixed(1)} → ${after.rss.toFixed(1)} MB; fds ${before.fds} → ${after.fds}; load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  for (const e of report.serverErrors.slice(0, 10)) console.log(`  5xx: ${JSON.stringify(e)}`);
  process.exitCode = report.serverErrors.length === 0 && report.healthFailures === 0 ? 0 : 1;
} finally {
  await server.stop();
}
